"""Interactions and answers, made through the satisfaction services like the app makes them."""

import itertools

from satisfaction import services
from satisfaction.models import Channel

_refs = itertools.count(1)


def record(*, customer=None, customer_email="", channel=Channel.EMAIL, source="tests", source_ref=None, **kwargs):
    """Record an interaction (a customer or an email is needed; a fresh reference by default)."""
    if customer is None and not customer_email:
        customer_email = f"customer-{next(_refs)}@example.com"
    return services.interaction_record(
        channel=channel,
        source=source,
        source_ref=source_ref or f"ref-{next(_refs)}",
        customer=customer,
        customer_email=customer_email,
        **kwargs,
    )


def answer(interaction, satisfied=True, comment="", by=None):
    """Answer the interaction's survey as the link holder."""
    return services.survey_answer(invitation=interaction.invitation, satisfied=satisfied, comment=comment, by=by)
