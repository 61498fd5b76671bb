"""Rate limits: `limit` requests pass, the next gets 429 with Retry-After, and the
window passing lets requests through again. Time is frozen and moved, never slept."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from wagtail.models import APIToken

from portal import ratelimit
from portal.models import ArticleFeedback
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 25, 12, 0, 30, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def login(client, username="nobody", password="wrong-password", **extra):
    return client.post(
        "/account/login/", {"username": username, "password": password}, **extra
    )


def assert_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_rates_are_written_as_count_per_period():
    assert ratelimit.Rate.parse("6/m") == ratelimit.Rate(6, 60)
    assert ratelimit.Rate.parse("50/10s") == ratelimit.Rate(50, 10)
    assert ratelimit.Rate.parse("3/d") == ratelimit.Rate(3, 86400)
    with pytest.raises(ValueError):
        ratelimit.Rate.parse("often")


def test_log_in_allows_six_a_minute_per_address_then_429_until_the_minute_passes(
    client, clock, site_tree
):
    for _ in range(6):
        assert login(client).status_code == 400  # the form, with its error
    response = login(client)
    assert_limited(response)
    assert "too often" in response.content.decode()
    assert int(response["Retry-After"]) == 30  # the window ends at 12:01:00
    clock.shift(31)
    assert login(client).status_code == 400


def test_a_spoofed_forwarded_for_header_does_not_change_the_key(
    client, clock, site_tree
):
    for n in range(6):
        login(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert_limited(login(client, HTTP_X_FORWARDED_FOR="10.9.9.9"))


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_key(
    client, clock, site_tree, settings
):
    settings.CANDOR_TRUSTED_PROXIES = 1
    for _ in range(6):
        login(client, HTTP_X_FORWARDED_FOR="spoof, 10.0.0.1")
    assert_limited(login(client, HTTP_X_FORWARDED_FOR="10.0.0.1"))
    assert login(client, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 400


def test_ten_failed_log_ins_lock_the_account_for_an_hour_whatever_the_address(
    client, clock, customer, password, site_tree
):
    for n in range(10):
        login(client, "ana", REMOTE_ADDR=f"10.1.0.{n}")
    # Even the right password is refused now: a 302 would tell a guesser it was right.
    assert_limited(login(client, "ana", password, REMOTE_ADDR="10.2.0.1"))
    clock.shift(3600)
    assert login(client, "ana", password, REMOTE_ADDR="10.2.0.2").status_code == 302


def test_three_accounts_a_day_from_one_address(client, clock, site_tree):
    def sign_up(n):
        return Client().post(
            "/account/signup/",
            {
                "display_name": f"New member {n}",
                "email": f"new{n}@example.com",
                "password": "a-long-enough-passphrase",
            },
        )

    for n in range(3):
        assert sign_up(n).status_code == 302
    assert_limited(sign_up(3))
    clock.shift(86400)
    assert sign_up(4).status_code == 302


def test_password_reset_mails_an_account_three_times_an_hour(
    client, clock, customer, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/account/password-reset/",
                {"email": customer.email},
                REMOTE_ADDR=f"10.3.0.{n}",
            )
        assert response.status_code == 302
    assert_limited(
        client.post(
            "/account/password-reset/",
            {"email": customer.email},
            REMOTE_ADDR="10.4.0.1",
        )
    )
    assert len(mailoutbox) == 3


def test_article_feedback_is_limited_per_address_and_staff_are_exempt(
    clock, article, staff_client
):
    url = article.url + "helpful/"
    visitor = Client()
    for _ in range(20):
        assert visitor.post(url, {"helpful": "yes"}).status_code == 302
    assert_limited(visitor.post(url, {"helpful": "no"}))
    assert (
        ArticleFeedback.objects.get().helpful is True
    )  # the refused vote changed nothing
    for _ in range(25):
        assert staff_client.post(url, {"helpful": "yes"}).status_code == 302


def test_the_api_answers_429_as_json_with_retry_after(client, clock, settings, article):
    settings.CANDOR_RATE_LIMITS = {"api": {"ip": ["3/m"], "user": ["5/m"]}}
    settings.CANDOR_PAGE_CACHE_SECONDS = 0
    for _ in range(3):
        assert client.get("/api/v1/articles/").status_code == 200
    response = client.get("/api/v1/articles/")
    assert_limited(response)
    body = response.json()["error"]
    assert body["code"] == "rate_limited" and body["status"] == 429
    assert "Try again in" in body["message"]
    clock.shift(60)
    assert client.get("/api/v1/articles/").status_code == 200


def test_api_token_holders_are_counted_per_account_not_per_address(
    client, clock, settings, customer
):
    settings.CANDOR_RATE_LIMITS = {"api": {"ip": ["1/m"], "user": ["5/m"]}}
    settings.CANDOR_PAGE_CACHE_SECONDS = (
        0  # cached answers cost nothing and are not counted
    )
    _token, key = APIToken.create_token(user=customer, name="sync")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for n in range(5):
        assert (
            client.get("/api/v1/me/", REMOTE_ADDR=f"10.5.0.{n}", **auth).status_code
            == 200
        )
    assert_limited(client.get("/api/v1/me/", **auth))
    other = UserFactory()
    _token, other_key = APIToken.create_token(user=other, name="sync")
    assert (
        client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code
        == 200
    )


def test_short_windows_fail_open_when_redis_is_down(client, site_tree, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 5},
        }
    }
    for _ in range(10):
        assert login(client).status_code == 400


def test_daily_caps_count_database_rows_and_free_up_as_rows_age(clock, article):
    rows = ArticleFeedback.objects.filter(article=article)

    def answer():
        ratelimit.daily_cap(rows, 2, action="feedback")
        ArticleFeedback.objects.create(
            article=article, user=UserFactory(), helpful=True
        )

    answer()
    clock.shift(3600)
    answer()
    with pytest.raises(ratelimit.RateLimited) as raised:
        answer()
    # The first row leaves the 24-hour window 23 hours from now.
    assert raised.value.retry_after == 23 * 3600
    assert rows.count() == 2
    clock.shift(23 * 3600)
    answer()
    assert rows.count() == 3


def test_a_429_page_is_never_cached(client, clock, site_tree):
    for _ in range(7):
        response = login(client)
    assert response.status_code == 429
    assert response.get("X-Page-Cache") is None
