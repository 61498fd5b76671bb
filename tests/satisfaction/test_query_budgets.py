"""Query budgets that do not grow with the data: 100 answers, then 100,000 (seeded in bulk)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satisfaction import services
from satisfaction.models import FollowUp, SurveyResponse
from tests.factories.satisfaction import answer, record, seed_answers

pytestmark = pytest.mark.django_db

SHELL = "shell"  # what base.html itself costs (site, branding, navigation), measured on the login page
# Anonymous pages, measured with a cold cache (the snapshot is recomputed): queries
# beyond the site shell for HTML pages, all queries for JSON, CSV and SVG.
BUDGETS = {
    # the snapshot, and the contact figures (one grouped count, a median row per channel)
    "/satisfaction/": SHELL + "+9",
    # the snapshot, the not-surveyed counts and reviews' site-wide mean (#review-score)
    "/satisfaction/method/": SHELL + "+8",
    "/satisfaction/data/": SHELL + "+1",  # the chain
    "/satisfaction/badge/": SHELL + "+6",
    "/satisfaction/meter.json": 6,
    "/satisfaction/badge.svg": 6,
    "/api/v1/satisfaction/meter/": 6,
    "/api/v1/satisfaction/answers/?page=3": 4,
}


def count_queries(client, url) -> int:
    """Queries for `url` with a cold cache, after one warm-up request (first-visit rows exist)."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def measure(client, urls):
    return {url: count_queries(client, url) for url in [*urls, "/", "/account/login/"]}


def test_public_pages_cost_the_same_at_100_and_at_100000_answers(
    client, site_tree, product, staff_user
):
    seed_answers(100, days=120, products=[product], excluded_every=20, staff=staff_user)
    small = measure(client, BUDGETS)
    shell = small["/account/login/"]
    for url, budget in BUDGETS.items():
        limit = shell + int(budget.split("+")[1]) if isinstance(budget, str) else budget
        assert small[url] <= limit, (url, small[url], limit)

    seed_answers(
        99_900,
        days=120,
        products=[product],
        excluded_every=500,
        staff=staff_user,
        rng_seed=8,
    )
    assert SurveyResponse.objects.count() == 100_000
    large = measure(client, BUDGETS)
    assert large == small


def test_a_warm_meter_page_adds_no_query_to_the_site_shell(client, site_tree, settings):
    settings.CANDOR_PAGE_CACHE_SECONDS = 0  # the render's cost, not the page cache's

    def tables(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"].split(" FROM ")[1].split()[0] for q in queries]

    assert tables("/satisfaction/") == tables("/account/login/")


def test_customer_and_staff_pages_cost_the_same_with_10x_the_data(
    client, site_tree, customer, staff_user, product
):
    def build(n):
        for i in range(n):
            interaction = record(customer=customer, product=product)
            if i % 2:
                answer(interaction, satisfied=False)

    def costs():
        client.force_login(customer)
        invitation = (
            customer.support_interactions.filter(response__isnull=True)
            .first()
            .invitation
        )
        result = {
            "account": count_queries(client, "/account/"),
            "survey": count_queries(client, services.survey_url(invitation)),
        }
        client.force_login(staff_user)
        result["follow_ups"] = count_queries(client, "/admin/satisfaction/?status=all")
        result["answers"] = count_queries(client, "/admin/satisfaction/answers/")
        follow_up = FollowUp.objects.first()
        result["follow_up"] = count_queries(
            client, f"/admin/satisfaction/follow-ups/{follow_up.pk}/"
        )
        return result

    build(4)
    small = costs()
    build(40)
    assert costs() == small
    # Session, user and the site shell (5), then each page's own reads.
    assert small["survey"] <= 11, small  # + the invitation and its answer, if any
    assert small["account"] <= 16, small  # + profile, tokens, the waiting surveys and other apps' panels (badges won and withdrawn)
    assert max(small["follow_ups"], small["answers"]) <= 12, small
    # + the customer side panel (issue 9): their last interactions, contact
    # requests (issue 16) and staff notes.
    assert small["follow_up"] <= 14, small
