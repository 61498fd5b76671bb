"""The callback times staff publish: weekly hours cut into slots, minus holidays.

Hours are local times in ``CANDOR_CONTACT_TIME_ZONE`` (so "9:00" stays 9:00
across daylight saving); every slot is handed around as an aware UTC datetime,
which is what the form posts back and what `CallbackSlot` stores. Listing the
open slots costs three queries whatever the number of bookings.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import CallbackHours, CallbackSlot, ContactHoliday


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    capacity: int
    booked: int = 0

    @property
    def left(self) -> int:
        return max(self.capacity - self.booked, 0)


def company_zone() -> ZoneInfo:
    return ZoneInfo(settings.CANDOR_CONTACT_TIME_ZONE)


def _local_days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _day_slots(day: date, hours: list[CallbackHours], zone: ZoneInfo) -> list[Slot]:
    step = timedelta(minutes=settings.CANDOR_CONTACT_SLOT_MINUTES)
    slots = []
    for window in hours:
        if window.weekday != day.weekday():
            continue
        start = datetime.combine(day, window.opens, tzinfo=zone)
        end = datetime.combine(day, window.closes, tzinfo=zone)
        while start + step <= end:
            slots.append(
                Slot(starts_at=start.astimezone(UTC), capacity=window.capacity)
            )
            start += step
    return slots


def slots_published(*, start: datetime, end: datetime) -> list[Slot]:
    """Every published slot starting in [start, end), without bookings (two queries)."""
    zone = company_zone()
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    holidays = set(
        ContactHoliday.objects.filter(day__gte=first, day__lte=last).values_list(
            "day", flat=True
        )
    )
    hours = list(CallbackHours.objects.filter(capacity__gt=0))
    slots: dict[datetime, Slot] = {}
    for day in _local_days(first, last):
        if day in holidays:
            continue
        for slot in _day_slots(day, hours, zone):
            if start <= slot.starts_at < end:
                # Overlapping windows add up their capacity.
                known = slots.get(slot.starts_at)
                capacity = slot.capacity + (known.capacity if known else 0)
                slots[slot.starts_at] = Slot(slot.starts_at, capacity)
    return [slots[key] for key in sorted(slots)]


def bookable_range(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return (
        now + timedelta(minutes=settings.CANDOR_CONTACT_LEAD_MINUTES),
        now + timedelta(days=settings.CANDOR_CONTACT_DAYS),
    )


def slots_open(*, now: datetime | None = None) -> list[Slot]:
    """Bookable slots from the lead time to `CANDOR_CONTACT_DAYS` ahead, with what is left."""
    start, end = bookable_range(now)
    slots = slots_published(start=start, end=end)
    if not slots:
        return []
    booked = dict(
        CallbackSlot.objects.filter(
            starts_at__gte=start, starts_at__lt=end
        ).values_list("starts_at", "booked")
    )
    return [
        Slot(s.starts_at, s.capacity, booked.get(s.starts_at, 0))
        for s in slots
        if booked.get(s.starts_at, 0) < s.capacity
    ]


def slot_capacity(starts_at: datetime, *, now: datetime | None = None) -> int | None:
    """The capacity of the published, bookable slot starting at `starts_at`, or None."""
    start, end = bookable_range(now)
    if not (start <= starts_at < end):
        return None
    day_start = starts_at - timedelta(days=1)
    for slot in slots_published(
        start=max(start, day_start), end=min(end, starts_at + timedelta(days=1))
    ):
        if slot.starts_at == starts_at:
            return slot.capacity
    return None


def parse_slot(value: str) -> datetime | None:
    """The form's and the API's slot value: an ISO 8601 UTC time, e.g. 2026-12-04T09:30:00Z."""
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        return None
    return moment.astimezone(UTC)


def slot_value(starts_at: datetime) -> str:
    return starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
