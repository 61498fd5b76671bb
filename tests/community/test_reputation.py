"""Reputation: points for each event and their undo, the daily vote limit, the floor of 1, rebuild."""

from io import StringIO

import pytest
from django.core.management import call_command

from community import services
from community.models import ReputationBalance, ReputationEvent
from community.services_reputation import reputation_rebuild
from portal.models import Profile
from satisfaction.models import Interaction
from tests.factories import satisfaction as survey
from tests.factories.community import make_answer, make_question
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = ReputationEvent.Kind


def rep(user) -> int:
    return Profile.objects.get(user=user).reputation


def ledger(user) -> list[tuple[str, int]]:
    return list(
        ReputationEvent.objects.filter(user=user)
        .order_by("pk")
        .values_list("kind", "points")
    )


@pytest.fixture
def asker():
    return UserFactory()


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def answer(asker, author):
    return make_answer(make_question(asker), author)


def test_an_upvoted_answer_earns_its_author_ten_and_withdrawing_the_vote_takes_them_back(
    answer, author
):
    voter = UserFactory()
    services.vote_cast(user=voter, answer=answer, value=1)
    assert rep(author) == 11
    services.vote_cast(user=voter, answer=answer, value=0)
    assert rep(author) == 1
    assert ledger(author) == [(Kind.ANSWER_UPVOTED, 10), (Kind.ANSWER_UPVOTED, -10)]
    assert ReputationEvent.objects.filter(user=author, is_reversal=True).count() == 1


def test_an_upvoted_question_earns_its_asker_five(asker):
    question = make_question(asker)
    services.vote_cast(user=UserFactory(), question=question, value=1)
    assert rep(asker) == 6
    event = ReputationEvent.objects.get(user=asker)
    assert (event.kind, event.points, event.question_id, event.answer_id) == (
        Kind.QUESTION_UPVOTED,
        5,
        question.pk,
        None,
    )


def test_a_downvote_costs_two_but_the_total_never_shows_below_one(answer, author):
    services.vote_cast(user=UserFactory(), answer=answer, value=-1)
    assert rep(author) == 1
    assert ReputationBalance.objects.get(user=author).points == -2
    # The two points are owed, so the next upvote shows 1 - 2 + 10.
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    assert rep(author) == 9


def test_changing_a_vote_from_up_to_down_undoes_the_upvote_then_costs_two(
    answer, author
):
    voter = UserFactory()
    services.vote_cast(user=voter, answer=answer, value=1)
    services.vote_cast(user=voter, answer=answer, value=-1)
    assert ledger(author) == [
        (Kind.ANSWER_UPVOTED, 10),
        (Kind.ANSWER_UPVOTED, -10),
        (Kind.POST_DOWNVOTED, -2),
    ]
    services.vote_cast(user=voter, answer=answer, value=1)
    assert ReputationBalance.objects.get(user=author).points == 10
    assert rep(author) == 11


def test_accepting_gives_fifteen_to_the_answerer_and_two_to_the_asker_and_unaccepting_undoes_both(
    answer, asker, author
):
    services.answer_accept(answer=answer, by=asker)
    assert (rep(author), rep(asker)) == (16, 3)
    services.answer_unaccept(question=answer.question, by=asker)
    assert (rep(author), rep(asker)) == (1, 1)
    # Accepting again gives the points again, once.
    services.answer_accept(answer=answer, by=asker)
    services.answer_accept(answer=answer, by=asker)
    assert (rep(author), rep(asker)) == (16, 3)


def test_switching_the_accepted_answer_moves_the_fifteen_and_the_asker_keeps_one_two(
    answer, asker, author
):
    other = UserFactory()
    second = make_answer(
        answer.question, other, body="Another way: reset the router from the app."
    )
    services.answer_accept(answer=answer, by=asker)
    services.answer_accept(answer=second, by=asker)
    assert (rep(author), rep(other), rep(asker)) == (1, 16, 3)


def test_accepting_your_own_answer_earns_nothing(asker):
    question = make_question(asker)
    own = make_answer(question, asker, body="I fixed it by replacing the cable.")
    services.answer_accept(answer=own, by=asker)
    assert rep(asker) == 1
    assert ledger(asker) == []


def test_staff_accepting_for_the_asker_reward_the_answerer_only(answer, asker, author):
    staff = StaffFactory()
    services.answer_accept(answer=answer, by=staff)
    assert (rep(author), rep(asker), rep(staff)) == (16, 1, 1)


def _survey_for(answer):
    return Interaction.objects.get(source="community.answer", source_ref=str(answer.pk))


def test_a_yes_on_the_survey_for_an_accepted_answer_earns_ten_once(
    answer, asker, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, by=asker)
    interaction = _survey_for(answer)
    with django_capture_on_commit_callbacks(execute=True):
        survey.answer(interaction, satisfied=True, by=asker)
    assert rep(author) == 1 + 15 + 10
    event = ReputationEvent.objects.get(user=author, kind=Kind.ANSWER_CONFIRMED)
    assert (event.interaction_id, event.actor_id, event.answer_id) == (
        interaction.pk,
        asker.pk,
        answer.pk,
    )
    # The signal heard twice (a retried delivery, another process) changes nothing.
    from community.services_reputation import reputation_survey_confirmed

    assert (
        reputation_survey_confirmed(
            interaction_id=interaction.pk,
            source="community.answer",
            source_ref=str(answer.pk),
            satisfied=True,
            customer=asker,
        )
        == []
    )
    assert rep(author) == 26


def test_a_no_on_the_survey_earns_nothing(
    answer, asker, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, by=asker)
    with django_capture_on_commit_callbacks(execute=True):
        survey.answer(_survey_for(answer), satisfied=False, by=asker)
    assert rep(author) == 16


def test_a_yes_for_an_answer_no_longer_accepted_earns_nothing(
    answer, asker, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, by=asker)
    services.answer_unaccept(question=answer.question, by=asker)
    with django_capture_on_commit_callbacks(execute=True):
        survey.answer(_survey_for(answer), satisfied=True, by=asker)
    assert rep(author) == 1


def test_votes_earn_at_most_two_hundred_a_day_but_acceptances_are_exempt(
    settings, asker, author
):
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 200
    question = make_question(asker)
    answer = make_answer(question, author)
    voters = [UserFactory() for _ in range(21)]
    for voter in voters:
        services.vote_cast(user=voter, answer=answer, value=1)
    assert rep(author) == 201
    capped = ReputationEvent.objects.filter(user=author).order_by("pk").last()
    assert capped.points == 0 and "Daily vote limit" in capped.note
    services.answer_accept(answer=answer, by=asker)
    assert rep(author) == 216
    # Withdrawing the capped vote takes back nothing; withdrawing a full one takes back ten.
    services.vote_cast(user=voters[-1], answer=answer, value=0)
    assert rep(author) == 216
    services.vote_cast(user=voters[0], answer=answer, value=0)
    assert rep(author) == 206


def test_the_daily_limit_counts_question_and_answer_upvotes_together(
    settings, asker, author
):
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 12
    question = make_question(author)
    answer = make_answer(make_question(asker), author)
    services.vote_cast(user=UserFactory(), question=question, value=1)
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    assert rep(author) == 1 + 5 + 7


def test_hiding_an_accepted_answer_takes_back_its_votes_and_acceptance_and_restoring_gives_back_the_votes(
    answer, asker, author
):
    staff = StaffFactory()
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    services.answer_accept(answer=answer, by=asker)
    assert (rep(author), rep(asker)) == (26, 3)
    services.post_hide(post=answer, by=staff, reason="Spam link")
    assert (rep(author), rep(asker)) == (1, 1)
    services.post_restore(post=answer, by=staff, reason="The link was fine")
    assert (rep(author), rep(asker)) == (11, 1)


def test_rebuild_from_the_ledger_equals_the_live_totals(answer, asker, author):
    voters = [UserFactory() for _ in range(4)]
    for n, voter in enumerate(voters):
        services.vote_cast(user=voter, answer=answer, value=1 if n % 2 else -1)
        services.vote_cast(user=voter, question=answer.question, value=1)
    services.vote_cast(user=voters[0], answer=answer, value=0)
    services.answer_accept(answer=answer, by=asker)
    assert reputation_rebuild(fix=False) == []


def test_the_rebuild_command_reports_and_fixes_a_total_that_drifted(answer, author):
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    Profile.objects.filter(user=author).update(reputation=500)
    out = StringIO()
    call_command("community_reputation_rebuild", stdout=out)
    assert author.username in out.getvalue()
    assert "500" in out.getvalue() and "11" in out.getvalue()
    assert rep(author) == 11
    out = StringIO()
    call_command("community_reputation_rebuild", stdout=out)
    assert "No differences" in out.getvalue()


def test_the_rebuild_command_dry_run_changes_nothing_and_exits_non_zero_on_drift(
    answer, author
):
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    Profile.objects.filter(user=author).update(reputation=500)
    with pytest.raises(SystemExit) as exit_info:
        call_command("community_reputation_rebuild", "--dry-run", stdout=StringIO())
    assert exit_info.value.code == 1
    assert rep(author) == 500
