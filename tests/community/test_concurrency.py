"""Concurrent requests leave exact counts: real threads, each with its own connection.

50 threads race on PostgreSQL and on SQLite alike (there, IMMEDIATE transactions
on a file database make writers queue for the lock; see portal/settings/test.py).
"""

import pytest

from community import services
from community.models import Answer, MeToo, Question, Vote
from tests.concurrency import errors_of, race
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _errors_in_race(jobs) -> list[BaseException]:
    return errors_of(race(jobs))


def _thread_count() -> int:
    return 50


def test_fifty_concurrent_voters_leave_an_exact_score_on_one_answer():
    asker, author = UserFactory(), UserFactory()
    answer = make_answer(make_question(asker), author)
    count = _thread_count()
    voters = [UserFactory() for _ in range(count)]
    values = [1 if n % 3 else -1 for n in range(count)]

    def vote(user, value):
        return lambda: services.vote_cast(
            user=user, answer=Answer.objects.get(pk=answer.pk), value=value
        )

    errors = _errors_in_race(
        [vote(user, value) for user, value in zip(voters, values, strict=True)]
    )

    assert errors == []
    answer.refresh_from_db()
    assert answer.score == sum(values)
    assert Vote.objects.filter(answer=answer).count() == count
    assert answer.score == sum(
        Vote.objects.filter(answer=answer).values_list("value", flat=True)
    )


def test_one_member_voting_many_times_at_once_leaves_one_vote():
    asker = UserFactory()
    question = make_question(asker)
    voter = UserFactory()
    count = min(_thread_count(), 10)

    def vote():
        services.vote_cast(
            user=voter, question=Question.objects.get(pk=question.pk), value=1
        )

    errors = _errors_in_race([vote for _ in range(count)])

    assert errors == []
    question.refresh_from_db()
    assert question.score == 1
    assert Vote.objects.filter(question=question).count() == 1


def test_concurrent_vote_changes_keep_the_score_equal_to_the_votes():
    asker, author = UserFactory(), UserFactory()
    answer = make_answer(make_question(asker), author)
    count = _thread_count()
    voters = [UserFactory() for _ in range(count)]
    for user in voters:
        services.vote_cast(user=user, answer=answer, value=1)

    def flip(user, value):
        return lambda: services.vote_cast(
            user=user, answer=Answer.objects.get(pk=answer.pk), value=value
        )

    # Half change their mind, a quarter withdraw, the rest vote up again (no change).
    plan = [(-1 if n % 2 else (0 if n % 4 == 0 else 1)) for n in range(count)]
    errors = _errors_in_race(
        [flip(user, value) for user, value in zip(voters, plan, strict=True)]
    )

    assert errors == []
    answer.refresh_from_db()
    assert answer.score == sum(plan)
    assert answer.score == sum(
        Vote.objects.filter(answer=answer).values_list("value", flat=True)
    )


def test_concurrent_me_toos_count_each_person_once():
    question = make_question(UserFactory())
    count = _thread_count()
    people = [UserFactory() for _ in range(count)]

    def me_too(user):
        return lambda: services.me_too_add(
            question=Question.objects.get(pk=question.pk), user=user
        )

    # Everyone clicks, and the first half clicks twice.
    jobs = [me_too(user) for user in people] + [
        me_too(user) for user in people[: count // 2]
    ]
    errors = _errors_in_race(jobs)

    assert errors == []
    question.refresh_from_db()
    assert (
        question.me_too_count
        == count
        == MeToo.objects.filter(question=question).count()
    )


def test_a_double_submitted_answer_is_saved_once():
    question = make_question(UserFactory())
    author = UserFactory()
    outcomes = []

    def answer():
        try:
            services.answer_post(
                question=Question.objects.get(pk=question.pk),
                author=author,
                body="Restart the hub, then pair again.",
            )
            outcomes.append("saved")
        except Exception as error:  # noqa: BLE001 - the loser must get a clear ValidationError
            outcomes.append(type(error).__name__)

    errors = _errors_in_race([answer for _ in range(min(_thread_count(), 6))])

    assert errors == []
    assert outcomes.count("saved") == 1
    assert set(outcomes) == {"saved", "ValidationError"}
    question.refresh_from_db()
    assert (
        question.answer_count == 1 == Answer.objects.filter(question=question).count()
    )
