"""The anonymous page cache serves repeat visits from memory and is never stale after a write."""

import re
import time

import pytest
from django.test import Client
from wagtail import hooks

from portal import cache as page_cache
from portal.models import Branding
from tests.factories.portal import make_article

pytestmark = pytest.mark.django_db


def cached(response):
    return response.get("X-Page-Cache")


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, site_tree, article, django_assert_num_queries
):
    assert cached(client.get("/")) == "miss"
    with django_assert_num_queries(0):
        response = client.get("/")
    assert cached(response) == "hit"
    assert "Set up Router X" in response.content.decode()


def test_publishing_an_article_shows_it_on_the_home_page_at_the_next_request(
    client, site_tree, article
):
    client.get("/")
    assert cached(client.get("/")) == "hit"
    make_article(site_tree["kb"], "Brand new guide")
    response = client.get("/")
    assert cached(response) == "miss"
    assert "Brand new guide" in response.content.decode()


def test_unpublishing_an_article_removes_it_from_cached_pages(
    client, site_tree, article
):
    assert "Set up Router X" in client.get("/help/").content.decode()
    article.unpublish()
    assert "Set up Router X" not in client.get("/help/").content.decode()
    assert client.get(article.url).status_code == 404


def test_a_helpful_vote_updates_the_count_other_visitors_see(client, article):
    assert "Be the first" in client.get(article.url).content.decode()
    assert cached(client.get(article.url)) == "hit"
    voter = Client()
    voter.post(article.url + "helpful/", {"helpful": "yes"})
    html = client.get(article.url).content.decode()
    assert "1 of 1 found this helpful" in html


def test_saving_the_branding_changes_every_cached_page(client, site_tree):
    client.get("/")
    branding = Branding.for_site(site_tree["home"].get_site())
    branding.primary_colour = "#7c2d12"
    branding.save()
    assert "--brand:#7c2d12" in client.get("/").content.decode()


def test_signed_in_members_never_get_the_cached_anonymous_page(
    client, customer, site_tree
):
    client.get("/")
    assert cached(client.get("/")) == "hit"
    client.force_login(customer)
    response = client.get("/")
    assert cached(response) == "miss"  # their own copy, rendered for them
    assert "My account" in response.content.decode()
    response = client.get("/")
    assert cached(response) == "hit"
    assert "My account" in response.content.decode()
    assert "Log in" in Client().get("/").content.decode()


def test_two_members_never_share_a_copy(client, customer, other_customer, article):
    client.force_login(customer)
    client.post(article.url + "helpful/", {"helpful": "yes"})
    client.cookies.pop("messages", None)
    assert "You said it helped." in client.get(article.url).content.decode()
    other = Client()
    other.force_login(other_customer)
    html = other.get(article.url).content.decode()
    assert "You said it helped." not in html and "1 of 1 found this helpful" in html


def test_a_members_copies_are_dropped_when_they_log_out(client, customer, site_tree):
    client.force_login(customer)
    client.get("/")
    session = client.cookies["sessionid"].value
    client.post("/account/logout/")
    replay = Client()
    replay.cookies["sessionid"] = session  # an old cookie, replayed
    response = replay.get("/")
    assert cached(response) == "miss"
    assert "My account" not in response.content.decode()


def test_staff_pages_are_never_cached(staff_client, site_tree):
    staff_client.get("/")
    assert cached(staff_client.get("/")) is None


def test_an_anonymous_reader_with_a_session_gets_their_own_copy(client, article):
    client.post(article.url + "helpful/", {"helpful": "no"})
    client.cookies.pop("messages", None)
    response = client.get(article.url)
    assert "You said it did not help." in response.content.decode()
    assert "You said it did not help." in client.get(article.url).content.decode()
    assert "You said" not in Client().get(article.url).content.decode()


def test_a_cached_page_gets_a_fresh_nonce_each_time(client, site_tree):
    nonces = []
    for _ in range(3):
        response = client.get("/")
        header = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", header).group(1)
        assert f'<style nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert cached(response) == "hit"
    assert len(set(nonces)) == 3


def test_a_form_on_a_cached_page_carries_a_working_csrf_token(article):
    Client().get(article.url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(article.url)
    assert cached(response) == "hit"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)
    assert "csrftoken" in response.cookies
    other = Client(enforce_csrf_checks=True).get(article.url)
    assert token not in other.content.decode()  # each visitor gets their own
    answer = visitor.post(
        article.url + "helpful/", {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302


def test_a_render_that_raced_a_write_is_not_served_afterwards(client, site_tree):
    def panel(request):
        page_cache.invalidate(page_cache.SITE)  # a write commits mid-render
        return None

    with hooks.register_temporarily("candor_home_panels", panel):
        assert cached(client.get("/")) == "miss"
    assert cached(client.get("/")) == "miss"
    assert cached(client.get("/")) == "hit"


def test_another_process_sees_the_write_through_the_shared_generation(
    client, site_tree, article
):
    client.get("/")
    page_cache.clear_local()  # as if the next request reached another process
    assert cached(client.get("/")) == "hit"
    make_article(site_tree["kb"], "Written elsewhere")
    page_cache.clear_local()
    assert "Written elsewhere" in client.get("/").content.decode()


def test_search_and_the_api_are_cached_for_anonymous_visitors(client, article):
    client.get("/search/?q=router")
    assert cached(client.get("/search/?q=router")) == "hit"
    client.get("/api/v1/articles/")
    assert cached(client.get("/api/v1/articles/")) == "hit"
    make_article(article.get_parent().specific, "Router Y tips")
    assert "Router Y tips" in client.get("/api/v1/articles/").content.decode()


def test_api_answers_for_a_token_are_its_own_and_stop_when_it_is_revoked(
    client, customer, article
):
    from wagtail.models import APIToken

    token, key = APIToken.create_token(user=customer, name="sync")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me/", **auth).json()["username"] == "ana"
    assert cached(client.get("/api/v1/me/", **auth)) == "hit"
    assert client.get("/api/v1/me/").status_code == 401  # no token, no copy
    token.revoke()
    assert client.get("/api/v1/me/", **auth).status_code == 401


def test_the_cache_can_be_turned_off(client, site_tree, settings):
    settings.CANDOR_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert cached(client.get("/")) is None


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "portal.redis_cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        "OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 5},
    }
}


def test_with_redis_away_each_process_serves_its_own_copies_briefly(
    client, article, settings, django_assert_num_queries
):
    settings.CACHES = UNREACHABLE_REDIS
    settings.CANDOR_PAGE_CACHE_OUTAGE_SECONDS = 0.5
    assert cached(client.get(article.url)) == "miss"  # rendered, kept here alone
    with django_assert_num_queries(0):
        response = client.get(article.url)
    assert response.status_code == 200 and cached(response) == "hit"
    # A write on this process drops its copies at once, Redis or not.
    Client().post(article.url + "helpful/", {"helpful": "yes"})
    response = client.get(article.url)
    assert cached(response) == "miss"
    assert "1 of 1 found this helpful" in response.content.decode()
    # The write's unsent invalidation waits for Redis; it does not stop the copies.
    assert cached(client.get(article.url)) == "hit"
    # Another process's write may go unseen here, but only for the outage window.
    time.sleep(0.6)
    assert cached(client.get(article.url)) == "miss"


def test_copies_made_while_redis_was_away_are_not_served_once_it_answers(
    client, article, settings
):
    settings.CACHES = UNREACHABLE_REDIS
    client.get(article.url)
    assert cached(client.get(article.url)) == "hit"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert cached(client.get(article.url)) == "miss"
    assert cached(client.get(article.url)) == "hit"  # the shared cache's own copy


def test_with_redis_away_a_render_that_raced_a_write_is_not_kept(
    client, site_tree, settings
):
    settings.CACHES = UNREACHABLE_REDIS

    def panel(request):
        page_cache.invalidate(page_cache.SITE)  # a write commits mid-render
        return None

    with hooks.register_temporarily("candor_home_panels", panel):
        assert cached(client.get("/")) is None  # served, and not kept
    assert cached(client.get("/")) == "miss"
    assert cached(client.get("/")) == "hit"
