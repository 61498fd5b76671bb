"""The adjusted product score: a Bayesian average with the site-wide mean as prior."""

import pytest

from reviews import services
from reviews.models import ModerationReason
from reviews.stats import bayesian_average
from tests.factories.portal import make_product
from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reviews"


def test_bayesian_average_pulls_few_ratings_towards_the_prior():
    assert bayesian_average(total=5, n=1, prior_mean=3.5, prior_weight=5) == 3.75
    assert bayesian_average(total=0, n=0, prior_mean=3.5, prior_weight=5) is None
    # Many ratings: close to their own mean.
    many = bayesian_average(total=4.8 * 1000, n=1000, prior_mean=3.0, prior_weight=5)
    assert 4.79 < many < 4.8


def test_product_page_shows_the_adjusted_score_with_n_and_a_link_to_the_method(
    client, product, site_tree
):
    other = make_product(site_tree["products"], "Switch Y")
    for rating in (1, 1, 1, 1):
        write_review(other, rating=rating)
    for rating in (5, 5, 4, 4):
        write_review(product, rating=rating)
    # C = (4 + 18) / 8 = 2.75; product: (2.75 * 5 + 18) / 9 = 3.53
    html = client.get(product.url).content.decode()
    assert "<strong>4.5</strong> out of 5" in html
    assert "<strong>3.5</strong> adjusted, from 4 reviews" in html
    assert 'href="/satisfaction/method/#review-score"' in html


def test_no_adjusted_score_without_reviews(client, product):
    html = client.get(product.url).content.decode()
    assert "adjusted, from" not in html


def test_the_site_mean_follows_every_change_to_reviews(client, product, staff_user):
    write_review(product, rating=5)
    assert "<strong>5.0</strong> adjusted, from 1 review" in client.get(
        product.url
    ).content.decode()
    low = write_review(product, rating=1)
    # C = 3; (3 * 5 + 6) / 7 = 3.0
    assert "<strong>3.0</strong> adjusted, from 2 reviews" in client.get(
        product.url
    ).content.decode()
    services.review_hide(review=low, by=staff_user, reason=ModerationReason.SPAM)
    body = client.get(f"{BASE}/products/{product.slug}/summary/").json()
    assert body["adjusted_prior_mean"] == 5.0 and body["adjusted_average"] == 5.0


def test_api_summary_gives_the_adjusted_average_and_its_prior(
    client, product, settings
):
    settings.CANDOR_REVIEW_PRIOR_WEIGHT = 2
    for rating in (5, 4, 3):
        write_review(product, rating=rating)
    body = client.get(f"{BASE}/products/{product.slug}/summary/").json()
    assert body["adjusted_prior_weight"] == 2
    assert body["adjusted_prior_mean"] == 4.0
    assert body["adjusted_average"] == 4.0


def test_the_method_page_explains_the_score_with_m_and_c(client, product):
    for rating in (5, 4):
        write_review(product, rating=rating)
    html = client.get("/satisfaction/method/").content.decode()
    assert 'id="review-score"' in html
    assert "(C × m + S) / (m + n)" in html
    assert "<var>m</var> = 5" in html
    assert "<var>C</var> = 4.5</strong>: the mean of the 2 published reviews" in html


def test_product_cards_show_the_adjusted_score_with_n_on_home_and_products(
    client, product, site_tree
):
    """Issue 18: lists compare products, so the cards carry the adjusted score too."""
    other = make_product(site_tree["products"], "Switch Y")
    make_product(site_tree["products"], "Hub Z")  # no reviews: no score on its card
    for rating in (1, 1, 1, 1):
        write_review(other, rating=rating)
    for rating in (5, 5, 4, 4):
        write_review(product, rating=rating)
    for url in ["/", "/products/"]:
        html = client.get(url).content.decode()
        # C = 2.75: Router X (2.75*5 + 18)/9 = 3.5, Switch Y (2.75*5 + 4)/9 = 2.0
        assert "<strong>3.5</strong>" in html, url
        assert "<strong>2.0</strong>" in html, url
        assert html.count("adjusted, from 4 reviews") == 2, url
        assert html.count('class="card-rating"') == 2, url
    # A new review shows on the cached anonymous list at once.
    write_review(make_product(site_tree["products"], "Cam W"), rating=5)
    html = client.get("/products/").content.decode()
    assert "adjusted, from 1 review<" in html


def test_product_card_scores_cost_the_same_for_two_products_or_twelve(
    client, site_tree
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import cache as page_cache

    def queries():
        cache.clear()
        page_cache.clear_local()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/products/").status_code == 200
        return len(captured)

    for n in range(2):
        write_review(make_product(site_tree["products"], f"Few {n}"), rating=4)
    queries()  # warm the per-process caches (site root, settings)
    few = queries()
    for n in range(10):
        write_review(make_product(site_tree["products"], f"Many {n}"), rating=3)
    assert queries() <= few
