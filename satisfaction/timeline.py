"""Satisfaction's part of a customer's timeline (registered in wagtail_hooks.py).

Every support interaction, from every channel, with its survey state: waiting
for the customer's answer, answered Yes or No (with their comment), expired,
or not surveyed. Staff also see the follow-ups of "No" answers with their
notes. Surveys waiting for an answer are what needs the customer. One bounded
query per kind (see portal.timeline).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.timeline import Entry, Query

from .models import FollowUp, Interaction

INTERACTION = "satisfaction.interaction"
FOLLOW_UP = "satisfaction.follow_up"
T = "satisfaction/timeline/"


LABELS = {
    # state: (what the customer reads, what staff read)
    "yes": (_("You answered: Yes, satisfied"), _("Answered Yes: satisfied")),
    "no": (_("You answered: No, not satisfied"), _("Answered No: not satisfied")),
    "not_surveyed": (_("No survey"), _("Not surveyed")),
    "expired": (_("Survey expired"), _("Survey expired unanswered")),
    "waiting": (_("Waiting for your answer"), _("Waiting for the customer's answer")),
}


def survey_state(interaction, *, staff: bool = False) -> tuple[str, str]:
    """Return (state, label) of an interaction's survey, from its joined rows."""
    response = getattr(interaction, "response", None)
    invitation = getattr(interaction, "invitation", None)
    if response is not None:
        state = "yes" if response.satisfied else "no"
    elif invitation is None:
        state = "not_surveyed"
    elif invitation.expires_at <= timezone.now():
        state = "expired"
    else:
        state = "waiting"
    return state, str(LABELS[state][1 if staff else 0])


def _interaction_entry(interaction, *, private: bool) -> Entry:
    state, label = survey_state(interaction, staff=private)
    response = getattr(interaction, "response", None)
    handler = interaction.handled_by
    return Entry(
        kind=INTERACTION,
        at=interaction.occurred_at,
        key=f"interaction:{interaction.pk}",
        template=T + "interaction.html",
        title=interaction.summary or str(interaction.get_channel_display()),
        url=reverse("satisfaction:interaction_survey", args=[interaction.pk])
        if state in ("waiting", "yes", "no")
        else "",
        product_id=interaction.product_id,
        product_title=interaction.product.title if interaction.product_id else "",
        needs_you=str(_("Are you satisfied with the response you got?"))
        if state == "waiting"
        else "",
        data={
            "interaction_id": interaction.pk,
            "channel": str(interaction.get_channel_display()),
            "survey": state,
            "survey_label": label,
            "comment": response.comment if response is not None else "",
            "handled_by": (
                getattr(getattr(handler, "profile", None), "display_name", "")
                or handler.username
            )
            if handler is not None
            else "",
            "expires_at": interaction.invitation.expires_at.isoformat()
            if state == "waiting"
            else None,
            "staff_view": private,
        },
    )


class SatisfactionTimeline:
    kinds = [
        (INTERACTION, _("Support interactions"), False),
        (FOLLOW_UP, _("Follow-ups of \u201cNo\u201d answers"), True),
    ]
    support_kinds = [INTERACTION]

    def _interactions(self, query: Query):
        qs = Interaction.objects.filter(customer=query.user).select_related(
            "product", "invitation", "response", "handled_by__profile"
        )
        return query.for_product(qs)

    def first_activity(self, customer):
        from django.db.models import Min

        return Interaction.objects.filter(customer=customer).aggregate(
            at=Min("occurred_at")
        )["at"]

    def entries(self, query: Query) -> list[Entry]:
        out = []
        if INTERACTION in query.kinds:
            qs = self._interactions(query)
            out += [
                _interaction_entry(i, private=query.private)
                for i in query.slice(qs, INTERACTION, "occurred_at")
            ]
        if query.private and FOLLOW_UP in query.kinds:
            qs = FollowUp.objects.filter(
                response__interaction__customer=query.user
            ).select_related("response__interaction", "updated_by__profile")
            qs = query.for_product(qs, "response__interaction__product_id")
            for f in query.slice(qs, FOLLOW_UP, "created_at"):
                out.append(
                    Entry(
                        kind=FOLLOW_UP,
                        at=f.created_at,
                        key=f"follow_up:{f.pk}",
                        template=T + "follow_up.html",
                        title=str(f.get_status_display()),
                        url=reverse("satisfaction_admin:follow_up", args=[f.pk]),
                        product_id=f.response.interaction.product_id,
                        private=True,
                        data={
                            "status": f.status,
                            "note": f.note,
                            "comment": f.response.comment,
                        },
                    )
                )
        return out

    def needs_you(self, query: Query) -> list[Entry]:
        """Surveys the customer can still answer."""
        qs = self._interactions(query).filter(
            response__isnull=True, invitation__expires_at__gt=timezone.now()
        )
        entries = []
        for interaction in qs.order_by("-invitation__sent_at", "-pk")[: query.limit]:
            entries.append(_interaction_entry(interaction, private=query.private))
        return entries
