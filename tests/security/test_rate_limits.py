"""Rate limits: `limit` requests pass, the next gets 429 with Retry-After, and the
window passing lets requests through again. Time is frozen and moved, never slept."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from wagtail.models import APIToken

from portal import ratelimit
from portal.models import ArticleFeedback
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 25, 12, 0, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _limits_on(settings):
    """The test settings turn limits off; here they are on, as in production."""
    settings.CANDOR_RATE_LIMITS_ENABLED = True


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


# ------------------------------------------------------------------ the apps' writes


def ask(client, n=1, **extra):
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


def test_asking_is_limited_per_member_and_frees_up_when_the_window_passes(
    customer_client, clock, site_tree
):
    from community.models import Question

    assert ask(customer_client, 1).status_code == 302
    response = ask(customer_client, 2)
    assert_limited(response)
    assert "too often" in response.content.decode()
    assert int(response["Retry-After"]) == 15
    assert Question.objects.count() == 1  # the refused question was not saved
    clock.shift(15)
    assert ask(customer_client, 3).status_code == 302


def test_a_new_member_waits_two_minutes_between_questions(client, clock, site_tree):
    client.force_login(UserFactory(date_joined=START))
    assert ask(client, 1).status_code == 302
    clock.shift(15)  # enough for an established member
    response = ask(client, 2)
    assert_limited(response)
    # Windows are fixed two-minute slots: it lifts when the current one ends.
    slot_left = 120 - (START.timestamp() + 15) % 120
    assert int(response["Retry-After"]) == slot_left
    clock.shift(slot_left)
    assert ask(client, 3).status_code == 302


def test_a_new_member_asks_three_questions_on_their_first_day(client, clock, site_tree):
    from community.models import Question

    client.force_login(UserFactory(date_joined=START - dt.timedelta(hours=1)))
    for n in range(3):
        assert ask(client, n).status_code == 302
        clock.shift(121)  # past the new member's two-minute window
    response = ask(client, 4)
    assert_limited(response)
    assert "first day new members can do this 3 times" in response.content.decode()
    # It lifts when their first day is over, 23 hours after START.
    first_day_left = dt.timedelta(hours=23) - dt.timedelta(seconds=3 * 121)
    assert int(response["Retry-After"]) == first_day_left.total_seconds()
    assert Question.objects.count() == 3
    clock.shift(first_day_left.total_seconds())
    assert ask(client, 5).status_code == 302  # now an established member: 20 a day
    assert Question.objects.count() == 4


def test_a_form_sent_back_with_errors_does_not_use_up_the_window(
    customer_client, clock, site_tree
):
    assert customer_client.post("/community/ask/", {"title": ""}).status_code == 400
    assert ask(customer_client).status_code == 302


def test_staff_are_exempt_from_the_apps_limits(staff_client, clock, site_tree):
    for n in range(3):
        assert ask(staff_client, n).status_code == 302


def test_the_api_counts_against_the_same_action_and_answers_json(
    client, customer, clock, site_tree
):
    """A question asked on the site and one through the API share the ask window."""
    from community.models import Question

    _token, key = APIToken.create_token(user=customer, name="sync")
    client.force_login(customer)
    assert ask(client).status_code == 302
    response = client.post(
        "/api/v1/community/questions/",
        {"title": "Why does the hub lose its pairing overnight?", "body": "It drops off the network every night at about two."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert_limited(response)
    assert response.json()["error"]["code"] == "rate_limited"
    assert Question.objects.count() == 1
    clock.shift(15)
    response = client.post(
        "/api/v1/community/questions/",
        {"title": "Why does the hub lose its pairing overnight?", "body": "It drops off the network every night at about two."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201


def test_through_the_api_a_new_members_first_day_cap_says_why(client, clock, site_tree):
    member = UserFactory(date_joined=START)
    _token, key = APIToken.create_token(user=member, name="sync")
    statuses = []
    for n in range(4):
        response = client.post(
            "/api/v1/community/questions/",
            {
                "title": f"Why does hub number {n} lose its pairing overnight?",
                "body": "It drops off the network every night at about two.",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        statuses.append(response.status_code)
        clock.shift(121)
    assert statuses == [201, 201, 201, 429]
    message = response.json()["error"]["message"]
    assert "first day new members can do this 3 times" in message


def test_the_daily_vote_cap_counts_rows_of_both_apps_and_holds_without_the_cache(
    customer_client, customer, clock, settings, product
):
    """40 votes a day (here 3): community votes and review helpful votes together,
    counted from the rows, so it holds even when the short windows are gone."""
    from community.models import Vote
    from reviews.models import ReviewVote
    from tests.factories.community import make_answer, make_question
    from tests.factories.reviews import write_review

    settings.CANDOR_DAILY_CAPS = {**settings.CANDOR_DAILY_CAPS, "vote": 3}
    settings.CANDOR_RATE_LIMITS = {}  # no short windows: only the cap is left
    answers = [make_answer(make_question()) for _ in range(3)]
    reviews = [write_review(product) for _ in range(2)]
    assert customer_client.post(
        f"/community/answer/{answers[0].pk}/vote/", {"value": "up"}
    ).status_code == 302
    assert customer_client.post(
        f"/community/answer/{answers[1].pk}/vote/", {"value": "up"}
    ).status_code == 302
    assert customer_client.post(
        f"/reviews/{reviews[0].pk}/helpful/", {"helpful": "yes"}
    ).status_code == 302
    clock.shift(3600)
    assert_limited(
        customer_client.post(f"/community/answer/{answers[2].pk}/vote/", {"value": "up"})
    )
    # The enhancing script asks for JSON and gets the same refusal as JSON.
    response = customer_client.post(
        f"/reviews/{reviews[1].pk}/helpful/",
        {"helpful": "yes"},
        HTTP_ACCEPT="application/json",
    )
    assert_limited(response)
    assert response.json()["error"]["code"] == "rate_limited"
    # The first vote leaves the 24-hour window 23 hours from now.
    assert int(response["Retry-After"]) == 23 * 3600
    _token, key = APIToken.create_token(user=customer, name="sync")
    assert_limited(
        customer_client.post(
            f"/api/v1/community/answers/{answers[2].pk}/vote/",
            {"value": 1},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    )
    assert Vote.objects.filter(user=customer).count() == 2
    assert ReviewVote.objects.filter(voter=customer).count() == 1
    clock.shift(23 * 3600)
    assert customer_client.post(
        f"/community/answer/{answers[2].pk}/vote/", {"value": "up"}
    ).status_code == 302


def test_flags_and_review_reports_share_the_daily_flag_cap(
    client, other_customer, clock, settings, product
):
    from community.models import Flag
    from tests.factories.community import make_question
    from tests.factories.reviews import write_review

    settings.CANDOR_DAILY_CAPS = {**settings.CANDOR_DAILY_CAPS, "flag": 1}
    client.force_login(other_customer)
    question = make_question()
    review = write_review(product)
    response = client.post(f"/community/question/{question.pk}/flag/", {"reason": "spam"})
    assert response.status_code == 302
    assert Flag.objects.count() == 1
    clock.shift(10)
    response = client.post(f"/reviews/{review.pk}/report/", {"reason": "spam"})
    assert_limited(response)
    assert not review.reports.exists()


def test_reviews_are_capped_per_day(client, other_customer, clock, settings, site_tree):
    from reviews.models import Review
    from tests.factories.portal import make_product

    settings.CANDOR_DAILY_CAPS = {**settings.CANDOR_DAILY_CAPS, "review": 1}
    one = make_product(site_tree["products"], "Hub One")
    two = make_product(site_tree["products"], "Hub Two")
    client.force_login(other_customer)
    form = {"rating": "4", "title": "Solid", "body": "Pairs quickly, stays up."}
    assert client.post(f"/reviews/write/{one.pk}/", form).status_code == 302
    clock.shift(120)
    capped = client.post(f"/reviews/write/{two.pk}/", form)
    assert_limited(capped)
    assert Review.objects.filter(author=other_customer).count() == 1
    # Issue 18: the wait in words ("tomorrow at 00:00", "in 3 hours"), never seconds.
    html = capped.content.decode()
    assert re.search(r"tomorrow at \d\d:\d\d|today at \d\d:\d\d|in \d+ hours?", html)
    assert "seconds" not in html


def test_a_second_review_of_a_product_hears_already_reviewed_not_slow_down(
    client, other_customer, clock, site_tree
):
    """Issue 18: the one-review rule is checked before the one-a-minute limit."""
    from portal.services import api_token_create
    from reviews.models import Review
    from tests.factories.portal import make_product

    product = make_product(site_tree["products"], "Hub One")
    client.force_login(other_customer)
    form = {"rating": "4", "title": "Solid", "body": "Pairs quickly, stays up."}
    assert client.post(f"/reviews/write/{product.pk}/", form).status_code == 302
    again = client.post(f"/reviews/write/{product.pk}/", form, follow=True)
    assert again.status_code == 200
    html = again.content.decode()
    assert "You have already reviewed Hub One" in html and "slow down" not in html
    _token, key = api_token_create(user=other_customer, name="tests")
    api = client.post(
        f"/api/v1/reviews/products/{product.slug}/",
        {"rating": 3, "title": "Again", "body": "Twice?"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 422
    assert "already reviewed" in api.json()["error"]["message"]
    assert Review.objects.filter(author=other_customer).count() == 1
    # A review of another product within the minute is still limited.
    other = make_product(site_tree["products"], "Hub Two")
    assert_limited(client.post(f"/reviews/write/{other.pk}/", form))


def test_one_survey_link_takes_ten_attempts_an_hour(client, clock, customer):
    from satisfaction.models import SurveyResponse
    from satisfaction.tokens import survey_token_make
    from tests.factories.satisfaction import record

    interaction = record(customer_email="someone@example.com")
    url = f"/satisfaction/survey/{survey_token_make(interaction.invitation)}/"
    for n in range(10):
        response = client.post(url, {"answer": "maybe"}, REMOTE_ADDR=f"10.6.0.{n}")
        assert response.status_code == 400
    assert_limited(client.post(url, {"answer": "yes"}, REMOTE_ADDR="10.7.0.1"))
    assert not SurveyResponse.objects.exists()
    clock.shift(3600)
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_app_limits_fail_open_when_redis_is_down(customer_client, site_tree, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 5},
        }
    }
    settings.CANDOR_PAGE_CACHE_SECONDS = 0
    for n in range(3):
        assert ask(customer_client, n).status_code == 302


def test_every_limited_view_exists_and_every_action_has_rules():
    """A renamed URL must not silently drop its limit."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    names, routes = set(), set()

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                routes.add(prefix + str(entry.pattern))
                if entry.name:
                    names.add(namespace + entry.name)

    walk(get_resolver())
    for key, action in settings.CANDOR_RATE_LIMITED_VIEWS.items():
        if " " in key:
            assert key.split(" ", 1)[1] in routes, key
        else:
            assert key in names, key
        assert action in settings.CANDOR_RATE_LIMITS, action
    for action in settings.CANDOR_DAILY_CAPS:
        assert settings.CANDOR_DAILY_CAP_ROWS[action], action


def test_search_is_limited_per_address_and_cached_answers_are_free(
    client, clock, settings, site_tree
):
    settings.CANDOR_RATE_LIMITS = {"search": {"ip": ["15/m"]}}
    for n in range(15):
        assert client.get(f"/search/?q=router{n}").status_code == 200
    response = client.get("/search/?q=router-again")
    assert_limited(response)
    assert "too often" in response.content.decode()
    # A query answered from the page cache costs nothing.
    assert client.get("/search/?q=router3").get("X-Page-Cache") == "hit"
    clock.shift(60)
    assert client.get("/search/?q=router-later").status_code == 200


def test_a_busy_office_makes_60_different_searches_a_minute(client, clock, site_tree):
    # The real defaults (settings/base.py): one address, one search a second.
    for n in range(60):
        response = client.get(f"/search/?q=router+setup+{n}")
        assert response.status_code == 200, n
        clock.shift(1)


def test_filter_and_page_clicks_on_one_query_count_once(
    client, clock, settings, site_tree
):
    settings.CANDOR_RATE_LIMITS = {"search": {"ip": ["3/m"]}}
    assert client.get("/search/?q=Router+Setup").status_code == 200
    clicks = [f"page={n}" for n in range(1, 8)] + [
        "type=article", "type=product", "tag=wifi", "product=router"
    ] * 3 + ["page=2&type=article"]
    assert len(clicks) == 20
    for click in clicks:
        # The same query, typed differently: spaces and case do not make it new.
        response = client.get(f"/search/?q=router++setup&{click}")
        assert response.status_code == 200, click
    # The counter saw one search: two new ones still fit, the third does not.
    assert client.get("/search/?q=modem").status_code == 200
    assert client.get("/search/?q=firmware").status_code == 200
    assert_limited(client.get("/search/?q=antenna"))


def test_a_scraper_is_refused(client, clock, site_tree):
    # Defaults: a burst of new queries is refused within 10 seconds ...
    codes = []
    for n in range(40):
        codes.append(client.get(f"/search/?q=scrape{n}").status_code)
        clock.shift(0.2)
    assert codes[:30] == [200] * 30
    assert codes[30:] == [429] * 10
    # ... and a steady two a second (under the burst rule) past 60 in a minute.
    clock.shift(60)
    codes = []
    for n in range(240):  # two minutes
        codes.append(client.get(f"/search/?q=steady{n}").status_code)
        clock.shift(0.5)
    assert codes[:60] == [200] * 60
    # Fixed windows: the two minutes touch three, so at most 180 of the 240 pass.
    assert codes.count(429) >= 60
