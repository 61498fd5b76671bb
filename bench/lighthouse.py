"""Lighthouse scores (mobile) of the five main pages, served as in production.

    .venv/bin/python bench/lighthouse.py [--runs 1] [--min 95] [--skip-prepare]

Issue 19 asks for Lighthouse mobile >= 95 in all four categories (performance,
accessibility, best practices, SEO) on home, a question, a product, an article
and the meter. This serves the demo site with granian under production
settings (bench/common.py: hashed static files, DEBUG off; DATABASE_URL and
REDIS_URL honoured, SQLite in var/ otherwise) and runs the Lighthouse CLI in
its default mobile mode (a Moto G class phone on a throttled 4G link,
simulated) against each page, in Debian's Chromium, and prints the four scores
per page with the timings that make up the performance score.

Lighthouse is an npm package; the project pins it in bench/lighthouse/
(``npm ci --prefix bench/lighthouse``; it downloads no browser). A
``lighthouse`` on PATH is used first. Without either, the script says so and
exits 2. With ``--min``, it exits 1 when any score is below that figure.
With ``--runs N`` each page is measured N times and the median is kept (the
performance score moves a few points between runs on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from common import ROOT, bench_env, free_port, prepare_site, serve, setup_django

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TIMINGS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
)
LOCAL_CLI = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"


def lighthouse_cli() -> str | None:
    """The Lighthouse command: one on PATH, else the copy pinned in bench/lighthouse/."""
    found = shutil.which("lighthouse")
    if found:
        return found
    return str(LOCAL_CLI) if LOCAL_CLI.exists() else None


def chromium() -> str | None:
    path = os.environ.get("CHROME_PATH") or CHROMIUM
    return path if Path(path).exists() else shutil.which("chromium")


def pages() -> list[tuple[str, str]]:
    """The five pages of the issue, from the demo data (the busiest visible question)."""
    from django.db.models import Count, Q

    from community.models import Question
    from portal.models import ArticlePage, ProductPage

    question = (
        Question.objects.visible()
        .annotate(n=Count("answers", filter=Q(answers__is_hidden=False)))
        .order_by("-n", "pk")
        .first()
    )
    product = ProductPage.objects.live().public().order_by("path").first()
    article = ArticlePage.objects.live().public().order_by("path").first()
    return [
        ("home", "/"),
        ("question", question.get_absolute_url()),
        ("product", product.url),
        ("article", article.url),
        ("meter", "/satisfaction/"),
    ]


def audit(cli: str, browser: str, url: str, tries: int = 3) -> dict:
    """One Lighthouse run of `url` (mobile, simulated throttling): its JSON report.

    On a busy machine Chromium now and then loses the trace (NO_NAVSTART,
    NO_FCP): such a run is tried again, up to `tries` times.
    """
    for attempt in range(1, tries + 1):
        try:
            return _audit_once(cli, browser, url)
        except RuntimeError as error:
            if attempt == tries:
                raise
            print(f"retrying {url}: {str(error)[-200:]}", file=sys.stderr)
    raise AssertionError("unreachable")


def _audit_once(cli: str, browser: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        env = dict(os.environ, CHROME_PATH=browser)
        command = [
            cli,
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
            f"--user-data-dir={profile}",
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=240
        )
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def scores(report: dict) -> dict:
    """{category: 0-100, timing label: display value} from one report."""
    row = {
        name: round((report["categories"][name]["score"] or 0) * 100)
        for name in CATEGORIES
    }
    for audit_id, label in TIMINGS:
        row[label] = report["audits"][audit_id].get("numericValue")
    failed = [
        audit_id
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"]
        and (audit_id := ref["id"])
        and report["audits"][audit_id].get("score") not in (None, 1)
        and report["audits"][audit_id].get("scoreDisplayMode") == "binary"
    ]
    row["failed"] = failed
    return row


def median_row(rows: list[dict]) -> dict:
    merged = {
        key: statistics.median(row[key] for row in rows)
        for key in rows[0]
        if key != "failed"
    }
    merged["failed"] = sorted({a for row in rows for a in row["failed"]})
    return merged


def print_table(results: list[tuple[str, str, dict]]) -> None:
    print(
        f"\n{'page':<10} {'perf':>5} {'a11y':>5} {'b-p':>5} {'seo':>5} "
        f"{'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6}  failing binary audits"
    )
    for name, _path, row in results:
        print(
            f"{name:<10} {row['performance']:>5.0f} {row['accessibility']:>5.0f} "
            f"{row['best-practices']:>5.0f} {row['seo']:>5.0f} {row['FCP']:>7.0f} "
            f"{row['LCP']:>7.0f} {row['TBT']:>7.0f} {row['CLS']:>6.3f}  "
            f"{', '.join(row['failed']) or '-'}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median)")
    parser.add_argument("--min", type=float, default=None, help="fail below this score")
    parser.add_argument(
        "--skip-prepare",
        action="store_true",
        help="reuse migrated demo data and statics",
    )
    args = parser.parse_args()

    cli, browser = lighthouse_cli(), chromium()
    if cli is None:
        print(
            "lighthouse is not available: install the pinned copy with "
            "`npm ci --prefix bench/lighthouse` (or put `lighthouse` on PATH).",
            file=sys.stderr,
        )
        sys.exit(2)
    if browser is None:
        print("chromium is missing: apt-get install chromium", file=sys.stderr)
        sys.exit(2)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Canonical links and other absolute URLs then name the server Lighthouse reads.
    # Media (product photos) are a front server's job in production, never
    # Django's: granian serves them here, as it would behind one.
    media = os.environ.get("DJANGO_MEDIA_ROOT") or str(ROOT / "media")
    env = bench_env(
        WAGTAILADMIN_BASE_URL=base,
        GRANIAN_STATIC_PATH_ROUTE="/media",
        GRANIAN_STATIC_PATH_MOUNT=media,
    )
    if not args.skip_prepare:
        prepare_site(env)
    setup_django(env)
    targets = pages()

    results = []
    with serve(env, port=port) as served:
        for name, path in targets:
            with urllib.request.urlopen(served + path, timeout=30):  # warm up
                pass
            print(f"auditing {name} {path}", file=sys.stderr)
            rows = [
                scores(audit(cli, browser, served + path)) for _ in range(args.runs)
            ]
            results.append((name, path, median_row(rows)))
    print(
        f"Lighthouse {subprocess.run([cli, '--version'], capture_output=True, text=True).stdout.strip()}, "
        f"mobile (simulated throttling), granian wsgi, production settings, "
        f"median of {args.runs} run(s)"
    )
    print_table(results)
    if args.min is not None:
        low = [
            (name, category, row[category])
            for name, _path, row in results
            for category in CATEGORIES
            if row[category] < args.min
        ]
        for name, category, score in low:
            print(f"below {args.min:.0f}: {name} {category} {score:.0f}")
        sys.exit(1 if low else 0)


if __name__ == "__main__":
    main()
