"""Numbers people read carry thousands separators, and a profile leads with its badges (issue 19)."""

import pytest
from django.core.cache import cache

from community import services
from portal.models import Profile
from tests.factories.community import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper_with_13515(customer, other_customer, product):
    question = make_question(customer, product=product)
    answer = make_answer(question, other_customer)
    services.answer_accept(answer=answer, by=customer)  # earns points: on the leaderboard
    Profile.objects.filter(user=other_customer).update(reputation=13515)
    cache.clear()  # the leaderboard and profile fragments are cached
    return question, other_customer


def test_13515_reputation_reads_13_515_on_profile_leaderboard_and_answer_card(
    client, helper_with_13515
):
    question, helper = helper_with_13515
    profile = client.get(f"/people/{helper.username}/").content.decode()
    assert '<p class="reputation"><strong>13,515</strong> reputation</p>' in profile
    board = client.get("/community/leaderboard/?period=all").content.decode()
    assert "<td>13,515</td>" in board and "13515" not in board
    page = client.get(question.get_absolute_url()).content.decode()
    assert '<span class="visually-hidden">reputation </span>13,515</span>' in page
    assert "13515" not in page


def test_the_api_keeps_reputation_a_number(client, helper_with_13515):
    question, helper = helper_with_13515
    body = client.get(f"/api/v1/community/questions/{question.pk}/").content.decode()
    assert "13,515" not in body


def test_profile_badges_come_right_after_the_header_before_activity(
    client, helper_with_13515
):
    _, helper = helper_with_13515
    html = client.get(f"/people/{helper.username}/").content.decode()
    header_end = html.index("</header>", html.index('class="profile-card"'))
    badges = html.index('id="member-badges"')
    assert header_end < badges
    for activity in ('id="member-reputation"', 'id="member-questions"', 'id="member-answers"'):
        assert badges < html.index(activity), activity
