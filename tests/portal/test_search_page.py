"""The search page's layout and its empty state (issue 19): the count first, the filters
behind a "Filters" button on phones, and next steps when nothing matched."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.html import format_html
from wagtail import hooks

from tests.factories.portal import make_article, make_product

pytestmark = pytest.mark.django_db


def _actions(html):
    """{label: href} of the next steps offered after an empty search."""
    block = re.search(r'<ul class="next-steps-list">(.*?)</ul>', html, re.S)
    assert block, "no next steps on the page"
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(
            r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', block.group(1)
        )
    }


def test_an_empty_search_says_so_and_offers_to_ask_the_community_or_a_person(client):
    query = "zzqxv & blinking “lights”"
    html = client.get("/search/", {"q": query}).content.decode()
    assert "No results for “zzqxv &amp; blinking “lights””" in html
    assert "0 results" not in html
    assert "Try fewer or different words" in html

    actions = _actions(html)
    assert list(actions) == ["Ask the community", "Talk to a person"]
    ask = urlsplit(actions["Ask the community"])
    assert ask.path == "/community/ask/"
    assert parse_qs(ask.query) == {"title": [query], "searched": [query]}
    person = urlsplit(actions["Talk to a person"])
    assert person.path == "/contact/"
    assert parse_qs(person.query)["title"] == [query]
    assert parse_qs(person.query)["from"][0].startswith("/search/?q=")
    # Nothing matched anywhere, so there is nothing to narrow.
    assert "Filters" not in html


def test_the_ask_link_lands_on_the_form_with_the_search_as_title(client, customer):
    client.force_login(customer)
    html = client.get("/search/", {"q": "zzqxv wifi"}).content.decode()
    response = client.get(_actions(html)["Ask the community"])
    assert response.status_code == 200
    assert re.search(
        r'<input[^>]+name="title"[^>]+value="zzqxv wifi"', response.content.decode()
    )


def test_a_search_with_results_offers_no_empty_state_and_keeps_filters(
    client, site_tree
):
    make_product(site_tree["products"], "Router X", summary="A fast wifi router.")
    html = client.get("/search/", {"q": "router"}).content.decode()
    assert "1 result for “router”" in html
    assert 'class="next-steps-list"' not in html and "No results" not in html
    assert '<details class="search-filters collapse-narrow">' in html
    assert re.search(r"<summary[^>]*>Filters</summary>", html)
    # The count comes before the filters, the filters before the first result.
    assert (
        html.index('id="results-heading"')
        < html.index('class="search-filters')
        < html.index('class="result"')
    )


def test_an_empty_filtered_search_keeps_the_filters_names_them_and_offers_everything(
    client, site_tree
):
    router = make_product(site_tree["products"], "Router X", tags=["wifi"])
    make_article(site_tree["kb"], "Router manual", products=[router], tags=["wifi"])
    html = client.get(
        "/search/", {"q": "router", "type": "article", "tag": "nosuchtag"}
    ).content.decode()
    assert "No results for “router”" in html
    assert re.search(
        r'<summary[^>]*>Filters<span class="filters-applied">: Articles, nosuchtag</span></summary>',
        html,
    )
    assert 'href="?q=router">Search everything instead</a>' in html
    assert "Any tag" in html
    assert list(_actions(html)) == ["Ask the community", "Talk to a person"]


def test_the_empty_state_shows_what_apps_register_for_it(client):
    def action(request, query):
        return format_html(
            '<li><a class="button" href="/x/">Call {}</a></li>', len(query)
        )

    with hooks.register_temporarily("candor_search_empty_actions", action, order=99):
        html = client.get("/search/", {"q": "zzqxv"}).content.decode()
    assert list(_actions(html)) == ["Ask the community", "Talk to a person", "Call 5"]


def test_a_shortened_query_still_says_so_when_nothing_matched(client):
    words = " ".join(f"zzq{n}word" for n in range(40))
    html = client.get("/search/", {"q": words}).content.decode()
    assert "Your search was long, so it was shortened" in html
    assert "No results for" in html
