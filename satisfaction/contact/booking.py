"""Callback slot bookings: the capacity rule, in one conditional UPDATE."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from . import availability
from .models import CallbackSlot


def slot_book(starts_at: datetime) -> CallbackSlot:
    """Take one place in the published slot at `starts_at`, or raise ValidationError.

    The conditional UPDATE (booked < capacity) is the rule: concurrent bookings
    queue on the row lock and the one that finds it full updates nothing.
    """
    capacity = availability.slot_capacity(starts_at)
    if capacity is None:
        raise ValidationError(
            {"slot": ["That time is not offered; choose one of the times listed."]}
        )
    slot = CallbackSlot.objects.filter(starts_at=starts_at).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = CallbackSlot.objects.create(
                    starts_at=starts_at, capacity=capacity
                )
        except IntegrityError:
            slot = CallbackSlot.objects.get(starts_at=starts_at)
    taken = CallbackSlot.objects.filter(
        pk=slot.pk, booked__lt=min(capacity, slot.capacity)
    ).update(booked=F("booked") + 1)
    if not taken:
        raise ValidationError(
            {"slot": ["That time has just filled up; choose another."]}
        )
    return slot


def slot_release(slot: CallbackSlot) -> None:
    CallbackSlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
