"""Every write on contact requests: submit, confirm, claim, reply, log a call, move, close.

Views, the admin, the API, the follow-through command and tests all call these.
Closing a request records a support interaction through
`satisfaction.services.interaction_record`, so the customer gets the survey
like on every other channel. Emails go out after commit (portal.emails).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.emails import email_send_on_commit
from portal.markdown import render_markdown
from portal.permissions import is_staff_member

from .. import services as satisfaction_services
from . import booking, tasks, validation
from .follow_through import contact_follow_through  # noqa: F401 - part of this door
from .models import (
    CallbackSlot,
    ContactChannel,
    ContactMessage,
    ContactRequest,
    ContactStatus,
    MessageKind,
)
from .notify import absolute_url, contact_link, email_customer, local_time
from .tokens import CONFIRM
from .validation import TIME_ZONES  # noqa: F401 - views read it here

SOURCE = "satisfaction.contact"


def _message_add(contact, *, kind, body="", author=None, at=None) -> ContactMessage:
    body = (body or "").strip()
    return ContactMessage.objects.create(
        request=contact,
        kind=kind,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=at or timezone.now(),
    )


def _promise(channel: str, slot: CallbackSlot | None, start: datetime) -> datetime:
    if channel == ContactChannel.CALLBACK:
        return slot.starts_at
    return start + timedelta(hours=settings.CANDOR_CONTACT_REPLY_HOURS)


def _confirmed(contact: ContactRequest) -> None:
    tasks.follow_through_schedule(contact)
    email_customer(
        contact,
        subject=f"We got your request (#{contact.pk})",
        template="satisfaction/email/contact_received.txt",
    )


@transaction.atomic
def contact_request_submit(
    *,
    customer=None,
    email: str = "",
    name: str = "",
    phone: str = "",
    channel: str,
    message: str,
    slot_start: datetime | None = None,
    time_zone: str = "UTC",
    context_url: str = "",
    context_title: str = "",
    product=None,
) -> ContactRequest:
    """Ask for a person: by email reply or by a callback in a published slot.

    Signed in, the request is open at once and confirmed by email; anonymous,
    it waits for the emailed link to be followed (the address is proved before
    staff spend time on it). Bad input raises ValidationError and saves nothing.
    """
    if customer is not None and not customer.is_authenticated:
        customer = None
    message = (message or "").strip()
    email = (email or "").strip() or (customer.email if customer is not None else "")
    phone = (phone or "").strip()
    validation.submission_check(
        message=message,
        email=email,
        channel=channel,
        time_zone=time_zone,
        phone=phone,
        slot_start=slot_start,
    )
    now = timezone.now()
    slot = booking.slot_book(slot_start) if channel == ContactChannel.CALLBACK else None
    signed_in = customer is not None
    contact = ContactRequest(
        customer=customer,
        email=email,
        name=(name or "").strip()[:100],
        phone=phone if channel == ContactChannel.CALLBACK else "",
        channel=channel,
        message=message,
        message_html=render_markdown(message),
        context_url=validation.clean_context_url(context_url),
        context_title=(context_title or "").strip()[:200],
        product=product,
        time_zone=time_zone,
        slot=slot,
        promised_at=_promise(channel, slot, now),
        status=ContactStatus.OPEN if signed_in else ContactStatus.UNCONFIRMED,
        confirmed_at=now if signed_in else None,
        nonce=secrets.token_hex(16),
        created_at=now,
    )
    contact.full_clean(validate_unique=False, validate_constraints=False)
    contact.save(force_insert=True)
    _message_add(
        contact, kind=MessageKind.CUSTOMER, body=message, author=customer, at=now
    )
    if signed_in:
        _confirmed(contact)
    else:
        email_customer(
            contact,
            subject="Confirm your request to talk to a person",
            template="satisfaction/email/contact_confirm.txt",
            confirm_url=contact_link(contact, CONFIRM),
        )
    return contact


@transaction.atomic
def contact_request_confirm(*, contact: ContactRequest) -> ContactRequest:
    """Open an anonymous request once its emailed link is followed; twice is harmless."""
    now = timezone.now()
    opened = ContactRequest.objects.filter(
        pk=contact.pk, status=ContactStatus.UNCONFIRMED
    ).update(
        status=ContactStatus.OPEN,
        confirmed_at=now,
        promised_at=_promise(contact.channel, contact.slot, now),
    )
    contact.refresh_from_db()
    if opened:
        _confirmed(contact)
    return contact


def _staff_only(by) -> None:
    if not is_staff_member(by):
        raise PermissionDenied("Only staff handle contact requests.")


def _must_be_open(contact: ContactRequest) -> None:
    if contact.status != ContactStatus.OPEN:
        raise ValidationError(
            "This request is closed."
            if contact.status == ContactStatus.CLOSED
            else "This request is waiting for the customer to confirm their email address."
        )


@transaction.atomic
def contact_request_claim(*, contact: ContactRequest, by) -> ContactRequest:
    """Make `by` the one staff member handling the request.

    The UPDATE ... WHERE claimed_by IS NULL decides between two staff claiming at
    once: the second is told who has it. Claiming your own claim again is harmless.
    """
    _staff_only(by)
    _must_be_open(contact)
    ContactRequest.objects.filter(pk=contact.pk, claimed_by__isnull=True).update(
        claimed_by=by, claimed_at=timezone.now()
    )
    contact.refresh_from_db()
    if contact.claimed_by_id != by.pk:
        holder = contact.claimed_by
        name = (
            getattr(getattr(holder, "profile", None), "display_name", "")
            or holder.username
        )
        raise ValidationError(
            f"{name} has already claimed this request.", code="claimed"
        )
    return contact


def _first_response(contact: ContactRequest, now: datetime) -> None:
    """Stamp the first reply or call, once (a conditional UPDATE keeps the first)."""
    start = contact.confirmed_at or contact.created_at
    ContactRequest.objects.filter(pk=contact.pk, first_response_at__isnull=True).update(
        first_response_at=now,
        first_response_seconds=max(int((now - start).total_seconds()), 0),
    )


@transaction.atomic
def contact_reply(*, contact: ContactRequest, by, body: str) -> ContactMessage:
    """Staff answer by email from Candor; the customer answers back through the signed link."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write the reply."]})
    contact = contact_request_claim(contact=contact, by=by)
    now = timezone.now()
    reply = _message_add(contact, kind=MessageKind.REPLY, body=body, author=by, at=now)
    _first_response(contact, now)
    email_customer(
        contact,
        subject=f"Re: your request #{contact.pk}",
        template="satisfaction/email/contact_reply.txt",
        reply=reply,
    )
    return reply


@transaction.atomic
def contact_customer_reply(
    *, contact: ContactRequest, body: str, by=None
) -> ContactMessage:
    """The customer's answer in the thread (from the signed link or their account)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write your reply."]})
    if len(body) > 4000:
        raise ValidationError({"body": ["Keep it under 4000 characters."]})
    if contact.status == ContactStatus.CLOSED:
        raise ValidationError(
            "This request is closed. Start a new one if you still need help."
        )
    if contact.status == ContactStatus.UNCONFIRMED:
        contact = contact_request_confirm(
            contact=contact
        )  # the link proves the address too
    author = by if by is not None and by.is_authenticated else None
    message = _message_add(contact, kind=MessageKind.CUSTOMER, body=body, author=author)
    # The claimer hears of it; nobody claimed it yet: the satisfaction alert list, if set.
    claimer = contact.claimed_by.email if contact.claimed_by_id else ""
    recipients = (
        [claimer] if claimer else list(settings.CANDOR_SATISFACTION_ALERT_EMAILS)
    )
    if recipients:
        email_send_on_commit(
            to=recipients,
            subject=f"The customer replied on request #{contact.pk}",
            template="satisfaction/email/contact_customer_replied.txt",
            context={
                "contact": contact,
                "message": message,
                "admin_url": absolute_url(
                    reverse("satisfaction_admin:contact", args=[contact.pk])
                ),
            },
        )
    return message


@transaction.atomic
def contact_call_log(
    *, contact: ContactRequest, by, reached: bool, note: str = ""
) -> ContactMessage:
    """Log a callback attempt; the first one says whether the promise was kept."""
    if contact.channel != ContactChannel.CALLBACK:
        raise ValidationError("Only callback requests have calls to log.")
    contact = contact_request_claim(contact=contact, by=by)
    now = timezone.now()
    on_time = now <= contact.promised_at + timedelta(
        minutes=settings.CANDOR_CONTACT_ON_TIME_MINUTES
    )
    ContactRequest.objects.filter(pk=contact.pk, called_at__isnull=True).update(
        called_at=now, called_on_time=on_time
    )
    _first_response(contact, now)
    text = ("Called: reached the customer." if reached else "Called: no answer.") + (
        f"\n\n{note.strip()}" if (note or "").strip() else ""
    )
    return _message_add(contact, kind=MessageKind.CALL, body=text, author=by, at=now)


@transaction.atomic
def contact_callback_move(
    *, contact: ContactRequest, by, slot_start: datetime, reason: str
) -> ContactRequest:
    """Move a callback to another published slot and tell the customer, with the reason."""
    _staff_only(by)
    _must_be_open(contact)
    if contact.channel != ContactChannel.CALLBACK:
        raise ValidationError("Only callbacks have a time to move.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Tell the customer why the call moves."]})
    if slot_start is None or slot_start == contact.slot.starts_at:
        raise ValidationError({"slot": ["Choose a different time."]})
    old = contact.slot
    new = booking.slot_book(slot_start)
    booking.slot_release(old)
    contact.slot = new
    contact.promised_at = new.starts_at
    contact.reminded_at = None
    contact.overdue_flagged_at = None
    contact.save(
        update_fields=["slot", "promised_at", "reminded_at", "overdue_flagged_at"]
    )
    tasks.follow_through_schedule(contact)
    _message_add(contact, kind=MessageKind.MOVED, body=reason, author=by)
    email_customer(
        contact,
        subject=f"We moved your callback (#{contact.pk})",
        template="satisfaction/email/contact_moved.txt",
        old_local=local_time(contact, old.starts_at),
        reason=reason,
    )
    return contact


@transaction.atomic
def contact_request_cancel(*, contact: ContactRequest, by=None) -> ContactRequest:
    """The customer no longer needs us: close without an interaction, free the slot."""
    cancelled = (
        ContactRequest.objects.filter(pk=contact.pk)
        .exclude(status=ContactStatus.CLOSED)
        .update(
            status=ContactStatus.CLOSED,
            closed_at=timezone.now(),
            outcome="Cancelled by the customer",
        )
    )
    if not cancelled:
        raise ValidationError("This request is closed already.")
    if contact.slot_id and contact.called_at is None:
        booking.slot_release(contact.slot)
    _message_add(contact, kind=MessageKind.CLOSED, body="Cancelled by the customer.")
    contact.refresh_from_db()
    return contact


@transaction.atomic
def contact_request_close(*, contact: ContactRequest, by, outcome: str = ""):
    """Close the request and record it as a support interaction (survey included).

    Channel "contact form" for email requests, "callback" for calls; the
    interaction's source is this request, so closing twice records nothing new.
    """
    _staff_only(by)
    now = timezone.now()
    closed = ContactRequest.objects.filter(
        pk=contact.pk, status=ContactStatus.OPEN
    ).update(
        status=ContactStatus.CLOSED,
        closed_at=now,
        closed_by=by,
        outcome=(outcome or "").strip()[:300],
    )
    contact.refresh_from_db()
    if not closed:
        _must_be_open(contact)
    channel = (
        satisfaction_services.Channel.CALLBACK
        if contact.channel == ContactChannel.CALLBACK
        else satisfaction_services.Channel.CONTACT_FORM
    )
    interaction = satisfaction_services.interaction_record(
        channel=channel,
        source=SOURCE,
        source_ref=str(contact.pk),
        customer=contact.customer,
        customer_email=contact.email,
        product=contact.product,
        handled_by=contact.claimed_by or by,
        occurred_at=now,
        summary=contact.context_title or contact.message[:300],
    )
    contact.interaction = interaction
    contact.save(update_fields=["interaction"])
    _message_add(
        contact, kind=MessageKind.CLOSED, body=contact.outcome, author=by, at=now
    )
    return interaction
