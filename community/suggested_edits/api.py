"""Suggested edits in the API, under /api/v1/community/ (issue 17; a CANDOR_API_ROUTERS entry).

Members below the edit privilege suggest a change to a question or an answer;
the post's author, members with the edit_others privilege and staff approve or
reject it from their review queue. Every endpoint needs a bearer token and
calls `community.suggested_edits.services`, so the rules and refusal texts are
the site's. A suggestion that is not yours to read answers 404, like one that
does not exist. Reviewing one that was already reviewed, or whose post was
edited since, is a 409: the request was fine, the suggestion's state is not.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from community import selectors
from community.api import AuthorOut
from portal.api import Error, PageParams, paginate, token_auth
from portal.markdown import render_markdown
from portal.site_url import absolute_url

from . import selectors as suggestions
from . import services
from .models import SuggestedEdit

router = Router(tags=["community: suggested edits"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class SuggestedEditOut(Schema):
    id: int
    status: str = Field(..., description="pending, approved or rejected.")
    post_kind: str = Field(..., description="question or answer.")
    question_id: int
    answer_id: int | None
    post_url: str
    author: AuthorOut
    title: str = Field(..., description="The suggested title (questions only).")
    body: str
    body_html: str
    tags: list[str] = Field(..., description="The suggested tags (questions only).")
    reason: str
    current_title: str = Field(..., description="The question's title now.")
    current_body: str = Field(..., description="The post's body now.")
    base_revision: int = Field(
        ..., description="The post's revision the suggestion was made on."
    )
    reviewer: AuthorOut | None
    review_reason: str
    created_at: datetime
    reviewed_at: datetime | None

    @staticmethod
    def resolve_post_kind(obj):
        return "answer" if obj.answer_id else "question"

    @staticmethod
    def resolve_question_id(obj):
        return obj.answer.question_id if obj.answer_id else obj.question_id

    @staticmethod
    def resolve_post_url(obj):
        return absolute_url(obj.post.get_absolute_url())

    @staticmethod
    def resolve_body_html(obj):
        return render_markdown(obj.body)

    @staticmethod
    def resolve_tags(obj):
        return [name for name in obj.tags.split(", ") if name]

    @staticmethod
    def resolve_current_title(obj):
        return (obj.answer.question if obj.answer_id else obj.question).title

    @staticmethod
    def resolve_current_body(obj):
        return obj.post.body


class SuggestedEditPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SuggestedEditOut]


class QuestionSuggestionIn(Schema):
    title: str | None = Field(None, description="Leave out to keep the title.")
    body: str | None = Field(None, description="Markdown; leave out to keep the body.")
    tags: list[str] | None = Field(None, description="Leave out to keep the tags.")
    reason: str = Field(
        ..., description="What your edit improves (public, under 200 characters)."
    )


class AnswerSuggestionIn(Schema):
    body: str = Field(..., description="Markdown.")
    reason: str = Field(
        ..., description="What your edit improves (public, under 200 characters)."
    )


class RejectIn(Schema):
    reason: str = Field("", description="Why not (optional, shown to the suggester).")


def _out(suggestion: SuggestedEdit) -> SuggestedEdit:
    return suggestions.suggestion_get_for_viewer(
        user=suggestion.author, pk=suggestion.pk
    )


def _readable(request, suggestion_id: int) -> SuggestedEdit:
    suggestion = suggestions.suggestion_get_for_viewer(
        user=request.user, pk=suggestion_id
    )
    if suggestion is None:
        raise Http404
    return suggestion


def _to_review(suggestion_id: int) -> SuggestedEdit:
    """Any existing suggestion: the service says who may review it, with its
    refusal text (a 403), rather than a bare 404 to a member who is not a reviewer."""
    suggestion = (
        SuggestedEdit.objects.select_related("question", "answer")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise Http404
    return suggestion


def _review(action, **kwargs) -> SuggestedEdit:
    """Run a review service; a refusal without a field (state, not input) is a 409."""
    try:
        with transaction.atomic():
            return action(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise HttpError(409, " ".join(error.messages)) from error


@router.post(
    "/questions/{int:question_id}/suggested-edits/",
    auth=token_auth,
    response={201: SuggestedEditOut, **ERRORS},
)
def question_suggest_edit(request, question_id: int, payload: QuestionSuggestionIn):
    """Suggest an edit to someone else's question (for members who may not edit it themselves)."""
    question = selectors.question_get_visible(pk=question_id)
    suggestion = services.suggested_edit_submit(
        post=question,
        by=request.user,
        title=question.title if payload.title is None else payload.title,
        body=question.body if payload.body is None else payload.body,
        tags=payload.tags,
        reason=payload.reason,
    )
    return Status(201, _out(suggestion))


@router.post(
    "/answers/{int:answer_id}/suggested-edits/",
    auth=token_auth,
    response={201: SuggestedEditOut, **ERRORS},
)
def answer_suggest_edit(request, answer_id: int, payload: AnswerSuggestionIn):
    """Suggest an edit to someone else's answer (for members who may not edit it themselves)."""
    answer = selectors.answer_get_visible(pk=answer_id)
    suggestion = services.suggested_edit_submit(
        post=answer, by=request.user, body=payload.body, reason=payload.reason
    )
    return Status(201, _out(suggestion))


@router.get(
    "/suggested-edits/",
    auth=token_auth,
    response={200: SuggestedEditPageOut, **ERRORS},
)
def suggested_edit_list(request, params: Query[PageParams]):
    """Your review queue, oldest first: pending suggestions on your posts, and every
    pending one if you may edit others' posts (staff too)."""
    return paginate(
        suggestions.suggestion_list_for_reviewer(user=request.user).order_by(
            "created_at", "pk"
        ),
        params,
    )


@router.get(
    "/suggested-edits/{int:suggestion_id}/",
    auth=token_auth,
    response={200: SuggestedEditOut, **ERRORS},
)
def suggested_edit_detail(request, suggestion_id: int):
    """One suggestion, for its suggester, its reviewers and staff."""
    return _readable(request, suggestion_id)


@router.post(
    "/suggested-edits/{int:suggestion_id}/approve/",
    auth=token_auth,
    response={200: SuggestedEditOut, **ERRORS},
)
def suggested_edit_approve(request, suggestion_id: int):
    """Apply the suggestion as an edit (the suggester gets +2 reputation)."""
    suggestion = _to_review(suggestion_id)
    _review(services.suggested_edit_approve, suggestion=suggestion, by=request.user)
    return _readable(request, suggestion_id)


@router.post(
    "/suggested-edits/{int:suggestion_id}/reject/",
    auth=token_auth,
    response={200: SuggestedEditOut, **ERRORS},
)
def suggested_edit_reject(request, suggestion_id: int, payload: RejectIn | None = None):
    """Turn the suggestion down, with an optional reason; the post is unchanged."""
    suggestion = _to_review(suggestion_id)
    reason = payload.reason if payload is not None else ""
    _review(
        services.suggested_edit_reject,
        suggestion=suggestion,
        by=request.user,
        reason=reason,
    )
    return _readable(request, suggestion_id)
