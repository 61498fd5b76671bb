"""Reputation and awards under concurrency: real threads, each with its own connection.

The same tests run on PostgreSQL and on SQLite (where IMMEDIATE transactions on
a file database queue writers; see portal/settings/test.py).
"""

import pytest
from badgify.models import Award, Badge
from django.core.management import call_command

from community import services
from community.badges import badges_evaluate_user
from community.models import Answer, AwardNotice, ReputationEvent
from community.services_reputation import reputation_rebuild
from portal.models import Profile
from tests.concurrency import errors_of, race
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _errors_in_race(jobs) -> list[BaseException]:
    return errors_of(race(jobs))


def test_thirty_concurrent_upvoters_give_the_author_exactly_their_points_and_the_rebuild_agrees(
    settings,
):
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 10_000
    author = UserFactory()
    answer = make_answer(make_question(), author)
    voters = [UserFactory() for _ in range(30)]
    values = [1 if n % 5 else -1 for n in range(30)]

    def vote(user, value):
        return lambda: services.vote_cast(
            user=user, answer=Answer.objects.get(pk=answer.pk), value=value
        )

    assert _errors_in_race([vote(u, v) for u, v in zip(voters, values, strict=True)]) == []
    ups, downs = values.count(1), values.count(-1)
    assert Profile.objects.get(user=author).reputation == 1 + 10 * ups - 2 * downs
    assert reputation_rebuild(fix=False) == []


def test_the_daily_limit_holds_when_many_votes_arrive_at_once(settings):
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 200
    author = UserFactory()
    answer = make_answer(make_question(), author)
    voters = [UserFactory() for _ in range(30)]
    jobs = [
        lambda u=u: services.vote_cast(
            user=u, answer=Answer.objects.get(pk=answer.pk), value=1
        )
        for u in voters
    ]
    assert _errors_in_race(jobs) == []
    assert Profile.objects.get(user=author).reputation == 201
    assert ReputationEvent.objects.filter(user=author).count() == 30


def test_a_toggle_storm_leaves_the_total_equal_to_the_ledger(settings):
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 10_000
    author, voter = UserFactory(), UserFactory()
    answer = make_answer(make_question(), author)
    values = [1, -1, 0] * 8

    jobs = [
        lambda v=v: services.vote_cast(
            user=voter, answer=Answer.objects.get(pk=answer.pk), value=v
        )
        for v in values
    ]
    assert _errors_in_race(jobs) == []
    answer.refresh_from_db()
    final = answer.votes.values_list("value", flat=True).first() or 0
    expected = {1: 11, -1: 1, 0: 1}[final]
    assert Profile.objects.get(user=author).reputation == expected
    assert reputation_rebuild(fix=False) == []


def test_the_event_task_and_badgify_sync_running_at_once_never_award_twice(settings):
    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (1, 1),
        "silver": (2, 1),
        "gold": (3, 1),
    }
    members = []
    for _ in range(6):
        member = UserFactory()
        answer = make_answer(make_question(tags=["wifi"]), member)
        for _ in range(3):
            services.vote_cast(user=UserFactory(), answer=answer, value=1)
        members.append(member)
    Award.objects.all().delete()
    AwardNotice.objects.all().delete()
    Badge.objects.update(users_count=0)
    jobs = [lambda m=m: badges_evaluate_user(user_id=m.pk) for m in members]
    jobs += [lambda: call_command("badgify_sync", "awards") for _ in range(3)]
    assert _errors_in_race(jobs) == []
    pairs = list(Award.objects.values_list("user_id", "badge_id"))
    assert len(pairs) == len(set(pairs))
    for member in members:
        assert {
            "first-answer",
            f"expert-tag-{Badge.objects.get(info__tier='gold', info__tag__name='wifi').info.tag_id}-gold",
        } <= set(
            Award.objects.filter(user=member).values_list("badge__slug", flat=True)
        )
    assert AwardNotice.objects.count() == Award.objects.count()
    for badge in Badge.objects.all():
        assert badge.users_count == badge.awards.count(), badge.slug


def test_withdrawals_racing_the_event_task_and_badgify_sync_stay_withdrawn():
    from community.badges import badge_award_withdraw
    from tests.factories.users import StaffFactory

    staff = StaffFactory()
    members = []
    for _ in range(6):
        member = UserFactory()
        make_answer(make_question(), member)
        members.append(member)
    call_command("badgify_sync", "awards")
    awards = list(Award.objects.filter(user__in=members, badge__slug="first-answer").values_list("pk", flat=True))
    assert len(awards) == 6
    jobs = [lambda a=a: badge_award_withdraw(award_id=a, by=staff, reason="Voting ring", tell_member=False) for a in awards]
    jobs += [lambda m=m: badges_evaluate_user(user_id=m.pk) for m in members]
    jobs += [lambda: call_command("badgify_sync", "awards") for _ in range(2)]
    jobs += [lambda a=awards[0]: badge_award_withdraw(award_id=a, by=staff, reason="Voting ring")]
    assert _errors_in_race(jobs) == []
    assert not Award.objects.filter(user__in=members, badge__slug="first-answer").exists()
    call_command("badgify_sync", "awards")
    assert not Award.objects.filter(user__in=members, badge__slug="first-answer").exists()
    badge = Badge.objects.get(slug="first-answer")
    assert badge.users_count == badge.awards.count()
