"""Reputation writes: one function per event that moves points, and the rebuild.

The Q&A services send signals inside their transactions (community.signals);
`signal_handlers_reputation` turns each into one call here, so ledger rows
commit or roll back with the vote, acceptance or hide that caused them.

How a write goes: lock the balances of every member the event touches (in
user-id order, so two events never wait on each other in a cycle), add ledger
rows, then move each balance with an F() expression and set each profile
total from the locked balance, in the same transaction. Undoing adds a reversal
row worth minus what the original rows of that key (member, kind, actor, post)
still give, so undo is exact even when the daily vote limit cut the original.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from portal.models import Profile
from portal.services import profile_get_or_create

from .badges import member_pages_changed
from .models import Answer, Question, ReputationBalance, ReputationEvent, Vote

Kind = ReputationEvent.Kind

# The published points table (templates/community/reputation_help.html shows it).
POINTS = {
    Kind.QUESTION_UPVOTED: 5,
    Kind.ANSWER_UPVOTED: 10,
    Kind.POST_DOWNVOTED: -2,
    Kind.ANSWER_ACCEPTED: 15,
    Kind.ACCEPTED_AN_ANSWER: 2,
    Kind.ANSWER_CONFIRMED: 10,
    Kind.EDIT_ACCEPTED: 2,
}
# Points from these count toward the daily vote limit; acceptances are exempt.
VOTE_GAIN_KINDS = (Kind.QUESTION_UPVOTED, Kind.ANSWER_UPVOTED)
SURVEY_SOURCE = "community.answer"


@dataclass(frozen=True)
class Key:
    """What one grant and its undo have in common: member, kind, actor and post.

    `question_id` is set for answer events too (leaderboards reach the product
    and tags through it); an answer event is matched by its answer.
    """

    user_id: int
    kind: str
    actor_id: int | None = None
    question_id: int | None = None
    answer_id: int | None = None

    def rows(self):
        filters = {"user_id": self.user_id, "kind": self.kind, "actor_id": self.actor_id}
        if self.answer_id is not None:
            filters["answer_id"] = self.answer_id
        else:
            filters["question_id"] = self.question_id
            filters["answer__isnull"] = True
        return ReputationEvent.objects.filter(**filters)


def _utc_day_start(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time.min, tzinfo=UTC)


class _Ledger:
    """The rows one event adds, applied together under the members' balance locks."""

    def __init__(self, user_ids, *, at=None):
        # `at` replays an event of the past at its own time (the demo's
        # history); the daily limit is then counted on that day.
        self.now = at or timezone.now()
        self.rows: list[ReputationEvent] = []
        ids = sorted({uid for uid in user_ids if uid})
        # The lock every ledger write for these members waits on (a no-op on
        # SQLite, whose IMMEDIATE transactions already serialise writers). The
        # locked balances are current until this ledger commits.
        self.balances = self._lock(ids)
        if missing := [uid for uid in ids if uid not in self.balances]:
            ReputationBalance.objects.bulk_create(
                [ReputationBalance(user_id=uid) for uid in missing], ignore_conflicts=True
            )
            self.balances.update(self._lock(missing))

    @staticmethod
    def _lock(ids) -> dict[int, int]:
        locked = ReputationBalance.objects.select_for_update().filter(user_id__in=ids)
        return dict(locked.order_by("user_id").values_list("user_id", "points"))

    def net(self, key: Key) -> int:
        pending = sum(r.points for r in self.rows if _key_of(r) == key)
        return (key.rows().aggregate(total=Sum("points"))["total"] or 0) + pending

    def add(self, key: Key, points: int, *, reversal=False, note="", interaction_id=None) -> None:
        self.rows.append(
            ReputationEvent(
                user_id=key.user_id,
                kind=key.kind,
                points=points,
                is_reversal=reversal,
                actor_id=key.actor_id,
                question_id=key.question_id,
                answer_id=key.answer_id,
                interaction_id=interaction_id,
                note=note[:200],
                created_at=self.now,
            )
        )

    def grant(self, key: Key, *, note="", capped=False, interaction_id=None) -> None:
        """Give the points of `key.kind` unless this key already gives them."""
        if self.net(key) != 0:
            return
        points = POINTS[key.kind]
        if capped:
            limit = settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT
            day = _utc_day_start(self.now)
            used = (
                ReputationEvent.objects.filter(
                    user_id=key.user_id,
                    kind__in=VOTE_GAIN_KINDS,
                    created_at__gte=day,
                    created_at__lt=day + timedelta(days=1),
                ).aggregate(total=Sum("points"))["total"]
                or 0
            ) + sum(r.points for r in self.rows if r.user_id == key.user_id and r.kind in VOTE_GAIN_KINDS)
            allowed = max(0, min(points, limit - used))
            if allowed < points:
                note = f"Daily vote limit of {limit} reached: {allowed} of {points} points."
            points = allowed
        self.add(key, points, note=note, interaction_id=interaction_id)

    def undo(self, key: Key, *, note="") -> None:
        """Take back whatever `key` still gives."""
        net = self.net(key)
        if net:
            self.add(key, -net, reversal=True, note=note)

    def commit(self, *, frequent: bool = False) -> list[ReputationEvent]:
        """Write the rows and totals; `frequent` (votes) lets the public pages that
        show the totals catch up within the page cache's coalescing window."""
        if not self.rows:
            return []
        ReputationEvent.objects.bulk_create(self.rows)
        deltas: dict[int, int] = defaultdict(int)
        for row in self.rows:
            deltas[row.user_id] += row.points
        for user_id, delta in sorted(deltas.items()):
            if delta:
                ReputationBalance.objects.filter(user_id=user_id).update(
                    points=F("points") + delta, updated_at=self.now
                )
            if user_id in self.balances:
                _profile_total_set(user_id, self.balances[user_id] + delta)
            else:  # a member this ledger did not lock
                _profile_total_refresh(user_id)
        # The member's profile, reputation and privileges show elsewhere too.
        member_pages_changed(sorted(deltas), frequent=frequent)
        return self.rows


def _key_of(row: ReputationEvent) -> Key:
    return Key(row.user_id, row.kind, row.actor_id, row.question_id, row.answer_id)


def _profile_total_set(user_id: int, points: int) -> None:
    """Set the profile's total to max(1, 1 + points), `points` being the locked balance."""
    if not Profile.objects.filter(user_id=user_id).update(reputation=max(1, 1 + points)):
        _profile_total_refresh(user_id)  # accounts made outside sign-up: no profile yet


def _profile_total_refresh(user_id: int) -> None:
    """Set the profile's total to max(1, 1 + balance), in the database, from the balance row."""
    balance = ReputationBalance.objects.filter(user_id=OuterRef("user_id")).values("points")[:1]
    updated = Profile.objects.filter(user_id=user_id).update(
        reputation=Greatest(Value(1), Value(1) + Subquery(balance))
    )
    if not updated:
        # Accounts made outside sign-up get their profile on first points.
        profile_get_or_create(user=get_user_model().objects.get(pk=user_id))
        Profile.objects.filter(user_id=user_id).update(reputation=Greatest(Value(1), Value(1) + Subquery(balance)))


def _post_keys(kind_for_post: str, *, author_id: int, actor_id: int, question_id: int, answer_id: int | None) -> Key:
    return Key(author_id, kind_for_post, actor_id, question_id, answer_id)


# --------------------------------------------------------------------------- votes


@transaction.atomic
def reputation_vote_record(
    *, voter, value: int, previous_value: int, question=None, answer=None, at=None
) -> list[ReputationEvent]:
    """Move the post author's points for a new, changed or withdrawn vote.

    An upvote gives +5 (question) or +10 (answer), within the daily vote
    limit; a downvote takes 2. Changing or withdrawing a vote first undoes
    exactly what the earlier vote gave.
    """
    post = answer if answer is not None else question
    author_id = post.author_id
    question_id = answer.question_id if answer is not None else question.pk
    answer_id = answer.pk if answer is not None else None
    up_kind = Kind.ANSWER_UPVOTED if answer is not None else Kind.QUESTION_UPVOTED

    def key(kind):
        return _post_keys(kind, author_id=author_id, actor_id=voter.pk, question_id=question_id, answer_id=answer_id)

    ledger = _Ledger([author_id], at=at)
    if previous_value == 1 and value != 1:
        ledger.undo(key(up_kind), note="Vote withdrawn" if value == 0 else "Vote changed")
    if previous_value == -1 and value != -1:
        ledger.undo(key(Kind.POST_DOWNVOTED), note="Vote withdrawn" if value == 0 else "Vote changed")
    if value == 1 and previous_value != 1:
        ledger.grant(key(up_kind), capped=True)
    if value == -1 and previous_value != -1:
        ledger.grant(key(Kind.POST_DOWNVOTED))
    return ledger.commit(frequent=True)


# --------------------------------------------------------------------------- acceptance


@transaction.atomic
def reputation_acceptance_record(*, answer, by, previous_answer=None, at=None) -> list[ReputationEvent]:
    """Give +15 to the accepted answer's author and +2 to the asker who accepted.

    Accepting your own answer earns nothing. Switching to another answer takes
    the +15 back from the earlier one; the asker keeps one +2 per question.
    Staff accepting on the asker's behalf earn nothing for it.
    """
    question = Question.objects.only("pk", "author_id").get(pk=answer.question_id)
    asker_id = question.author_id
    users = [answer.author_id, asker_id] + ([previous_answer.author_id] if previous_answer else [])
    ledger = _Ledger(users, at=at)
    if previous_answer is not None and previous_answer.pk != answer.pk:
        ledger.undo(
            Key(previous_answer.author_id, Kind.ANSWER_ACCEPTED, asker_id, question.pk, previous_answer.pk),
            note="Another answer was accepted",
        )
    accepting_key = Key(asker_id, Kind.ACCEPTED_AN_ANSWER, asker_id, question.pk, None)
    if answer.author_id != asker_id:
        ledger.grant(Key(answer.author_id, Kind.ANSWER_ACCEPTED, asker_id, question.pk, answer.pk))
        if by.pk == asker_id:
            ledger.grant(accepting_key)
    else:
        ledger.undo(accepting_key, note="The asker accepted their own answer")
    return ledger.commit()


@transaction.atomic
def reputation_acceptance_undo(*, answer, question_id: int | None = None) -> list[ReputationEvent]:
    """Take back the points of an acceptance that was withdrawn (or whose answer was hidden)."""
    question_id = question_id or answer.question_id
    asker_id = Question.objects.values_list("author_id", flat=True).get(pk=question_id)
    ledger = _Ledger([answer.author_id, asker_id])
    ledger.undo(Key(answer.author_id, Kind.ANSWER_ACCEPTED, asker_id, question_id, answer.pk), note="Acceptance withdrawn")
    ledger.undo(Key(asker_id, Kind.ACCEPTED_AN_ANSWER, asker_id, question_id, None), note="Acceptance withdrawn")
    return ledger.commit()


# --------------------------------------------------------------------------- suggested edits


@transaction.atomic
def reputation_edit_accepted(*, suggestion, by) -> list[ReputationEvent]:
    """Give +2 to the member whose suggested edit `by` approved.

    Called once per suggestion, under the suggestion's row lock, by the service
    that moves it from pending to approved (community.suggested_edits.services).
    """
    answer_id = suggestion.answer_id
    question_id = suggestion.question_id or Answer.objects.values_list("question_id", flat=True).get(pk=answer_id)
    ledger = _Ledger([suggestion.author_id])
    ledger.add(
        Key(suggestion.author_id, Kind.EDIT_ACCEPTED, by.pk, question_id, answer_id),
        POINTS[Kind.EDIT_ACCEPTED],
        note=f"Suggested edit {suggestion.pk} approved",
    )
    return ledger.commit()


# --------------------------------------------------------------------------- survey


def reputation_survey_confirmed(*, interaction_id: int, source: str, source_ref: str, satisfied: bool,
                                customer=None) -> list[ReputationEvent]:
    """Give +10 to the author of an accepted answer whose customer said Yes, it solved it.

    Called after the survey answer committed (satisfaction sends its signal
    then), in a transaction of its own; the unique constraint on the
    interaction makes a repeated signal harmless.
    """
    if not satisfied or source != SURVEY_SOURCE or not str(source_ref).isdigit():
        return []
    answer = Answer.objects.select_related("question").filter(pk=int(source_ref)).first()
    if answer is None or answer.is_hidden or answer.question.accepted_answer_id != answer.pk:
        return []
    if customer is not None and customer.pk == answer.author_id:
        return []
    try:
        with transaction.atomic():
            ledger = _Ledger([answer.author_id])
            if ReputationEvent.objects.filter(
                kind=Kind.ANSWER_CONFIRMED, interaction_id=interaction_id, is_reversal=False
            ).exists():
                return []
            ledger.add(
                Key(answer.author_id, Kind.ANSWER_CONFIRMED, getattr(customer, "pk", None), answer.question_id, answer.pk),
                POINTS[Kind.ANSWER_CONFIRMED],
                interaction_id=interaction_id,
            )
            return ledger.commit()
    except IntegrityError:
        return []


# --------------------------------------------------------------------------- moderation


@transaction.atomic
def reputation_post_hidden(*, question=None, answer=None) -> list[ReputationEvent]:
    """Take back every point a hidden post still gives (its votes, acceptance, confirmations).

    A hidden answer also loses its acceptance (community.services clears it),
    so the asker's +2 goes too when the question is left with none.
    """
    if answer is not None:
        rows = ReputationEvent.objects.filter(answer_id=answer.pk)
    else:
        rows = ReputationEvent.objects.filter(question_id=question.pk, answer__isnull=True)
    keys = {
        Key(r["user_id"], r["kind"], r["actor_id"], r["question_id"], r["answer_id"])
        for r in rows.values("user_id", "kind", "actor_id", "question_id", "answer_id")
    }
    extra = []
    if answer is not None:
        question_row = Question.objects.values("pk", "author_id", "accepted_answer_id").get(pk=answer.question_id)
        if question_row["accepted_answer_id"] is None:
            extra.append(
                Key(question_row["author_id"], Kind.ACCEPTED_AN_ANSWER, question_row["author_id"], question_row["pk"], None)
            )
    ledger = _Ledger([k.user_id for k in keys] + [k.user_id for k in extra])
    for key in sorted(keys | set(extra), key=lambda k: (k.user_id, k.kind, k.actor_id or 0)):
        ledger.undo(key, note="Post hidden by moderators")
    return ledger.commit()


@transaction.atomic
def reputation_post_restored(*, question=None, answer=None) -> list[ReputationEvent]:
    """Give back the points of the votes a restored post has now (not its old acceptance).

    Outside the daily vote limit: these votes were counted once already.
    Confirmations come back too; an acceptance does not (restoring does not re-accept).
    """
    post = answer if answer is not None else question
    post = type(post).objects.get(pk=post.pk)
    if answer is not None:
        votes = Vote.objects.filter(answer_id=post.pk)
        question_id, answer_id, up_kind = post.question_id, post.pk, Kind.ANSWER_UPVOTED
    else:
        votes = Vote.objects.filter(question_id=post.pk)
        question_id, answer_id, up_kind = post.pk, None, Kind.QUESTION_UPVOTED
    ledger = _Ledger([post.author_id])
    for voter_id, value in votes.values_list("user_id", "value").order_by("user_id"):
        kind = up_kind if value == 1 else Kind.POST_DOWNVOTED
        key = _post_keys(kind, author_id=post.author_id, actor_id=voter_id, question_id=question_id, answer_id=answer_id)
        if ledger.net(key) == 0:
            ledger.add(key, POINTS[kind], note="Post restored")
    if answer is not None:
        confirmed = (
            ReputationEvent.objects.filter(answer_id=post.pk, kind=Kind.ANSWER_CONFIRMED, is_reversal=False)
            .exclude(interaction_id=None)
            .values_list("actor_id", flat=True)
        )
        for actor_id in confirmed:
            key = Key(post.author_id, Kind.ANSWER_CONFIRMED, actor_id, post.question_id, post.pk)
            if ledger.net(key) == 0:
                ledger.add(key, POINTS[Kind.ANSWER_CONFIRMED], note="Post restored")
    return ledger.commit()


# --------------------------------------------------------------------------- rebuild


@dataclass
class Difference:
    user_id: int
    username: str
    ledger_points: int
    balance_points: int | None
    profile_total: int | None

    @property
    def expected_total(self) -> int:
        return max(1, 1 + self.ledger_points)


def reputation_rebuild(*, fix: bool = True, chunk: int = 2000) -> list[Difference]:
    """Recompute every balance and profile total from the ledger; return (and fix) differences.

    Each fix is made under the member's balance lock from a fresh sum, so a
    rebuild running beside live votes never writes a stale total.
    """
    User = get_user_model()
    differences: list[Difference] = []
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(user_ids), chunk):
        ids = user_ids[start : start + chunk]
        sums = dict(
            ReputationEvent.objects.filter(user_id__in=ids)
            .values_list("user_id")
            .annotate(total=Sum("points"))
            .values_list("user_id", "total")
        )
        balances = dict(ReputationBalance.objects.filter(user_id__in=ids).values_list("user_id", "points"))
        profiles = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "reputation"))
        names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
        for uid in ids:
            total = sums.get(uid, 0)
            balance = balances.get(uid)
            profile = profiles.get(uid)
            balance_ok = balance == total or (balance is None and total == 0)
            profile_ok = profile == max(1, 1 + total) or (profile is None and total == 0)
            if balance_ok and profile_ok:
                continue
            differences.append(Difference(uid, names.get(uid, ""), total, balance, profile))
            if fix:
                _rebuild_one(uid)
    return differences


@transaction.atomic
def _rebuild_one(user_id: int) -> None:
    _Ledger([user_id])
    total = ReputationEvent.objects.filter(user_id=user_id).aggregate(total=Sum("points"))["total"] or 0
    ReputationBalance.objects.filter(user_id=user_id).update(points=total, updated_at=timezone.now())
    _profile_total_refresh(user_id)
