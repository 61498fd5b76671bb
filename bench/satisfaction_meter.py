"""Benchmark the satisfaction meter at 1,000 and at 1,000,000 answers, and survey POSTs.

    .venv/bin/python bench/satisfaction_meter.py [--seconds 5] [--answers 1000000]

Serves the demo site with granian (WSGI, production settings; DATABASE_URL and
REDIS_URL are honoured, a SQLite file in var/ otherwise) and prints requests/s
and p50/p99 as ratios to the minimal view `/healthz/` measured in the same run:

1. the meter snapshot (JSON), the meter page and the API snapshot with their
   snapshot cache switched off, so every request recomputes the figures from
   the tallies: at 1,000 answers, then again after seeding up to 1,000,000 in
   bulk. The "1M / 1k" column must stay near 1;
2. survey answers (CSRF-valid POSTs to distinct fresh invitations) per second,
   counted as answers actually recorded.

It owns its database: the SQLite file is recreated; a PostgreSQL DATABASE_URL
must name a database containing "bench", whose satisfaction tables are emptied.
"""

import argparse
import os
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

from common import (
    ROOT,
    bench_env,
    count_queries,
    prepare_site,
    report,
    serve,
    setup_django,
    wrk,
)

PAGES = [
    ("meter snapshot /satisfaction/meter.json", "/satisfaction/meter.json"),
    ("meter page /satisfaction/", "/satisfaction/"),
    ("API /api/v1/satisfaction/meter/", "/api/v1/satisfaction/meter/"),
    ("badge /satisfaction/badge.svg", "/satisfaction/badge.svg"),
]

POST_SCRIPT = """
local tokens = {}
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  step = tonumber(args[2])
  counter = id
end
function request()
  local token = tokens[(counter % #tokens) + 1]
  counter = counter + step
  return wrk.format("POST", "/satisfaction/survey/" .. token .. "/",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "csrftoken=CSRF"},
    "csrfmiddlewaretoken=CSRF&answer=yes")
end
"""


def reset_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("Give a PostgreSQL database whose name contains 'bench': this script empties its tables.")


def empty_satisfaction_tables() -> None:
    """Start from zero answers (TRUNCATE on PostgreSQL: the append-only triggers ignore it)."""
    from django.apps import apps
    from django.db import connection

    # Children first: SQLite checks the foreign keys of each DELETE.
    tables = [model._meta.db_table for model in reversed(list(apps.get_app_config("satisfaction").get_models()))]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def reset_sequences() -> None:
    """Move the id sequences past the bulk-inserted rows (they carry explicit ids), so
    the app's own inserts (survey POSTs, the next run's demo) do not collide."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = list(apps.get_app_config("satisfaction").get_models())
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def answers_count() -> int:
    from satisfaction.models import SurveyResponse

    return SurveyResponse.objects.count()


def seed_to(total: int, products) -> float:
    """Bulk-insert answers until there are `total`; return the seconds it took."""
    from satisfaction import ledger
    from tests.factories.satisfaction import seed_answers

    started = time.monotonic()
    missing = total - answers_count()
    if missing > 0:
        seed_answers(missing, days=120, products=products, satisfied_share=0.9, excluded_every=997,
                     rng_seed=total, batch_size=20_000)
    ledger.chain_seal()
    reset_sequences()
    return time.monotonic() - started


def survey_tokens(count: int) -> list[str]:
    """Fresh unanswered invitations (sent today) and their signed link tokens."""
    from satisfaction.models import SurveyInvitation
    from satisfaction.tokens import survey_token_make
    from tests.factories.satisfaction import seed_answers

    first = SurveyInvitation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seed_answers(count, days=0.01, unanswered_every=1, rng_seed=count + first, rebuild=False)
    from satisfaction import ledger

    ledger.tallies_rebuild(fix=True)
    reset_sequences()
    return [survey_token_make(i) for i in SurveyInvitation.objects.filter(pk__gt=first).only("pk", "nonce")]


def load_pages(base, seconds, connections):
    rows = []
    for name, path in PAGES:
        rows.append((name, wrk(base + path, seconds=seconds, connections=connections), None))
    return rows


def post_answers(base, tokens, seconds, connections) -> tuple[float, object]:
    """POST answers for `seconds`; return answers recorded per second and wrk's figures."""
    csrf = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "post.lua"
        script.write_text(POST_SCRIPT.replace("CSRF", csrf))
        token_file = Path(folder) / "tokens.txt"
        token_file.write_text("\n".join(tokens) + "\n")
        before = answers_count()
        started = time.monotonic()
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
             "-s", str(script), base + "/healthz/", "--", str(token_file), "2"],
            capture_output=True, text=True, timeout=seconds + 60,
        ).stdout
        elapsed = time.monotonic() - started
    recorded = answers_count() - before
    import re

    from common import _ms

    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    return recorded / min(elapsed, seconds + 0.5), (p50, p99, recorded, output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--answers", type=int, default=1_000_000, help="the large size (default 1,000,000)")
    parser.add_argument("--small", type=int, default=1_000, help="the small size (default 1,000)")
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench-satisfaction.sqlite3'}"
    # Every request recomputes: no snapshot cache, no page cache. No rate limits either:
    # the survey run posts thousands of answers from one address on purpose.
    env = bench_env(
        DATABASE_URL=database,
        CANDOR_SATISFACTION_SNAPSHOT_SECONDS="0",
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_RATE_LIMITS="0",
    )
    reset_database(env)
    prepare_site(env)
    setup_django(env)
    empty_satisfaction_tables()
    from portal.models import ProductPage

    products = list(ProductPage.objects.all())
    print(f"database: {database.split('@')[-1]}; cache: {'Redis' if env.get('REDIS_URL') else 'in-process'}; "
          "meter snapshot cache OFF (every request recomputes from the tallies)")

    results = {}
    for size in (args.small, args.answers):
        took = seed_to(size, products)
        print(f"\nseeded {answers_count():,} answers ({took:.0f} s)")
        queries = {path: count_queries(path) for _name, path in PAGES}
        tokens = survey_tokens(max(4000, args.seconds * 1500))
        with serve(env) as base:
            wrk(base + "/healthz/", seconds=2, connections=args.connections)  # warm-up
            reference = wrk(base + "/healthz/", seconds=args.seconds, connections=args.connections)
            rows = [(name, load, queries[path]) for (name, load, _q), (_n, path) in
                    zip(load_pages(base, args.seconds, args.connections), PAGES, strict=True)]
            rate, (p50, p99, recorded, _output) = post_answers(base, tokens, args.seconds, args.connections)
        report(f"{answers_count():,} answers (after the POST run)", rows, reference)
        print(f"{'survey POST (answers recorded)':<34} {rate:>9.0f} {rate / reference.requests_per_second:>7.2f} "
              f"{p50:>8.1f} {p99:>8.1f} {'-':>8} {'':>7}  ({recorded} answers)")
        results[size] = {name: load.requests_per_second / reference.requests_per_second for name, load, _q in rows}
        results[size]["survey POST"] = rate / reference.requests_per_second

    print(f"\nratio to /healthz/ at {args.answers:,} answers ÷ the same ratio at {args.small:,} (near 1 = flat cost)")
    for name in results[args.small]:
        print(f"  {name:<40} {results[args.answers][name] / results[args.small][name]:>6.2f}")


if __name__ == "__main__":
    main()
