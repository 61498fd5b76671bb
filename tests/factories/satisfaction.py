"""Interactions and answers, made through the satisfaction services like the app makes them."""

import itertools

from satisfaction import services
from satisfaction.models import Channel

_refs = itertools.count(1)


def record(
    *,
    customer=None,
    customer_email="",
    channel=Channel.EMAIL,
    source="tests",
    source_ref=None,
    **kwargs,
):
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


def answer(interaction, satisfied=True, comment="", by=None, show_on_reviews=False):
    """Answer the interaction's survey as the link holder."""
    return services.survey_answer(
        invitation=interaction.invitation,
        satisfied=satisfied,
        comment=comment,
        show_on_reviews=show_on_reviews,
        by=by,
    )


def seed_answers(
    count,
    *,
    days=120,
    products=(),
    satisfied_share=0.9,
    excluded_every=0,
    unanswered_every=0,
    rng_seed=7,
    batch_size=10_000,
    now=None,
    staff=None,
    rebuild=True,
):
    """Insert `count` answered interactions spread over the last `days` days, fast.

    Past dates cannot go through `survey_answer` (it stamps "now"), and a
    hundred thousand rows through the ORM take minutes, so this writes plain
    INSERTs with executemany (the benchmark seeds a million the same way), then
    rebuilds the tallies from the rows. `products` are ProductPages (some
    answers get none); every `excluded_every`-th answer is excluded as spam;
    every `unanswered_every`-th interaction gets an invitation but no answer.
    """
    import random
    from datetime import UTC, timedelta

    from django.db import connection, transaction
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
    ops = connection.ops
    channels = list(Channel.values)
    product_ids = [p.pk for p in products] + [None]
    tables = {
        m: m._meta.db_table
        for m in (Interaction, SurveyInvitation, SurveyResponse, Exclusion)
    }
    with connection.cursor() as cursor:
        ids = {}
        for model in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables[model]}")
            ids[model] = cursor.fetchone()[0]
    seconds = max(120, int(days * 86400))
    staff_id = staff.pk if staff else None
    rule = ExclusionRule.SPAM.value
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        interactions, invitations, responses, exclusions = [], [], [], []
        for _ in range(size):
            done += 1
            ids[Interaction] += 1
            ids[SurveyInvitation] += 1
            moment = now - timedelta(seconds=rng.randint(60, seconds))
            created = moment - timedelta(minutes=20)
            channel = rng.choice(channels)
            product_id = rng.choice(product_ids)
            interaction_id = ids[Interaction]
            interactions.append(
                (
                    interaction_id,
                    channel,
                    "seed",
                    f"seed-{interaction_id}",
                    f"c{interaction_id}@example.com",
                    product_id,
                    ops.adapt_datetimefield_value(created - timedelta(minutes=10)),
                    "",
                    "",
                    ops.adapt_datetimefield_value(created),
                )
            )
            invited_day = created.astimezone(UTC).date()
            invitations.append(
                (
                    ids[SurveyInvitation],
                    interaction_id,
                    f"c{interaction_id}@example.com",
                    f"{rng.getrandbits(128):032x}",
                    ops.adapt_datetimefield_value(created),
                    ops.adapt_datefield_value(invited_day),
                    ops.adapt_datetimefield_value(created + timedelta(days=28)),
                )
            )
            if unanswered_every and done % unanswered_every == 0:
                continue
            ids[SurveyResponse] += 1
            responses.append(
                (
                    ids[SurveyResponse],
                    interaction_id,
                    f"{rng.getrandbits(64):016x}",
                    rng.random() < satisfied_share,
                    "",
                    ops.adapt_datetimefield_value(moment),
                    ops.adapt_datefield_value(moment.astimezone(UTC).date()),
                    channel,
                    product_id,
                    ops.adapt_datefield_value(invited_day),
                )
            )
            if excluded_every and len(responses) % excluded_every == 0:
                ids[Exclusion] += 1
                exclusions.append(
                    (
                        ids[Exclusion],
                        ids[SurveyResponse],
                        rule,
                        "seeded",
                        staff_id,
                        ops.adapt_datetimefield_value(now),
                    )
                )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {tables[Interaction]} (id, channel, source, source_ref, customer_email, product_id, "
                "occurred_at, summary, not_surveyed, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                interactions,
            )
            cursor.executemany(
                f"INSERT INTO {tables[SurveyInvitation]} (id, interaction_id, email, nonce, sent_at, day, expires_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                invitations,
            )
            cursor.executemany(
                f"INSERT INTO {tables[SurveyResponse]} (id, interaction_id, public_id, satisfied, comment, answered_at, "
                "day, channel, product_pk, invited_day) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                responses,
            )
            if exclusions:
                cursor.executemany(
                    f"INSERT INTO {tables[Exclusion]} (id, response_id, rule, reason, excluded_by_id, excluded_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    exclusions,
                )
    with connection.cursor() as cursor:
        from django.core.management.color import no_style

        for sql in ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(sql)
    if rebuild:
        ledger.tallies_rebuild(fix=True)
