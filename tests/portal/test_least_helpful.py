"""Staff's "Least helpful articles" report in the Wagtail admin."""

import pytest
from django.test import Client

from portal import services
from tests.factories.portal import make_article
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/reports/least-helpful-articles/"


def answer(article, *answers, note=""):
    for helpful in answers:
        row = services.article_feedback_record(
            article=article, user=UserFactory(), helpful=helpful
        )
        if note and not helpful:
            services.article_feedback_missing_note(feedback=row, text=note)


def test_report_orders_by_share_of_no_with_counts_and_notes(
    staff_client, site_tree, article
):
    worse = make_article(site_tree["kb"], "Reset the modem")
    few = make_article(site_tree["kb"], "Two answers only")
    answer(article, True, True, False)
    answer(worse, False, False, False, True, note="No screenshots of the lights")
    answer(few, False, False)
    html = staff_client.get(URL).content.decode()
    assert html.index("Reset the modem") < html.index("Set up Router X")
    assert "Two answers only" not in html
    assert "No screenshots of the lights" in html
    assert "75 %" in html and "33 %" in html


def test_report_query_count_does_not_grow(staff_client, site_tree, article, django_assert_max_num_queries):
    answer(article, False, False, False, note="More detail")
    staff_client.get(URL)
    with django_assert_max_num_queries(12):
        staff_client.get(URL)
    for i in range(5):
        answer(make_article(site_tree["kb"], f"Extra {i}"), False, True, True, note="n")
    with django_assert_max_num_queries(12):
        assert staff_client.get(URL).status_code == 200


def test_customers_cannot_open_the_report(customer):
    client = Client()
    client.force_login(customer)
    assert client.get(URL).status_code in (302, 403)
