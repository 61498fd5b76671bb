"""Reputation and badge reads: topic scores, profiles, leaderboards, awards, progress.

Each function costs a fixed number of queries whatever the data size (lists
are limited or paginated by the caller); heavy aggregates (leaderboards) are
cached for a short time, like the other public figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from badgify.models import Award, Badge
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from .models import Answer, ReputationBalance, ReputationEvent, Vote

TIER_ORDER = {"bronze": 0, "silver": 1, "gold": 2}
LEADERBOARD_PERIODS = {"week": 7, "month": 30, "all": None}
LEADERBOARD_SIZE = 50
LEADERBOARD_CACHE_SECONDS = 60
HISTORY_DAYS = 365


# --------------------------------------------------------------------------- topic scores


def _confirmed_answers():
    return ReputationEvent.objects.filter(
        answer_id=OuterRef("pk"), kind=ReputationEvent.Kind.ANSWER_CONFIRMED, is_reversal=False
    )


def topic_stats(*, product_id: int | None = None, tag_id: int | None = None, user_ids=None, group_by: str = ""):
    """Per author (and per topic when `group_by` is "product" or "tag"): answers and topic score.

    Topic score = the answers' votes + a bonus per accepted answer (not
    self-accepted) + a bonus per answer a customer confirmed solved their
    problem; the bonuses are settings. Returns a values() QuerySet with
    author_id, answers, votes, accepted, confirmed and score (and `topic_id`
    when grouped), so callers can filter on the thresholds in the database.
    """
    answers = Answer.objects.visible()
    if product_id is not None:
        answers = answers.filter(question__product_id=product_id)
    if tag_id is not None:
        answers = answers.filter(question__tagged_items__tag_id=tag_id)
    if user_ids is not None:
        answers = answers.filter(author_id__in=list(user_ids))
    fields = ["author_id"]
    if group_by == "product":
        answers = answers.filter(question__product__isnull=False).annotate(topic_id=F("question__product_id"))
        fields.append("topic_id")
    elif group_by == "tag":
        answers = answers.annotate(topic_id=F("question__tagged_items__tag_id")).filter(topic_id__isnull=False)
        fields.append("topic_id")
    accepted = Q(accepted_for__isnull=False) & ~Q(question__author_id=F("author_id"))
    confirmed = Q(Exists(_confirmed_answers()))
    return (
        answers.values(*fields)
        .annotate(
            answers=Count("pk"),
            votes=Coalesce(Sum("score"), 0),
            accepted=Count("pk", filter=accepted),
            confirmed=Count("pk", filter=confirmed),
        )
        .annotate(
            score=F("votes")
            + Value(settings.CANDOR_EXPERT_ACCEPTED_BONUS) * F("accepted")
            + Value(settings.CANDOR_EXPERT_CONFIRMED_BONUS) * F("confirmed")
        )
        .order_by()
    )


# --------------------------------------------------------------------------- a member's reputation


def reputation_history(*, user, days: int = HISTORY_DAYS, now=None) -> list[tuple]:
    """(day, points that day, running total) for the days with events in the last `days`.

    The running total starts from everything earned before the window, so the
    chart ends at the member's current total (floored at 1, like the total).
    """
    now = now or timezone.now()
    since = now - timedelta(days=days)
    events = ReputationEvent.objects.filter(user=user)
    rows = list(
        events.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(points=Sum("points"))
        .order_by("day")
        .values_list("day", "points")
    )
    before = sum(p for _d, p in rows)
    # The running balance is kept with every ledger row: no sum over the whole ledger.
    balance = ReputationBalance.objects.filter(user=user).values_list("points", flat=True).first()
    total = (balance or 0) - before
    # The day before the first change starts the line, so even one day of changes draws one.
    history = [(rows[0][0] - timedelta(days=1), 0, max(1, 1 + total))] if rows else []
    for day, points in rows:
        total += points
        history.append((day, points, max(1, 1 + total)))
    return history


def reputation_event_list_for(*, user):
    """The member's ledger, newest first, with the posts it points at (paginate it)."""
    return (
        ReputationEvent.objects.filter(user=user)
        .select_related("question", "answer__question")
        .order_by("-created_at", "-pk")
    )


def award_summary_for(*, user) -> dict:
    """Every badge slug the member holds and how many per tier (one narrow query)."""
    rows = list(Award.objects.filter(user=user).values_list("badge__slug", "badge__info__tier"))
    tiers = {"gold": 0, "silver": 0, "bronze": 0}
    for _slug, tier in rows:
        if tier in tiers:
            tiers[tier] += 1
    return {"slugs": {slug for slug, _tier in rows}, "tiers": tiers, "total": len(rows)}


def award_list_for(*, user):
    """The member's awards with their badge and its tier, gold first, then newest."""
    return (
        Award.objects.filter(user=user)
        .select_related("badge__info")
        .annotate(tier_rank=_tier_rank("badge__info__tier"))
        .order_by("tier_rank", "-awarded_at", "-pk")
    )


def _tier_rank(field: str):
    """Gold first: 0 gold, 1 silver, 2 bronze."""
    return Case(When(**{field: "gold"}, then=0), When(**{field: "silver"}, then=1), default=2)


def award_get_public(*, pk: int):
    """One award for its public verification page, or 404 (suspended members' too: 404)."""
    award = (
        Award.objects.select_related("user__profile", "badge__info__product", "badge__info__tag")
        .filter(pk=pk, user__is_active=True)
        .first()
    )
    if award is None or not hasattr(award.badge, "info"):
        raise Http404
    return award


def award_withdrawal_get(*, award_id: int):
    """The withdrawal of a (deleted) award, for its old verification address, or None."""
    from .models import AwardWithdrawal

    return (
        AwardWithdrawal.objects.select_related("badge__info", "user")
        .filter(award_id=award_id, user__is_active=True)
        .first()
    )


def member_topic_scores(*, user, limit: int = 10) -> dict:
    """The member's answers and topic score per product and per tag, best first (two queries)."""
    products = list(
        topic_stats(user_ids=[user.pk], group_by="product")
        .annotate(title=F("question__product__title"), slug=F("question__product__slug"))
        .order_by("-score", "-answers")[:limit]
    )
    tags = list(
        topic_stats(user_ids=[user.pk], group_by="tag")
        .annotate(title=F("question__tagged_items__tag__name"))
        .order_by("-score", "-answers")[:limit]
    )
    return {"products": products, "tags": tags}


def member_answer_figures(*, user) -> dict:
    """Counts the profile and badge progress need, from one aggregate over the member's answers."""
    answers = Answer.objects.visible().filter(author=user)
    confirmed = Q(Exists(_confirmed_answers()))
    figures = answers.aggregate(
        answers=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_for__isnull=False) & ~Q(question__author_id=F("author_id"))),
        confirmed=Count("pk", filter=confirmed),
        best_score=Max("score"),
    )
    figures["upvotes_cast"] = Vote.objects.filter(user=user, value=1).count()
    return figures


def member_top_answers(*, user, limit: int = 5):
    return (
        Answer.objects.visible()
        .filter(author=user)
        .select_related("question")
        .order_by("-score", "-created_at")[:limit]
    )


@dataclass
class Progress:
    title: str
    url: str
    tier: str
    parts: list  # (label, have, need)

    @property
    def share(self) -> float:
        """How far along, 0..1: the weakest part decides."""
        return min(min(have / need, 1.0) for _label, have, need in self.parts) if self.parts else 0.0

    @property
    def text(self) -> str:
        return " and ".join(f"{have}/{need} {label}" for label, have, need in self.parts) + f" toward {self.title}"


def badge_progress(*, user, topic_scores: dict, figures: dict, awarded_slugs: set, limit: int = 6) -> list[Progress]:
    """How far the member is from their next badges: the next tier of each topic and ladder.

    No query of its own: it reads the figures the profile already loaded.
    """
    from django.urls import reverse

    from .badges import badge_title
    from .badgify_recipes import GENERAL_RECIPES, TOPIC_PREFIX

    items: list[Progress] = []
    tiers = ("bronze", "silver", "gold")
    for kind, rows in (("product", topic_scores["products"]), ("tag", topic_scores["tags"])):
        for row in rows:
            for tier in tiers:
                slug = f"{TOPIC_PREFIX}{kind}-{row['topic_id']}-{tier}"
                if slug in awarded_slugs:
                    continue
                need_score, need_answers = settings.CANDOR_EXPERT_THRESHOLDS[tier]
                items.append(
                    Progress(
                        title=badge_title(tier=tier, name=f"Expert in {row['title']}"),
                        url=reverse("community:badge_detail", kwargs={"slug": slug}),
                        tier=tier,
                        parts=[("score", max(0, row["score"]), need_score), ("answers", row["answers"], need_answers)],
                    )
                )
                break
    ladders = {"solver": ("accepted answers", figures["accepted"]), "voter": ("upvotes cast", figures["upvotes_cast"]),
               "confirmed": ("confirmed answers", figures["confirmed"])}
    for family, (label, have) in ladders.items():
        for recipe in sorted((r for r in GENERAL_RECIPES if r.family == family), key=lambda r: r.threshold):
            if recipe.slug in awarded_slugs:
                continue
            items.append(
                Progress(
                    title=badge_title(tier=recipe.tier, name=recipe.name),
                    url=reverse("community:badge_detail", kwargs={"slug": recipe.slug}),
                    tier=recipe.tier,
                    parts=[(label, have, recipe.threshold)],
                )
            )
            break
    items.sort(key=lambda p: -p.share)
    return items[:limit]


# --------------------------------------------------------------------------- catalogue


def badge_catalogue():
    """Every badge with its info, in catalogue order (general ladders, then products, then tags)."""
    return (
        Badge.objects.filter(info__isnull=False)
        .select_related("info__product", "info__tag")
        .order_by("info__sort_order", "name", "info__tier")
    )


def badge_get(*, slug: str):
    badge = Badge.objects.select_related("info__product", "info__tag").filter(slug=slug, info__isnull=False).first()
    if badge is None:
        raise Http404
    return badge


def badge_recent_awards(*, badge):
    return (
        Award.objects.filter(badge=badge, user__is_active=True)
        .select_related("user__profile")
        .order_by("-awarded_at", "-pk")
    )


# --------------------------------------------------------------------------- leaderboards


def leaderboard(*, product=None, tag=None, period: str = "all", now=None, size: int = LEADERBOARD_SIZE) -> list[dict]:
    """Members ranked by reputation earned on posts in one product or tag (or overall) in a period.

    One aggregate over the ledger, cached for a minute: the same list for
    every visitor, and the cost does not grow with the number of readers.
    """
    days = LEADERBOARD_PERIODS.get(period, None)
    key = f"community:leaderboard:{getattr(product, 'pk', '')}:{getattr(tag, 'pk', '')}:{period}:{size}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    events = ReputationEvent.objects.filter(user__is_active=True)
    if days is not None:
        events = events.filter(created_at__gte=(now or timezone.now()) - timedelta(days=days))
    if product is not None:
        events = events.filter(question__product_id=product.pk)
    if tag is not None:
        events = events.filter(question__tagged_items__tag_id=tag.pk)
    rows = list(
        events.values("user_id")
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .annotate(
            username=F("user__username"),
            display_name=F("user__profile__display_name"),
            reputation=F("user__profile__reputation"),
        )
        .order_by("-points", "user_id")[:size]
    )
    cache.set(key, rows, LEADERBOARD_CACHE_SECONDS)
    return rows


def badge_list_one_per_tier() -> list:
    """The first badge (catalogue order) of each tier, bronze to gold, with its info: the styleguide's medals."""
    chosen = {}
    for badge in Badge.objects.filter(info__isnull=False).select_related("info").order_by("info__sort_order", "slug"):
        chosen.setdefault(badge.info.tier, badge)
    return [chosen[tier] for tier in ("bronze", "silver", "gold") if tier in chosen]
