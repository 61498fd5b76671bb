"""Pages render the right content for anonymous visitors, customers and staff."""

import re

import pytest

from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_product

pytestmark = pytest.mark.django_db


def test_home_page_shows_products_articles_and_search_box(
    client, site_tree, product, article
):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert "Router X" in html
    assert "Set up Router X" in html
    assert "Customers helping customers." in html


def test_product_page_shows_summary_tags_and_its_articles(client, product, article):
    response = client.get(product.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Router X</h1>" in html
    assert "A fast router." in html
    assert "wifi" in html
    assert "Set up Router X" in html


def test_article_page_shows_body_and_asks_was_it_helpful(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plug it in and open the app." in html
    assert "Was this article helpful?" in html
    assert "Be the first to say whether this helped." in html
    # Yes and No drawn alike: a filled Yes beside an outlined No nudges towards Yes.
    yes = re.search(r'name="helpful" value="yes" class="([^"]*)"', html)
    no = re.search(r'name="helpful" value="no" class="([^"]*)"', html)
    assert yes and no and yes.group(1) == no.group(1)


def test_knowledge_base_lists_and_filters_articles_by_tag(client, site_tree, product):
    make_article(site_tree["kb"], "Reset the router", tags=["reset"])
    make_article(site_tree["kb"], "Update the firmware", tags=["firmware"])
    html = client.get("/help/?tag=reset").content.decode()
    assert "Reset the router" in html
    assert "Update the firmware" not in html


def test_helpful_answer_is_recorded_once_per_anonymous_session(client, article):
    url = article.url + "helpful/"
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert (
        client.post(url, {"helpful": "no"}).status_code == 302
    )  # changes the answer, no second row
    assert ArticleFeedback.objects.filter(article=article).count() == 1
    assert ArticleFeedback.objects.get().helpful is False
    html = client.get(article.url).content.decode()
    assert "0 of 1 found this helpful" in html
    assert "You said it did not help." in html


def test_helpful_answers_from_two_readers_are_both_counted(
    client, customer_client, article, django_user_model
):
    from django.test import Client

    customer_client.post(article.url + "helpful/", {"helpful": "yes"})
    Client().post(article.url + "helpful/", {"helpful": "yes"})
    html = customer_client.get(article.url).content.decode()
    assert "2 of 2 found this helpful" in html
    assert ArticleFeedback.objects.filter(user__isnull=False).count() == 1


def test_a_get_to_the_helpful_route_records_nothing(client, article):
    response = client.get(article.url + "helpful/?helpful=yes")
    assert response.status_code == 405
    assert ArticleFeedback.objects.count() == 0


def test_unknown_helpful_value_changes_nothing(client, article):
    response = client.post(article.url + "helpful/", {"helpful": "maybe"})
    assert response.status_code == 404
    assert ArticleFeedback.objects.count() == 0


def test_products_index_lists_every_live_product(client, site_tree):
    make_product(site_tree["products"], "Mesh Node")
    make_product(site_tree["products"], "Thermostat")
    html = client.get("/products/").content.decode()
    assert "Mesh Node" in html and "Thermostat" in html


def test_missing_page_gets_the_styled_404(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_customers_get_403_from_the_admin_and_anonymous_visitors_are_sent_to_log_in(
    client, customer_client, site_tree
):
    from django.test import Client

    assert Client().get("/admin/").status_code == 302
    assert customer_client.get("/admin/").status_code == 403
    assert customer_client.get("/admin/pages/").status_code == 403


def test_staff_reach_the_admin(staff_client, site_tree):
    response = staff_client.get("/admin/")
    assert response.status_code == 200


def test_header_offers_sign_up_to_visitors_and_account_to_members(
    client, customer_client, site_tree
):
    from django.test import Client

    anonymous = Client().get("/").content.decode()
    member = customer_client.get("/").content.decode()
    assert "Sign up" in anonymous and "My account" not in anonymous
    assert "My account" in member and "Log out" in member
    assert "Staff admin" not in member


@pytest.mark.urls("tests.portal.urls_failing")
def test_an_unexpected_error_gets_the_styled_500_page(client, site_tree):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
