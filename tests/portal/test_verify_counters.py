"""`manage.py portal_verify_counters`: every stored counter against a recount of its rows.

The fault and load runs rely on it to prove no write was lost, so it must see
drift in each kind of counter, change nothing without --fix, and fix exactly
what drifted with it.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from community import services as community
from community.models import Answer, Question
from portal.models import Profile
from reviews.models import ProductRatingSummary
from satisfaction.models import DailyTally
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_product, make_site_tree
from tests.factories.reviews import write_review
from tests.factories.satisfaction import answer, record
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def verify(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("portal_verify_counters", *args, stdout=out)
    except CommandError as error:
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def world():
    _home, products, _kb = make_site_tree()
    product = make_product(products, "Hub")
    asker, helper, voter = UserFactory(), UserFactory(), UserFactory()
    question = make_question(asker, product=product)
    reply = make_answer(question, helper)
    community.vote_cast(user=voter, question=question, value=1)
    community.vote_cast(user=voter, answer=reply, value=1)
    community.me_too_add(question=question, user=voter)
    write_review(product, rating=5)
    write_review(product, rating=2)
    answer(record(), satisfied=True)
    answer(record(), satisfied=False)
    return {"question": question, "answer": reply, "product": product, "helper": helper}


def test_counters_kept_by_the_services_equal_a_recount(world):
    code, out = verify()
    assert code == 0, out
    for name in (
        "post scores and counts",
        "reputation",
        "rating summaries",
        "meter tallies",
    ):
        assert f"{name}: exact" in out


def test_drift_in_every_kind_of_counter_is_reported_and_only_fixed_with_fix(world):
    question, reply = world["question"], world["answer"]
    Question.objects.filter(pk=question.pk).update(
        score=F("score") + 5, me_too_count=0, answer_count=3
    )
    Answer.objects.filter(pk=reply.pk).update(score=-2)
    Profile.objects.filter(user=world["helper"]).update(reputation=999)
    ProductRatingSummary.objects.filter(product=world["product"]).update(
        stars_5=F("stars_5") + 1,
        review_count=F("review_count") + 1,
        rating_sum=F("rating_sum") + 5,
    )
    DailyTally.objects.filter(satisfied=True).update(count=F("count") + 10)

    code, out = verify()
    assert code == 1
    assert f"question {question.pk} score: stored 6, rows say 1" in out
    assert f"question {question.pk} me_too_count: stored 0, rows say 1" in out
    assert f"question {question.pk} answer_count: stored 3, rows say 1" in out
    assert f"answer {reply.pk} score: stored -2, rows say 1" in out
    assert "reputation: " in out and "profile 999" in out
    assert f"rating summaries: product {world['product'].pk}: stars_5 2 → 1" in out
    assert "meter tallies: tally" in out and "stored 11, answers say 1" in out
    assert "7 counter(s) drifted" in out
    # A check writes nothing.
    assert Question.objects.get(pk=question.pk).score == 6
    assert verify()[0] == 1

    code, out = verify("--fix")
    assert code == 0 and "Fixed 7 drifted counter(s)." in out
    question.refresh_from_db()
    assert (question.score, question.me_too_count, question.answer_count) == (1, 1, 1)
    assert Answer.objects.get(pk=reply.pk).score == 1
    code, out = verify()
    assert code == 0 and "No drift: every counter equals a recount." in out


def test_a_hidden_answer_stops_counting_and_the_recount_agrees(world):
    community.post_hide(post=world["answer"], by=StaffFactory(), reason="spam")
    assert Question.objects.get(pk=world["question"].pk).answer_count == 0
    code, out = verify()
    assert code == 0, out
