"""The community's JSON API under /api/v1/community/ (mounted via CANDOR_API_ROUTERS).

Reads are public and show only visible posts. Writes need a bearer token and
call the same services as the site, so the rules and the error messages are the
same; errors use portal.api's shared body.
"""

import math
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from portal.api import Error, PageParams, paginate, token_auth
from portal.selectors import product_list_live

from . import selectors, services
from .models import Answer, Question

router = Router(tags=["community"])
READ_ERRORS = {404: Error, 422: Error}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class AuthorOut(Schema):
    username: str
    display_name: str
    url: str

    @staticmethod
    def resolve_display_name(obj):
        profile = getattr(obj, "profile", None)
        return getattr(profile, "display_name", "") or obj.username

    @staticmethod
    def resolve_url(obj):
        return reverse("portal:profile", kwargs={"username": obj.username})


class QuestionOut(Schema):
    id: int
    title: str
    url: str
    status: str
    score: int
    answer_count: int
    me_too_count: int
    tags: list[str]
    product: str | None
    author: AuthorOut
    created_at: datetime
    accepted_answer_id: int | None
    official_answer_id: int | None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_tags(obj):
        return [item.tag.name for item in obj.tagged_items.all()]

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug if obj.product_id and obj.product else None


class AnswerOut(Schema):
    id: int
    question_id: int
    url: str
    body: str
    body_html: str
    score: int
    is_staff_answer: bool
    is_accepted: bool
    is_official: bool
    author: AuthorOut
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_is_accepted(obj):
        return obj.question.accepted_answer_id == obj.pk

    @staticmethod
    def resolve_is_official(obj):
        return obj.question.official_answer_id == obj.pk


class AnswerPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[AnswerOut]


class QuestionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[QuestionOut]


class QuestionDetailOut(QuestionOut):
    body: str
    body_html: str
    close_reason: str
    duplicate_of_id: int | None
    answers: AnswerPageOut = Field(..., alias="answers_page")


class QuestionIn(Schema):
    title: str
    body: str
    tags: list[str] = Field(default_factory=list)
    product: str | None = Field(None, description="A product slug.")


class AnswerIn(Schema):
    body: str


class VoteIn(Schema):
    # strict: `true` is not a number (pydantic would take it as 1, an up-vote).
    value: int = Field(
        ...,
        ge=-1,
        le=1,
        strict=True,
        description="+1 up, -1 down, 0 withdraws your vote.",
    )


class VoteOut(Schema):
    score: int
    value: int


class MeTooOut(Schema):
    me_too: bool
    me_too_count: int


class ListFilters(Schema):
    sort: str = Field("newest", pattern="^(newest|active|votes|metoo|unanswered)$")
    tag: str | None = Field(None, max_length=100)
    product: str | None = Field(None, max_length=100)
    status: str | None = Field(None, pattern="^(open|answered|solved|closed)$")


class AnswerListParams(PageParams):
    sort: str = Field("score", pattern="^(score|newest|oldest)$")


def _answers_page_lazy(question, params: AnswerListParams) -> dict:
    """Page through answers in the database, pinned ones on page 1 only."""
    pinned = []
    for answer in (question.accepted_answer, question.official_answer):
        if answer is not None and not answer.is_hidden and answer not in pinned:
            pinned.append(answer)
    rest = selectors.answer_list_for_question(
        question=question, viewer=None, sort=params.sort
    ).select_related("question")
    total = rest.count() + len(pinned)
    start = (params.page - 1) * params.page_size
    pinned_slice = pinned[start : start + params.page_size]
    rest_start = max(0, start - len(pinned))
    rest_rows = list(
        rest[rest_start : rest_start + params.page_size - len(pinned_slice)]
    )
    pages = max(1, math.ceil(total / params.page_size))
    if params.page > pages:
        raise HttpError(404, f"Page {params.page} does not exist; there are {pages}.")
    for answer in pinned_slice:
        answer.question = question
    return {
        "count": total,
        "page": params.page,
        "pages": pages,
        "results": [*pinned_slice, *rest_rows],
    }


def _question_for_read(question_id: int):
    question = (
        Question.objects.visible()
        .select_related(
            "author__profile",
            "product",
            "accepted_answer__author__profile",
            "official_answer__author__profile",
        )
        .prefetch_related(selectors._tags_prefetch())
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404
    return question


@router.get("/questions/", response={200: QuestionPageOut, **READ_ERRORS})
def question_list(request, params: Query[PageParams], filters: Query[ListFilters]):
    """Visible questions, newest first by default; filter by tag, product slug and status."""
    product = None
    if filters.product:
        product = product_list_live().filter(slug=filters.product).first()
        if product is None:
            raise HttpError(404, "No such product.")
    questions = selectors.question_list_visible(
        sort=filters.sort,
        tag=filters.tag or "",
        product=product,
        status=filters.status or "",
    )
    return paginate(questions, params)


@router.get(
    "/questions/{int:question_id}/", response={200: QuestionDetailOut, **READ_ERRORS}
)
def question_detail(request, question_id: int, answers: Query[AnswerListParams]):
    """One question with a page of its answers (the accepted and official ones first)."""
    question = _question_for_read(question_id)
    question.answers_page = _answers_page_lazy(question, answers)
    return question


@router.get(
    "/questions/{int:question_id}/answers/",
    response={200: AnswerPageOut, **READ_ERRORS},
)
def answer_list(request, question_id: int, params: Query[AnswerListParams]):
    question = _question_for_read(question_id)
    return _answers_page_lazy(question, params)


@router.post(
    "/questions/", auth=token_auth, response={201: QuestionDetailOut, **WRITE_ERRORS}
)
def question_create(request, payload: QuestionIn):
    """Ask a question (the same rules as the ask page)."""
    product = None
    if payload.product:
        product = product_list_live().filter(slug=payload.product).first()
        if product is None:
            raise ValidationError({"product": "No such product."})
    question = services.question_ask(
        author=request.user,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        product=product,
    )
    return Status(201, question_detail(request, question.pk, AnswerListParams()))


@router.post(
    "/questions/{int:question_id}/answers/",
    auth=token_auth,
    response={201: AnswerOut, **WRITE_ERRORS},
)
def answer_create(request, question_id: int, payload: AnswerIn):
    """Answer a question: one answer per person; closed questions take none."""
    question = selectors.question_get_visible(pk=question_id)
    answer = services.answer_post(
        question=question, author=request.user, body=payload.body
    )
    return Status(
        201,
        Answer.objects.select_related("question", "author__profile").get(pk=answer.pk),
    )


@router.post(
    "/questions/{int:question_id}/vote/",
    auth=token_auth,
    response={200: VoteOut, **WRITE_ERRORS},
)
def question_vote(request, question_id: int, payload: VoteIn):
    question = selectors.question_get_visible(pk=question_id)
    services.vote_cast(user=request.user, value=payload.value, question=question)
    return {
        "score": Question.objects.values_list("score", flat=True).get(pk=question.pk),
        "value": payload.value,
    }


@router.post(
    "/answers/{int:answer_id}/vote/",
    auth=token_auth,
    response={200: VoteOut, **WRITE_ERRORS},
)
def answer_vote(request, answer_id: int, payload: VoteIn):
    answer = selectors.answer_get_visible(pk=answer_id)
    services.vote_cast(user=request.user, value=payload.value, answer=answer)
    return {
        "score": Answer.objects.values_list("score", flat=True).get(pk=answer.pk),
        "value": payload.value,
    }


@router.post(
    "/answers/{int:answer_id}/accept/",
    auth=token_auth,
    response={200: QuestionOut, **WRITE_ERRORS},
)
def answer_accept(request, answer_id: int):
    """Accept an answer: the asker, or staff on the asker's behalf."""
    answer = selectors.answer_get_visible(pk=answer_id)
    services.answer_accept(answer=answer, by=request.user)
    return _question_for_read(answer.question_id)


@router.post(
    "/questions/{int:question_id}/me-too/",
    auth=token_auth,
    response={200: MeTooOut, **WRITE_ERRORS},
)
def me_too_add(request, question_id: int):
    """Say "I have this question too" (idempotent)."""
    question = selectors.question_get_visible(pk=question_id)
    services.me_too_add(question=question, user=request.user)
    return {
        "me_too": True,
        "me_too_count": Question.objects.values_list("me_too_count", flat=True).get(
            pk=question.pk
        ),
    }


@router.delete(
    "/questions/{int:question_id}/me-too/",
    auth=token_auth,
    response={200: MeTooOut, **WRITE_ERRORS},
)
def me_too_remove(request, question_id: int):
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    services.me_too_remove(question=question, user=request.user)
    return {
        "me_too": False,
        "me_too_count": Question.objects.values_list("me_too_count", flat=True).get(
            pk=question.pk
        ),
    }
