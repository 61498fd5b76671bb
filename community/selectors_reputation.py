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
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag

from portal.selectors import product_list_live

from .models import Answer, BadgeInfo, Question, QuestionTag, ReputationEvent, Vote

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
