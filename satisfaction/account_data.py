"""What satisfaction stores about one customer: their data export and account deletion.

Registered in wagtail_hooks.py (see portal.services_customer). Deletion keeps
every interaction and every answer, detached from the person: the customer and
their email go, private comments go, the yes/no stays. The tallies, the meter,
the published raw data and its hash chain read none of what changes here
(see satisfaction.ledger.canonical_line), so none of them moves.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    FollowUp,
    FollowUpStatus,
    Interaction,
    SurveyInvitation,
    SurveyResponse,
)


def _theirs(user) -> Q:
    """Their interactions: on their account, or recorded by their email before they signed up."""
    condition = Q(customer=user)
    if user.email:
        condition |= Q(customer__isnull=True, customer_email__iexact=user.email)
    return condition


def account_export(user) -> dict:
    rows = []
    interactions = (
        Interaction.objects.filter(_theirs(user))
        .select_related("product", "invitation", "response")
        .order_by("occurred_at", "pk")
    )
    for i in interactions.iterator(chunk_size=500):
        invitation = getattr(i, "invitation", None)
        response = getattr(i, "response", None)
        rows.append(
            {
                "id": i.pk,
                "channel": i.channel,
                "product": i.product.title if i.product_id else "",
                "occurred_at": i.occurred_at,
                "summary": i.summary,
                "customer_email": i.customer_email,
                "survey_sent_at": invitation.sent_at if invitation else None,
                "survey_expires_at": invitation.expires_at if invitation else None,
                "survey_answer": (
                    None
                    if response is None
                    else ("yes" if response.satisfied else "no")
                ),
                "survey_answer_id": response.public_id if response else "",
                "survey_comment": response.comment if response else "",
                "answered_at": response.answered_at if response else None,
            }
        )
    from .contact.account_data import contact_export

    return {"support_interactions": rows, "contact_requests": contact_export(user)}


@transaction.atomic
def account_erase(*, user, remove_posts: bool = False) -> None:
    # A subquery, evaluated by each update; the interactions themselves change last.
    ids = Interaction.objects.filter(_theirs(user)).values("pk")
    # Their open "No" follow-ups cannot be followed up any more: closed, and counted
    # as such on the follow-up list, instead of waiting as "Customer —".
    FollowUp.objects.filter(
        response__interaction_id__in=ids,
        status__in=[FollowUpStatus.OPEN, FollowUpStatus.CONTACTED],
    ).update(status=FollowUpStatus.CUSTOMER_LEFT, updated_at=timezone.now())
    SurveyResponse.objects.filter(
        Q(interaction_id__in=ids) | Q(answered_by=user)
    ).update(comment="", answered_by=None)
    SurveyInvitation.objects.filter(interaction_id__in=ids).update(email="")
    Interaction.objects.filter(_theirs(user)).update(customer=None, customer_email="")
    from .contact.account_data import contact_erase

    contact_erase(user)
