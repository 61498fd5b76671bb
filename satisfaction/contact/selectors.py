"""Reads for contact requests: the staff queue, the thread, due counts and the public figures.

Each is a bounded number of queries. The public figures (median time to first
response, share of callbacks made on time) read indexed columns: a count and
one row at the middle offset, not every request.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import ContactChannel, ContactMessage, ContactRequest, ContactStatus

FIGURE_DAYS = 90
QUEUE_VIEWS = ("open", "mine", "unclaimed", "overdue", "closed", "unconfirmed", "all")


def contact_queue(*, view: str = "open", viewer=None):
    """The staff queue, sorted by the promised time (soonest and overdue first)."""
    qs = ContactRequest.objects.select_related(
        "customer__profile", "claimed_by__profile", "product", "slot"
    )
    if view == "open":
        qs = qs.open()
    elif view == "mine":
        qs = qs.open().filter(claimed_by=viewer)
    elif view == "unclaimed":
        qs = qs.open().filter(claimed_by__isnull=True)
    elif view == "overdue":
        qs = qs.overdue()
    elif view == "closed":
        qs = qs.filter(status=ContactStatus.CLOSED).order_by("-closed_at", "-pk")
    elif view == "unconfirmed":
        qs = qs.filter(status=ContactStatus.UNCONFIRMED)
    return qs


def contact_queue_counts(*, viewer) -> dict[str, int]:
    """How many requests each queue view holds, in one query."""
    now = timezone.now()
    is_open = Q(status=ContactStatus.OPEN)
    return ContactRequest.objects.aggregate(
        open=Count("pk", filter=is_open),
        mine=Count("pk", filter=is_open & Q(claimed_by=viewer)),
        unclaimed=Count("pk", filter=is_open & Q(claimed_by__isnull=True)),
        overdue=Count(
            "pk",
            filter=is_open & Q(promised_at__lt=now, first_response_at__isnull=True),
        ),
        unconfirmed=Count("pk", filter=Q(status=ContactStatus.UNCONFIRMED)),
    )


def contact_due_soon(*, now=None, within=timedelta(hours=1)):
    """Open requests promised within the next hour that nobody has answered or called yet."""
    now = now or timezone.now()
    return ContactRequest.objects.open().filter(
        promised_at__gte=now,
        promised_at__lt=now + within,
        first_response_at__isnull=True,
    )


def contact_thread(contact: ContactRequest):
    return list(
        ContactMessage.objects.filter(request=contact).select_related("author__profile")
    )


def contact_get_for_customer(*, user, pk: int):
    return (
        ContactRequest.objects.select_related("product", "slot")
        .filter(customer=user, pk=pk)
        .first()
    )


def contact_list_for_customer(*, user):
    return (
        ContactRequest.objects.filter(customer=user)
        .select_related("product")
        .order_by("-created_at", "-pk")
    )


def _median_seconds(qs, count: int) -> int | None:
    """The median of `count` rows, read as the one or two middle rows by the index."""
    if not count:
        return None
    ordered = qs.order_by("first_response_seconds").values_list(
        "first_response_seconds", flat=True
    )
    if count % 2:
        return ordered[count // 2]
    low, high = list(ordered[count // 2 - 1 : count // 2 + 1])
    return (low + high) // 2


def contact_public_figures(*, now=None) -> list[dict]:
    """Per channel, over the last FIGURE_DAYS: median time to first response; callbacks on time.

    Counts every confirmed request with a first response, closed or not, so
    nobody can improve the figure by leaving slow requests open; a callback
    whose time has passed without a call counts as not on time. One grouped
    count, then at most one indexed read per channel: the same cost at ten
    requests as at a million.
    """
    now = now or timezone.now()
    since = now - timedelta(days=FIGURE_DAYS)
    recent = ContactRequest.objects.filter(confirmed_at__gte=since)
    answered = Q(first_response_seconds__isnull=False)
    due = Q(promised_at__lt=now)
    counts = {
        row["channel"]: row
        for row in recent.values("channel")
        .annotate(
            answered=Count("pk", filter=answered),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & Q(called_on_time=True)),
        )
        .order_by()
    }
    rows = []
    for channel, label in ContactChannel.choices:
        found = counts.get(channel, {})
        n = found.get("answered", 0)
        row = {
            "channel": channel,
            "label": str(label),
            "days": FIGURE_DAYS,
            "answered": n,
            "median_first_response_seconds": _median_seconds(
                recent.filter(answered, channel=channel), n
            ),
            "callbacks": None,
            "on_time": None,
            "on_time_percent": None,
        }
        if channel == ContactChannel.CALLBACK:
            row["callbacks"], row["on_time"] = (
                found.get("due", 0),
                found.get("on_time", 0),
            )
            if row["callbacks"]:
                row["on_time_percent"] = round(100 * row["on_time"] / row["callbacks"])
        rows.append(row)
    return rows


def duration_text(seconds: int | None) -> str:
    """ "3 h 12 min", "45 min", "under a minute"; "" for no figure."""
    if seconds is None:
        return ""
    minutes = seconds // 60
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return " ".join(p for p in parts if p)
