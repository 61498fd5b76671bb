"""Every portal page has a query budget, and it does not grow with the data."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.portal import make_article, make_image, make_product

pytestmark = pytest.mark.django_db

BUDGETS = {
    "home": 17,
    "product": 19,
    "article": 19,
    # One search query per registered type (apps add types through settings).
    "search": 15 + len(settings.CANDOR_SEARCH_TYPES),
    "profile": 12,
    "kb_index": 16,
}


def build(site_tree, scale):
    prefix = f"s{scale}-"
    products = [
        make_product(
            site_tree["products"],
            f"Gadget {n}",
            slug=f"{prefix}gadget-{n}",
            tags=["wifi", f"t{n}"],
            image=make_image(f"{prefix}{n}"),
        )
        for n in range(6 * scale)
    ]
    articles = [
        make_article(
            site_tree["kb"],
            f"Gadget guide {n}",
            slug=f"{prefix}guide-{n}",
            tags=["setup", f"g{n}"],
            products=products[n % len(products) : n % len(products) + 2],
        )
        for n in range(4 * scale)
    ]
    return products, articles


def count_queries(client, url):
    client.get(url)  # the first view of a page may create image renditions once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def urls(products, articles, customer):
    return {
        "home": "/",
        "product": products[0].url,
        "article": articles[0].url,
        "search": "/search/?q=gadget",
        "profile": f"/people/{customer.username}/",
        "kb_index": "/help/",
    }


@pytest.mark.parametrize("signed_in", [False, True])
def test_page_queries_stay_within_budget_and_flat_from_1x_to_10x_data(
    client, site_tree, customer, signed_in
):
    if signed_in:
        client.force_login(customer)
    small = build(site_tree, 1)
    small_counts = {
        name: count_queries(client, url) for name, url in urls(*small, customer).items()
    }
    large = build(site_tree, 10)
    large_counts = {
        name: count_queries(client, url) for name, url in urls(*large, customer).items()
    }
    for name, budget in BUDGETS.items():
        assert small_counts[name] <= budget, (name, small_counts[name])
    assert large_counts == small_counts
