"""More of the community in the API, under /api/v1/community/ (issue 17): comments,
flags, official answers (staff) and a product's speed-of-help figures. Writes
need a bearer token and call the same services as the site, so the rules and
messages are the site's.
"""

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from portal.api import Error, PageParams, paginate, token_auth
from portal.selectors import product_list_live

from . import selectors, services
from .api import AnswerOut, AuthorOut, QuestionOut
from .api import _question_for_read as question_for_read
from .models import Answer, Comment

router = Router(tags=["community: posts"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class CommentOut(Schema):
    id: int
    body: str
    body_html: str
    author: AuthorOut
    created_at: datetime


class CommentPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[CommentOut]


class CommentIn(Schema):
    body: str


def _comment_out(comment) -> Comment:
    return Comment.objects.select_related("author__profile").get(pk=comment.pk)


@router.get(
    "/questions/{int:question_id}/comments/",
    response={200: CommentPageOut, 404: Error, 422: Error},
)
def question_comment_list(request, question_id: int, params: Query[PageParams]):
    """A question's public comments, oldest first (what an anonymous reader sees)."""
    question = selectors.question_get_visible(pk=question_id)
    return paginate(selectors.question_comments(question=question, viewer=None), params)


@router.get(
    "/answers/{int:answer_id}/comments/",
    response={200: CommentPageOut, 404: Error, 422: Error},
)
def answer_comment_list(request, answer_id: int, params: Query[PageParams]):
    """An answer's public comments, oldest first (what an anonymous reader sees)."""
    answer = selectors.answer_get_visible(pk=answer_id)
    return paginate(selectors.answer_comments(answer=answer, viewer=None), params)


@router.post(
    "/questions/{int:question_id}/comments/",
    auth=token_auth,
    response={201: CommentOut, **ERRORS},
)
def question_comment(request, question_id: int, payload: CommentIn):
    """Comment on a question (closed and hidden questions take none)."""
    question = selectors.question_get_visible(pk=question_id)
    comment = services.comment_add(
        author=request.user, body=payload.body, question=question
    )
    return Status(201, _comment_out(comment))


@router.post(
    "/answers/{int:answer_id}/comments/",
    auth=token_auth,
    response={201: CommentOut, **ERRORS},
)
def answer_comment(request, answer_id: int, payload: CommentIn):
    """Comment on an answer; its author and the question's followers are told."""
    answer = selectors.answer_get_visible(pk=answer_id)
    comment = services.comment_add(author=request.user, body=payload.body, answer=answer)
    return Status(201, _comment_out(comment))


class FlagIn(Schema):
    reason: str = Field(..., description="spam, rude, off_topic or staff.")
    note: str = Field("", max_length=500, description="Needed for reason staff.")


class FlagOut(Schema):
    id: int
    reason: str
    state: str


def _flag(request, post, payload: FlagIn):
    flag = services.post_flag(
        user=request.user, post=post, reason=payload.reason, note=payload.note
    )
    return Status(201, {"id": flag.pk, "reason": flag.reason, "state": flag.state})


@router.post(
    "/questions/{int:question_id}/flag/",
    auth=token_auth,
    response={201: FlagOut, **ERRORS},
)
def question_flag(request, question_id: int, payload: FlagIn):
    """Report a question to moderators (needs the flag privilege; once per post)."""
    return _flag(request, selectors.question_get_visible(pk=question_id), payload)


@router.post(
    "/answers/{int:answer_id}/flag/", auth=token_auth, response={201: FlagOut, **ERRORS}
)
def answer_flag(request, answer_id: int, payload: FlagIn):
    """Report an answer to moderators (needs the flag privilege; once per post)."""
    return _flag(request, selectors.answer_get_visible(pk=answer_id), payload)


@router.put(
    "/answers/{int:answer_id}/official/",
    auth=token_auth,
    response={200: QuestionOut, **ERRORS},
)
def answer_mark_official(request, answer_id: int):
    """Staff: mark the official answer (the asker and followers are told)."""
    answer = selectors.answer_get_visible(pk=answer_id)
    services.answer_mark_official(answer=answer, by=request.user)
    return question_for_read(answer.question_id)


@router.delete(
    "/answers/{int:answer_id}/official/",
    auth=token_auth,
    response={200: QuestionOut, **ERRORS},
)
def answer_unmark_official(request, answer_id: int):
    """Staff: the answer is no longer the official one."""
    answer = selectors.answer_get_visible(pk=answer_id)
    services.answer_mark_official(answer=answer, by=request.user, official=False)
    return question_for_read(answer.question_id)


class SpeedOfHelpOut(Schema):
    product: str
    window_days: int
    asked: int
    median_first_answer_hours: float | None
    median_accepted_hours: float | None
    answered_within_day: int
    eligible_for_day: int
    share_within_day: float | None
    questions_hidden: int
    answers_hidden: int


@router.get(
    "/products/{slug}/speed-of-help/",
    response={200: SpeedOfHelpOut, 404: Error, 422: Error},
)
def speed_of_help(request, slug: str):
    """A product's public speed-of-help figures over the last 30 days (as on its page)."""
    product = product_list_live().filter(slug=slug).first()
    if product is None:
        raise Http404
    return {"product": product.slug, **selectors.product_speed_of_help(product=product)}


class QuestionEditIn(Schema):
    title: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    note: str = Field("", max_length=300, description="What you changed (public).")


class AnswerEditIn(Schema):
    body: str
    note: str = Field("", max_length=300, description="What you changed (public).")


# `/edit/` as on the site: the bare question path belongs to community.api's
# router, and Django would answer its GET-only pattern with a 405.
@router.patch(
    "/questions/{int:question_id}/edit/",
    auth=token_auth,
    response={200: QuestionOut, **ERRORS},
)
def question_edit(request, question_id: int, payload: QuestionEditIn):
    """Edit a question: its author, or members with the edit privilege (a public revision is kept)."""
    question = selectors.question_get_visible(pk=question_id)
    services.question_edit(
        question=question,
        by=request.user,
        title=question.title if payload.title is None else payload.title,
        body=question.body if payload.body is None else payload.body,
        tags=payload.tags,
        note=payload.note,
    )
    return question_for_read(question.pk)


@router.patch(
    "/answers/{int:answer_id}/edit/",
    auth=token_auth,
    response={200: AnswerOut, **ERRORS},
)
def answer_edit(request, answer_id: int, payload: AnswerEditIn):
    """Edit an answer: its author, or members with the edit privilege."""
    answer = selectors.answer_get_visible(pk=answer_id)
    services.answer_edit(answer=answer, by=request.user, body=payload.body, note=payload.note)
    return Answer.objects.select_related("question", "author__profile").get(pk=answer.pk)
