"""The 429 page says which limit applies, when it lifts in words, and links back to
where the visitor came from (issues 17 and 18: "try again in 80019 seconds")."""

import datetime as dt

import pytest
import time_machine

from portal.ratelimit_page import wait_in_words
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 25, 12, 0, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.CANDOR_RATE_LIMITS_ENABLED = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _ask(client, n, **extra):
    return client.post(
        "/community/ask/",
        {
            "title": f"How do I reset router number {n} to factory settings?",
            "body": "It will not take the new firmware after the update.",
            "tags": "setup",
            "confirmed": "1",
        },
        **extra,
    )


def test_waits_are_said_in_words_not_seconds():
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    assert wait_in_words(1, now=now) == "in 1 second"
    assert wait_in_words(45, now=now) == "in 45 seconds"
    assert wait_in_words(90, now=now) == "in 2 minutes"  # rounded up, never early
    assert wait_in_words(3600, now=now) == "in 1 hour"
    assert wait_in_words(2 * 3600 + 13 * 60, now=now) == "in 2 hours 13 minutes"
    assert wait_in_words(13 * 3600, now=now) == "today at 23:00"
    assert wait_in_words(80019, now=now) == "tomorrow at 08:14"
    assert wait_in_words(3 * 86400, now=now) == "on 28 November at 10:00"


def test_a_new_members_429_names_the_limit_when_it_lifts_and_the_way_back(
    client, clock, site_tree
):
    client.force_login(UserFactory(date_joined=START))
    assert _ask(client, 1).status_code == 302
    clock.shift(15)
    came_from = "http://testserver/community/questions/?sort=unanswered"
    response = _ask(client, 2, HTTP_REFERER=came_from)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Questions: the new-member limit" in html
    assert "in 2 minutes" in html  # 75 s left in the two-minute slot
    assert "seconds" not in html
    assert 'href="/community/questions/?sort=unanswered"' in html.replace(
        "http://testserver", ""
    )


def test_the_first_day_cap_lifts_at_a_time_of_day(client, clock, site_tree):
    client.force_login(UserFactory(date_joined=START - dt.timedelta(hours=1)))
    for n in range(3):
        assert _ask(client, n).status_code == 302
        clock.shift(121)
    response = _ask(client, 4, HTTP_REFERER="https://elsewhere.example/phish")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Questions: the new-member limit" in html
    # Their first day ends 24 hours after they joined at 11:00:30.
    assert "tomorrow at 11:01" in html  # 11:00:30, never promised early
    assert "elsewhere.example" not in html  # the way back stays on this site
    assert "Back to the home page" in html


def test_a_search_429_links_back_to_the_search(client, clock, settings, site_tree):
    limits = {**settings.CANDOR_RATE_LIMITS, "search": {"ip": ["2/s"]}}
    settings.CANDOR_RATE_LIMITS = limits
    for n in range(2):
        assert client.get(f"/search/?q=router{n}").status_code == 200
    response = client.get("/search/?q=modem", HTTP_REFERER="/search/?q=router")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Searches" in html and "in 1 second" in html
    assert 'href="/search/?q=router"' in html


def test_a_search_429_without_a_referer_keeps_the_search(
    client, clock, settings, site_tree
):
    """Typed or bookmarked (no Referer): the way back is the search itself, not home."""
    limits = {**settings.CANDOR_RATE_LIMITS, "search": {"ip": ["2/s"]}}
    settings.CANDOR_RATE_LIMITS = limits
    for n in range(2):
        assert client.get(f"/search/?q=router{n}").status_code == 200
    response = client.get("/search/?q=modem&type=article")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'href="/search/?q=modem&amp;type=article"' in html
    assert "Try this page again when the limit lifts" in html


def test_the_apis_429_names_the_limit_in_words_too(client, clock, site_tree):
    from portal.services import api_token_create

    _token, key = api_token_create(user=UserFactory(), name="tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    payload = {"title": "How do I reset router one?", "body": "b" * 30}
    url = "/api/v1/community/questions/"
    first = client.post(url, payload, content_type="application/json", **auth)
    assert first.status_code == 201
    payload["title"] = "How do I reset router two?"
    response = client.post(url, payload, content_type="application/json", **auth)
    assert response.status_code == 429
    message = response.json()["error"]["message"]
    assert "(Questions)" in message and "in 15 seconds" in message
