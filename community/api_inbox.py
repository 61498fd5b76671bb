"""A member's own community inbox in the API, under /api/v1/community/ (issue 17):
their notifications (list, mark read) and what they follow (questions, tags,
products). Every endpoint needs a bearer token and shows only the token owner's
rows; the writes call the same services as the site.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from taggit.models import Tag

from portal.api import Error, PageParams, paginate, token_auth
from portal.selectors import product_list_live
from portal.site_url import absolute_url, page_absolute_url

from . import selectors, services
from .models import Question

router = Router(tags=["community: inbox"])
ERRORS = {401: Error, 403: Error, 404: Error, 422: Error}


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    question_id: int
    question_title: str
    actor: str | None
    url: str
    created_at: datetime
    read: bool
    reason: str = Field(
        "",
        description="Why a suggested edit was rejected, when the reviewer said; else empty.",
    )

    @staticmethod
    def resolve_reason(obj):
        if obj.kind == "edit_rejected" and obj.suggested_edit is not None:
            return obj.suggested_edit.review_reason
        return ""

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_question_title(obj):
        return obj.question.title

    @staticmethod
    def resolve_actor(obj):
        if obj.actor is None:
            return None
        profile = getattr(obj.actor, "profile", None)
        return getattr(profile, "display_name", "") or obj.actor.username

    @staticmethod
    def resolve_url(obj):
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_read(obj):
        return obj.read_at is not None


class NotificationPageOut(Schema):
    count: int
    page: int
    pages: int
    unread: int
    results: list[NotificationOut]


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only notifications not read yet.")


class MarkReadIn(Schema):
    ids: list[int] | None = Field(
        None,
        max_length=500,
        description="Notification ids to mark read; leave out to mark them all.",
    )


class MarkReadOut(Schema):
    marked: int
    unread: int


@router.get(
    "/notifications/", auth=token_auth, response={200: NotificationPageOut, **ERRORS}
)
def notification_list(
    request, params: Query[PageParams], filters: Query[NotificationFilters]
):
    """Your notifications, newest first, with how many are unread."""
    rows = selectors.notification_list_for(user=request.user)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    page = paginate(rows, params)
    page["unread"] = selectors.notification_unread_count(user=request.user)
    return page


@router.post(
    "/notifications/read/", auth=token_auth, response={200: MarkReadOut, **ERRORS}
)
def notifications_mark_read(request, payload: MarkReadIn):
    """Mark the listed notifications (or all of them) read; others' ids change nothing."""
    marked = services.notifications_mark_read(
        user=request.user, notification_ids=payload.ids
    )
    return {
        "marked": marked,
        "unread": selectors.notification_unread_count(user=request.user),
    }


# --------------------------------------------------------------------------- follows


class FollowOut(Schema):
    kind: str
    name: str
    url: str
    created_at: datetime

    @staticmethod
    def resolve_kind(obj):
        return "question" if obj.question_id else "tag" if obj.tag_id else "product"

    @staticmethod
    def resolve_name(obj):
        if obj.question_id:
            return obj.question.title
        return obj.tag.name if obj.tag_id else obj.product.title

    @staticmethod
    def resolve_url(obj):
        if obj.question_id:
            return absolute_url(obj.question.get_absolute_url())
        if obj.tag_id:
            return absolute_url(reverse("community:tag", kwargs={"tag": obj.tag.name}))
        return page_absolute_url(obj.product)


class FollowPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[FollowOut]


class FollowStateOut(Schema):
    following: bool


@router.get("/follows/", auth=token_auth, response={200: FollowPageOut, **ERRORS})
def follow_list(request, params: Query[PageParams]):
    """What you follow, newest first."""
    return paginate(selectors.follow_list_for(user=request.user), params)


def _follow(request, following: bool, **target) -> dict:
    services.follow_set(user=request.user, following=following, **target)
    return {"following": following}


@router.put(
    "/questions/{int:question_id}/follow/",
    auth=token_auth,
    response={200: FollowStateOut, **ERRORS},
)
def question_follow(request, question_id: int):
    """Follow a question: you hear of its answers and comments (idempotent)."""
    return _follow(request, True, question=selectors.question_get_visible(pk=question_id))


@router.delete(
    "/questions/{int:question_id}/follow/",
    auth=token_auth,
    response={200: FollowStateOut, **ERRORS},
)
def question_unfollow(request, question_id: int):
    question = get_object_or_404(Question.objects.visible(), pk=question_id)
    return _follow(request, False, question=question)


def _tag(name: str):
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        raise ValidationError({"tag": "No such tag."})
    return tag


def _product(slug: str):
    product = product_list_live().filter(slug=slug).first()
    if product is None:
        raise ValidationError({"product": "No such product."})
    return product


class TopicIn(Schema):
    tag: str | None = Field(None, max_length=100, description="A tag name.")
    product: str | None = Field(None, max_length=100, description="A product slug.")


def _topic(payload: TopicIn) -> dict:
    if bool(payload.tag) == bool(payload.product):
        raise ValidationError("Give exactly one of tag or product.")
    if payload.tag:
        return {"tag": _tag(payload.tag)}
    return {"product": _product(payload.product)}


@router.post("/follows/", auth=token_auth, response={200: FollowStateOut, **ERRORS})
def topic_follow(request, payload: TopicIn):
    """Follow a tag or a product: you hear of its new questions (idempotent)."""
    return _follow(request, True, **_topic(payload))


@router.post(
    "/follows/remove/", auth=token_auth, response={200: FollowStateOut, **ERRORS}
)
def topic_unfollow(request, payload: TopicIn):
    """Stop following a tag or a product."""
    return _follow(request, False, **_topic(payload))
