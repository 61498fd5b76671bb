"""Search analytics (Wagtail's search_promotions Query hits) and staff best bets."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import (
    Query,
    QueryDailyHits,
    SearchPromotion,
)

from portal.models import SearchGap
from tests.factories.portal import make_article, make_product
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

# Wagtail's admin chrome (session, user, menus) plus the report's five reads.
REPORT_BUDGET = 20


@pytest.fixture
def catalogue(site_tree):
    router = make_product(
        site_tree["products"], "Router X", summary="A fast wifi router."
    )
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
        "id",
        "query",
        "date",
        "hits",
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
        query=query,
        page=catalogue["plug"],
        description="Our staff's pick",
        sort_order=0,
    )
    with django_assert_max_num_queries(40):
        html = client.get("/search/?q=Router").content.decode()
    results = html[html.index('class="result-list"') :]
    assert results.index("Plug schedules") < results.index("Router firmware update")
    first = results[: results.index("</li>")]
    assert "Recommended" in first and "Plug schedules" in first
    assert "Our staff&#x27;s pick" in first or "Our staff's pick" in first


# --------------------------------------------------------------------------- search gaps


def _gaps():
    return {
        (g.query_string, g.no_result_hits, g.asked_hits)
        for g in SearchGap.objects.all()
    }


def test_a_search_that_finds_nothing_is_counted_once_as_a_gap(client, catalogue):
    client.force_login(UserFactory())
    html = client.get("/search/?q=Zebra++Stripes").content.decode()
    assert "No results for" in html
    # Filter and page clicks on the same search are not new searches.
    client.get("/search/?q=Zebra++Stripes&type=article")
    client.get("/search/?q=Zebra++Stripes&page=2")
    assert _gaps() == {("zebra stripes", 1, 0)}
    client.get("/search/?q=zebra stripes")  # a second look, typed differently
    assert _gaps() == {("zebra stripes", 2, 0)}


def test_a_search_with_results_is_no_gap(client, catalogue):
    client.force_login(UserFactory())
    assert "Router firmware update" in client.get("/search/?q=router").content.decode()
    assert Query.objects.get().query_string == "router"
    assert not SearchGap.objects.exists()


def test_once_staff_pin_a_result_the_search_is_no_longer_a_gap(client, catalogue):
    client.force_login(UserFactory())
    client.get("/search/?q=zebra")
    SearchPromotion.objects.create(
        query=Query.get("zebra"), page=catalogue["plug"], sort_order=0
    )
    # (another URL: the member's own copy of the first page may still be cached)
    html = client.get("/search/?q=Zebra").content.decode()
    assert "Recommended" in html and "Plug schedules" in html
    assert _gaps() == {("zebra", 1, 0)}  # the first search only


def test_a_search_gap_holds_only_the_words_the_day_and_counts(client, catalogue):
    member = UserFactory(email="ana@example.com", username="ana-gaps")
    client.force_login(member)
    client.get("/search/?q=Zebra", REMOTE_ADDR="203.0.113.9")
    assert {f.name for f in SearchGap._meta.concrete_fields} == {
        "id",
        "query_string",
        "date",
        "no_result_hits",
        "asked_hits",
    }
    row = SearchGap.objects.values().get()
    assert row == {
        "id": row["id"],
        "query_string": "zebra",
        "date": timezone.now().date(),
        "no_result_hits": 1,
        "asked_hits": 0,
    }
    stored = " ".join(str(v) for v in row.values())
    assert "ana" not in stored and "203.0.113.9" not in stored


def _hidden_inputs(html: str, form_action_marker: str) -> dict[str, str]:
    """The hidden fields of the first form in `html` that contains `marker`."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        if form_action_marker in form:
            return dict(
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
            )
    raise AssertionError(f"no form with {form_action_marker!r}")


def test_asking_after_a_search_counts_one_asked_search(client, catalogue):
    client.force_login(UserFactory())
    # given: a search with results, and its "Ask the community" link below them
    html = client.get("/search/?q=Router+Firmware").content.decode()
    link = re.search(r'href="(/community/ask/\?[^"]+)">Ask the community', html)
    assert link, "no ask link below the results"
    ask_url = link.group(1).replace("&amp;", "&")
    assert (
        "title=Router%20Firmware" in ask_url and "searched=Router%20Firmware" in ask_url
    )
    # when: the member opens the ask form (prefilled, the search carried hidden)
    form_html = client.get(ask_url).content.decode()
    assert 'value="Router Firmware"' in form_html
    assert re.search(
        r'<input type="hidden" name="searched" value="Router Firmware"', form_html
    )
    data = {
        "title": "Router firmware update fails halfway",
        "body": "The update stops at 80 percent and the router restarts.",
        "tags": "firmware",
        "searched": "Router Firmware",
    }
    confirm = client.post("/community/ask/", data)
    # the confirm step shows suggestions first: nothing is counted yet
    assert (
        confirm.status_code == 200
        and "Post my question anyway" in confirm.content.decode()
    )
    assert not SearchGap.objects.exists()
    hidden = _hidden_inputs(confirm.content.decode(), 'name="confirmed" value="1"')
    assert hidden["searched"] == "Router Firmware"
    response = client.post("/community/ask/", hidden)
    assert response.status_code == 302
    # then: one asked search for the normalised words, no gap
    assert _gaps() == {("router firmware", 0, 1)}


def test_asking_without_a_search_counts_nothing(client, catalogue):
    client.force_login(UserFactory())
    response = client.post(
        "/community/ask/",
        {
            "title": "Zigbee pairing fails with unusual sensor",
            "body": "Pairing stops at 90 percent every time.",
            "tags": "zigbee",
        },
    )
    assert response.status_code == 302
    assert not SearchGap.objects.exists()


def test_a_refused_question_counts_no_asked_search(client, catalogue):
    client.force_login(UserFactory())
    response = client.post(
        "/community/ask/",
        {"title": "Zigbee?", "body": "", "searched": "zigbee", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert re.search(
        r'<input type="hidden" name="searched" value="zigbee"',
        response.content.decode(),
    )
    assert not SearchGap.objects.exists()


# --------------------------------------------------------------------------- the report

REPORT = "/admin/reports/search-gaps/"


def _seed_report(scale: int) -> None:
    today = timezone.now().date()
    for n in range(scale):
        n = f"{scale}-{n}"
        query = Query.get(f"router {n}")
        QueryDailyHits.objects.create(query=query, date=today, hits=50)
        SearchGap.objects.create(
            query_string=f"zebra {n}", date=today, no_result_hits=10
        )
        SearchGap.objects.create(
            query_string=f"router {n}", date=today, asked_hits=1
        )


def _report_tables(html: str) -> dict[str, list[list[str]]]:
    tables = {}
    for key, body in re.findall(
        r'<table class="listing" data-list="([^"]+)">(.*?)</table>', html, re.S
    ):
        rows = re.findall(r"<tr>\s*(.*?)\s*</tr>", body.split("<tbody>")[1], re.S)
        tables[key] = [
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td>(.*?)</td>", r, re.S)
            ]
            for r in rows
        ]
    return tables


def test_staff_see_the_three_lists_with_counts_and_promotion_links(
    staff_client, site_tree
):
    today = timezone.now().date()
    old = today - timedelta(days=20)
    QueryDailyHits.objects.create(query=Query.get("router"), date=today, hits=7)
    QueryDailyHits.objects.create(query=Query.get("plug"), date=today, hits=2)
    QueryDailyHits.objects.create(query=Query.get("plug"), date=old, hits=9)
    SearchGap.objects.create(query_string="zebra", date=today, no_result_hits=3)
    SearchGap.objects.create(query_string="zebra", date=old, no_result_hits=4)
    SearchGap.objects.create(query_string="router", date=today, asked_hits=2)
    pinned = Query.get("router")
    SearchPromotion.objects.create(
        query=pinned, external_link_url="https://example.com", external_link_text="x"
    )

    response = staff_client.get(REPORT)  # the last 30 days by default
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Top searches",
        "Searches with no results",
        "Searches followed by asking",
    ):
        assert f">{heading}</h2>" in html
    tables = _report_tables(html)
    assert [row[:2] for row in tables["top"]] == [["plug", "11"], ["router", "7"]]
    assert [row[:2] for row in tables["no_results"]] == [["zebra", "7"]]
    assert [row[:2] for row in tables["asked"]] == [["router", "2"]]
    assert tables["asked"][0][2].startswith("Edit promoted results")
    assert tables["no_results"][0][2].startswith("Add a promoted result")
    assert f'href="{reverse("wagtailsearchpromotions:edit", args=[pinned.pk])}"' in html

    week = _report_tables(staff_client.get(REPORT + "?days=7").content.decode())
    assert [row[:2] for row in week["top"]] == [["router", "7"], ["plug", "2"]]
    assert [row[:2] for row in week["no_results"]] == [["zebra", "3"]]
    # A period that is not offered falls back on 30 days, never an error.
    assert staff_client.get(REPORT + "?days=abc").status_code == 200


def test_staff_may_follow_the_link_and_pin_a_result(staff_client, site_tree):
    query = Query.get("zebra")
    assert (
        staff_client.get(
            reverse("wagtailsearchpromotions:edit", args=[query.pk])
        ).status_code
        == 200
    )
    assert staff_client.get(reverse("wagtailsearchpromotions:add")).status_code == 200


def test_the_report_exports_csv(staff_client, site_tree):
    SearchGap.objects.create(
        query_string="zebra", date=timezone.now().date(), no_result_hits=3
    )
    response = staff_client.get(REPORT + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0] == "List,Search term(s),Searches"
    assert "Searches with no results,zebra,3" in lines


def test_customers_and_visitors_cannot_open_the_report(client, customer, site_tree):
    response = client.get(REPORT)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(customer)
    assert client.get(REPORT).status_code == 403


def test_the_report_has_a_query_budget_that_does_not_grow(staff_client, site_tree):
    def queries() -> int:
        staff_client.get(REPORT)
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(REPORT)
        assert response.status_code == 200
        return len(ctx)

    _seed_report(2)
    small = queries()
    _seed_report(40)  # more rows than a list shows
    large = queries()
    assert large == small
    assert large <= REPORT_BUDGET
