"""Emails to the customer about their request, with their times in their own zone.

The links in them are signed (see tokens.py); they go out after commit.
"""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from portal.emails import email_send_on_commit

from .models import ContactRequest
from .tokens import CONFIRM, REPLY, contact_token_make


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def contact_link(contact: ContactRequest, purpose: str = REPLY) -> str:
    """The signed link the customer gets: confirm the request, or read and answer the thread."""
    name = (
        "satisfaction:contact_confirm"
        if purpose == CONFIRM
        else "satisfaction:contact_reply"
    )
    return absolute_url(reverse(name, args=[contact_token_make(contact, purpose)]))


def local_time(contact: ContactRequest, moment: datetime | None = None) -> datetime:
    """`moment` (default: the promised time) in the customer's own time zone."""
    return (moment or contact.promised_at).astimezone(
        zoneinfo.ZoneInfo(contact.time_zone)
    )


def email_customer(
    contact: ContactRequest, *, subject: str, template: str, **context
) -> None:
    email_send_on_commit(
        to=[contact.email],
        subject=subject,
        template=template,
        context={
            "contact": contact,
            "promised_local": local_time(contact),
            "thread_url": contact_link(contact),
            **context,
        },
    )
