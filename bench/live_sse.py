"""Benchmark the live meter: many open event streams on the live ASGI process.

    .venv/bin/python bench/live_sse.py [--streams 2000] [--answers 5]

Serves the site (granian WSGI, 2 workers) and the live stream app
(`satisfaction.live_asgi`, granian ASGI, 1 worker, GRANIAN_BACKPRESSURE above
the number of streams: granian's default lets a worker hold only 1,024) on PostgreSQL + Redis
(DATABASE_URL and REDIS_URL, production settings; use the database bench/run
seeded, with its 1,000,000 answers). It opens `--streams` server-sent-event
connections to the live process, then answers `--answers` fresh surveys on the
WSGI process, one every two seconds, and reports for each answer how many
streams received the new figures and how long after the POST returned
(p50 / p99 / max), plus the time to open all streams and the live process's
memory. The delivery time includes the coalescing delay
(CANDOR_SATISFACTION_LIVE_DELAY_SECONDS, 0.25 s) and the snapshot
recomputation. Bounded: every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlparse

from common import bench_env, serve, setup_django


class Streams:
    def __init__(self):
        self.arrivals: list[list[float]] = []  # per stream: when each event came

    async def open_one(self, host, port, index):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            f"GET /satisfaction/live/ HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(status)
        self.arrivals.append([])
        return reader, writer

    async def listen(self, reader, index):
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                self.arrivals[index].append(time.monotonic())


def survey_links(count: int) -> list[str]:
    from satisfaction.tokens import survey_token_make
    from tests.factories.satisfaction import record

    stamp = f"{time.time():.6f}"
    return [
        "/satisfaction/survey/"
        + survey_token_make(
            record(
                customer_email=f"sse{n}@example.com",
                source="bench-sse",
                source_ref=f"{stamp}-{n}",  # fresh on every run
            ).invitation
        )
        + "/"
        for n in range(count)
    ]


def answer(base: str, link: str) -> float:
    """POST "yes" with a CSRF cookie of our own (production cookies are Secure,
    so a plain-HTTP client never gets one back); return when the POST returned."""
    import secrets

    csrf = secrets.token_hex(16)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "answer": "yes"}).encode()
    request = urllib.request.Request(
        base + link, data=body, headers={"Cookie": f"csrftoken={csrf}"}
    )
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        opener.open(request, timeout=10).read()
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    return time.monotonic()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def rss_mb(port: int) -> float | None:
    import subprocess

    try:
        out = subprocess.run(["ps", "-eo", "rss,args"], capture_output=True, text=True).stdout
    except OSError:
        return None
    total = sum(
        int(line.split()[0])
        for line in out.splitlines()
        if "live_asgi" in line and str(port) in line
    )
    return total / 1024 if total else None


async def run(args, base, live):
    parsed = urlparse(live)
    streams = Streams()
    started = time.monotonic()
    connections = []
    for start in range(0, args.streams, 200):
        batch = await asyncio.wait_for(
            asyncio.gather(
                *(streams.open_one(parsed.hostname, parsed.port, i)
                  for i in range(start, min(args.streams, start + 200)))
            ),
            timeout=30,
        )
        connections += batch
    opened = time.monotonic() - started
    listeners = [asyncio.create_task(streams.listen(r, i)) for i, (r, _w) in enumerate(connections)]
    await asyncio.sleep(1)
    links = await asyncio.to_thread(survey_links, args.answers)
    n_before = None
    rows = []
    for link in links:
        sent = time.monotonic()
        posted = await asyncio.to_thread(answer, base, link)
        await asyncio.sleep(2)
        # Each stream's first event after the POST was sent is this answer's.
        delays = []
        for arrivals in streams.arrivals:
            after = [t for t in arrivals if t > sent]
            if after:
                delays.append((after[0] - posted) * 1000)
        rows.append((None, len(delays), delays))
    memory = rss_mb(parsed.port)
    for task in listeners:
        task.cancel()
    for _r, writer in connections:
        writer.close()
    return opened, rows, memory, n_before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--answers", type=int, default=5)
    args = parser.parse_args()
    env = bench_env(DJANGO_RATE_LIMITS="0")
    if not env.get("REDIS_URL"):
        raise SystemExit("The live stream process hears answers through Redis: set REDIS_URL.")
    setup_django(env)
    # granian lets a worker hold backlog/workers requests at once (1,024 by
    # default); each open stream is one, so the live process is given more.
    live_env = {**env, "GRANIAN_BACKPRESSURE": str(args.streams + 1000)}
    with serve(env) as base, serve(
        live_env, interface="asgi", workers=1, app="satisfaction.live_asgi:application"
    ) as live:
        opened, rows, memory, n_before = asyncio.run(run(args, base, live))
    print(
        f"\nLive meter: {args.streams} event streams on one live ASGI process "
        f"(granian, 1 worker); answers posted to the WSGI site; {env['DATABASE_URL'].split(':')[0]} + Redis"
    )
    print(f"opening {args.streams} streams took {opened:.2f} s; live process memory "
          f"{memory:.0f} MB" if memory else f"opening took {opened:.2f} s")
    print(f"{'answer':<8} {'streams updated':>16} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for number, (_n, got, delays) in enumerate(rows, start=1):
        if delays:
            ordered = sorted(delays)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            print(f"{number:<8} {got:>10}/{args.streams:<5} {statistics.median(ordered):>8.0f} "
                  f"{p99:>8.0f} {ordered[-1]:>8.0f}")
        else:
            print(f"{number:<8} {0:>10}/{args.streams:<5}  (no stream saw it)")


if __name__ == "__main__":
    main()
