"""The question page shows everyone its known-problem status, the customers
affected and the status history, in a query budget that does not grow with it."""

import pytest

from community import services
from community.known_problems.services import known_problem_set_status
from tests.factories.community import make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_everyone_sees_status_affected_count_and_history(client, customer, staff_user):
    question = make_question(customer)
    for _ in range(2):
        services.me_too_add(question=question, user=UserFactory())
    known_problem_set_status(staff_user, question, "investigating", "Looking at it.", "")
    known_problem_set_status(staff_user, question, "fixed", "Update <b>now</b>.", "2.4.1")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Known problem" in html
    assert "<strong>3</strong> customers affected" in html
    assert 'class="badge badge-known badge-known-fixed">Fixed</span>' in html
    history = html.split('class="known-problem-history"')[1].split("</ol>")[0]
    assert history.index("Fixed") < history.index("Investigating")
    assert "fixed in 2.4.1" in history
    assert "Update &lt;b&gt;now&lt;/b&gt;." in history
    assert "Looking at it." in history


def test_a_question_without_status_shows_no_panel(client, customer):
    question = make_question(customer)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Known problem" not in html


def test_the_history_costs_the_same_queries_at_any_length(
    client, customer, staff_user, django_assert_max_num_queries
):
    question = make_question(customer)
    known_problem_set_status(staff_user, question, "investigating", "One.", "")
    url = question.get_absolute_url()
    client.get(url)  # warm the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get(url + "?a=1")
    for i in range(30):
        known_problem_set_status(staff_user, question, "planned", f"Note {i}.", "")
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url + "?a=2")
    assert response.content.decode().count("Note ") == 30


def test_staff_set_the_status_from_the_question_page(
    customer, staff_client, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    page = staff_client.get(question.get_absolute_url()).content.decode()
    assert 'name="status"' in page and "Won&#x27;t fix" in page
    url = f"/community/questions/{question.pk}/known-problem/"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"status": "fixed", "note": "Update.", "fixed_in": "2.4.1"}
        )
    assert response.status_code == 302
    assert question.known_problem.fixed_in == "2.4.1"
    refused = staff_client.post(url, {"status": "nope"})
    assert refused.status_code == 400
    assert "Choose a valid status." in refused.content.decode()
    assert question.known_problem.changes.count() == 1


def test_customers_may_not_set_a_status(customer_client, other_customer):
    question = make_question(other_customer)
    page = customer_client.get(question.get_absolute_url()).content.decode()
    assert "known-problem-form" not in page
    response = customer_client.post(
        f"/community/questions/{question.pk}/known-problem/", {"status": "fixed"}
    )
    assert response.status_code == 403
    assert "Only staff can set a known-problem status." in response.content.decode()
