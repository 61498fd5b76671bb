"""The public meter, its compact home-page version, method page, badge and live stream."""

import json

import pytest
from django.core.cache import cache

from satisfaction import live, selectors, services
from satisfaction.models import Channel
from tests.factories.portal import make_product
from tests.factories.satisfaction import answer, record, seed_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_streams(settings):
    settings.CANDOR_SATISFACTION_SSE_SECONDS = 0.5


def test_below_ten_answers_the_meter_says_not_enough_answers_yet(
    client, site_tree, customer
):
    for satisfied in (True, True, False):
        answer(record(), satisfied=satisfied)
    html = client.get("/satisfaction/").content.decode()
    assert "Not enough answers yet" in html
    assert "3 of the 10 answers needed" in html
    assert "2 of the last 3 customers were satisfied" in html
    assert "67 %" not in html and "0 %</strong>" not in html


def test_the_meter_shows_icons_percentages_intervals_and_breakdowns(
    client, site_tree, product
):
    other = make_product(site_tree["products"], "Mesh Node M2")
    for i in range(12):
        answer(record(product=product, channel=Channel.CHAT), satisfied=i != 0)
    for _ in range(3):
        answer(record(product=other, channel=Channel.PHONE), satisfied=True)
    record(product=product)  # invited, not answered
    html = client.get("/satisfaction/").content.decode()
    assert "14 of the last 15 customers were satisfied" in html
    assert html.count('class="sat-icon sat-yes"') == 14 + 1  # + the legend
    assert html.count('class="sat-icon sat-no"') == 1 + 1
    assert "93 %" in html  # 14/15
    assert "95 % interval 70.2–98.8 % · 15 answers" in html
    assert "Response rate 94 %: 15 of 16 invitations answered" in html
    assert "Router X" in html and "Mesh Node M2" in html
    assert "Chat" in html and "Phone" in html
    assert '<svg class="sat-trend"' in html
    assert "The same figures as a table" in html
    assert "<satisfaction-meter" in html


def test_the_snapshot_is_refreshed_as_soon_as_an_answer_commits(
    client, site_tree, django_capture_on_commit_callbacks
):
    assert client.get("/satisfaction/meter.json").json()["last"]["n"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        answer(record(), satisfied=True)
    snapshot = client.get("/satisfaction/meter.json").json()
    assert snapshot["last"] == {"n": 1, "satisfied": 1, "answers": [True]}


def test_the_home_page_shows_the_compact_meter(client, site_tree):
    for _ in range(11):
        answer(record(), satisfied=True)
    html = client.get("/").content.decode()
    assert "How satisfied are our customers?" in html
    assert "11 of the last 11 customers were satisfied" in html
    assert "100 %" in html
    assert 'href="/satisfaction/"' in html


def test_every_page_links_to_the_meter(client, site_tree):
    assert (
        '<a href="/satisfaction/">Satisfaction</a>' in client.get("/").content.decode()
    )


def test_the_method_page_publishes_the_rules_and_how_many_each_excluded(
    client, site_tree, staff_user
):
    response = answer(record(), satisfied=False)
    services.response_exclude(
        response=response, rule="spam", reason="a bot", by=staff_user
    )
    record(customer=staff_user)  # not surveyed
    html = client.get("/satisfaction/method/").content.decode()
    assert "Are you satisfied with the response you got?" in html
    assert "Wilson" in html
    assert "<code>spam</code>" in html
    assert "<code>test_interaction</code>" in html
    assert (
        "<td>1</td>" in html
    )  # one spam exclusion, one staff interaction not surveyed
    assert "The customer is a staff member" in html


def test_the_badge_is_an_svg_with_the_30_day_figure_and_n_cached_by_browsers(
    client, site_tree
):
    for i in range(20):
        answer(record(), satisfied=i < 19)
    response = client.get("/satisfaction/badge.svg")
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        "max-age=300" in response["Cache-Control"]
        and "public" in response["Cache-Control"]
    )
    assert "95 % satisfied · last 30 days" in svg
    assert "n = 20" in svg
    assert "<script" not in svg


def test_the_badge_page_gives_a_snippet_to_copy(client, site_tree):
    html = client.get("/satisfaction/badge/").content.decode()
    assert (
        "&lt;img src=&quot;http://testserver/satisfaction/badge.svg&quot;" in html
        or '&lt;img src="http://testserver/satisfaction/badge.svg"' in html
    )
    embed = client.get("/satisfaction/badge.html")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed


def test_the_badge_costs_no_query_once_cached(
    client, site_tree, django_assert_num_queries
):
    client.get("/satisfaction/badge.svg")
    with django_assert_num_queries(0):
        assert client.get("/satisfaction/badge.svg").status_code == 200


def test_the_event_stream_sends_the_snapshot_then_each_update_then_ends(
    client, site_tree, fast_streams
):
    response = client.get("/satisfaction/live/")
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"].startswith("no-cache")
    chunks = iter(response.streaming_content)
    assert next(chunks).decode() == "retry: 1000\n\n"
    first = next(chunks).decode()
    assert first.startswith("event: meter\ndata: ")
    assert json.loads(first.split("data: ", 1)[1])["last"]["n"] == 0
    live.publish(json.dumps({"marker": 1}))
    assert next(chunks).decode() == 'event: meter\ndata: {"marker": 1}\n\n'
    rest = list(chunks)  # the stream ends by itself; EventSource reconnects
    assert all(
        chunk.decode() in (": ping\n\n",) or chunk.decode().startswith("event: meter")
        for chunk in rest
    )


def test_the_live_bus_channel_names_the_redis_database(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/3"
    assert live.channel_name().endswith(":satisfaction:live:db3")


def test_the_snapshot_cache_is_cleared_by_date_change(site_tree):
    cache.set(selectors.SNAPSHOT_CACHE_KEY, {"today": "2000-01-01"}, 60)
    assert selectors.meter_snapshot_cached()["today"] != "2000-01-01"


def test_the_page_stays_complete_with_100_answers_and_the_last_100_only(
    client, site_tree, product
):
    seed_answers(130, days=20, products=[product], satisfied_share=0.8)
    html = client.get("/satisfaction/").content.decode()
    snapshot = selectors.meter_snapshot()
    assert snapshot["last"]["n"] == 100
    assert (
        f"{snapshot['last']['satisfied']} of the last 100 customers were satisfied"
        in html
    )
    assert html.count('class="sat-icon sat-') == 100 + 2
