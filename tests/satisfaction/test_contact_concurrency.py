"""Contact rules under concurrent requests: a slot filling up, two staff claiming at once.

Threads with their own connections; PostgreSQL lets them race for real, SQLite
serialises the writers (see test_concurrency.py).
"""

import pytest
from django.core.exceptions import ValidationError

from satisfaction.contact import services
from satisfaction.contact.models import CallbackSlot, ContactRequest
from tests.concurrency import run_together
from tests.factories.contact import first_slot, open_every_day, submit
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_customers_booking_a_slot_of_three_get_exactly_three_callbacks(
    site_tree,
):
    open_every_day(capacity=3)
    slot = first_slot()
    count = 20

    def book(index):
        return submit(
            channel="callback",
            slot_start=slot,
            email=f"c{index}@example.com",
            message=f"Call {index}",
        )

    results = run_together(book, count)
    booked = [r for r in results if isinstance(r, ContactRequest)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 3, results
    assert len(refused) == count - 3, results
    assert all("filled up" in r.message_dict["slot"][0] for r in refused)
    assert CallbackSlot.objects.get(starts_at=slot).booked == 3
    assert ContactRequest.objects.count() == 3


def test_two_staff_claiming_at_once_leave_one_owner(site_tree):
    contact = submit(customer=UserFactory())
    staff = [StaffFactory() for _ in range(2)]

    def claim(index):
        fresh = ContactRequest.objects.get(pk=contact.pk)
        return services.contact_request_claim(contact=fresh, by=staff[index % 2])

    results = run_together(claim, 10)
    winner = ContactRequest.objects.get(pk=contact.pk).claimed_by
    won = [r for r in results if isinstance(r, ContactRequest)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert winner in staff
    assert all(r.claimed_by == winner for r in won)
    assert len(won) == 5 and len(lost) == 5, results
    assert all("already claimed" in r.messages[0] for r in lost)
