"""Reads for the meter, the survey pages and the raw data.

The public figures come from the per-day tallies only, so the number and cost
of queries is the same at ten answers as at a million. The formulas here are
the ones the method page publishes; tests recompute them from the raw data.
"""

import hashlib
import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from .models import (
    Channel,
    DailyTally,
    Exclusion,
    ExclusionRule,
    FollowUp,
    Interaction,
    InvitationTally,
    NotSurveyed,
    SurveyInvitation,
    SurveyResponse,
)

WINDOWS = (30, 90)
TREND_WEEKS = 26
LAST_N = 100
Z_95 = 1.96
SNAPSHOT_CACHE_KEY = "satisfaction:snapshot:v1"


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def percent_one_decimal(part: int, whole: int) -> float:
    """100 × part ÷ whole, rounded half up to one decimal, computed exactly."""
    value = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def percent_whole(part: int, whole: int) -> int:
    """100 × part ÷ whole, rounded half up to a whole number, in integers."""
    return (200 * part + whole) // (2 * whole)


def wilson_interval(yes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for yes/n, in percent, each bound rounded to one decimal."""
    p = yes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)


def figure(yes: int, n: int) -> dict:
    """One published figure: n, yes, and (from the minimum n on) %, and its 95 % interval."""
    enough = n >= settings.CANDOR_SATISFACTION_MIN_ANSWERS
    result = {"n": n, "satisfied": yes, "enough": enough, "percent": None, "percent_whole": None, "low": None, "high": None}
    if enough:
        low, high = wilson_interval(yes, n)
        result.update(percent=percent_one_decimal(yes, n), percent_whole=percent_whole(yes, n), low=low, high=high)
    return result


def response_rate(answered: int, sent: int) -> dict:
    return {
        "invitations": sent,
        "answered": answered,
        "percent": percent_one_decimal(answered, sent) if sent else None,
        "percent_whole": percent_whole(answered, sent) if sent else None,
    }


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def meter_snapshot(*, today: date | None = None) -> dict:
    """Return every figure the public meter shows, as plain JSON-ready data.

    Six queries whatever the number of answers: the last 100 counted answers,
    two over the day tallies, one over invitation tallies, product names and
    exclusion counts.
    """
    today = today or utc_today()
    first_week = _week_start(today) - timedelta(weeks=TREND_WEEKS - 1)
    window_starts = {days: today - timedelta(days=days - 1) for days in WINDOWS}
    oldest = min(first_week, *window_starts.values())

    # NOT EXISTS lets the database walk the answered_at index backwards and stop
    # after 100 rows (a LEFT JOIN here made PostgreSQL scan in parallel: 100× slower).
    last = list(
        SurveyResponse.objects.filter(~Exists(Exclusion.objects.filter(response=OuterRef("pk"))))
        .order_by("-answered_at", "-id")
        .values_list("satisfied", flat=True)[:LAST_N]
    )

    per_day = (
        DailyTally.objects.filter(day__gte=oldest, day__lte=today)
        .values("day", "satisfied")
        .annotate(total=Sum("count"))
    )
    day_counts: dict[date, list[int]] = {}
    for row in per_day:
        counts = day_counts.setdefault(row["day"], [0, 0])  # [no, yes]
        counts[1 if row["satisfied"] else 0] += row["total"]

    windows = []
    invitation_rows = list(
        InvitationTally.objects.filter(day__gte=min(window_starts.values()), day__lte=today).values_list(
            "day", "sent", "answered"
        )
    )
    for days in WINDOWS:
        start = window_starts[days]
        yes = sum(c[1] for d, c in day_counts.items() if d >= start)
        n = yes + sum(c[0] for d, c in day_counts.items() if d >= start)
        sent = sum(s for d, s, _a in invitation_rows if d >= start)
        answered = sum(a for d, _s, a in invitation_rows if d >= start)
        windows.append(
            {
                "days": days,
                "from": start.isoformat(),
                "to": today.isoformat(),
                **figure(yes, n),
                "response_rate": response_rate(answered, sent),
            }
        )

    weekly = []
    for index in range(TREND_WEEKS):
        start = first_week + timedelta(weeks=index)
        end = start + timedelta(days=6)
        yes = sum(c[1] for d, c in day_counts.items() if start <= d <= end)
        n = yes + sum(c[0] for d, c in day_counts.items() if start <= d <= end)
        weekly.append({"week_start": start.isoformat(), "week_end": min(end, today).isoformat(), **figure(yes, n)})

    short = window_starts[WINDOWS[0]]
    breakdown_rows = (
        DailyTally.objects.filter(day__gte=window_starts[WINDOWS[-1]], day__lte=today)
        .values("product_pk", "channel", "satisfied")
        .annotate(long=Sum("count"), short=Sum("count", filter=Q(day__gte=short)))
    )
    by_product: dict[int, dict] = {}
    by_channel: dict[str, dict] = {}
    for row in breakdown_rows:
        for bucket in (
            by_product.setdefault(row["product_pk"], {"short": [0, 0], "long": [0, 0]}),
            by_channel.setdefault(row["channel"], {"short": [0, 0], "long": [0, 0]}),
        ):
            index = 1 if row["satisfied"] else 0
            bucket["long"][index] += row["long"] or 0
            bucket["short"][index] += row["short"] or 0

    names = dict(
        Page.objects.filter(pk__in=[pk for pk in by_product if pk]).values_list("pk", "title")
    )

    def windows_of(bucket):
        return {
            str(WINDOWS[0]): figure(bucket["short"][1], sum(bucket["short"])),
            str(WINDOWS[-1]): figure(bucket["long"][1], sum(bucket["long"])),
        }

    products = [
        {
            "product_id": pk or None,
            "name": names.get(pk, "No product" if not pk else f"Removed product #{pk}"),
            "windows": windows_of(bucket),
        }
        for pk, bucket in by_product.items()
    ]
    products.sort(key=lambda p: (p["product_id"] is None, p["name"].lower()))
    channel_labels = dict(Channel.choices)
    channels = [
        {"channel": key, "name": channel_labels.get(key, key), "windows": windows_of(bucket)}
        for key, bucket in sorted(by_channel.items(), key=lambda item: list(channel_labels).index(item[0]) if item[0] in channel_labels else 99)
    ]

    excluded = dict(Exclusion.objects.values("rule").annotate(n=Count("pk")).values_list("rule", "n"))
    snapshot = {
        "generated_at": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "min_answers": settings.CANDOR_SATISFACTION_MIN_ANSWERS,
        "last": {"n": len(last), "satisfied": sum(1 for s in last if s), "answers": last},
        "windows": windows,
        "by_product": products,
        "by_channel": channels,
        "weekly": weekly,
        "excluded": {
            "total": sum(excluded.values()),
            "by_rule": [{"rule": rule, "label": label, "count": excluded.get(rule, 0)} for rule, label in ExclusionRule.choices],
        },
    }
    # A fingerprint of the figures: rendered fragments are cached under it.
    figures = {key: value for key, value in snapshot.items() if key != "generated_at"}
    snapshot["version"] = hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()[:16]
    return snapshot


def meter_snapshot_cached() -> dict:
    """The snapshot, recomputed at most every few seconds and right after each answer."""
    snapshot = cache.get(SNAPSHOT_CACHE_KEY)
    if snapshot is None or snapshot.get("today") != utc_today().isoformat():
        snapshot = meter_snapshot()
        # `add`, not `set`: a reader that began before an answer committed must
        # not store its older figures over the refresh's (satisfaction.live).
        cache.add(SNAPSHOT_CACHE_KEY, snapshot, settings.CANDOR_SATISFACTION_SNAPSHOT_SECONDS)
    return snapshot


def meter_text(snapshot: dict) -> str:
    last = snapshot["last"]
    if not last["n"]:
        return "No customer has answered yet."
    return f"{last['satisfied']} of the last {last['n']} customers were satisfied"


def invitation_list_waiting(*, user, limit: int = 20):
    """Return `user`'s unanswered, unexpired survey invitations, newest first."""
    return (
        SurveyInvitation.objects.filter(
            interaction__customer=user, interaction__response__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("interaction", "interaction__product")
        .order_by("-sent_at")[:limit]
    )


def invitation_get_for_customer(*, user, interaction_id: int):
    return (
        SurveyInvitation.objects.select_related("interaction", "interaction__product", "interaction__handled_by")
        .filter(interaction_id=interaction_id, interaction__customer=user)
        .first()
    )


def response_get_for_interaction(interaction_id: int):
    return SurveyResponse.objects.filter(interaction_id=interaction_id).first()


def follow_up_list(*, status: str = ""):
    follow_ups = FollowUp.objects.select_related(
        "response",
        "response__interaction",
        "response__interaction__customer",
        "response__interaction__product",
        "response__interaction__handled_by__profile",
        "updated_by__profile",
    ).order_by("-created_at", "-pk")
    if status:
        follow_ups = follow_ups.filter(status=status)
    return follow_ups


def follow_up_counts() -> dict[str, int]:
    return dict(FollowUp.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))


def response_list_for_admin(*, public_id: str = ""):
    responses = SurveyResponse.objects.select_related(
        "interaction", "interaction__product", "exclusion", "exclusion__excluded_by"
    ).order_by("-answered_at", "-pk")
    if public_id:
        responses = responses.filter(public_id=public_id.strip().lower())
    return responses


def raw_answer_rows():
    """Every answer, counted and excluded, as anonymous rows in the order they were given.

    Only (random id, day, invitation day, product, channel, yes/no, exclusion
    rule): no names, emails, comments or times of day. The order lets anyone
    recompute "the last 100 answers".
    """
    return SurveyResponse.objects.order_by("answered_at", "id").values_list(
        "public_id", "day", "invited_day", "product_pk", "channel", "satisfied", "exclusion__rule"
    )


def raw_answer_count() -> int:
    """How many answers exist, from the tallies (counted) plus exclusions: no table scan."""
    counted = DailyTally.objects.aggregate(n=Sum("count"))["n"] or 0
    return counted + Exclusion.objects.count()


def invitation_rows():
    return InvitationTally.objects.order_by("day").values_list("day", "sent")


def product_names() -> dict[int, str]:
    from portal.models import ProductPage

    return dict(ProductPage.objects.values_list("pk", "slug"))


def not_surveyed_counts() -> list[dict]:
    counts = dict(
        Interaction.objects.exclude(not_surveyed="").values("not_surveyed").annotate(n=Count("pk")).values_list("not_surveyed", "n")
    )
    return [{"reason": key, "label": label, "count": counts.get(key, 0)} for key, label in NotSurveyed.choices]


def snapshot_day(value: str) -> date:
    return datetime.strptime(value, "%Y-%m-%d").date()
