"""Benchmark badges and reputation: `badgify_sync awards` at 10,000 members and 100,000 answers,
and the public profile page as a ratio to the minimal view.

    .venv/bin/python bench/community_badges.py [--users 10000] [--answers 100000] [--seconds 5]

Seeds its own database in bulk (SQLite in var/bench-badges.sqlite3, or
DATABASE_URL), on top of the demo site: members, questions in every demo
product with tags, answers with scores, acceptances and their ledger rows.
Then it times `manage.py badgify_sync awards` twice (the first run awards and
notifies, the second is the steady-state reconcile), serves the site with
granian and loads `/healthz/` and a power user's profile with wrk.
"""

import argparse
import random
import subprocess
import time

from common import (
    PYTHON,
    ROOT,
    bench_env,
    manage,
    report,
    serve,
    setup_django,
    wrk,
)

TAGS = [f"topic-{n}" for n in range(30)]


def seed(users: int, answers: int, rng: random.Random) -> str:
    """Write the data in bulk; return the username of the busiest answerer."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag

    from community.models import Answer, Question, QuestionTag, ReputationEvent
    from portal.models import ProductPage, Profile

    User = get_user_model()
    if User.objects.filter(username="bench-0").exists():
        return _busiest()
    now = timezone.now()
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"bench-{n}", email=f"bench-{n}@example.com", password="!") for n in range(users)],
            batch_size=2000,
        )
        members = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
        Profile.objects.bulk_create(
            [Profile(user_id=pk, display_name=f"Bench member {pk}") for pk in members], batch_size=2000
        )
        products = list(ProductPage.objects.live().values_list("pk", flat=True))
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]
        per_question = 4
        question_count = answers // per_question
        # A few hundred power users answer much more often: they are the topic experts.
        power = members[:300]
        questions = [
            Question(author_id=rng.choice(members), title=f"Bench question {n} about setup", slug=f"bench-{n}",
                     body="How do I set this up? " * 3, body_html="<p>How do I set this up?</p>",
                     product_id=rng.choice(products), created_at=now, last_activity_at=now,
                     answer_count=per_question, status=Question.Status.ANSWERED)
            for n in range(question_count)
        ]
        Question.objects.bulk_create(questions, batch_size=2000)
        QuestionTag.objects.bulk_create(
            [QuestionTag(content_object=q, tag=tag) for q in questions for tag in rng.sample(tags, 2)], batch_size=5000
        )
        rows = []
        for question in questions:
            authors = set()
            while len(authors) < per_question:
                pool = power if rng.random() < 0.5 else members
                candidate = rng.choice(pool)
                if candidate != question.author_id:
                    authors.add(candidate)
            for author in authors:
                rows.append(Answer(question=question, author_id=author, body="Restart it, then update the firmware.",
                                   body_html="<p>Restart it, then update the firmware.</p>",
                                   score=max(0, int(rng.expovariate(0.25))), created_at=now))
        Answer.objects.bulk_create(rows, batch_size=5000)
        accepted, events = [], []
        for n, question in enumerate(questions):
            if n % 5 < 2:
                best = max(rows[n * per_question:(n + 1) * per_question], key=lambda a: a.score)
                question.accepted_answer_id = best.pk
                question.accepted_at = now
                question.status = Question.Status.SOLVED
                accepted.append(question)
                events.append(ReputationEvent(user_id=best.author_id, kind="answer_accepted", points=15,
                                              actor_id=question.author_id, question_id=question.pk,
                                              answer_id=best.pk, created_at=now))
        Question.objects.bulk_update(accepted, ["accepted_answer", "accepted_at", "status"], batch_size=2000)
        ReputationEvent.objects.bulk_create(events, batch_size=5000)
    from community.services_reputation import reputation_rebuild

    reputation_rebuild(fix=True)
    return _busiest()


def _busiest() -> str:
    from django.db.models import Count

    from community.models import Answer

    row = (
        Answer.objects.filter(author__username__startswith="bench-")
        .values("author__username").annotate(n=Count("pk")).order_by("-n").first()
    )
    return row["author__username"]


def timed_sync(env, *extra) -> float:
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "badgify_sync", "awards", *extra], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-sync", action="store_true", help="measure the pages only")
    args = parser.parse_args()

    env = bench_env()
    if "bench.sqlite3" in env["DATABASE_URL"]:
        env["DATABASE_URL"] = env["DATABASE_URL"].replace("bench.sqlite3", "bench-badges.sqlite3")
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "portal_demo")
    manage(env, "collectstatic", "--noinput")
    setup_django(env)
    started = time.monotonic()
    username = seed(args.users, args.answers, random.Random(7))
    seeded = time.monotonic() - started

    from badgify.models import Award
    from django.contrib.auth import get_user_model

    from community.models import Answer

    analyze()
    if not args.skip_sync:
        first = timed_sync(env)
        awards = Award.objects.count()
        second = timed_sync(env)
        print(f"\nbadgify_sync awards: {get_user_model().objects.count():,} members, {Answer.objects.count():,} answers "
              f"(seeded in {seeded:.1f}s)")
        print(f"  first run (awards {awards:,}, with notices): {first:.1f}s")
        print(f"  second run (steady-state reconcile, nothing new): {second:.1f}s")

    profile = f"/people/{username}/"
    answers = Answer.objects.filter(author__username=username).count()
    held = Award.objects.filter(user__username=username).count()
    print(f"\nbusiest member {username}: {answers} answers, {held} badges")
    cold = render_figures(profile, cold=True)
    warm = render_figures(profile, cold=False)
    print(f"  profile render in-process, every cache empty: {cold[0]:.0f} ms median, {cold[1]} queries")
    print(f"  profile render in-process, reputation section cached: {warm[0]:.0f} ms median, {warm[1]} queries")
    # A messages cookie makes the page cache step aside: those rows measure a render.
    rendered = {"Cookie": "messages=bench"}
    with serve(env) as base:
        def load(path, headers=None):
            wrk(base + path, seconds=1, connections=args.connections, headers=headers)  # warm-up
            return wrk(base + path, seconds=args.seconds, connections=args.connections, headers=headers)

        reference = load("/healthz/")
        rows = [
            ("profile (page cache)", load(profile), 0),
            ("profile (rendered)", load(profile, rendered), warm[1]),
            ("leaderboard month (page cache)", load("/community/leaderboard/"), 0),
            ("leaderboard month (rendered)", load("/community/leaderboard/", rendered), None),
            ("leaderboard all time (rendered)", load("/community/leaderboard/?period=all", rendered), None),
        ]
    report(f"Reputation pages, granian wsgi, 2 workers, {args.connections} connections, {args.seconds}s each",
           rows, reference)


def analyze() -> None:
    """Refresh the planner's statistics after the bulk seed, as autovacuum would on a live site."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def render_figures(path: str, *, cold: bool, runs: int = 5) -> tuple[float, int]:
    """(median ms, queries) of rendering `path` in this process, page cache off; `cold` empties every cache."""
    import statistics

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.CANDOR_PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    times, queries = [], 0
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            started = time.monotonic()
            response = client.get(path)
            times.append((time.monotonic() - started) * 1000)
        assert response.status_code == 200, path
        queries = len(ctx)
    settings.CANDOR_PAGE_CACHE_SECONDS = 60
    return statistics.median(times), queries


if __name__ == "__main__":
    main()
