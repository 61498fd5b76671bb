"""The ask limit counts saved questions only: the "Before you post" step that shows
similar questions saves nothing and uses up nothing (issue 17)."""

import pytest
from django.utils import timezone

from community.models import Question
from tests.factories.community import make_question
from tests.factories.users import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.CANDOR_RATE_LIMITS_ENABLED = True


def test_a_new_member_can_post_anyway_after_the_before_you_post_step(client, site_tree):
    # given a new member (one question per 2 minutes) and a similar question
    newcomer = UserFactory(date_joined=timezone.now())
    make_question(UserFactory(), title="Set up Router X guest network")
    client.login(username=newcomer.username, password=PASSWORD)
    data = {
        "title": "How do I set up Router X?",
        "body": "I just unboxed it and the light is blue.",
        "tags": "setup",
    }
    # when the form shows the similar questions first, then "Post my question anyway"
    confirm = client.post("/community/ask/", data)
    assert confirm.status_code == 200
    assert "Post my question anyway" in confirm.content.decode()
    posted = client.post("/community/ask/", {**data, "confirmed": "1"})
    # then the question is saved, and only it counts: a second one waits
    assert posted.status_code == 302, posted.content.decode()[:500]
    assert Question.objects.filter(author=newcomer).count() == 1
    again = client.post(
        "/community/ask/",
        {**data, "title": "Router X blinks red all night", "confirmed": "1"},
    )
    assert again.status_code == 429
    assert Question.objects.filter(author=newcomer).count() == 1
