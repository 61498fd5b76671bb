"""Candor under heavy load and with Redis killed: the load scenarios of the test plan.

    bench/load [--scenario reads,mixed,spike,redis] [--time-scale 1.0] [--seed]

Runs on the database bench/run seeds (DATABASE_URL, default candor_bench on the
local PostgreSQL; --seed migrates and seeds it first), with production settings
and granian (WSGI, 2 workers), against a redis-server of its own on a spare
loopback port, so the `redis` scenario can kill and restart it. Rate limits are
on except in `reads` and `spike`, whose single loopback address stands for
thousands of visitors.

Scenarios (shared/anchors/reliability.md §5.3, §5.4), every load bounded in time:
  reads   64 connections × 60 s over home, question, help article, product
          and meter pages: 0 errors, p95 < 300 ms, p99 < 800 ms, page-cache
          hit rate ≥ 90 %.
  mixed   48 anonymous connections plus 16 signed-in members writing (an
          answer every 10 s, a vote every 2 s each) × 120 s: 0 5xx; the only
          refusals are rate limits (429) and rule refusals; no counter drifts.
  spike   256 connections × 30 s: 0 5xx, p95 < 1 s.
  redis   64 connections × 60 s with Redis killed at 20 s and started again at
          40 s, while surveys are answered every 0.4 s from this one address
          (under its limit of 60 an hour while Redis counts):
          every page answered 200, every answer stored and counted, and the
          cache serves hits again after Redis returns.
After each scenario `manage.py portal_verify_counters` must find no drift.

--time-scale shortens every duration (0.25 for a quick look); the figures are
printed with the reference (the minimal view, /healthz/) measured in the same
run at 64 connections.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, bench_env, serve, session_cookie_for, setup_django
from run import ensure_database, seed

sys.path.insert(0, str(ROOT))
from tests.faults.servers import Browser, RedisServer, counters_check

SCRIPT = Path(__file__).with_name("mixed_urls.lua")
# 50 answers in each 20 s phase: under the per-address limit (60/h) that a
# restarted Redis counts afresh; real answers come from many addresses.
SURVEY_EVERY = 0.4
WRITERS = 16


@dataclass
class Figures:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    hits: int
    misses: int
    server_errors: int
    too_many: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def hit_rate(self) -> float:
        return self.hits / max(1, self.hits + self.misses)


def wrk_mixed(
    base: str, paths: list[str], *, connections: int, seconds: float
) -> Figures:
    """Load `paths` in turn with wrk (bounded) and parse the script's line."""
    threads = min(connections, 4)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(SCRIPT),
    ]
    output = subprocess.run(
        [*command, base, "--", *paths],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    line = re.search(r"^CANDOR (.*)$", output, re.M)
    if line is None:
        raise RuntimeError("wrk printed no figures:\n" + output[-2000:])
    values = dict(item.split("=") for item in line.group(1).split())
    ms = lambda key: float(values[key]) / 1000  # noqa: E731 - microseconds to ms
    return Figures(
        requests=int(values["requests"]),
        seconds=float(values["seconds"]),
        p50=ms("p50"),
        p95=ms("p95"),
        p99=ms("p99"),
        max=ms("max"),
        hits=int(values["hits"]),
        misses=int(values["misses"]),
        server_errors=int(values["server_errors"]),
        too_many=int(values["too_many"]),
        socket_errors=sum(
            int(values[k]) for k in ("connect", "read", "write", "timeout")
        ),
    )


@dataclass
class Outcome:
    name: str
    lines: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        self.lines.append(f"  [{'ok' if ok else 'MISS'}] {what}")
        if not ok:
            self.misses.append(what)


def describe(label: str, f: Figures, reference: Figures) -> str:
    return (
        f"  {label}: {f.requests} requests, {f.rps:.0f} req/s ({f.rps / reference.rps:.2f}× the minimal view), "
        f"p50 {f.p50:.1f} ms, p95 {f.p95:.1f} ms, p99 {f.p99:.1f} ms, max {f.max:.0f} ms, "
        f"cache hits {f.hit_rate:.1%}, 5xx {f.server_errors}, 429 {f.too_many}, socket errors {f.socket_errors}"
    )


# The members who write in `mixed` ------------------------------------------------------


def writers_make(count: int) -> list[str]:
    """`count` new established members (joined a month ago: no first-day limits),
    new for each run so earlier runs' daily caps do not apply; their emails."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    User = get_user_model()
    run = int(time.time())
    emails = []
    for n in range(count):
        user = User.objects.create_user(
            username=f"load-writer-{run}-{n}",
            email=f"load-writer-{run}-{n}@bench.test",
            password=None,
            date_joined=timezone.now() - timedelta(days=30),
        )
        emails.append(user.email)
    return emails


class _LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; behind the TLS proxy a browser sends them, and
    this loopback run (plain HTTP to granian) stands for that."""

    def return_ok_secure(self, cookie, request):
        return True


def visitor() -> Browser:
    browser = Browser()
    browser.jar.set_policy(_LoopbackPolicy())
    return browser


def signed_in(email: str) -> Browser:
    browser = visitor()
    browser.add_cookie(*session_cookie_for(email).split("=", 1))
    return browser


def answer_targets(limit: int = 200) -> list[tuple[str, int, int]]:
    """(question URL, question pk, answer pk) of visible answers on open questions."""
    from community.models import Answer

    rows = (
        Answer.objects.visible()
        .filter(question__closed_at__isnull=True)
        .select_related("question")
        .order_by("-question__created_at")[:limit]
    )
    return [(a.question.get_absolute_url(), a.question_id, a.pk) for a in rows]


class Writer(threading.Thread):
    """A signed-in member: votes up an answer every 2 s, answers a question every 10 s."""

    def __init__(self, base: str, email: str, targets, until: float):
        super().__init__(daemon=True)
        self.base, self.email, self.targets, self.until = base, email, targets, until
        self.statuses: dict[str, list[int]] = {"vote": [], "answer": []}

    def run(self):
        browser = signed_in(self.email)
        rng = random.Random(self.email)
        next_answer = time.monotonic() + rng.uniform(0, 10)
        while time.monotonic() < self.until:
            started = time.monotonic()
            url, question_pk, answer_pk = rng.choice(self.targets)
            page = self.base + url
            token = browser.csrf_token(page)
            self.statuses["vote"].append(
                browser.post(
                    page,
                    f"{self.base}/community/answer/{answer_pk}/vote/",
                    {"value": "up"},
                    token,
                )
            )
            if time.monotonic() >= next_answer:
                body = f"Under load, {self.email} suggests restarting the hub first ({time.time():.3f})."
                self.statuses["answer"].append(
                    browser.post(
                        page,
                        f"{self.base}/community/questions/{question_pk}/answer/",
                        {"body": body},
                        token,
                    )
                )
                next_answer += 10
            time.sleep(max(0.0, 2 - (time.monotonic() - started)))


# The scenarios ---------------------------------------------------------------------------


def scenario_reads(base, paths, reference, scale, env) -> Outcome:
    out = Outcome("reads: 64 connections, anonymous pages")
    f = wrk_mixed(base, paths, connections=64, seconds=60 * scale)
    out.lines.append(describe("load", f, reference))
    out.check(
        f.server_errors == 0 and f.socket_errors == 0 and f.too_many == 0,
        "0 errors (5xx, 429, socket)",
    )
    out.check(f.p95 < 300, f"p95 {f.p95:.1f} ms < 300 ms")
    out.check(f.p99 < 800, f"p99 {f.p99:.1f} ms < 800 ms")
    out.check(f.hit_rate >= 0.9, f"page-cache hit rate {f.hit_rate:.1%} ≥ 90 %")
    return out


def scenario_spike(base, paths, reference, scale, env) -> Outcome:
    out = Outcome("spike: 256 connections, anonymous pages")
    f = wrk_mixed(base, paths, connections=256, seconds=30 * scale)
    out.lines.append(describe("load", f, reference))
    out.check(f.server_errors == 0, "0 5xx")
    out.check(f.p95 < 1000, f"p95 {f.p95:.1f} ms < 1 s")
    return out


def scenario_mixed(base, paths, reference, scale, env) -> Outcome:
    out = Outcome(f"mixed: 48 anonymous connections + {WRITERS} members writing")
    seconds = 120 * scale
    targets = answer_targets()
    until = time.monotonic() + seconds
    writers = [Writer(base, email, targets, until) for email in writers_make(WRITERS)]
    for writer in writers:
        writer.start()
    f = wrk_mixed(base, paths, connections=48, seconds=seconds)
    for writer in writers:
        writer.join(timeout=30)
    out.lines.append(describe("readers", f, reference))
    for kind in ("vote", "answer"):
        statuses = [s for w in writers for s in w.statuses[kind]]
        counts = {code: statuses.count(code) for code in sorted(set(statuses))}
        out.lines.append(f"  {kind}s posted: {len(statuses)}, answered {counts}")
        out.check(all(code < 500 for code in statuses), f"{kind}s: 0 5xx")
        # 302: done; 429: a rate limit or daily cap; 200/400/403: a rule's refusal
        # shown on the page (already answered that question, …).
        out.check(
            set(counts) <= {200, 302, 400, 403, 429},
            f"{kind}s: only success, rule refusals and 429",
        )
    out.check(
        f.server_errors == 0 and f.socket_errors == 0, "readers: 0 5xx, 0 socket errors"
    )
    return out


def scenario_redis(base, paths, reference, scale, env, redis: RedisServer) -> Outcome:
    out = Outcome(
        "redis: 64 connections; Redis killed at 20 s, back at 40 s; survey answers throughout"
    )
    from satisfaction.models import SurveyResponse

    links = survey_links(int(60 / SURVEY_EVERY * scale) + 10)
    before = SurveyResponse.objects.count()
    stop = threading.Event()
    answered: list[int] = []

    def surveyor():
        for n, link in enumerate(links):
            if stop.is_set():
                break
            started = time.monotonic()
            answered.append(
                visitor().post_form(
                    base + link, base + link, {"answer": "no" if n % 4 == 0 else "yes"}
                )
            )
            time.sleep(max(0.0, SURVEY_EVERY - (time.monotonic() - started)))

    thread = threading.Thread(target=surveyor, daemon=True)
    thread.start()
    phase = 20 * scale
    healthy = wrk_mixed(base, paths, connections=64, seconds=phase)
    redis.kill()
    down = wrk_mixed(base, paths, connections=64, seconds=phase)
    redis.start()
    back = wrk_mixed(base, paths, connections=64, seconds=phase)
    stop.set()
    thread.join(timeout=30)
    for label, f in (("Redis up", healthy), ("Redis down", down), ("Redis back", back)):
        out.lines.append(describe(label, f, reference))
    out.check(
        all(
            f.server_errors == 0 and f.socket_errors == 0 for f in (healthy, down, back)
        ),
        "every page answered (0 5xx, 0 socket errors) before, during and after",
    )
    out.check(
        down.p95 <= 2 * healthy.p95,
        f"p95 with Redis down {down.p95:.1f} ms ≤ 2 × {healthy.p95:.1f} ms",
    )
    out.check(
        back.hit_rate >= 0.9,
        f"cache back by itself: hit rate {back.hit_rate:.1%} after Redis returns",
    )
    stored = SurveyResponse.objects.count() - before
    accepted = answered.count(302)
    out.lines.append(
        f"  survey answers sent: {len(answered)}, accepted {accepted}, stored {stored}; "
        f"answered {dict(sorted(Counter(answered).items()))}"
    )
    out.check(
        accepted == len(answered) and stored == accepted,
        "every survey answer accepted and stored",
    )
    return out


def survey_links(count: int) -> list[str]:
    """Fresh survey links, one per new interaction (as a support tool would send)."""
    from satisfaction.models import Channel
    from satisfaction.services import interaction_record
    from satisfaction.tokens import survey_token_make

    run = int(time.time())
    links = []
    for n in range(count):
        interaction = interaction_record(
            channel=Channel.EMAIL,
            source="bench.load",
            source_ref=f"{run}-{n}",
            customer_email=f"load-{run}-{n}@bench.test",
        )
        links.append(
            f"/satisfaction/survey/{survey_token_make(interaction.invitation)}/"
        )
    return links


def hot_paths() -> list[str]:
    from community.models import Question
    from portal.models import ArticlePage, ProductPage

    questions = Question.objects.visible().order_by("-created_at")[:9]
    return [
        "/",
        "/community/",
        *[q.get_absolute_url() for q in questions],
        *[p.url for p in ArticlePage.objects.live().order_by("path")[:4]],
        *[p.url for p in ProductPage.objects.live().order_by("path")[:4]],
        "/satisfaction/",
    ]


SCENARIOS = ("reads", "mixed", "spike", "redis")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=",".join(SCENARIOS))
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument(
        "--seed", action="store_true", help="migrate and seed the database first"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.scenario.split(",") if name.strip()]
    if unknown := set(chosen) - set(SCENARIOS):
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/candor_bench"
    )
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp))
        redis.start()
        try:
            run_scenarios(args, chosen, redis)
        finally:
            redis.kill()


def run_scenarios(args, chosen, redis):
    outcomes = []
    for name in chosen:
        limits = "1" if name in ("mixed", "redis") else "0"
        env = bench_env(REDIS_URL=redis.url, DJANGO_RATE_LIMITS=limits)
        if not outcomes:
            ensure_database(env["DATABASE_URL"])
            if args.seed:
                seed(env, 1.0)
            setup_django(env)
            paths = hot_paths()
        with serve(env) as base:
            for path in paths:  # fill the cache: the steady state, not the first render
                Browser().get(base + path)
            reference = wrk_mixed(
                base, ["/healthz/"], connections=64, seconds=10 * args.time_scale
            )
            scenario = globals()[f"scenario_{name}"]
            extra = (redis,) if name == "redis" else ()
            outcome = scenario(base, paths, reference, args.time_scale, env, *extra)
        outcome.lines.insert(
            0, describe("minimal view /healthz/ (reference)", reference, reference)
        )
        exact, report = counters_check(env)
        last = report.strip().splitlines()[-1] if report.strip() else "no output"
        outcome.check(exact, f"portal_verify_counters: {last}")
        outcomes.append(outcome)
        print(f"\n{outcome.name}", *outcome.lines, sep="\n", flush=True)

    missed = sum(len(o.misses) for o in outcomes)
    checks = sum(
        len([line for line in o.lines if line.startswith("  [")]) for o in outcomes
    )
    print(
        f"\nCandor load scenarios: granian WSGI, 2 workers, {os.environ['DATABASE_URL'].split(':')[0]}"
        f" + its own Redis, time scale {args.time_scale}: {checks - missed} of {checks} checks met."
    )


if __name__ == "__main__":
    main()
