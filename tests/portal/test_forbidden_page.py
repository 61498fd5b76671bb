"""Every refusal (staff-only pages, reviews, the admin) is the site's own 403 page:
the rule that refused, in words, with the site's navigation and a way on."""

import pytest

from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db


def assert_site_403(response, message):
    html = response.content.decode()
    assert response.status_code == 403
    assert len(html) > 1000  # not Django's bare 135-byte "403 Forbidden"
    assert '<nav class="site-nav"' in html
    assert "You cannot do this here" in html
    assert message in html
    assert 'href="/search/"' in html and 'href="/"' in html


def test_a_customer_in_the_admin_gets_the_sites_403_page(customer_client):
    assert_site_403(
        customer_client.get("/admin/"), "Customers cannot use the staff admin."
    )


def test_a_customer_replying_to_a_review_gets_the_sites_403_page(
    customer_client, product, other_customer
):
    review = write_review(product, other_customer)
    assert_site_403(
        customer_client.get(f"/reviews/{review.pk}/reply/"),
        "Only staff can reply to reviews.",
    )


def test_editing_someone_elses_review_gets_the_sites_403_page(
    customer_client, product, other_customer
):
    review = write_review(product, other_customer)
    assert_site_403(
        customer_client.get(f"/reviews/{review.pk}/edit/"),
        "Only the author can edit a review.",
    )


def test_staff_trying_to_review_gets_the_sites_403_page(staff_client, product):
    assert_site_403(
        staff_client.get(f"/reviews/write/{product.pk}/"),
        "Staff cannot review products.",
    )


def test_a_form_that_fails_its_csrf_check_gets_the_sites_403_page(customer, site_tree):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    response = browser.post("/account/profile/", {"display_name": "Ana"})
    assert_site_403(response, "reload the page and send it again")
