"""Staff handle contact requests in the Wagtail admin: queue, claim, reply, call, move, close."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satisfaction.contact import availability, services
from satisfaction.contact.models import CallbackHours, ContactHoliday, ContactStatus
from satisfaction.models import Channel, Interaction
from tests.factories.contact import open_every_day, submit
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/satisfaction/contact/"


def test_customers_never_reach_the_queue(customer_client):
    assert customer_client.get(QUEUE).status_code in (302, 403)


def test_the_queue_is_sorted_by_promised_time_and_flags_overdue(staff_client, customer):
    open_every_day()
    email = submit(customer=customer, message="By email")
    callback = submit(customer=customer, channel="callback", message="Call me")
    assert callback.promised_at < email.promised_at
    html = staff_client.get(QUEUE).content.decode()
    assert html.index("Call me") < html.index("By email")
    assert "data-overdue" not in html
    with time_machine.travel(
        callback.promised_at.replace(microsecond=0)
        + __import__("datetime").timedelta(minutes=5)
    ):
        html = staff_client.get(QUEUE + "?view=overdue").content.decode()
    assert "Call me" in html and "data-overdue" in html and "By email" not in html


def test_staff_claim_reply_and_close_and_the_survey_goes_out(
    staff_client,
    staff_user,
    customer,
    product,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    contact = submit(customer=customer, product=product)
    url = f"{QUEUE}{contact.pk}/"
    page = staff_client.get(url).content.decode()
    assert "My router keeps dropping" in page and "Claim" in page
    assert staff_client.post(url, {"action": "claim"}).status_code == 302
    assert (
        staff_client.post(url, {"action": "reply", "reply-body": ""}).status_code == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "reply", "reply-body": "Use channel 6."})
    assert (
        mailoutbox[-1].to == [customer.email]
        and "Use channel 6." in mailoutbox[-1].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            staff_client.post(
                url, {"action": "close", "close-outcome": "Solved"}
            ).status_code
            == 302
        )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.CLOSED and contact.outcome == "Solved"
    interaction = Interaction.objects.get()
    assert (
        interaction.channel == Channel.CONTACT_FORM
        and interaction.handled_by == staff_user
    )
    assert "satisfied" in mailoutbox[-1].subject


def test_a_second_staff_member_is_told_who_claimed_it(client, staff_user, customer):
    contact = submit(customer=customer)
    services.contact_request_claim(contact=contact, by=staff_user)
    client.force_login(StaffFactory())
    response = client.post(f"{QUEUE}{contact.pk}/", {"action": "claim"}, follow=True)
    assert "Sam Rivera has already claimed this request." in response.content.decode()


def test_staff_log_a_call_and_move_a_callback(
    staff_client, customer, mailoutbox, django_capture_on_commit_callbacks
):
    open_every_day(capacity=1)
    contact = submit(customer=customer, channel="callback")
    url = f"{QUEUE}{contact.pk}/"
    new = availability.slot_value(availability.slots_open()[0].starts_at)
    assert (
        staff_client.post(
            url, {"action": "move", "move-slot": new, "move-reason": ""}
        ).status_code
        == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            url, {"action": "move", "move-slot": new, "move-reason": "Line down"}
        )
    contact.refresh_from_db()
    assert availability.slot_value(contact.promised_at) == new
    assert "Line down" in mailoutbox[-1].body
    staff_client.post(
        url, {"action": "call", "call-reached": "yes", "call-note": "Fixed"}
    )
    contact.refresh_from_db()
    assert contact.called_at is not None and contact.called_on_time is True


def test_staff_publish_hours_and_holidays_as_snippets(staff_client):
    response = staff_client.post(
        "/admin/snippets/satisfaction/callbackhours/add/",
        {"weekday": "0", "opens": "09:00", "closes": "17:00", "capacity": "3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CallbackHours.objects.get().capacity == 3
    bad = staff_client.post(
        "/admin/snippets/satisfaction/callbackhours/add/",
        {"weekday": "0", "opens": "17:00", "closes": "09:00", "capacity": "3"},
    )
    assert bad.status_code == 200 and CallbackHours.objects.count() == 1
    staff_client.post(
        "/admin/snippets/satisfaction/contactholiday/add/",
        {"day": "2026-12-25", "name": "Christmas"},
    )
    assert ContactHoliday.objects.get().name == "Christmas"


def test_the_start_page_lists_overdue_requests_and_those_due_within_the_hour(
    staff_client, customer
):
    open_every_day()
    due = submit(customer=customer, channel="callback")
    late = submit(customer=customer)
    with time_machine.travel(
        late.promised_at + __import__("datetime").timedelta(minutes=1)
    ):
        html = staff_client.get("/admin/").content.decode()
    assert "Contact requests overdue" in html
    assert (
        f"#{late.pk} " in html and f"#{due.pk} " in html
    )  # the missed callback is overdue too
    with time_machine.travel(
        due.promised_at - __import__("datetime").timedelta(minutes=30)
    ):
        html = staff_client.get("/admin/").content.decode()
    assert "Contact requests due within the hour" in html and f"#{due.pk} " in html


def test_the_queue_costs_the_same_queries_with_many_requests(staff_client, customer):
    def count():
        staff_client.get(QUEUE)
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(QUEUE).status_code == 200
        return len(queries)

    submit(customer=customer)
    small = count()
    for n in range(30):
        submit(email=f"v{n}@example.com")
    assert count() == small


def test_the_request_shows_on_the_customers_timeline_and_in_the_staff_side_panel(
    client, customer, staff_user
):
    contact = submit(customer=customer, context_title="Set up Router X")
    client.force_login(customer)
    mine = client.get("/account/support/").content.decode()
    assert (
        "Set up Router X" in mine and f'href="/contact/requests/{contact.pk}/"' in mine
    )
    assert "Waiting: promised" in mine
    # The side panel next to the request, and on the staff customer page.
    client.force_login(staff_user)
    page = client.get(f"{QUEUE}{contact.pk}/").content.decode()
    assert "What we know about Ana Souza" in page
    assert "Contact request (reply by email)" in page
    services.contact_reply(contact=contact, by=staff_user, body="Hi")
    page = client.get(f"/admin/customers/{customer.pk}/").content.decode()
    assert "Answered, open" in page
