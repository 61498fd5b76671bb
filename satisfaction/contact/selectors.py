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


def _median_seconds(qs) -> tuple[int, int | None]:
    """(how many, their median): a count, then the one or two middle rows by the index."""
    count = qs.count()
    if not count:
        return 0, None
    ordered = qs.order_by("first_response_seconds").values_list(
        "first_response_seconds", flat=True
    )
    if count % 2:
        return count, ordered[count // 2]
    low, high = list(ordered[count // 2 - 1 : count // 2 + 1])
    return count, (low + high) // 2


def contact_public_figures(*, now=None) -> list[dict]:
    """Per channel, over the last FIGURE_DAYS: median time to first response; callbacks on time.

    Counts every confirmed request with a first response, closed or not, so
    nobody can improve the figure by leaving slow requests open.
    """
    now = now or timezone.now()
    since = now - timedelta(days=FIGURE_DAYS)
    rows = []
    for channel, label in ContactChannel.choices:
        answered = ContactRequest.objects.filter(
            channel=channel,
            confirmed_at__gte=since,
            first_response_seconds__isnull=False,
        )
        row = {
            "channel": channel,
            "label": str(label),
            "days": FIGURE_DAYS,
            "answered": 0,
            "median_first_response_seconds": None,
            "callbacks": None,
            "on_time": None,
            "on_time_percent": None,
        }
        row["answered"], row["median_first_response_seconds"] = _median_seconds(
            answered
        )
        if channel == ContactChannel.CALLBACK:
            due = ContactRequest.objects.filter(
                channel=channel, confirmed_at__gte=since, promised_at__lt=now
            ).exclude(status=ContactStatus.UNCONFIRMED)
            counts = due.aggregate(
                n=Count("pk"), on_time=Count("pk", filter=Q(called_on_time=True))
            )
            row["callbacks"] = counts["n"]
            row["on_time"] = counts["on_time"]
            row["on_time_percent"] = (
                round(100 * counts["on_time"] / counts["n"]) if counts["n"] else None
            )
        rows.append(row)
    return rows
