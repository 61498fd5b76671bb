"""Reputation and badges in the JSON API, under /api/v1/reputation/ (a CANDOR_API_ROUTERS entry).

All reads, all public: a member's reputation (with history and topic scores),
their ledger and awards, the badge catalogue, and the leaderboards. Errors use
portal.api's shared body.
"""

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from taggit.models import Tag

from portal.api import Error, PageParams, paginate
from portal.selectors import product_list_live

from . import credentials, permissions, selectors_reputation
from .badges import badge_title

router = Router(tags=["reputation"])
READ_ERRORS = {404: Error, 422: Error}


def _member(username: str):
    return get_object_or_404(get_user_model().objects.select_related("profile"), username=username, is_active=True)


class HistoryPoint(Schema):
    day: date
    change: int
    total: int


class TopicScore(Schema):
    kind: str
    topic: str
    score: int
    answers: int
    accepted: int
    confirmed: int


class ReputationOut(Schema):
    username: str
    display_name: str
    reputation: int
    profile_url: str
    privileges: dict[str, bool]
    history: list[HistoryPoint]
    topics: list[TopicScore]
    answers: int
    accepted_answers: int
    confirmed_answers: int


class EventOut(Schema):
    id: int
    kind: str
    points: int
    is_reversal: bool
    note: str
    question_id: int | None
    answer_id: int | None
    created_at: datetime


class EventPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[EventOut]


class BadgeOut(Schema):
    slug: str
    name: str
    title: str
    tier: str
    family: str
    description: str
    criteria: str
    image_url: str
    url: str
    product: str | None
    tag: str | None
    awarded_count: int


class BadgePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[BadgeOut]


class AwardOut(Schema):
    id: int
    badge: BadgeOut
    awarded_at: datetime
    verification_url: str
    credential_url: str


class AwardPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[AwardOut]


class LeaderRow(Schema):
    rank: int
    username: str
    display_name: str
    points: int
    reputation: int


class LeaderboardOut(Schema):
    period: str
    product: str | None
    tag: str | None
    results: list[LeaderRow]


class BadgeFilters(Schema):
    tier: Literal["bronze", "silver", "gold"] | None = None
    kind: Literal["general", "product", "tag"] | None = None


class LeaderboardParams(Schema):
    period: Literal["week", "month", "all"] = "month"
    product: str | None = None
    tag: str | None = None


def _badge_out(badge) -> dict:
    info = badge.info
    return {
        "slug": badge.slug,
        "name": badge.name,
        "title": badge_title(tier=info.tier, name=badge.name),
        "tier": info.tier,
        "family": info.family,
        "description": badge.description,
        "criteria": info.criteria,
        "image_url": credentials.absolute(badge.image.url) if badge.image else "",
        "url": credentials.absolute(reverse("community:badge_detail", kwargs={"slug": badge.slug})),
        "product": info.product.slug if info.product_id else None,
        "tag": info.tag.name if info.tag_id else None,
        "awarded_count": badge.users_count,
    }


@router.get("/users/{username}/", response={200: ReputationOut, **READ_ERRORS})
def reputation_detail(request, username: str):
    """A member's reputation: total, privileges held, daily history, scores per product and tag."""
    member = _member(username)
    scores = selectors_reputation.member_topic_scores(user=member, limit=50)
    figures = selectors_reputation.member_answer_figures(user=member)
    topics = [
        {"kind": kind, "topic": row["slug"] if kind == "product" else row["title"], **{
            k: row[k] for k in ("score", "answers", "accepted", "confirmed")}}
        for kind, rows in (("product", scores["products"]), ("tag", scores["tags"]))
        for row in rows
    ]
    return {
        "username": member.username,
        "display_name": getattr(getattr(member, "profile", None), "display_name", "") or member.username,
        "reputation": permissions.reputation_of(member),
        "profile_url": credentials.absolute(reverse("portal:profile", kwargs={"username": member.username})),
        "privileges": {name: permissions.has_privilege(member, name) for name in permissions.PRIVILEGES},
        "history": [
            {"day": day, "change": change, "total": total}
            for day, change, total in selectors_reputation.reputation_history(user=member)
        ],
        "topics": topics,
        "answers": figures["answers"],
        "accepted_answers": figures["accepted"],
        "confirmed_answers": figures["confirmed"],
    }


@router.get("/users/{username}/events/", response={200: EventPageOut, **READ_ERRORS})
def reputation_events(request, username: str, params: Query[PageParams]):
    """A member's reputation ledger, newest first: every point with its reason and post."""
    member = _member(username)
    return paginate(selectors_reputation.reputation_event_list_for(user=member), params)


@router.get("/users/{username}/awards/", response={200: AwardPageOut, **READ_ERRORS})
def award_list(request, username: str, params: Query[PageParams]):
    """A member's badges, gold first, with their verification page and Open Badges credential."""
    member = _member(username)
    awards = selectors_reputation.award_list_for(user=member).select_related("badge__info__product", "badge__info__tag")
    page = paginate(awards, params)
    page["results"] = [
        {
            "id": award.pk,
            "badge": _badge_out(award.badge),
            "awarded_at": award.awarded_at,
            "verification_url": credentials.absolute(reverse("community:award_detail", kwargs={"pk": award.pk})),
            "credential_url": credentials.absolute(reverse("community:award_credential", kwargs={"pk": award.pk})),
        }
        for award in page["results"]
    ]
    return page


@router.get("/badges/", response={200: BadgePageOut, **READ_ERRORS})
def badge_list(request, params: Query[PageParams], filters: Query[BadgeFilters]):
    """The badge catalogue: general badges, then topic experts per product and tag."""
    badges = selectors_reputation.badge_catalogue()
    if filters.tier:
        badges = badges.filter(info__tier=filters.tier)
    if filters.kind == "general":
        badges = badges.filter(info__product__isnull=True, info__tag__isnull=True)
    elif filters.kind == "product":
        badges = badges.filter(info__product__isnull=False)
    elif filters.kind == "tag":
        badges = badges.filter(info__tag__isnull=False)
    page = paginate(badges, params)
    page["results"] = [_badge_out(badge) for badge in page["results"]]
    return page


@router.get("/badges/{slug}/", response={200: BadgeOut, **READ_ERRORS})
def badge_detail(request, slug: str):
    return _badge_out(selectors_reputation.badge_get(slug=slug))


@router.get("/leaderboard/", response={200: LeaderboardOut, **READ_ERRORS})
def leaderboard(request, params: Query[LeaderboardParams]):
    """Members ranked by reputation earned in a period, overall or in one product (slug) or tag."""
    product = tag = None
    if params.product:
        product = get_object_or_404(product_list_live(), slug=params.product)
    if params.tag:
        tag = get_object_or_404(Tag, name__iexact=params.tag)
    rows = selectors_reputation.leaderboard(product=product, tag=tag, period=params.period)
    return {
        "period": params.period,
        "product": product.slug if product else None,
        "tag": tag.name if tag else None,
        "results": [
            {
                "rank": rank,
                "username": row["username"],
                "display_name": row["display_name"] or row["username"],
                "points": row["points"],
                "reputation": row["reputation"] or 1,
            }
            for rank, row in enumerate(rows, start=1)
        ],
    }
