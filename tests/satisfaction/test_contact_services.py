"""Contact requests through their services: submit, confirm, claim, reply, call, move, close."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from satisfaction.contact import availability, selectors, services
from satisfaction.contact.models import (
    CallbackSlot,
    ContactChannel,
    ContactHoliday,
    ContactMessage,
    ContactRequest,
    ContactStatus,
)
from satisfaction.contact.tokens import (
    CONFIRM,
    REPLY,
    InvalidLink,
    contact_from_token,
    contact_token_make,
)
from satisfaction.models import Channel, Interaction
from tests.factories.contact import first_slot, open_every_day, submit
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_is_open_at_once_with_a_promise_and_a_confirmation_email(
    customer, product, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = submit(
            customer=customer,
            product=product,
            context_url="/kb/set-up/",
            context_title="Set up",
        )
    assert contact.status == ContactStatus.OPEN
    assert contact.email == customer.email
    assert contact.promised_at - contact.created_at == timedelta(hours=24)
    assert contact.context_url == "/kb/set-up/"
    assert [m.kind for m in contact.messages.all()] == ["customer"]
    assert mailoutbox[-1].to == [customer.email]
    assert f"#{contact.pk}" in mailoutbox[-1].subject
    assert "/contact/thread/" in mailoutbox[-1].body


def test_an_anonymous_request_waits_for_its_emailed_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = submit(email="erin@example.org")
    assert contact.status == ContactStatus.UNCONFIRMED
    assert "/contact/confirm/" in mailoutbox[-1].body
    assert selectors.contact_queue(view="open").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_request_confirm(contact=contact)
        services.contact_request_confirm(contact=contact)  # twice is harmless
    contact.refresh_from_db()
    assert contact.status == ContactStatus.OPEN
    assert contact.confirmed_at is not None
    assert len(mailoutbox) == 2  # the link, then one confirmation


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"message": "   "}, "message"),
        ({"email": "not-an-email"}, "email"),
        ({"channel": "fax"}, "channel"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        (
            {
                "channel": ContactChannel.CALLBACK,
                "phone": "call me",
                "slot_start": None,
            },
            "phone",
        ),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(kwargs, field):
    open_every_day()
    with pytest.raises(ValidationError) as error:
        submit(**kwargs)
    assert field in error.value.message_dict
    assert ContactRequest.objects.count() == 0
    assert CallbackSlot.objects.count() == 0


def test_only_local_paths_are_kept_as_the_context():
    contact = submit(context_url="https://evil.example/phish")
    assert contact.context_url == ""
    assert submit(context_url="//evil.example/").context_url == ""


def test_a_callback_books_a_published_slot_and_promises_its_time():
    open_every_day(capacity=1)
    slot = first_slot()
    contact = submit(
        channel=ContactChannel.CALLBACK, slot_start=slot, time_zone="Asia/Tokyo"
    )
    assert contact.promised_at == slot
    assert CallbackSlot.objects.get(starts_at=slot).booked == 1
    assert services.local_time(contact).utcoffset() == timedelta(hours=9)
    assert slot not in [s.starts_at for s in availability.slots_open()]  # full now


def test_a_full_slot_refuses_the_next_booking_and_saves_nothing():
    open_every_day(capacity=1)
    slot = first_slot()
    submit(channel=ContactChannel.CALLBACK, slot_start=slot)
    with pytest.raises(ValidationError) as error:
        submit(
            channel=ContactChannel.CALLBACK, slot_start=slot, email="second@example.com"
        )
    assert "filled up" in error.value.message_dict["slot"][0]
    assert ContactRequest.objects.count() == 1
    assert CallbackSlot.objects.get(starts_at=slot).booked == 1


def test_times_outside_the_published_hours_or_on_a_holiday_are_refused():
    open_every_day(opens=time(9), closes=time(12))
    slot = first_slot()
    with pytest.raises(ValidationError):
        submit(channel=ContactChannel.CALLBACK, slot_start=slot + timedelta(minutes=7))
    ContactHoliday.objects.create(day=slot.date(), name="Closed")
    assert slot not in [s.starts_at for s in availability.slots_open()]
    with pytest.raises(ValidationError):
        submit(channel=ContactChannel.CALLBACK, slot_start=slot)


def test_hours_are_local_to_the_company_zone_across_daylight_saving(settings):
    settings.CANDOR_CONTACT_TIME_ZONE = "Europe/Paris"
    open_every_day(opens=time(9), closes=time(10))
    with time_machine.travel(datetime(2026, 3, 27, 12, tzinfo=UTC), tick=False):
        starts = [s.starts_at for s in availability.slots_open()][:4]
    # 9:00 Paris is 8:00 UTC before the change (29 March) and 7:00 UTC after.
    assert starts[0] == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert datetime(2026, 3, 29, 7, 0, tzinfo=UTC) in starts


def test_the_second_staff_member_to_claim_is_told_who_has_it(customer, staff_user):
    contact = submit(customer=customer)
    other = StaffFactory(username="kim", profile__display_name="Kim Lee")
    services.contact_request_claim(contact=contact, by=staff_user)
    services.contact_request_claim(contact=contact, by=staff_user)  # again: harmless
    with pytest.raises(ValidationError, match="Sam Rivera has already claimed"):
        services.contact_request_claim(contact=contact, by=other)
    with pytest.raises(ValidationError):
        services.contact_reply(contact=contact, by=other, body="Hi")
    assert ContactRequest.objects.get().claimed_by == staff_user


def test_customers_cannot_claim_or_close(customer, other_customer):
    contact = submit(customer=customer)
    with pytest.raises(PermissionDenied):
        services.contact_request_claim(contact=contact, by=other_customer)
    with pytest.raises(PermissionDenied):
        services.contact_request_close(contact=contact, by=customer)


def test_a_reply_goes_out_by_email_and_the_customer_answers_through_the_signed_link(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    contact = submit(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_reply(
            contact=contact, by=staff_user, body="Try **channel 6**."
        )
    contact.refresh_from_db()
    assert contact.claimed_by == staff_user
    assert (
        contact.first_response_at is not None
        and contact.first_response_seconds is not None
    )
    assert "Try **channel 6**." in mailoutbox[-1].body
    token = mailoutbox[-1].body.split("/contact/thread/")[1].split("/")[0]
    assert contact_from_token(token, REPLY) == contact
    with pytest.raises(InvalidLink):
        contact_from_token(token, CONFIRM)  # a reply link cannot confirm
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_customer_reply(contact=contact, body="Still drops.")
    assert mailoutbox[-1].to == [staff_user.email]
    assert list(ContactMessage.objects.values_list("kind", flat=True)) == [
        "customer",
        "reply",
        "customer",
    ]
    assert (
        "<strong>channel 6</strong>"
        in ContactMessage.objects.get(kind="reply").body_html
    )


def test_closing_records_an_interaction_with_a_survey_once(
    customer, staff_user, product, mailoutbox, django_capture_on_commit_callbacks
):
    contact = submit(customer=customer, product=product)
    services.contact_reply(contact=contact, by=staff_user, body="Fixed.")
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.contact_request_close(
            contact=contact, by=staff_user, outcome="Solved"
        )
    assert interaction.channel == Channel.CONTACT_FORM
    assert (interaction.source, interaction.source_ref) == (
        "satisfaction.contact",
        str(contact.pk),
    )
    assert interaction.customer == customer and interaction.handled_by == staff_user
    assert interaction.product == product
    assert interaction.invitation.email == customer.email
    assert "satisfied" in mailoutbox[-1].subject
    with pytest.raises(ValidationError, match="closed"):
        services.contact_request_close(contact=contact, by=staff_user)
    with pytest.raises(ValidationError, match="closed"):
        services.contact_customer_reply(contact=contact, body="More")
    assert Interaction.objects.count() == 1


def test_a_closed_callback_is_a_callback_interaction(customer, staff_user):
    open_every_day()
    contact = submit(customer=customer, channel=ContactChannel.CALLBACK)
    services.contact_call_log(contact=contact, by=staff_user, reached=True)
    interaction = services.contact_request_close(contact=contact, by=staff_user)
    assert interaction.channel == Channel.CALLBACK


def test_a_call_before_the_promise_counts_on_time_and_a_late_one_does_not(
    customer, staff_user
):
    open_every_day()
    early = submit(customer=customer, channel=ContactChannel.CALLBACK)
    services.contact_call_log(contact=early, by=staff_user, reached=True)
    late = submit(customer=customer, channel=ContactChannel.CALLBACK)
    with time_machine.travel(late.promised_at + timedelta(hours=1)):
        services.contact_call_log(contact=late, by=staff_user, reached=False)
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.called_on_time, late.called_on_time) == (True, False)


def test_moving_a_callback_frees_the_old_slot_and_tells_the_customer(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    open_every_day(capacity=1)
    contact = submit(customer=customer, channel=ContactChannel.CALLBACK)
    old = contact.slot
    new_start = availability.slots_open()[0].starts_at
    with pytest.raises(ValidationError):
        services.contact_callback_move(
            contact=contact, by=staff_user, slot_start=new_start, reason=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_callback_move(
            contact=contact,
            by=staff_user,
            slot_start=new_start,
            reason="Our line is down.",
        )
    contact.refresh_from_db()
    old.refresh_from_db()
    assert contact.promised_at == new_start
    assert old.booked == 0
    assert "Our line is down." in mailoutbox[-1].body
    assert "moved" in mailoutbox[-1].subject


def test_follow_through_reminds_once_before_a_callback_and_flags_overdue_once(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    open_every_day()
    callback = submit(customer=customer, channel=ContactChannel.CALLBACK)
    mail = submit(customer=customer)
    services.contact_request_claim(contact=mail, by=staff_user)
    mailoutbox.clear()
    with time_machine.travel(callback.promised_at - timedelta(minutes=30)):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.contact_follow_through()["reminded"] == 1
            assert services.contact_follow_through()["reminded"] == 0
    assert "reminder" in mailoutbox[-1].subject.lower()
    with time_machine.travel(mail.promised_at + timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            done = services.contact_follow_through()
            assert services.contact_follow_through()["flagged"] == 0
        assert selectors.contact_queue(view="overdue").filter(pk=mail.pk).exists()
    assert done["flagged"] == 2  # the missed callback too
    assert mailoutbox[-1].to == [staff_user.email]
    assert "overdue" in mailoutbox[-1].subject


def test_public_figures_give_the_median_first_response_and_callbacks_on_time(
    customer, staff_user
):
    open_every_day()
    for minutes in (10, 30, 50):
        contact = submit(customer=customer)
        with time_machine.travel(contact.confirmed_at + timedelta(minutes=minutes)):
            services.contact_reply(contact=contact, by=staff_user, body="Hello")
    on_time = submit(customer=customer, channel=ContactChannel.CALLBACK)
    services.contact_call_log(contact=on_time, by=staff_user, reached=True)
    submit(customer=customer, channel=ContactChannel.CALLBACK)  # never called
    with time_machine.travel(on_time.promised_at + timedelta(hours=2)):
        figures = {row["channel"]: row for row in selectors.contact_public_figures()}
    assert figures["email"]["median_first_response_seconds"] == 30 * 60
    assert figures["email"]["answered"] == 3
    assert figures["callback"]["callbacks"] == 2
    assert figures["callback"]["on_time_percent"] == 50


def test_tokens_made_for_one_request_do_not_open_another(customer):
    first, second = submit(customer=customer), submit(customer=customer)
    token = contact_token_make(first, REPLY)
    forged = token.replace(f"{first.pk}-", f"{second.pk}-", 1)
    with pytest.raises(InvalidLink):
        contact_from_token(forged, REPLY)


def test_with_the_database_task_backend_a_callback_schedules_its_reminder_and_overdue_check(
    settings, customer, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    open_every_day()
    with django_capture_on_commit_callbacks(execute=True):
        contact = submit(customer=customer, channel=ContactChannel.CALLBACK)
    runs = sorted(
        DBTaskResult.objects.filter(
            task_path__endswith="contact_follow_through_task"
        ).values_list("run_after", flat=True)
    )
    assert runs == [
        contact.promised_at - timedelta(minutes=60),
        contact.promised_at + timedelta(minutes=1),
    ]


def test_account_data_export_lists_requests_and_deletion_removes_the_person(
    customer, staff_user, password
):
    from portal import services_customer

    open_every_day(capacity=1)
    callback = submit(
        customer=customer,
        channel=ContactChannel.CALLBACK,
        message="Call me on my mobile",
    )
    services.contact_reply(contact=callback, by=staff_user, body="Sure")
    exported = services_customer.data_export_payload(user=customer)["contact_requests"]
    assert [r["phone"] for r in exported] == ["+44 20 7946 0000"]
    assert exported[0]["messages"][0]["body"] == "Call me on my mobile"
    services_customer.account_delete(user=customer, password=password)
    callback.refresh_from_db()
    assert (callback.customer, callback.email, callback.phone, callback.message) == (
        None,
        "",
        "",
        "",
    )
    assert callback.status == ContactStatus.CLOSED
    assert not ContactMessage.objects.filter(body__contains="mobile").exists()
    assert ContactMessage.objects.filter(kind="reply", body="Sure").exists()
    assert CallbackSlot.objects.get().booked == 0


def test_an_unconfirmed_request_is_closed_after_a_day_and_frees_its_slot():
    open_every_day(capacity=1)
    contact = submit(email="erin@example.org", channel=ContactChannel.CALLBACK)
    slot = contact.slot
    assert services.contact_follow_through()["expired"] == 0
    with time_machine.travel(contact.created_at + timedelta(hours=25)):
        assert services.contact_follow_through()["expired"] == 1
        assert services.contact_follow_through()["expired"] == 0
    contact.refresh_from_db()
    slot.refresh_from_db()
    assert contact.status == ContactStatus.CLOSED and contact.interaction is None
    assert slot.booked == 0


def test_the_survey_answer_after_closing_counts_on_the_meter_under_its_channel(
    customer, staff_user
):
    from satisfaction import selectors as meter_selectors
    from satisfaction import services as satisfaction_services

    open_every_day()
    for channel in (ContactChannel.EMAIL, ContactChannel.CALLBACK):
        contact = submit(customer=customer, channel=channel)
        interaction = services.contact_request_close(contact=contact, by=staff_user)
        satisfaction_services.survey_answer(
            invitation=interaction.invitation, satisfied=True, by=customer
        )
    names = {row["name"] for row in meter_selectors.meter_snapshot()["by_channel"]}
    assert {"Contact form", "Callback"} <= names


def test_a_reply_on_an_unclaimed_request_goes_to_the_alert_list(
    settings, customer, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CANDOR_SATISFACTION_ALERT_EMAILS = ["support@example.com"]
    contact = submit(customer=customer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_customer_reply(contact=contact, body="Any news?")
    assert mailoutbox[-1].to == ["support@example.com"]
    assert "Any news?" in mailoutbox[-1].body
