"""Callback availability and contact requests, made through the contact services."""

from datetime import time

from satisfaction.contact import availability, services
from satisfaction.contact.models import CallbackHours, ContactChannel


def open_every_day(capacity=2, opens=time(0, 0), closes=time(23, 59)):
    """Callback hours on all seven days, so slots exist whenever a test runs."""
    return [
        CallbackHours.objects.create(
            weekday=day, opens=opens, closes=closes, capacity=capacity
        )
        for day in range(7)
    ]


def first_slot():
    return availability.slots_open()[0].starts_at


def submit(*, customer=None, email="", channel=ContactChannel.EMAIL, **kwargs):
    if customer is None and not email:
        email = "visitor@example.com"
    kwargs.setdefault("message", "My router keeps dropping the connection.")
    if channel == ContactChannel.CALLBACK:
        kwargs.setdefault("phone", "+44 20 7946 0000")
        kwargs.setdefault("slot_start", first_slot())
    return services.contact_request_submit(
        customer=customer, email=email, channel=channel, **kwargs
    )
