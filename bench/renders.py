"""Renders with the page cache off: what members, and every reader after a write, get.

    .venv/bin/python bench/renders.py [--seconds 5] [--connections 32]

The page cache hides the cost of a render (wrk repeats one user on one page, and
the cache answers). Real members do not repeat, and a write expires the pages it
changes, so this row set serves Candor with ``DJANGO_PAGE_CACHE_SECONDS=0`` and
compares each hot page, rendered, with two references served the same way in
the same run (granian WSGI, 2 workers, production settings):

- a **bare Wagtail page**: the home page of a project made by ``wagtail start`` in
  a temporary folder, on the same kind of database, the cost of a Wagtail page
  render with nothing of Candor's in it;
- the **minimal Django view** ``/healthz/``.

For each page: the p50 of one client alone (``wrk -c1``), then requests/s and p99
at ``--connections``, and the SQL queries of one render. Targets (issue 14):
signed in, every page >= 1.0x the bare Wagtail page in req/s and p50 <= 8 ms;
stretch >= 0.1x the minimal view.

``bench/run`` runs it after its own rows (``--no-renders`` skips it); alone, run it
after ``bench/run`` has seeded the database. It adds its own fixtures (a question
with 30 answers) if they are missing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from common import (
    GRANIAN,
    Load,
    bench_env,
    count_queries,
    free_port,
    serve,
    session_cookie_for,
    setup_django,
    wrk,
)

TARGET_BARE_RATIO, TARGET_P50_MS, STRETCH_MINIMAL_RATIO = 1.0, 8.0, 0.1
ANSWERS_ON_THE_BIG_QUESTION = 30
MEMBER = "ana@example.com"


@contextlib.contextmanager
def bare_wagtail(database_url: str):
    """Serve a fresh ``wagtail start`` project's home page; yield its base URL.

    Same server and worker count as Candor; on PostgreSQL it gets a database of
    its own on the same server, so both pay the same kind of queries.
    """
    wagtail = str(Path(sys.executable).with_name("wagtail"))
    with tempfile.TemporaryDirectory(prefix="bare-wagtail-") as folder:
        subprocess.run(
            [wagtail, "start", "bare", folder], check=True, capture_output=True
        )
        db_setting = "DATABASES = DATABASES"
        if database_url.startswith("postgres"):
            name = "candor_bench_bare_wagtail"
            _recreate_postgres_database(database_url, name)
            url = database_url.rsplit("/", 1)[0] + "/" + name
            db_setting = f"import dj_database_url\nDATABASES = {{'default': dj_database_url.parse({url!r})}}"
        (Path(folder) / "bare" / "settings" / "local.py").write_text(
            textwrap.dedent(
                """\
                SECRET_KEY = "bench-only-" + "x" * 40
                ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
                """
            )
            + db_setting
            + "\n"
        )
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="bare.settings.production")
        env.pop("DATABASE_URL", None)
        for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=folder,
                env=env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        process = subprocess.Popen(
            [
                GRANIAN,
                "--interface",
                "wsgi",
                "--workers",
                "2",
                "--blocking-threads",
                "4",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-ws",
                "bare.wsgi:application",
            ],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base + "/", process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _recreate_postgres_database(url: str, name: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _wait_until_up(url: str, process) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "bare Wagtail did not start: "
                    + process.stderr.read().decode()[-2000:]
                ) from None
            time.sleep(0.2)


def ensure_big_question() -> str:
    """The URL of a question with 30 visible answers by 30 members, made if missing.

    The scaled set's questions have about five answers each; the issue's hot page
    is a long thread. Rows are bulk-created as ``bench/seed.py`` does (the
    services' rate limits and notifications have no place in a fixture), with the
    counters the services would have set.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.utils import timezone

    from community.models import Answer, Question
    from portal.markdown import render_markdown

    title = "Bench: a long thread with thirty answers"
    question = Question.objects.filter(title=title).first()
    if question is None:
        asker = get_user_model().objects.get(email=MEMBER)
        body = "It drops every evening around 8 pm. **What else can I check?**"
        question = Question.objects.create(
            author=asker,
            title=title,
            slug=Question.make_slug(title),
            body=body,
            body_html=render_markdown(body),
        )
    have = question.answers.count()
    if have < ANSWERS_ON_THE_BIG_QUESTION:
        authors = (
            get_user_model()
            .objects.exclude(pk=question.author_id)
            .exclude(answers__question=question)
            .annotate(n=Count("answers", filter=Q(answers__isnull=False)))
            .order_by("-n", "pk")[: ANSWERS_ON_THE_BIG_QUESTION - have]
        )
        now = timezone.now()
        text = (
            "Open the app, go to *Settings → Network*, and pick another channel.\n\n"
            "- check the firmware version\n- move the router away from the microwave\n\n"
            "If it still drops, `reboot` it from the app and watch the light."
        )
        Answer.objects.bulk_create(
            Answer(
                question=question,
                author=author,
                body=text,
                body_html=render_markdown(text),
                created_at=now,
            )
            for author in authors
        )
        count = question.answers.count()
        Question.objects.filter(pk=question.pk).update(
            answer_count=count,
            status=Question.Status.ANSWERED,
            first_answered_at=now,
            last_activity_at=now,
        )
    return question.get_absolute_url()


def pages() -> list[tuple[str, str, bool]]:
    """(name, path, signed in) for each measured page."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from portal.models import ProductPage

    question = ensure_big_question()
    product = (
        ProductPage.objects.live()
        .annotate(n=Count("reviews"))
        .filter(n__gte=30)
        .order_by("n", "path")
        .first()
    ) or ProductPage.objects.live().order_by("path").first()
    busiest = (
        get_user_model()
        .objects.annotate(n=Count("answers"))
        .order_by("-n", "pk")
        .values_list("username", flat=True)
        .first()
    )
    return [
        ("question, 30 answers", question, False),
        ("question, 30 answers", question, True),
        ("product page", product.url, True),
        ("home", "/", True),
        ("question list", reverse("community:question_list"), True),
        ("profile (busiest member)", reverse("portal:profile", args=[busiest]), True),
    ]


def measure(
    url: str, *, seconds: int, connections: int, headers=None
) -> tuple[float, Load]:
    """(single-client p50 ms, the load at `connections`) for one URL."""
    # Warm-up with one connection per worker: a wider one would leave requests
    # queued behind the single client's first request and inflate its p50.
    wrk(url, seconds=1, connections=2, headers=headers)
    alone = wrk(url, seconds=seconds, connections=1, threads=1, headers=headers)
    return alone.p50_ms, wrk(
        url, seconds=seconds, connections=connections, headers=headers
    )


def run(env: dict, *, seconds: int, connections: int) -> list[str]:
    """Measure the row set; return the printed lines (also printed as they come)."""
    env = dict(env, DJANGO_PAGE_CACHE_SECONDS="0")
    os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    setup_django(env)
    from django.conf import settings

    settings.CANDOR_PAGE_CACHE_SECONDS = 0  # also when bench/run set Django up first
    measured = pages()
    queries = {}
    for _name, path, signed_in in measured:
        client = None
        if signed_in:
            from django.contrib.auth import get_user_model
            from django.test import Client

            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(get_user_model().objects.get(email=MEMBER))
        queries[path, signed_in] = count_queries(path, client=client)
    cookie = {"Cookie": session_cookie_for(MEMBER)}

    rows = []
    with bare_wagtail(env["DATABASE_URL"]) as bare_base:
        bare = measure(bare_base + "/", seconds=seconds, connections=connections)
    with serve(env) as base:
        minimal = measure(base + "/healthz/", seconds=seconds, connections=connections)
        for name, path, signed_in in measured:
            headers = cookie if signed_in else None
            p50, load = measure(
                base + path, seconds=seconds, connections=connections, headers=headers
            )
            label = f"{name} ({'signed in' if signed_in else 'anonymous'})"
            rows.append((label, p50, load, queries[path, signed_in], signed_in))

    lines = [
        f"\nRenders, page cache off: granian WSGI, 2 workers, p50 of 1 client, req/s and "
        f"p99 at {connections} connections, {seconds}s per figure, "
        f"{env['DATABASE_URL'].split(':')[0]}",
        f"{'page':<40} {'p50 ms':>7} {'req/s':>8} {'p99 ms':>7} {'x bare':>7} "
        f"{'x min':>6} {'queries':>7} {'errors':>6}",
    ]

    def line(label, p50, load, q, note=""):
        return (
            f"{label:<40} {p50:>7.2f} {load.requests_per_second:>8.0f} {load.p99_ms:>7.1f} "
            f"{load.requests_per_second / bare[1].requests_per_second:>7.2f} "
            f"{load.requests_per_second / minimal[1].requests_per_second:>6.3f} "
            f"{q:>7} {load.errors:>6}{note}"
        )

    lines.append(line("minimal Django view /healthz/", *minimal, "-"))
    lines.append(line("bare Wagtail page (wagtail start)", *bare, "-"))
    met = 0
    for label, p50, load, q, signed_in in rows:
        ok = (
            load.requests_per_second >= TARGET_BARE_RATIO * bare[1].requests_per_second
            and p50 <= TARGET_P50_MS
            and not load.errors
        )
        met += ok
        note = "" if ok or not signed_in else "  <- misses target"
        lines.append(line(label, p50, load, q, note))
    lines.append(
        f"Targets (signed in): >= {TARGET_BARE_RATIO}x the bare Wagtail page, p50 <= "
        f"{TARGET_P50_MS} ms; stretch >= {STRETCH_MINIMAL_RATIO}x the minimal view. "
        f"{met} of {len(rows)} rows meet the target."
    )
    for text in lines:
        print(text)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    env = bench_env(DJANGO_RATE_LIMITS="0")
    run(env, seconds=args.seconds, connections=args.connections)


if __name__ == "__main__":
    main()
