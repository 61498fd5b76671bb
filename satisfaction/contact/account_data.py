"""Contact requests in a customer's data export, and what account deletion removes.

Deletion keeps each request's times (the public figures count them) and drops
everything about the person: account link, email, name, phone, and every word
they wrote. Open callbacks give their slot back.
"""

from django.db.models import F, Q

from .models import (
    CallbackSlot,
    ContactMessage,
    ContactRequest,
    ContactStatus,
    MessageKind,
)


def _theirs(user) -> Q:
    condition = Q(customer=user)
    if user.email:
        condition |= Q(customer__isnull=True, email__iexact=user.email)
    return condition


def contact_export(user) -> list[dict]:
    rows = []
    for contact in (
        ContactRequest.objects.filter(_theirs(user))
        .prefetch_related("messages")
        .order_by("created_at", "pk")
    ):
        rows.append(
            {
                "id": contact.pk,
                "channel": contact.channel,
                "status": contact.status,
                "email": contact.email,
                "name": contact.name,
                "phone": contact.phone,
                "time_zone": contact.time_zone,
                "came_from": contact.context_url,
                "promised_at": contact.promised_at,
                "created_at": contact.created_at,
                "closed_at": contact.closed_at,
                "messages": [
                    {"kind": m.kind, "at": m.created_at, "body": m.body}
                    for m in contact.messages.all()
                ],
            }
        )
    return rows


def contact_erase(user) -> None:
    """Call inside the account deletion's transaction."""
    ids = list(
        ContactRequest.objects.filter(_theirs(user)).values_list("pk", flat=True)
    )
    if not ids:
        return
    open_slots = ContactRequest.objects.filter(pk__in=ids, slot__isnull=False).exclude(
        status=ContactStatus.CLOSED
    )
    for slot_id in open_slots.values_list("slot_id", flat=True):
        CallbackSlot.objects.filter(pk=slot_id, booked__gt=0).update(
            booked=F("booked") - 1
        )
    ContactMessage.objects.filter(request_id__in=ids, kind=MessageKind.CUSTOMER).update(
        body="", body_html="", author=None
    )
    ContactRequest.objects.filter(pk__in=ids, status=ContactStatus.OPEN).update(
        status=ContactStatus.CLOSED, outcome="Account deleted"
    )
    ContactRequest.objects.filter(pk__in=ids).exclude(
        status=ContactStatus.CLOSED
    ).update(status=ContactStatus.CLOSED)
    ContactRequest.objects.filter(pk__in=ids).update(
        customer=None,
        email="",
        name="",
        phone="",
        message="",
        message_html="",
        context_title="",
    )
