"""Contact requests in the customer's timeline and in the staff side panel.

One entry per request, timed by when it was made, with its state (waiting,
answered, overdue, closed) and the promised time. The customer's entry links
to their thread; staff's to the admin page. One bounded query.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.timeline import Entry, Query

from .models import ContactRequest, ContactStatus

CONTACT = "satisfaction.contact_request"


def state_label(contact: ContactRequest) -> str:
    if contact.status == ContactStatus.CLOSED:
        return _("Closed")
    if contact.status == ContactStatus.UNCONFIRMED:
        return _("Email address not confirmed yet")
    promised = contact.promised_at.strftime("%d %b %H:%M UTC")
    if contact.is_overdue:
        return _("Overdue: promised %(when)s") % {"when": promised}
    if contact.first_response_at:
        return _("Answered, open")
    return _("Waiting: promised %(when)s") % {"when": promised}


def _entry(contact: ContactRequest, *, private: bool) -> Entry:
    return Entry(
        kind=CONTACT,
        at=contact.created_at,
        key=f"contact_request:{contact.pk}",
        template="satisfaction/timeline/contact_request.html",
        title=contact.context_title or contact.message[:80],
        url=reverse("satisfaction_admin:contact", args=[contact.pk])
        if private
        else contact.get_absolute_url(),
        product_id=contact.product_id,
        product_title=contact.product.title if contact.product_id else "",
        data={
            "request_id": contact.pk,
            "channel": _("Contact request (%(how)s)")
            % {"how": contact.get_channel_display().lower()},
            "status": contact.status,
            "survey_label": state_label(contact),
            "promised_at": contact.promised_at.isoformat(),
            "staff_view": private,
        },
    )


class ContactTimeline:
    kinds = [(CONTACT, gettext_lazy("Contact requests"), False)]
    support_kinds = [CONTACT]

    def entries(self, query: Query) -> list[Entry]:
        if CONTACT not in query.kinds:
            return []
        qs = query.for_product(
            ContactRequest.objects.filter(customer=query.user).select_related("product")
        )
        return [
            _entry(c, private=query.private)
            for c in query.slice(qs, CONTACT, "created_at")
        ]

    def needs_you(self, query: Query) -> list[Entry]:
        return []
