"""A failing mail server: the write succeeds and the email is sent later."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from portal.tasks import retry_delay

# The worker closes connections it finds inside a transaction, as a real worker
# would, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


class FlakyBackend(LocmemBackend):
    """A mail server that is down until `FlakyBackend.up` is set."""

    up = False

    def send_messages(self, messages):
        if not FlakyBackend.up:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    FlakyBackend.up = False
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.up = False


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_a_reset_request_succeeds_while_mail_is_down_and_the_mail_goes_out_later(
    client, customer, flaky_mail, django_capture_on_commit_callbacks
):
    start = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/account/password-reset/", {"email": customer.email}
            )
        assert response.status_code == 302  # the write (and the request) succeeded
        assert DBTaskResult.objects.count() == 1
        run_worker()  # first attempt: the server refuses
        assert mail.outbox == []
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == start + retry_delay(1)
        assert retry.args_kwargs["kwargs"]["attempt"] == 2

        clock.shift(30)
        run_worker()  # too early: nothing runs
        assert DBTaskResult.objects.filter(status="READY").count() == 1

        flaky_mail.up = True
        clock.shift(60)
        run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert "password" in mail.outbox[0].subject.lower()


def test_retries_back_off_and_stop(settings, flaky_mail):
    from portal.tasks import email_send_task

    settings.CANDOR_EMAIL_MAX_ATTEMPTS = 3
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 8)] == [
        60,
        120,
        240,
        3600,
    ]
    start = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        email_send_task.enqueue(to=["a@example.com"], subject="Hi", body="Hello")
        for _ in range(4):
            run_worker()
            clock.shift(3600)
    assert DBTaskResult.objects.count() == 3  # three attempts, then it gives up
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert mail.outbox == []


def test_with_the_immediate_backend_a_mail_outage_never_breaks_the_request(
    client, customer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.up = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password-reset/", {"email": customer.email})
    assert response.status_code == 302
