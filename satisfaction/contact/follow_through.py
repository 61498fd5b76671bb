"""Follow-through: reminders before callbacks and overdue flags to staff.

Run by `manage.py satisfaction_contact_follow_through` (every few minutes) and by
the deferred task each booking schedules when the task backend can wait.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.emails import email_send_on_commit

from .booking import slot_release
from .models import ContactChannel, ContactRequest, ContactStatus
from .notify import email_customer


def contact_follow_through(*, now: datetime | None = None) -> dict[str, int]:
    """Send due callback reminders, flag overdue requests to staff, and close requests
    never confirmed (their slot is freed); safe to run often.

    Each request is reminded and flagged at most once (a conditional UPDATE
    claims it before its email is queued), even with two runs at once.
    """
    now = now or timezone.now()
    remind_before = timedelta(minutes=settings.CANDOR_CONTACT_REMIND_MINUTES)
    reminded = 0
    due = ContactRequest.objects.open().filter(
        channel=ContactChannel.CALLBACK,
        reminded_at__isnull=True,
        called_at__isnull=True,
        promised_at__gt=now,
        promised_at__lte=now + remind_before,
    )
    for contact in due.order_by("promised_at")[:500]:
        with transaction.atomic():
            if ContactRequest.objects.filter(
                pk=contact.pk, reminded_at__isnull=True
            ).update(reminded_at=now):
                email_customer(
                    contact,
                    subject="A reminder: we call you soon",
                    template="satisfaction/email/contact_reminder.txt",
                )
                reminded += 1
    flagged = []
    for contact in (
        ContactRequest.objects.overdue(now)
        .filter(overdue_flagged_at__isnull=True)
        .select_related("claimed_by")[:500]
    ):
        if ContactRequest.objects.filter(
            pk=contact.pk, overdue_flagged_at__isnull=True
        ).update(overdue_flagged_at=now):
            flagged.append(contact)
    if flagged:
        from django.contrib.auth import get_user_model

        claimers = {
            c.claimed_by.email
            for c in flagged
            if c.claimed_by_id and c.claimed_by.email
        }
        recipients = (
            list(settings.CANDOR_SATISFACTION_ALERT_EMAILS)
            or sorted(claimers)
            or list(
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .exclude(email="")
                .order_by("pk")
                .values_list("email", flat=True)[:50]
            )
        )
        with transaction.atomic():
            email_send_on_commit(
                to=recipients,
                subject=f"{len(flagged)} contact request(s) overdue",
                template="satisfaction/email/contact_overdue.txt",
                context={
                    "requests": flagged,
                    "admin_base": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                },
            )
    return {
        "reminded": reminded,
        "flagged": len(flagged),
        "expired": _unconfirmed_expire(now),
    }


def _unconfirmed_expire(now: datetime) -> int:
    """Close requests whose email link was never followed, giving back their callback slot."""
    expired = 0
    stale = ContactRequest.objects.filter(
        status=ContactStatus.UNCONFIRMED,
        created_at__lt=now - timedelta(hours=settings.CANDOR_CONTACT_CONFIRM_HOURS),
    )
    for contact in stale.order_by("pk")[:500]:
        with transaction.atomic():
            if ContactRequest.objects.filter(
                pk=contact.pk, status=ContactStatus.UNCONFIRMED
            ).update(
                status=ContactStatus.CLOSED,
                closed_at=now,
                outcome="Email address never confirmed",
            ):
                if contact.slot_id:
                    slot_release(contact.slot)
                expired += 1
    return expired
