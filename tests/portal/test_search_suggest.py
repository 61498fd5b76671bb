"""Suggestions as you type (issue 15): the first results of the site search, as JSON."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.community import make_question
from tests.factories.portal import make_article, make_product
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/suggest/"


@pytest.fixture
def catalogue(site_tree):
    router = make_product(
        site_tree["products"], "Router X", summary="A fast wifi router.", tags=["wifi"]
    )
    make_article(
        site_tree["kb"],
        "Update Router X firmware",
        summary="Install the latest firmware safely.",
        products=[router],
    )
    make_article(site_tree["kb"], "Plug schedules", summary="Plan when it switches on.")
    make_question(UserFactory(), title="Firmware update stuck at 90 percent")
    return router


def test_suggestions_are_the_first_results_of_the_results_page(client, catalogue):
    response = client.get(URL, {"q": "firmw"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["query"] == "firmw"
    first = data["results"][0]
    assert set(first) == {"title", "url", "type", "type_label"}
    assert first == {
        "title": "Update Router X firmware",
        "url": first["url"],
        "type": "article",
        "type_label": "Help article",
    }
    assert client.get(first["url"]).status_code == 200
    titles = [hit["title"] for hit in data["results"]]
    assert "Firmware update stuck at 90 percent" in titles
    assert "Plug schedules" not in titles
    page = client.get("/search/", {"q": "firmw"}).context["page_obj"]
    assert [hit.title for hit in page][: len(titles)] == titles


def test_at_most_the_configured_number_of_suggestions(client, site_tree, settings):
    for n in range(9):
        make_article(site_tree["kb"], f"Router guide {n}", slug=f"guide-{n}")
    results = client.get(URL, {"q": "rout"}).json()["results"]
    assert len(results) == settings.CANDOR_SEARCH_SUGGESTIONS == 6


@pytest.mark.parametrize("query", ["", "   ", "f", "?!"])
def test_nothing_to_suggest_is_an_empty_list(client, catalogue, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "query",
    ["firmware " * 500, "' OR 1=1 --", "<script>x</script>", "🙂🙂"],
)
def test_odd_queries_never_fail(client, catalogue, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_a_raw_lone_surrogate_in_the_url_never_fails(client, catalogue):
    response = client.get(URL + "?q=%ED%A0%80firm")
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_typing_is_not_logged_as_a_search(client, catalogue):
    from wagtail.contrib.search_promotions.models import Query

    client.get(URL, {"q": "firmw"})
    assert not Query.objects.exists()


def test_hidden_questions_are_never_suggested(client, site_tree):
    question = make_question(UserFactory(), title="Doorbell chimes twice")
    assert client.get(URL, {"q": "doorb"}).json()["results"]
    question.is_hidden = True
    question.save()
    assert client.get(URL, {"q": "doorbel"}).json()["results"] == []


def _count(client, query):
    client.get(URL, {"q": query})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"q": query + "e"})
    assert response.status_code == 200 and response.json()["results"]
    return len(ctx)


@pytest.mark.parametrize("signed_in", [False, True])
def test_queries_stay_within_budget_and_flat_as_data_grows(
    client, site_tree, customer, signed_in
):
    if signed_in:
        client.force_login(customer)

    def build(scale, prefix):
        for n in range(4 * scale):
            make_article(site_tree["kb"], f"Gadget guide {n}", slug=f"{prefix}-{n}")
            make_question(UserFactory(), title=f"Gadget question {prefix} {n}")

    build(1, "a")
    small = _count(client, "gadg")
    build(10, "b")
    large = _count(client, "gadge")
    # Page restrictions and the index check, the ranking, then each type with hits.
    assert small <= 8 + len(settings.CANDOR_SEARCH_TYPES), small
    assert large == small


START = dt.datetime(2026, 11, 25, 12, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def limits_on(settings):
    settings.CANDOR_RATE_LIMITS_ENABLED = True
    with time_machine.travel(START, tick=False):
        yield settings


def test_a_burst_of_keystrokes_is_not_locked_out_nor_uses_up_searches(
    client, catalogue, limits_on
):
    """Typing "firmware update stuck" letter by letter, twice: 40 suggestion requests
    in one second pass, and the 60 searches a minute are all still there."""
    typed = "firmware update stuck "
    for attempt in range(2):
        for n in range(2, len(typed)):
            response = client.get(URL, {"q": f"{typed[:n]}{attempt}"})
            assert response.status_code == 200, n
    for n in range(30):
        assert client.get("/search/", {"q": f"router {n}"}).status_code == 200, n


def test_a_scraper_stream_of_suggestions_is_refused_with_json(
    client, catalogue, limits_on
):
    for n in range(60):
        assert client.get(URL, {"q": f"router {n}"}).status_code == 200, n
    response = client.get(URL, {"q": "router 61"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert response.json()["error"]["code"] == "rate_limited"
