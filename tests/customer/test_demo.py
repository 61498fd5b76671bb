"""The demo customers' My support pages have a staff reply to read and a survey about it."""

import pytest

from portal import selectors_customer
from reviews.demo_support import load_support_demo
from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db


def test_demo_customers_get_a_reply_once(customer, staff_user, product):
    write_review(product, customer, rating=2, title="Could be better")
    context = {"accounts": {"staff": [staff_user], "customers": [customer]}}
    assert load_support_demo(context) == 1
    assert load_support_demo(context) == 0  # running the demo again changes nothing
    page = selectors_customer.timeline_for_viewer(viewer=customer, customer=customer)
    assert {e.kind for e in page.needs_you} == {
        "reviews.reply",
        "satisfaction.interaction",
    }
