"""Benchmark the community: the question list and a question page with 30 answers.

    .venv/bin/python bench/community_pages.py [--seconds 5] [--interface wsgi|asgi]

Serves the demo site (with its ~300 questions) with granian under production
settings (DATABASE_URL and REDIS_URL are honoured, SQLite in var/ otherwise),
adds one question with 30 answers, comments and votes, and prints requests/s
and p50/p99 for each page as a ratio to the minimal view `/healthz/` measured
the same way in the same run, plus the queries each page makes. Anonymous pages
are measured as served (from the short anonymous page cache) and rendered
(cache bypassed); signed-in pages are always rendered.
"""

import argparse

from common import (
    bench_env,
    prepare_site,
    report,
    serve,
    session_cookie_for,
    setup_django,
    wrk,
)

BENCH_TITLE = "Benchmark: why does Router X need a restart every week?"
ANSWERS = 30


def ensure_question_with_answers() -> str:
    """Return the URL of a question with exactly 30 answers (created once)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from community import services
    from community.models import Answer, Comment, Question, Vote
    from portal.markdown import render_markdown
    from portal.models import Profile

    question = Question.objects.filter(title=BENCH_TITLE).first()
    if question is not None:
        return question.get_absolute_url()
    User = get_user_model()
    asker = User.objects.get(email="ana@example.com")
    with transaction.atomic():
        question = services.question_ask(
            author=asker,
            title=BENCH_TITLE,
            body="Every Monday it slows down until I restart it. Firmware 2.4, about 30 devices.",
            tags=["wifi", "router"],
        )
        members = User.objects.bulk_create(
            [
                User(username=f"bench-qa-{n}", email=f"bench-qa-{n}@example.com")
                for n in range(ANSWERS)
            ]
        )
        Profile.objects.bulk_create(
            [
                Profile(user=u, display_name=f"Bench member {n}")
                for n, u in enumerate(members)
            ]
        )
        answers = Answer.objects.bulk_create(
            [
                Answer(
                    question=question,
                    author=m,
                    body=f"Answer {n}: try **channel {n % 11 + 1}** first.",
                    body_html=render_markdown(
                        f"Answer {n}: try **channel {n % 11 + 1}** first."
                    ),
                )
                for n, m in enumerate(members)
            ]
        )
        Comment.objects.bulk_create(
            [
                Comment(
                    answer=a,
                    author=asker,
                    body="Thanks, trying it.",
                    body_html="<p>Thanks, trying it.</p>",
                )
                for a in answers[::3]
            ]
        )
        Vote.objects.bulk_create(
            [Vote(user=members[0], answer=a, value=1) for a in answers[1:]]
        )
        Answer.objects.filter(pk__in=[a.pk for a in answers[1:]]).update(score=1)
        Question.objects.filter(pk=question.pk).update(
            answer_count=ANSWERS, status="answered"
        )
        services.answer_accept(answer=answers[7], by=asker)
    return question.get_absolute_url()


def uncached_queries(path: str) -> int:
    """Queries to render `path` for an anonymous visitor, past the page cache
    (and past the cached figures, which every community write renews)."""
    from community.caching import content_changed

    content_changed()
    return _count_fresh(path)


def _count_fresh(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["messages"] = "bench"  # step past the anonymous page cache
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(ctx)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--interface", choices=["wsgi", "asgi"], default="wsgi")
    args = parser.parse_args()

    env = bench_env()
    prepare_site(env)
    setup_django(env)
    question_url = ensure_question_with_answers()
    pages = [
        ("question list", "/community/"),
        ("question list, tag 'wifi'", "/community/tags/wifi/"),
        ("question page, 30 answers", question_url),
        ("API question list", "/api/v1/community/questions/"),
    ]
    queries = {path: uncached_queries(path) for _name, path in pages}
    cookie = session_cookie_for("ben@example.com")
    # A (meaningless) messages cookie makes the anonymous page cache step aside,
    # so these rows measure rendering the page.
    no_cache = {"Cookie": "messages=bench"}

    with serve(env, interface=args.interface) as base:

        def load(path, **kw):
            return wrk(
                base + path, seconds=args.seconds, connections=args.connections, **kw
            )

        load("/healthz/")  # warm-up
        reference = load("/healthz/")
        rows = [
            (f"{name} (anonymous, cached)", load(path), queries[path])
            for name, path in pages[:3]
        ]
        rows.append(
            ("API question list (anonymous)", load(pages[3][1]), queries[pages[3][1]])
        )
        rows += [
            (f"{name} (anonymous, rendered)", load(path, headers=no_cache), None)
            for name, path in pages[:3:2]
        ]
        rows += [
            (f"{name} (signed in)", load(path, headers={"Cookie": cookie}), None)
            for name, path in pages[:3:2]
        ]
    report(
        f"Community pages, granian {args.interface}, 2 workers, {args.connections} connections, {args.seconds}s each",
        rows,
        reference,
    )


if __name__ == "__main__":
    main()
