"""Search analytics (Wagtail's search_promotions Query hits) and staff best bets."""

import re

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import (
    Query,
    QueryDailyHits,
    SearchPromotion,
)

from tests.factories.portal import make_article, make_product
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site_tree):
    router = make_product(site_tree["products"], "Router X", summary="A fast wifi router.")
    guide = make_article(
        site_tree["kb"], "Router firmware update", summary="Update the router firmware."
    )
    plug = make_article(
        site_tree["kb"], "Plug schedules", summary="Plan when the plug switches on."
    )
    return {"router": router, "guide": guide, "plug": plug}


def test_a_search_logs_its_normalised_query_and_nothing_personal(client, catalogue):
    client.force_login(UserFactory())
    assert client.get("/search/?q=Router++Firmware").status_code == 200
    # Filter and page clicks are the same search: not logged again.
    client.get("/search/?q=Router++Firmware&type=article")
    client.get("/search/?q=Router++Firmware&page=2")
    query = Query.objects.get()
    assert query.query_string == "router firmware"
    assert query.hits == 1
    # Only the text, the day and a count are kept: no member, no address.
    assert {f.name for f in Query._meta.concrete_fields} == {"id", "query_string"}
    assert {f.name for f in QueryDailyHits._meta.concrete_fields} == {
        "id", "query", "date", "hits",
    }


def test_staff_see_top_searches_in_the_search_terms_report(client, catalogue):
    for typed in ("router", "Router", "ROUTER+"):
        client.get(f"/search/?q={typed}")
    client.get("/search/?q=plug")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsearchpromotions:search_terms"))
    assert response.status_code == 200
    html = response.content.decode()
    report = html[html.index("Search term(s)") :]
    cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", report, re.S)
    # Three ways of typing "router" are one search term, the most searched first.
    assert cells[:4] == ["router", "3", "plug", "1"]


def test_a_pinned_page_shows_first_labelled_recommended(
    client, catalogue, django_assert_max_num_queries
):
    query = Query.get("router")
    SearchPromotion.objects.create(
        query=query, page=catalogue["plug"], description="Our staff's pick", sort_order=0
    )
    with django_assert_max_num_queries(40):
        html = client.get("/search/?q=Router").content.decode()
    results = html[html.index('class="result-list"'):]
    assert results.index("Plug schedules") < results.index("Router firmware update")
    first = results[: results.index("</li>")]
    assert "Recommended" in first and "Plug schedules" in first
    assert "Our staff&#x27;s pick" in first or "Our staff's pick" in first
