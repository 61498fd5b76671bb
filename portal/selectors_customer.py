"""Reads about one customer: their timeline (for them, or for staff) and their account.

The one rule for timelines lives in `timeline_for_viewer`: a customer reads
their own timeline without its private kinds; staff read anyone's, with them;
anyone else gets `Http404` (a customer never learns whether another exists).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from . import timeline
from .models import CustomerNote, DataExport, SupportVisit
from .permissions import is_staff_member

SIDE_PANEL_ENTRIES = 6


def can_read_timeline(viewer, customer) -> bool:
    return bool(
        viewer.is_authenticated
        and (viewer.pk == customer.pk or is_staff_member(viewer))
    )


def timeline_for_viewer(
    *,
    viewer,
    customer,
    kinds=(),
    product_id: int | None = None,
    before: timeline.Cursor | None = None,
    since: datetime | None = None,
    limit: int = timeline.PAGE_SIZE,
    with_needs_you: bool = True,
) -> timeline.Page:
    """Return one page of `customer`'s timeline as `viewer` may see it.

    Staff see the private kinds (survey comments, flags, moderation, notes);
    the customer sees the rest; nobody else sees anything.
    """
    if not can_read_timeline(viewer, customer):
        raise Http404
    return timeline.timeline_page(
        user=customer,
        private=is_staff_member(viewer),
        kinds=kinds,
        product_id=product_id,
        before=before,
        since=since,
        limit=limit,
        with_needs_you=with_needs_you,
    )


def support_visit_previous(*, user) -> datetime | None:
    visit = SupportVisit.objects.filter(user=user).only("seen_at").first()
    return visit.seen_at if visit else None


def customer_get(pk: int):
    """The customer a staff page is about, with their profile (404 if none)."""
    user = get_user_model().objects.select_related("profile").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def customer_search(q: str = ""):
    users = get_user_model().objects.select_related("profile").order_by("-date_joined")
    q = q.strip()
    if q:
        users = users.filter(
            Q(email__icontains=q)
            | Q(username__icontains=q)
            | Q(profile__display_name__icontains=q)
        )
    return users


def customer_side_panel(*, customer, viewer) -> dict:
    """What staff should know before they answer this customer: their last support
    interactions with the survey answers, and the staff notes (two short reads)."""
    support_kinds = [
        k for p in timeline.providers() for k in getattr(p, "support_kinds", [])
    ]
    support = (
        timeline_for_viewer(
            viewer=viewer,
            customer=customer,
            kinds=support_kinds,
            limit=SIDE_PANEL_ENTRIES,
            with_needs_you=False,
        ).entries
        if support_kinds
        else []
    )
    notes = timeline_for_viewer(
        viewer=viewer,
        customer=customer,
        kinds=[timeline.NOTE],
        limit=3,
        with_needs_you=False,
    ).entries
    return {"customer": customer, "support": support, "notes": notes}


def data_export_list(*, user):
    return (
        DataExport.objects.filter(user=user)
        .defer("payload")
        .order_by("-requested_at")[:5]
    )


def customer_note_list(*, customer):
    return CustomerNote.objects.filter(customer=customer).select_related(
        "author__profile"
    )
