"""Review filters: verified customers only, with photos, by words; page and API."""

import re

import pytest

from reviews import services
from tests.factories.reviews import processed_photo, write_review

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reviews"


def titles(client, url):
    html = client.get(url).content.decode()
    return set(re.findall(r'class="review-title"[^>]*><a [^>]*>([^<]+)<', html)), html


@pytest.fixture
def three(product, customer, staff_user):
    write_review(product, customer, title="Verified owner", body="Fast wifi.")
    services.ownership_add(product=product, customer=customer, by=staff_user)
    write_review(product, title="With a picture", photos=[processed_photo()])
    write_review(product, title="Plain one", body="The antenna broke.")


def test_the_product_page_filters_reviews_and_counts_each_filter(client, product, three):
    found, html = titles(client, product.url)
    assert "Verified customers (1)" in html and "With photos (1)" in html
    assert titles(client, product.url + "?review_verified=1")[0] == {"Verified owner"}
    assert titles(client, product.url + "?review_photos=1")[0] == {"With a picture"}
    found, html = titles(client, product.url + "?review_q=antenna")
    assert found == {"Plain one"} and "1 review matches." in html
    assert titles(client, product.url + "?review_q=nothing+like+it")[0] == set()


def test_filtered_pages_cost_a_fixed_number_of_queries(
    client, product, three, django_assert_max_num_queries
):
    from tests.reviews.test_views import PRODUCT_PAGE_BUDGET

    with django_assert_max_num_queries(PRODUCT_PAGE_BUDGET["anonymous"] + 2):
        client.get(product.url + "?review_verified=1&review_photos=1&review_q=wifi")


def test_the_api_list_takes_the_same_filters(client, product, three):
    url = f"{BASE}/products/{product.slug}/"
    body = client.get(url + "?verified=true").json()
    assert body["count"] == 1 and body["results"][0]["title"] == "Verified owner"
    assert client.get(url + "?photos=true").json()["results"][0]["title"] == "With a picture"
    assert client.get(url + "?q=antenna").json()["count"] == 1
    assert client.get(url + "?q=" + "x" * 101).status_code == 422
