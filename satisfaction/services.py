"""The only door into `satisfaction`: every write with rules or side effects happens here.

Other apps call `interaction_record(...)`, read `customer_contact_summaries(...)`
and connect to `survey_answered`; they import nothing else from this app.
Views, the admin, the API, commands and tests all go through these functions.
"""

import logging
import secrets
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from portal.emails import email_send_on_commit
from portal.permissions import is_staff_member

from . import live, permissions
from .models import (
    Channel,
    DailyTally,
    Exclusion,
    ExclusionRule,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InvitationTally,
    NotSurveyed,
    SurveyInvitation,
    SurveyResponse,
)
from .signals import survey_answered
from .tokens import survey_token_make

__all__ = [
    "AlreadyAnswered",
    "Channel",
    "SurveyExpired",
    "customer_contact_summaries",
    "interaction_record",
    "interaction_record_get_or_create",
    "response_exclude",
    "follow_up_update",
    "survey_answer",
    "survey_answered",
    "survey_url",
]

logger = logging.getLogger(__name__)

# Clocks differ a little between a helpdesk and this server; more than this is a bad date.
FUTURE_TOLERANCE = timedelta(minutes=5)


class AlreadyAnswered(ValidationError):
    """The interaction has its one answer already; `answered_at` says when."""

    def __init__(self, answered_at: datetime):
        self.answered_at = answered_at
        super().__init__("This survey was already answered.", code="already_answered")


class SurveyExpired(ValidationError):
    def __init__(self, expired_at: datetime):
        self.expired_at = expired_at
        super().__init__("This survey link has expired.", code="expired")


def _utc_day(moment: datetime) -> date:
    """Days are UTC days everywhere in the meter, its tallies and its raw data."""
    return moment.astimezone(UTC).date()


def _bump(model, key: dict, **deltas: int) -> None:
    """Add `deltas` to the tally row `key`, creating it if needed, safely under races.

    The UPDATE ... SET n = n + 1 is atomic; when two transactions both find no
    row, one INSERT wins and the other retries its UPDATE after the unique key
    turned its INSERT into an IntegrityError inside a savepoint.
    """
    increments = {field: F(field) + delta for field, delta in deltas.items()}
    if model.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas)
    except IntegrityError:
        model.objects.filter(**key).update(**increments)


def survey_url(invitation: SurveyInvitation, *, absolute: bool = False) -> str:
    path = reverse("satisfaction:survey", args=[survey_token_make(invitation)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path if absolute else path


def _not_surveyed_reason(*, customer, customer_email: str, handled_by) -> str:
    if customer is not None and is_staff_member(customer):
        return NotSurveyed.CUSTOMER_IS_STAFF
    if handled_by is not None:
        if customer is not None and customer.pk == handled_by.pk:
            return NotSurveyed.CUSTOMER_HANDLED_IT
        if customer is None and handled_by.email and handled_by.email.lower() == customer_email.lower():
            return NotSurveyed.CUSTOMER_HANDLED_IT
    return ""


def interaction_record_get_or_create(
    *,
    channel: str,
    source: str,
    source_ref: str,
    customer=None,
    customer_email: str = "",
    product=None,
    handled_by=None,
    occurred_at: datetime | None = None,
    summary: str = "",
) -> tuple[Interaction, bool]:
    """Record one support interaction; return it and whether it is new.

    Idempotent on (source, source_ref): the database's unique key decides
    between racing callers, and the loser gets the winner's interaction.
    """
    source = (source or "").strip()
    source_ref = str(source_ref or "").strip()
    existing = Interaction.objects.filter(source=source, source_ref=source_ref).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            interaction = _interaction_create(
                channel=channel,
                source=source,
                source_ref=source_ref,
                customer=customer,
                customer_email=customer_email,
                product=product,
                handled_by=handled_by,
                occurred_at=occurred_at,
                summary=summary,
            )
    except IntegrityError:
        existing = Interaction.objects.filter(source=source, source_ref=source_ref).first()
        if existing is None:
            raise
        return existing, False
    return interaction, True


def interaction_record(
    *,
    channel: str,
    source: str,
    source_ref: str,
    customer=None,
    customer_email: str = "",
    product=None,
    handled_by=None,
    occurred_at: datetime | None = None,
    summary: str = "",
) -> Interaction:
    """Record one support interaction; idempotent on (source, source_ref).

    Recording the same reference twice returns the first interaction and creates
    nothing. Creates exactly one survey invitation and emails it after commit,
    except when a published rule says the interaction cannot be surveyed (the
    customer is staff, or handled it themselves); see `NotSurveyed`.
    `product` is a portal ProductPage or None; `customer` a User or None (then
    `customer_email` is required, and an account with that email is linked).
    """
    interaction, _created = interaction_record_get_or_create(
        channel=channel,
        source=source,
        source_ref=source_ref,
        customer=customer,
        customer_email=customer_email,
        product=product,
        handled_by=handled_by,
        occurred_at=occurred_at,
        summary=summary,
    )
    return interaction


def _interaction_create(
    *, channel, source, source_ref, customer, customer_email, product, handled_by, occurred_at, summary
) -> Interaction:
    now = timezone.now()
    customer_email = (customer_email or "").strip()
    errors = {}
    if customer_email:
        try:
            validate_email(customer_email)
        except ValidationError:
            errors["customer_email"] = ["Enter a valid email address."]
    if customer is None and not customer_email:
        errors["customer_email"] = ["Give the customer or their email address."]
    if occurred_at is None:
        occurred_at = now
    elif timezone.is_naive(occurred_at):
        errors["occurred_at"] = ["Give the time with its time zone."]
    elif occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = ["The interaction cannot happen in the future."]
    if errors:
        raise ValidationError(errors)
    if customer is None:
        # An outside ticket from someone with an account shows on their account page.
        customer = (
            get_user_model().objects.filter(email__iexact=customer_email, is_active=True).order_by("pk").first()
        )
    email = customer_email or (customer.email if customer is not None else "")
    interaction = Interaction(
        channel=channel,
        source=source,
        source_ref=source_ref,
        customer=customer,
        customer_email=customer_email,
        product=product,
        handled_by=handled_by,
        occurred_at=occurred_at,
        summary=(summary or "").strip()[:300],
        not_surveyed=_not_surveyed_reason(customer=customer, customer_email=email, handled_by=handled_by),
        created_at=now,
    )
    # Uniqueness is left to the database (a race turns into IntegrityError above).
    interaction.full_clean(validate_unique=False, validate_constraints=False)
    interaction.save(force_insert=True)
    if not interaction.not_surveyed:
        _invitation_create(interaction=interaction, email=email, now=now)
    return interaction


def _invitation_create(*, interaction: Interaction, email: str, now: datetime) -> SurveyInvitation:
    invitation = SurveyInvitation(
        interaction=interaction,
        email=email,
        nonce=secrets.token_hex(16),
        sent_at=now,
        day=_utc_day(now),
        expires_at=now + timedelta(days=settings.CANDOR_SATISFACTION_SURVEY_DAYS),
    )
    invitation.full_clean(validate_unique=False, validate_constraints=False)
    invitation.save(force_insert=True)
    _bump(InvitationTally, {"day": invitation.day}, sent=1)
    if email:
        email_send_on_commit(
            to=[email],
            subject="Are you satisfied with the response you got?",
            template="satisfaction/email/survey_invitation.txt",
            context={
                "interaction": interaction,
                "survey_url": survey_url(invitation, absolute=True),
                "expires_at": invitation.expires_at,
            },
        )
    return invitation


@transaction.atomic
def survey_answer(
    *, invitation: SurveyInvitation, satisfied: bool, comment: str = "", show_on_reviews: bool = False, by=None
) -> SurveyResponse:
    """Record the one answer to `invitation`; `by` is the signed-in visitor, if any.

    `show_on_reviews` is the customer's consent (asked on the survey page,
    default no) that their own reviews may say whether they were satisfied;
    without it the answer stays as anonymous as the survey page promises.

    Raises PermissionDenied (staff, the handler, another account),
    SurveyExpired, or AlreadyAnswered. The database's one-to-one key on the
    interaction decides between racing answers; the tallies move in the same
    transaction, and the meter, the signal and the "No" alert go out on commit.
    """
    interaction = invitation.interaction
    refusal = permissions.survey_refusal(by, interaction)
    if refusal:
        raise PermissionDenied(refusal)
    now = timezone.now()
    answered_at = SurveyResponse.objects.filter(interaction_id=interaction.pk).values_list("answered_at", flat=True).first()
    if answered_at is not None:
        raise AlreadyAnswered(answered_at)
    if now >= invitation.expires_at:
        raise SurveyExpired(invitation.expires_at)
    response = SurveyResponse(
        interaction=interaction,
        public_id=secrets.token_hex(8),
        satisfied=bool(satisfied),
        comment=(comment or "").strip(),
        answered_at=now,
        day=_utc_day(now),
        channel=interaction.channel,
        product_pk=interaction.product_id,
        invited_day=invitation.day,
        answered_by=by if by is not None and by.is_authenticated else None,
        show_on_reviews=bool(show_on_reviews),
    )
    response.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            response.save(force_insert=True)
    except IntegrityError:
        answered_at = (
            SurveyResponse.objects.filter(interaction_id=interaction.pk).values_list("answered_at", flat=True).first()
        )
        raise AlreadyAnswered(answered_at or now) from None
    _bump(
        DailyTally,
        {"day": response.day, "product_pk": response.product_pk or 0, "channel": response.channel, "satisfied": response.satisfied},
        count=1,
    )
    _bump(InvitationTally, {"day": invitation.day}, answered=1)
    if not response.satisfied:
        _follow_up_open(response=response, interaction=interaction)
    transaction.on_commit(lambda: _announce_answer(response=response, interaction=interaction))
    return response


def _follow_up_open(*, response: SurveyResponse, interaction: Interaction) -> FollowUp:
    follow_up = FollowUp.objects.create(response=response, created_at=response.answered_at, updated_at=response.answered_at)
    recipients = list(settings.CANDOR_SATISFACTION_ALERT_EMAILS) or list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)[:50]
    )
    email_send_on_commit(
        to=recipients,
        subject=f"A customer was not satisfied ({interaction.get_channel_display()})",
        template="satisfaction/email/no_alert.txt",
        context={
            "interaction": interaction,
            "response": response,
            "customer_email": interaction.customer_email or (interaction.customer.email if interaction.customer else ""),
            "follow_up_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("satisfaction_admin:follow_up", args=[follow_up.pk]),
        },
    )
    return follow_up


def _announce_answer(*, response: SurveyResponse, interaction: Interaction) -> None:
    """After commit: tell listeners, refresh every open meter, seal closed days."""
    survey_answered.send_robust(
        sender=SurveyResponse,
        interaction_id=interaction.pk,
        source=interaction.source,
        source_ref=interaction.source_ref,
        channel=interaction.channel,
        satisfied=response.satisfied,
        customer=interaction.customer,
        product_id=interaction.product_id,
        answered_at=response.answered_at,
    )
    live.meter_changed()
    chain_seal_if_due()


@transaction.atomic
def response_exclude(*, response: SurveyResponse, rule: str, reason: str, by) -> Exclusion:
    """Take one answer out of the public figures under a published rule, with a reason.

    The answer itself is never changed; the exclusion is its own row, published
    in the raw data and counted on the method page.
    """
    if not permissions.can_manage_satisfaction(by):
        raise PermissionDenied("Only staff can apply an exclusion rule.")
    if rule not in ExclusionRule.values:
        raise ValidationError({"rule": ["Choose one of the published exclusion rules."]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why this rule applies to this answer."]})
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if Exclusion.objects.filter(response=response).exists():
        raise ValidationError("This answer is already excluded.")
    exclusion = Exclusion(response=response, rule=rule, reason=reason, excluded_by=by, excluded_at=timezone.now())
    exclusion.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            exclusion.save(force_insert=True)
    except IntegrityError:
        raise ValidationError("This answer is already excluded.") from None
    _bump(
        DailyTally,
        {"day": response.day, "product_pk": response.product_pk or 0, "channel": response.channel, "satisfied": response.satisfied},
        count=-1,
    )
    logger.warning(
        "Satisfaction answer %s excluded under rule %s by user %s: %s", response.public_id, rule, by.pk, reason
    )
    transaction.on_commit(live.meter_changed)
    return exclusion


@transaction.atomic
def follow_up_update(*, follow_up: FollowUp, status: str, note: str | None = None, by) -> FollowUp:
    """Move a "No" follow-up to open, contacted or resolved, keeping who and when."""
    if not permissions.can_manage_satisfaction(by):
        raise PermissionDenied("Only staff can follow up on answers.")
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": ["Choose open, contacted or resolved."]})
    follow_up.status = status
    if note is not None:
        follow_up.note = note.strip()
    follow_up.updated_at = timezone.now()
    follow_up.updated_by = by
    follow_up.full_clean(validate_unique=False, validate_constraints=False)
    follow_up.save(update_fields=["status", "note", "updated_at", "updated_by"])
    return follow_up


def customer_contact_summaries(*, product_id: int, customer_ids) -> dict[int, dict]:
    """Return, in one query, which of `customer_ids` contacted support about `product_id`.

    {customer_id: {"contacted": True, "satisfied": True | False | None}}: the
    latest counted answer the customer agreed to show on their reviews
    (`SurveyResponse.show_on_reviews`), else None. An answer given without that
    consent is never told apart from no answer: the survey promises it is
    counted without the customer's name. Customers with no interaction about
    the product are absent.
    """
    ids = [int(pk) for pk in customer_ids if pk is not None]
    if not ids:
        return {}
    rows = Interaction.objects.filter(product_id=product_id, customer_id__in=ids).values_list(
        "customer_id",
        "response__satisfied",
        "response__answered_at",
        "response__exclusion__id",
        "response__show_on_reviews",
    )
    summaries: dict[int, dict] = {}
    latest: dict[int, datetime] = {}
    for customer_id, satisfied, answered_at, exclusion_id, shown in rows:
        summary = summaries.setdefault(customer_id, {"contacted": True, "satisfied": None})
        if answered_at is None or exclusion_id is not None or not shown:
            continue
        if customer_id not in latest or answered_at > latest[customer_id]:
            latest[customer_id] = answered_at
            summary["satisfied"] = satisfied
    return summaries


def chain_seal_if_due() -> None:
    """Seal closed days unless the chain is already current (one cached check)."""
    from . import ledger

    try:
        ledger.chain_seal_if_due()
    except Exception:
        logger.exception("Could not seal the satisfaction hash chain.")
