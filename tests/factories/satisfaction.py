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


def seed_answers(count, *, days=120, products=(), satisfied_share=0.9, excluded_every=0, unanswered_every=0,
                 rng_seed=7, batch_size=5000, now=None, staff=None):
    """Bulk-create `count` answered interactions spread over the last `days` days.

    Past dates cannot go through `survey_answer` (it stamps "now"), so this
    inserts rows directly, like the demo loader and the benchmark, then rebuilds
    the tallies from them. `products` are ProductPages (some answers get none);
    every `excluded_every`-th answer is excluded as spam; every
    `unanswered_every`-th interaction gets an invitation but no answer.
    """
    import random
    from datetime import UTC, timedelta

    from django.utils import timezone

    from satisfaction import ledger
    from satisfaction.models import (
        Exclusion,
        ExclusionRule,
        Interaction,
        SurveyInvitation,
        SurveyResponse,
    )

    rng = random.Random(rng_seed)
    now = now or timezone.now()
    channels = list(Channel.values)
    product_ids = [p.pk for p in products] + [None]
    first = Interaction.objects.count()
    seconds = days * 86400
    for start in range(0, count, batch_size):
        size = min(batch_size, count - start)
        moments = [now - timedelta(seconds=rng.randint(60, seconds)) for _ in range(size)]
        interactions = Interaction.objects.bulk_create(
            Interaction(
                channel=rng.choice(channels),
                source="seed",
                source_ref=f"seed-{first + start + i}",
                customer_email=f"c{first + start + i}@example.com",
                product_id=rng.choice(product_ids),
                occurred_at=moment - timedelta(minutes=30),
                created_at=moment - timedelta(minutes=20),
            )
            for i, moment in enumerate(moments)
        )
        if interactions[0].pk is None:  # SQLite before 3.35 returns no keys
            interactions = list(Interaction.objects.filter(source="seed").order_by("-pk")[:size])[::-1]
        SurveyInvitation.objects.bulk_create(
            SurveyInvitation(
                interaction=interaction,
                email=interaction.customer_email,
                nonce=f"{rng.getrandbits(128):032x}",
                sent_at=interaction.created_at,
                day=interaction.created_at.astimezone(UTC).date(),
                expires_at=interaction.created_at + timedelta(days=28),
            )
            for interaction in interactions
        )
        responses = []
        for i, (interaction, moment) in enumerate(zip(interactions, moments, strict=True)):
            n = start + i + 1
            if unanswered_every and n % unanswered_every == 0:
                continue
            responses.append(
                SurveyResponse(
                    interaction=interaction,
                    public_id=f"{rng.getrandbits(64):016x}",
                    satisfied=rng.random() < satisfied_share,
                    answered_at=moment,
                    day=moment.astimezone(UTC).date(),
                    channel=interaction.channel,
                    product_pk=interaction.product_id,
                    invited_day=interaction.created_at.astimezone(UTC).date(),
                )
            )
        SurveyResponse.objects.bulk_create(responses)
        if excluded_every:
            Exclusion.objects.bulk_create(
                Exclusion(response_id=r.pk, rule=ExclusionRule.SPAM, reason="seeded", excluded_by=staff)
                for k, r in enumerate(SurveyResponse.objects.filter(interaction__source="seed").order_by("pk")[start:start + size])
                if (start + k + 1) % excluded_every == 0
            )
    ledger.tallies_rebuild(fix=True)
