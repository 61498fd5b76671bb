"""Benchmark site search on the scaled data set, rendered (page cache off).

    .venv/bin/python bench/search.py [--seconds 5] [--connections 8] [--skip-seed] [--scale 1.0] [--profile]

Seeds the scaled data set as ``bench/run`` does (demo site, then
``manage.py portal_bench_seed``: 10,000 questions, 50,000 answers, 20,000
reviews), indexes the seeded rows once (``manage.py update_index`` when the
search index holds fewer entries than the searchable rows: the seeders skip it),
serves the site with granian (WSGI, 2 workers, production settings,
``DJANGO_PAGE_CACHE_SECONDS=0`` so every request searches; rate limits off) and
loads ``/healthz/`` and then each representative query with wrk. It prints
requests/s and p50/p99 as ratios to ``/healthz/`` measured in the same run,
the p50 of one client alone (``wrk -c1``: the latency a visitor gets), and the
SQL queries of one search.

Target (issue 15): search p50 <= 30 ms uncached on PostgreSQL. DATABASE_URL and
REDIS_URL are honoured (SQLite in var/ otherwise). ``--profile`` prints where one
search of each query spends its time (cProfile, top functions) after the run.
"""

from __future__ import annotations

import argparse
import time
from urllib.parse import quote_plus

from common import Load, bench_env, count_queries, manage, serve, setup_django, wrk

TARGET_P50_MS = 30.0

# What customers type: one word, two words, a prefix still being typed, a typo,
# a pasted error message (long: shortened to its most useful words), and words
# nothing matches (the zero-result page, logged as a search gap).
QUERIES = [
    ("one word", "router"),
    ("two words", "firmware update"),
    ("prefix", "firmw"),
    ("typo", "fimrware"),
    (
        "pasted error message",
        "Error 0x80070005: the firmware update failed at 80 percent because the "
        "device lost its connection to the update server, please restart the "
        "router and try again later (code FW-UPD-TIMEOUT)",
    ),
    ("zero results", "quantum teleporter"),
]


def seed(env: dict, scale: float, skip: bool) -> None:
    """Migrate and seed the scaled set as bench/run does (unless `skip`)."""
    import run  # bench/run.py

    run.ensure_database(env["DATABASE_URL"])
    if skip:
        manage(env, "migrate", "--noinput")
    else:
        run.seed(env, scale)


def index_seeded_rows(env: dict) -> None:
    """Index what the bulk seeders left out of the search index, once per database."""
    from wagtail.search.models import IndexEntry

    from portal.search import search_types

    searchable = sum(t.model.objects.count() for t in search_types())
    if IndexEntry.objects.count() < searchable * 0.9:
        started = time.monotonic()
        manage(env, "update_index")
        print(f"indexed the seeded rows in {time.monotonic() - started:.0f}s")


def path_for(text: str) -> str:
    return "/search/?q=" + quote_plus(text)


def profile(paths: list[tuple[str, str]]) -> None:
    """Where one search spends its time, in this process (top functions)."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in paths:
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(path)
        profiler.disable()
        print(f"\nprofile: {name}")
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        # Candor's and the search layer's own frames, and the time in SQL.
        stats.print_stats(r"portal/search|portal/views|modelsearch|backends/utils", 14)


def run(env: dict, *, seconds: int, connections: int, with_profile=False) -> None:
    """Measure and print the rows; Django is set up on a seeded database."""
    from django.conf import settings

    env = {**env, "DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_RATE_LIMITS": "0"}
    index_seeded_rows(env)
    cache_seconds, settings.CANDOR_PAGE_CACHE_SECONDS = (
        settings.CANDOR_PAGE_CACHE_SECONDS,
        0,
    )
    paths = [(name, path_for(text)) for name, text in QUERIES]
    queries = {path: count_queries(path) for _name, path in paths}

    with serve(env) as base:

        def measure(path: str) -> tuple[Load, float]:
            wrk(base + path, seconds=1, connections=connections)  # warm-up
            alone = wrk(base + path, seconds=seconds, connections=1, threads=1)
            return wrk(base + path, seconds=seconds, connections=connections), (
                alone.p50_ms
            )

        reference, reference_alone = measure("/healthz/")
        rows = [(name, *measure(path), queries[path]) for name, path in paths]
        closing, _ = measure("/healthz/")  # the machine drifts: average both ends
        reference = Load(
            (reference.requests_per_second + closing.requests_per_second) / 2,
            (reference.p50_ms + closing.p50_ms) / 2,
            max(reference.p99_ms, closing.p99_ms),
            reference.errors + closing.errors,
        )

    database = env["DATABASE_URL"].split(":")[0]
    print(
        f"\nSite search, page cache off: granian WSGI, 2 workers, {database}, "
        f"{connections} connections, {seconds}s per row"
    )
    print(
        f"{'query':<24} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'p50 1c':>7} {'queries':>8} {'errors':>7}"
    )
    print(
        f"{'/healthz/ (reference)':<24} {reference.requests_per_second:>8.0f} {1:>6.2f} "
        f"{reference.p50_ms:>7.1f} {reference.p99_ms:>7.1f} {reference_alone:>7.1f} "
        f"{'-':>8} {reference.errors:>7}"
    )
    misses = 0
    for name, load, alone_ms, q in rows:
        ratio = load.requests_per_second / reference.requests_per_second
        ok = alone_ms <= TARGET_P50_MS and not load.errors
        misses += not ok
        print(
            f"{name:<24} {load.requests_per_second:>8.0f} {ratio:>6.2f} "
            f"{load.p50_ms:>7.1f} {load.p99_ms:>7.1f} {alone_ms:>7.1f} {q:>8} "
            f"{load.errors:>7}{'' if ok else '  <- over the 30 ms p50 target'}"
        )
    print(
        "p50 1c: the p50 of one client alone (the target's figure: a visitor's wait); "
        f"p50/p99 and req/s at {connections} connections."
    )
    print(f"\n{len(rows) - misses} of {len(rows)} queries meet the p50 target.")
    if with_profile:
        profile(paths)
    settings.CANDOR_PAGE_CACHE_SECONDS = cache_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    env = bench_env(DJANGO_RATE_LIMITS="0", DJANGO_PAGE_CACHE_SECONDS="0")
    seed(env, args.scale, args.skip_seed)
    setup_django(env)
    run(
        env,
        seconds=args.seconds,
        connections=args.connections,
        with_profile=args.profile,
    )


if __name__ == "__main__":
    main()
