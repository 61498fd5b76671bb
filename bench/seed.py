"""Bulk seeders for the benchmark's scaled data set (issue 8).

At scale 1.0: 10,000 questions, 50,000 answers, 20,000 reviews and 1,000,000
survey answers, on top of the demo site. `manage.py portal_bench_seed` loads
this file and runs `SEEDERS` in order (after any seeder an app registers with
the ``candor_bench_seeders`` hook), each as ``fn(*, context, scale, stdout)``.

Speed: no per-row service calls. Rows are built in Python and written with
``bulk_create`` (community, reviews) or PostgreSQL ``COPY`` (the million survey
answers; plain multi-row INSERTs on SQLite). The result is what the services
would have produced, minus notifications (nobody is told about seeded posts):

- community: each question has its tags, revision 1, and its asker follows it;
  each answer is by a different member (one answer per person), has revision 1
  and its author follows the question; ``answer_count``, ``status``,
  ``last_activity_at`` and ``first_answered_at`` are set from the answers. No
  votes are seeded, so reputation and badges stay as the demo left them.
- reviews: one review per (member, product), published, then every product's
  rating summary is recounted by ``reviews.services.rating_summary_rebuild``.
- satisfaction: interaction, invitation and answer rows (every 997th excluded
  as spam), then ``ledger.tallies_rebuild`` recomputes the tallies from the
  rows and ``ledger.chain_seal`` seals the SHA-256 hash chain again from genesis
  over every closed day (the demo had sealed some of them; bench database only), so ``satisfaction_verify_chain`` and ``satisfaction_rebuild_tallies
  --check`` agree with the seeded data.

Seeders top up to the target counts, so running the seed twice adds nothing.
Seeded rows are not added to the search index (run ``manage.py update_index``
if search over them matters); the benchmark's search page searches the demo's.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, timedelta

QUESTIONS, ANSWERS, REVIEWS, SURVEY_ANSWERS = 10_000, 50_000, 20_000, 1_000_000
BATCH = 5_000

TOPICS = [
    "the router drops Wi-Fi every evening",
    "the hub will not pair with a new sensor",
    "firmware update stops at 80 percent",
    "guest network shows no internet",
    "mesh satellite keeps blinking orange",
    "port forwarding does not work after reboot",
    "the app says the device is offline",
    "parental controls ignore the schedule",
]
TAGS = ["wifi", "setup", "firmware", "mesh", "app", "security", "billing", "pairing"]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _members(count: int, stdout=None) -> list[int]:
    """Ids of `count` seed members ("bench-<n>", with profiles), made in bulk as needed."""
    from django.contrib.auth import get_user_model

    from portal.models import Profile

    User = get_user_model()
    existing = list(
        User.objects.filter(username__startswith="bench-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    missing = count - len(existing)
    if missing > 0:
        start = len(existing)
        users = [
            User(
                username=f"bench-{n}",
                email=f"bench-{n}@example.com",
                password="!",  # unusable: seed members never log in
            )
            for n in range(start, start + missing)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        made = list(
            User.objects.filter(username__startswith="bench-")
            .exclude(pk__in=existing)
            .order_by("pk")
            .values_list("pk", "username")
        )
        Profile.objects.bulk_create(
            [
                Profile(user_id=pk, display_name=f"Member {name[6:]}")
                for pk, name in made
            ],
            batch_size=BATCH,
        )
        existing += [pk for pk, _name in made]
        _say(stdout, f"    {missing:,} seed members")
    return existing[:count]


def seed_community(*, context=None, scale=1.0, stdout=None):
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag

    from community.models import Answer, Follow, PostRevision, Question, QuestionTag
    from portal.markdown import render_markdown
    from portal.models import ProductPage

    target_q = int(QUESTIONS * scale)
    target_a = int(ANSWERS * scale)
    have_q = Question.objects.count()
    have_a = Answer.objects.count()
    new_q = max(0, target_q - have_q)
    new_a = max(0, target_a - have_a)
    if not new_q:
        _say(stdout, "    community: already seeded")
        return
    rng = random.Random(8)
    members = _members(max(2000, math.ceil(12 * scale) * 100), stdout)
    products = list(ProductPage.objects.live().values_list("pk", flat=True)) + [None]
    tags = [Tag.objects.get_or_create(name=n, defaults={"slug": n})[0] for n in TAGS]
    now = timezone.now()
    body = (
        "I tried restarting it and resetting the app settings, but it keeps "
        "happening. **What else can I check?**"
    )
    body_html = render_markdown(body)
    answer_body = "Open the app, go to *Settings → Network*, and pick another channel."
    answer_html = render_markdown(answer_body)
    # Answers per question: spread 0..2·mean so the total is new_a.
    per_question = [0] * new_q
    for _ in range(new_a):
        per_question[rng.randrange(new_q)] += 1
    others = members[:400]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                _fast_session(cursor)
        for start in range(0, new_q, BATCH):
            size = min(BATCH, new_q - start)
            questions, planned = [], []
            for i in range(start, start + size):
                n = have_q + i + 1
                created = now - timedelta(minutes=rng.randint(60, 365 * 1440))
                title = f"Why {TOPICS[n % len(TOPICS)]} (case {n})?"
                asker = rng.choice(members)
                # The answers are planned first, so the question's counters are
                # right when it is inserted (no UPDATE pass afterwards).
                authors = [m for m in rng.sample(others, per_question[i] + 1) if m != asker]
                authors = authors[: per_question[i]]
                moments, moment = [], created
                for _author in authors:
                    moment = min(now, moment + timedelta(minutes=rng.randint(5, 600)))
                    moments.append(moment)
                planned.append(list(zip(authors, moments, strict=True)))
                questions.append(
                    Question(
                        author_id=asker,
                        title=title,
                        slug=Question.make_slug(title),
                        body=body,
                        body_html=body_html,
                        product_id=rng.choice(products),
                        created_at=created,
                        last_activity_at=moment,
                        answer_count=len(authors),
                        status=Question.Status.ANSWERED if authors else Question.Status.OPEN,
                        first_answered_at=moments[0] if moments else None,
                    )
                )
            Question.objects.bulk_create(questions, batch_size=BATCH)
            if questions[0].pk is None:  # a backend that returns no ids
                questions = list(Question.objects.order_by("-pk")[:size])[::-1]
            answers, revisions, follows, tagged = [], [], [], []
            for q, plan in zip(questions, planned, strict=True):
                tag = tags[q.pk % len(tags)]
                tagged.append(QuestionTag(content_object=q, tag=tag))
                revisions.append(
                    PostRevision(
                        question=q, number=1, editor_id=q.author_id, title=q.title,
                        body=body, tags=tag.name, created_at=q.created_at,
                    )
                )
                follows.append(Follow(user_id=q.author_id, question=q, created_at=q.created_at))
                for author, moment in plan:
                    answers.append(
                        Answer(
                            question=q, author_id=author, body=answer_body,
                            body_html=answer_html, created_at=moment,
                        )
                    )
                    follows.append(Follow(user_id=author, question=q, created_at=moment))
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            if answers and answers[0].pk is None:
                answers = list(Answer.objects.order_by("-pk")[: len(answers)])[::-1]
            revisions += [
                PostRevision(
                    answer=a, number=1, editor_id=a.author_id, body=answer_body,
                    created_at=a.created_at,
                )
                for a in answers
            ]
            PostRevision.objects.bulk_create(revisions, batch_size=BATCH)
            Follow.objects.bulk_create(follows, batch_size=BATCH)
            QuestionTag.objects.bulk_create(tagged, batch_size=BATCH)
    _say(stdout, f"    community: +{new_q:,} questions, +{new_a:,} answers")


def seed_reviews(*, context=None, scale=1.0, stdout=None):
    from django.db import transaction
    from django.utils import timezone

    from portal.markdown import render_markdown
    from portal.models import ProductPage
    from reviews import services
    from reviews.models import Review

    target = int(REVIEWS * scale)
    missing = target - Review.objects.count()
    if missing <= 0:
        _say(stdout, "    reviews: already seeded")
        return
    products = list(ProductPage.objects.live().order_by("path").values_list("pk", flat=True))
    if not products:
        _say(stdout, "    reviews: no live product page to review (load the demo first)")
        return
    per_product = math.ceil(missing / len(products))
    members = _members(max(2000, per_product), stdout)
    reviewed = set(
        Review.objects.filter(author_id__in=members).values_list("author_id", "product_id")
    )
    rng = random.Random(9)
    now = timezone.now()
    body = "Set-up took ten minutes and it has **not dropped once** since."
    html = render_markdown(body)
    rows = []
    for product in products:
        made = 0
        for member in members:
            if len(rows) >= missing or made >= per_product:
                break
            if (member, product) in reviewed:
                continue
            made += 1
            rows.append(
                Review(
                    product_id=product,
                    author_id=member,
                    rating=rng.choice((5, 5, 4, 4, 4, 3, 2, 1)),
                    title=f"Review by member {member}",
                    body=body,
                    body_html=html,
                    created_at=now - timedelta(minutes=rng.randint(10, 365 * 1440)),
                )
            )
    with transaction.atomic():
        Review.objects.bulk_create(rows, batch_size=BATCH)
        services.rating_summary_rebuild(product_ids=products)
    _say(stdout, f"    reviews: +{len(rows):,} over {len(products)} products")


def _copy_or_insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )


def seed_satisfaction(*, context=None, scale=1.0, stdout=None):
    """1,000,000 answered surveys over the last 120 days, about 90 % satisfied."""
    from django.core.cache import cache
    from django.db import connection

    from satisfaction import ledger
    from satisfaction.models import (
        DayDigest,
        SurveyResponse,
    )

    target = int(SURVEY_ANSWERS * scale)
    missing = target - SurveyResponse.objects.count()
    if missing <= 0:
        _say(stdout, "    satisfaction: already seeded")
        return
    postgres = connection.vendor == "postgresql"
    if postgres:
        _satisfaction_in_sql(missing, stdout)
    else:
        _satisfaction_in_python(missing, context)
    # Seeded answers land on days the demo had already sealed: on this benchmark
    # database only, the chain is sealed again from genesis over all the rows
    # (a real site never rewrites sealed days; TRUNCATE skips the row triggers).
    with connection.cursor() as cursor:
        table = DayDigest._meta.db_table
        cursor.execute(f"TRUNCATE {table}" if postgres else f"DELETE FROM {table}")
    cache.delete(ledger.SEALED_CACHE_KEY)
    ledger.tallies_rebuild(fix=True)
    sealed = ledger.chain_seal()
    _say(stdout, f"    satisfaction: +{missing:,} answers, {len(sealed)} days sealed")


def _fast_session(cursor) -> None:
    """Inside a transaction on PostgreSQL: skip the foreign-key triggers (the rows
    are consistent by construction) and the wait for the WAL flush."""
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL synchronous_commit = off")


def _satisfaction_in_sql(missing: int, stdout=None) -> None:
    """PostgreSQL: the rows are generated by the database itself (generate_series)."""
    from django.db import connection, transaction

    from portal.models import ProductPage
    from satisfaction.models import (
        Channel,
        Exclusion,
        ExclusionRule,
        Interaction,
        SurveyInvitation,
        SurveyResponse,
    )

    products = list(ProductPage.objects.live().values_list("pk", flat=True))
    t = {m: m._meta.db_table for m in (Interaction, SurveyInvitation, SurveyResponse, Exclusion)}
    with transaction.atomic(), connection.cursor() as cursor:
        _fast_session(cursor)
        base = {}
        for model, table in t.items():
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            base[model] = cursor.fetchone()[0]
        # Plain indexes are dropped and built again after the load (one sort
        # each instead of a million insertions); unique ones stay and check.
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'""",
            [list(t.values())],
        )
        plain = cursor.fetchall()
        for name, _definition in plain:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            """
            CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
            SELECT g,
                   now() - make_interval(secs => 3600 + floor(random() * (120 * 86400 - 3600))) AS moment,
                   (%s::text[])[1 + floor(random() * %s)::int] AS channel,
                   (%s::int[])[1 + floor(random() * %s)::int] AS product,
                   random() < 0.9 AS satisfied,
                   substr(md5(random()::text || (g + %s)::text), 1, 16) AS public_id,
                   md5(random()::text || (g + %s)::text || 'n') AS nonce
              FROM generate_series(1, %s) AS g
            """,
            [list(Channel.values), len(Channel.values), products + [None], len(products) + 1,
             base[SurveyResponse], base[SurveyResponse], missing],
        )
        i, v, r, x = (base[m] for m in (Interaction, SurveyInvitation, SurveyResponse, Exclusion))
        cursor.execute(
            f"""INSERT INTO {t[Interaction]} (id, channel, source, source_ref, customer_email,
                    product_id, occurred_at, summary, not_surveyed, created_at)
                SELECT {i} + g, channel, 'bench', 'bench-' || ({i} + g),
                       'c' || ({i} + g) || '@example.com', product,
                       moment - interval '30 minutes', '', '', moment - interval '20 minutes'
                  FROM bench_seed"""
        )
        cursor.execute(
            f"""INSERT INTO {t[SurveyInvitation]} (id, interaction_id, email, nonce, sent_at, day,
                    expires_at)
                SELECT {v} + g, {i} + g, 'c' || ({i} + g) || '@example.com', nonce,
                       moment - interval '20 minutes',
                       ((moment - interval '20 minutes') AT TIME ZONE 'UTC')::date,
                       moment - interval '20 minutes' + interval '28 days'
                  FROM bench_seed"""
        )
        cursor.execute(
            f"""INSERT INTO {t[SurveyResponse]} (id, interaction_id, public_id, satisfied, comment,
                    answered_at, day, channel, product_pk, invited_day)
                SELECT {r} + g, {i} + g, public_id, satisfied, '', moment,
                       (moment AT TIME ZONE 'UTC')::date, channel, product,
                       ((moment - interval '20 minutes') AT TIME ZONE 'UTC')::date
                  FROM bench_seed"""
        )
        cursor.execute(
            f"""INSERT INTO {t[Exclusion]} (id, response_id, rule, reason, excluded_by_id,
                    excluded_at)
                SELECT {x} + g / 997, {r} + g, %s, 'seeded', NULL, now()
                  FROM bench_seed WHERE g %% 997 = 0""",
            [ExclusionRule.SPAM.value],
        )
        for _name, definition in plain:
            cursor.execute(definition)
        from django.core.management.color import no_style

        for sql in connection.ops.sequence_reset_sql(no_style(), list(t)):
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(t.values()))


def _satisfaction_in_python(missing: int, context) -> None:
    """Other databases: rows built in Python, written with multi-row INSERTs."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import ProductPage
    from satisfaction.models import (
        Channel,
        Exclusion,
        ExclusionRule,
        Interaction,
        SurveyInvitation,
        SurveyResponse,
    )

    postgres = False

    def stamp(value):
        return value if postgres else connection.ops.adapt_datetimefield_value(value)

    def day(value):
        return value if postgres else connection.ops.adapt_datefield_value(value)

    now = timezone.now()
    channels = list(Channel.values)
    products = list(ProductPage.objects.live().values_list("pk", flat=True)) + [None]
    staff = context.get("staff") if isinstance(context, dict) else None
    staff_id = getattr(staff, "pk", None)
    models = (Interaction, SurveyInvitation, SurveyResponse, Exclusion)
    tables = {m: m._meta.db_table for m in models}
    ids = {}
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables[model]}")
            ids[model] = cursor.fetchone()[0]
    rng = random.Random(10 + ids[SurveyResponse])  # a top-up draws fresh random ids
    seconds = 120 * 86400
    done = 0
    spam = ExclusionRule.SPAM.value
    batch = 100_000
    while done < missing:
        size = min(batch, missing - done)
        interactions, invitations, responses, exclusions = [], [], [], []
        for _ in range(size):
            done += 1
            for model in (Interaction, SurveyInvitation, SurveyResponse):
                ids[model] += 1
            moment = now - timedelta(seconds=rng.randint(3600, seconds))
            created = moment - timedelta(minutes=20)
            invited_day = created.astimezone(UTC).date()
            channel = rng.choice(channels)
            product = rng.choice(products)
            iid = ids[Interaction]
            email = f"c{iid}@example.com"
            interactions.append(
                (iid, channel, "bench", f"bench-{iid}", email, product,
                 stamp(created - timedelta(minutes=10)), "", "", stamp(created))
            )
            invitations.append(
                (ids[SurveyInvitation], iid, email, f"{rng.getrandbits(128):032x}",
                 stamp(created), day(invited_day), stamp(created + timedelta(days=28)))
            )
            responses.append(
                (ids[SurveyResponse], iid, f"{rng.getrandbits(64):016x}",
                 rng.random() < 0.9, "", stamp(moment),
                 day(moment.astimezone(UTC).date()), channel, product, day(invited_day))
            )
            if done % 997 == 0:
                ids[Exclusion] += 1
                exclusions.append(
                    (ids[Exclusion], ids[SurveyResponse], spam, "seeded", staff_id, stamp(now))
                )
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_or_insert(cursor, tables[Interaction], [
                "id", "channel", "source", "source_ref", "customer_email", "product_id",
                "occurred_at", "summary", "not_surveyed", "created_at"], interactions)
            _copy_or_insert(cursor, tables[SurveyInvitation], [
                "id", "interaction_id", "email", "nonce", "sent_at", "day", "expires_at"],
                invitations)
            _copy_or_insert(cursor, tables[SurveyResponse], [
                "id", "interaction_id", "public_id", "satisfied", "comment", "answered_at",
                "day", "channel", "product_pk", "invited_day"], responses)
            _copy_or_insert(cursor, tables[Exclusion], [
                "id", "response_id", "rule", "reason", "excluded_by_id", "excluded_at"],
                exclusions)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def finish(*, context=None, scale=1.0, stdout=None):
    """Every cached page may now be stale."""
    from portal import cache as page_cache

    page_cache.invalidate("site")


SEEDERS = [seed_community, seed_reviews, seed_satisfaction, finish]
