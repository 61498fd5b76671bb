"""Demo data: ~600 support interactions over 120 days, ~90 % satisfied, one product's dip.

Built in bulk with past dates (the services stamp answers with "now"), then the
tallies are rebuilt from the rows and closed days sealed, exactly as the
`satisfaction_rebuild_tallies` and `satisfaction_seal` commands would.
Idempotent: nothing happens if the demo interactions exist.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import ledger
from .models import (
    Channel,
    Exclusion,
    ExclusionRule,
    FollowUp,
    FollowUpStatus,
    Interaction,
    SurveyInvitation,
    SurveyResponse,
)

DEMO_SOURCE = "demo"
INTERACTIONS = 600
DAYS = 120
DIP_PRODUCT = "thermostat-t1"  # a firmware update went wrong: 45 to 30 days ago
DIP_DAYS = (30, 45)
NO_EVERY = 14  # outside the dip, every 14th answer per product is a "No"
CHANNEL_WEIGHTS = [
    (Channel.EMAIL, 30),
    (Channel.CHAT, 22),
    (Channel.PHONE, 12),
    (Channel.HELPDESK, 14),
    (Channel.COMMUNITY_STAFF_ANSWER, 12),
    (Channel.COMMUNITY_ACCEPTED_ANSWER, 6),
    (Channel.REVIEW_STAFF_REPLY, 4),
]
SUMMARIES = [
    "Could not pair the device with the app",
    "Wi-Fi drops every evening",
    "Firmware update stuck at 80 %",
    "Asked how to share access with family",
    "Warranty replacement",
    "Schedule does not start on time",
    "Battery drains in two days",
    "Setup QR code not recognised",
]


@transaction.atomic
def load_satisfaction_demo(context) -> None:
    if Interaction.objects.filter(source=DEMO_SOURCE).exists():
        return
    rng = context["rng"]
    products = list(context["products"].values())
    staff = context["accounts"]["staff"]
    customers = context["accounts"]["customers"]
    now = timezone.now()
    channels = [c for c, _w in CHANNEL_WEIGHTS]
    weights = [w for _c, w in CHANNEL_WEIGHTS]

    interactions, plans = [], []
    for index in range(INTERACTIONS):
        days_ago = DAYS * (1 - (index / INTERACTIONS) ** 0.9)  # a little busier lately
        occurred_at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
        channel = rng.choices(channels, weights)[0]
        product = rng.choice(products) if rng.random() < 0.85 else None
        if channel == Channel.COMMUNITY_ACCEPTED_ANSWER:
            customer = rng.choice(customers)
            handled_by = rng.choice([c for c in customers if c.pk != customer.pk])
        else:
            customer = rng.choice(customers) if rng.random() < 0.5 else None
            handled_by = rng.choice(staff)
        email = "" if customer else f"customer{rng.randint(100, 999)}@example.net"
        interactions.append(
            Interaction(
                channel=channel,
                source=DEMO_SOURCE,
                source_ref=f"demo-{index:04d}",
                customer=customer,
                customer_email=email,
                product=product,
                handled_by=handled_by,
                occurred_at=occurred_at,
                summary=rng.choice(SUMMARIES),
                created_at=occurred_at + timedelta(minutes=30),
            )
        )
        in_dip = product is not None and product.slug == DIP_PRODUCT and DIP_DAYS[0] <= days_ago <= DIP_DAYS[1]
        plans.append((customer.email if customer else email, in_dip))
    Interaction.objects.bulk_create(interactions)
    interactions = list(Interaction.objects.filter(source=DEMO_SOURCE).order_by("source_ref"))

    invitations = []
    for interaction, (email, _dip) in zip(interactions, plans, strict=True):
        sent_at = interaction.created_at
        invitations.append(
            SurveyInvitation(
                interaction=interaction,
                email=email,
                nonce=f"{rng.getrandbits(128):032x}",
                sent_at=sent_at,
                day=sent_at.astimezone(UTC).date(),
                expires_at=sent_at + timedelta(days=settings.CANDOR_SATISFACTION_SURVEY_DAYS),
            )
        )
    SurveyInvitation.objects.bulk_create(invitations)

    # Who says "No" is counted out, not drawn: one answer in fourteen per product
    # (about 93 % satisfied), one in two for the dip product during its bad weeks.
    # Random draws made the dip a matter of luck; counting makes it show every time.
    answers_so_far: dict[tuple, int] = {}
    responses = []
    for interaction, invitation, (_email, in_dip) in zip(interactions, invitations, plans, strict=True):
        if rng.random() > 0.74:
            continue  # about three in four customers answer
        answered_at = invitation.sent_at + timedelta(hours=rng.uniform(0.2, 60))
        if answered_at >= now:
            continue
        counter = (interaction.product_id, in_dip)
        nth = answers_so_far[counter] = answers_so_far.get(counter, 0) + 1
        satisfied = nth % 2 == 1 if in_dip else nth % NO_EVERY != NO_EVERY // 2
        responses.append(
            SurveyResponse(
                interaction=interaction,
                public_id=f"{rng.getrandbits(64):016x}",
                satisfied=satisfied,
                comment="" if satisfied or rng.random() < 0.4 else "The fix did not last; I had to call again.",
                answered_at=answered_at,
                day=answered_at.astimezone(UTC).date(),
                channel=interaction.channel,
                product_pk=interaction.product_id,
                invited_day=invitation.day,
                answered_by=interaction.customer,
            )
        )
    SurveyResponse.objects.bulk_create(responses)

    follow_ups = []
    for response in SurveyResponse.objects.filter(interaction__source=DEMO_SOURCE, satisfied=False):
        age = now - response.answered_at
        status = FollowUpStatus.RESOLVED if age > timedelta(days=14) else (
            FollowUpStatus.CONTACTED if age > timedelta(days=3) else FollowUpStatus.OPEN
        )
        follow_ups.append(
            FollowUp(
                response=response,
                status=status,
                note="" if status == FollowUpStatus.OPEN else "Called the customer back.",
                created_at=response.answered_at,
                updated_at=response.answered_at + (timedelta(days=1) if status != FollowUpStatus.OPEN else timedelta()),
                updated_by=None if status == FollowUpStatus.OPEN else staff[0],
            )
        )
    FollowUp.objects.bulk_create(follow_ups)

    # Two answers came from interactions staff recorded to test the phone form.
    tests = SurveyResponse.objects.filter(interaction__source=DEMO_SOURCE, channel=Channel.PHONE).order_by("answered_at")[:2]
    Exclusion.objects.bulk_create(
        Exclusion(
            response=response,
            rule=ExclusionRule.TEST,
            reason="Recorded by staff while testing the phone form.",
            excluded_by=staff[0],
            excluded_at=response.answered_at + timedelta(hours=2),
        )
        for response in tests
    )
    ledger.tallies_rebuild(fix=True)
    ledger.chain_seal()
