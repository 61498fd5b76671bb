"""The meter's ledger: the daily SHA-256 hash chain and the tally rebuild.

Chain. Each closed day's answers, as canonical lines sorted by random id, are
hashed together with the previous day's digest:

    line    = "<id>,<day>,<invited_day>,<product_id or empty>,<channel>,<yes|no>\\n"
    digest  = sha256(previous_digest + "\\n" + all lines of the day).hexdigest()

The first day's previous digest is 64 zeros. Exclusions are not part of the
lines: they may come later, are published beside the answers, and never
change an answer. Whoever kept a copy of the chain can recompute it from the
raw data at any later time and prove that no past answer was altered.
"""

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from .models import (
    DailyTally,
    DayDigest,
    Exclusion,
    InvitationTally,
    SurveyInvitation,
    SurveyResponse,
)

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# A day is sealed only this long after it ends, so an answer committing at midnight is in.
SEAL_GRACE = timedelta(minutes=10)
SEALED_CACHE_KEY = "satisfaction:chain:sealed-through"
SEALING_LOCK_KEY = "satisfaction:chain:sealing"


def canonical_line(public_id: str, day: date, invited_day: date, product_pk, channel: str, satisfied: bool) -> str:
    return f"{public_id},{day.isoformat()},{invited_day.isoformat()},{product_pk or ''},{channel},{'yes' if satisfied else 'no'}\n"


def day_digest(previous: str, lines: Iterable[str]) -> str:
    hasher = hashlib.sha256()
    hasher.update(previous.encode("ascii") + b"\n")
    for line in sorted(lines):
        hasher.update(line.encode("utf-8"))
    return hasher.hexdigest()


def last_closed_day() -> date:
    return (timezone.now() - SEAL_GRACE).astimezone(UTC).date() - timedelta(days=1)


def _day_lines(day: date) -> list[str]:
    rows = SurveyResponse.objects.filter(day=day).values_list(
        "public_id", "day", "invited_day", "product_pk", "channel", "satisfied"
    )
    return [canonical_line(*row) for row in rows.iterator(chunk_size=5000)]


def chain_seal(*, through: date | None = None) -> list[DayDigest]:
    """Seal every closed day not sealed yet, in order, up to `through` (default: yesterday).

    Days without answers are sealed too (with zero answers), so the chain has
    no gaps. Racing sealers are harmless: the unique day key keeps the first.
    """
    through = min(through or last_closed_day(), last_closed_day())
    last = DayDigest.objects.order_by("-day").first()
    if last is None:
        first_day = SurveyResponse.objects.aggregate(first=Min("day"))["first"]
        if first_day is None:
            return []
        day, previous = first_day, GENESIS
    else:
        day, previous = last.day + timedelta(days=1), last.digest
    sealed = []
    while day <= through:
        lines = _day_lines(day)
        digest = DayDigest(day=day, answers=len(lines), previous=previous, digest=day_digest(previous, lines))
        try:
            with transaction.atomic():
                digest.save(force_insert=True)
        except IntegrityError:
            return sealed  # another process sealed it first; it will carry on
        sealed.append(digest)
        previous = digest.digest
        day += timedelta(days=1)
    cache.set(SEALED_CACHE_KEY, through.isoformat(), 3600)
    return sealed


def chain_seal_if_due() -> None:
    """Cheap check after each answer: seal only when a day closed since the last seal.

    One process seals at a time (a cache lock); the others carry on at once.
    """
    due = last_closed_day()
    if cache.get(SEALED_CACHE_KEY) == due.isoformat() or not cache.add(SEALING_LOCK_KEY, 1, 600):
        return
    try:
        chain_seal(through=due)
    finally:
        cache.delete(SEALING_LOCK_KEY)


def chain_entries() -> list[dict]:
    return [
        {"day": d.day.isoformat(), "answers": d.answers, "previous": d.previous, "digest": d.digest}
        for d in DayDigest.objects.order_by("day")
    ]


def chain_verify_rows(entries: list[dict], lines_by_day: dict[str, list[str]]) -> list[str]:
    """Check a chain against answer lines grouped by day; return the problems found.

    Pure: used both on the live database and on a downloaded copy of the data.
    """
    problems = []
    previous = GENESIS
    expected_day = None
    for entry in entries:
        day = entry["day"]
        if expected_day is not None and day != expected_day:
            problems.append(f"{day}: the chain skips from {expected_day}")
        if entry["previous"] != previous:
            problems.append(f"{day}: its previous digest does not match the day before")
        lines = lines_by_day.get(day, [])
        if len(lines) != int(entry["answers"]):
            problems.append(f"{day}: {len(lines)} answers now, {entry['answers']} when sealed")
        if day_digest(entry["previous"], lines) != entry["digest"]:
            problems.append(f"{day}: the answers of this day changed after it was sealed")
        previous = entry["digest"]
        expected_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    return problems


def chain_verify() -> tuple[int, list[str]]:
    """Recompute every sealed day from the answers in the database."""
    entries = chain_entries()
    if not entries:
        return 0, []
    lines_by_day: dict[str, list[str]] = {}
    rows = SurveyResponse.objects.filter(day__lte=entries[-1]["day"]).values_list(
        "public_id", "day", "invited_day", "product_pk", "channel", "satisfied"
    )
    for row in rows.iterator(chunk_size=5000):
        lines_by_day.setdefault(row[1].isoformat(), []).append(canonical_line(*row))
    problems = chain_verify_rows(entries, lines_by_day)
    stray = sorted(day for day in lines_by_day if day < entries[0]["day"])
    if stray:
        problems.append(f"{stray[0]}: answers exist before the first sealed day")
    return len(entries), problems


def _lock_tallies() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {DailyTally._meta.db_table}, {InvitationTally._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
            )


@transaction.atomic
def tallies_rebuild(*, fix: bool = True) -> list[str]:
    """Recompute every tally from the raw answers and invitations; report (and fix) differences.

    Runs in one transaction with the tally tables locked against writers, so
    answers arriving meanwhile wait and are counted once.
    """
    _lock_tallies()
    differences = []

    excluded = Exclusion.objects.values("response_id")
    expected = Counter()
    counted = (
        SurveyResponse.objects.exclude(pk__in=excluded)
        .values_list("day", "product_pk", "channel", "satisfied")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, product_pk, channel, satisfied, n in counted:
        expected[(day, product_pk or 0, channel, satisfied)] += n
    stored = {(t.day, t.product_pk, t.channel, t.satisfied): t for t in DailyTally.objects.all()}
    create, update = [], []
    for key in sorted(set(expected) | set(stored), key=str):
        want = expected.get(key, 0)
        have = stored[key].count if key in stored else 0
        if want == have:
            continue
        day, product_pk, channel, satisfied = key
        differences.append(
            f"tally {day} product={product_pk or '-'} {channel} {'yes' if satisfied else 'no'}: stored {have}, answers say {want}"
        )
        if key in stored:
            stored[key].count = want
            update.append(stored[key])
        else:
            create.append(DailyTally(day=day, product_pk=product_pk, channel=channel, satisfied=satisfied, count=want))
    if fix:
        DailyTally.objects.bulk_create(create, batch_size=1000)
        DailyTally.objects.bulk_update(update, ["count"], batch_size=1000)

    sent = dict(SurveyInvitation.objects.values_list("day").annotate(n=Count("pk")).order_by())
    answered = dict(SurveyResponse.objects.values_list("invited_day").annotate(n=Count("pk")).order_by())
    stored_invitations = {t.day: t for t in InvitationTally.objects.all()}
    create, update = [], []
    for day in sorted(set(sent) | set(answered) | set(stored_invitations)):
        want = (sent.get(day, 0), answered.get(day, 0))
        row = stored_invitations.get(day)
        have = (row.sent, row.answered) if row else (0, 0)
        if want == have:
            continue
        differences.append(
            f"invitations {day}: stored {have[0]} sent / {have[1]} answered, records say {want[0]} / {want[1]}"
        )
        if row:
            row.sent, row.answered = want
            update.append(row)
        else:
            create.append(InvitationTally(day=day, sent=want[0], answered=want[1]))
    if fix:
        InvitationTally.objects.bulk_create(create, batch_size=1000)
        InvitationTally.objects.bulk_update(update, ["sent", "answered"], batch_size=1000)
    if fix and differences:
        from . import live

        transaction.on_commit(live.meter_changed)
    return differences
