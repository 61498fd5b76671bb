"""Shared benchmark plumbing: serve the site with granian, load it with wrk, report ratios.

Every figure is printed next to the same measurement of the minimal view
`/healthz/` taken in the same run, so results compare across machines: a ratio
of 0.5 means "half as many requests per second as the smallest Django view".

Benchmarks are scripts, not tests. They only talk to 127.0.0.1 and every load
is bounded in time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).with_name("granian"))


def bench_env(**extra) -> dict:
    """Production settings, tuned only for a loopback run (no HTTPS redirect)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY")
            or "bench-only-secret-key-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_TASKS_BACKEND": "immediate",
            "EMAIL_URL": "dummy://",
            "DATABASE_URL": env.get("DATABASE_URL")
            or f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}",
        }
    )
    env.update(extra)
    return env


def setup_django(env: dict) -> None:
    """Configure Django in this process with the same settings the server uses."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(env: dict, *args: str, quiet: bool = True) -> None:
    """Run a management command with `env`; its output is dropped unless `quiet=False`."""
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare_site(env: dict) -> None:
    """Migrate, load the demo data and collect static files for the server."""
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "portal_demo")
    manage(env, "collectstatic", "--noinput")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(
    env: dict,
    *,
    interface: str = "wsgi",
    workers: int = 2,
    app: str | None = None,
    port: int | None = None,
):
    """Run granian on `port` (a free loopback port by default) until the block ends."""
    port = port or free_port()
    target = app or (
        "portal.wsgi:application" if interface == "wsgi" else "portal.asgi:application"
    )
    command = [
        GRANIAN,
        "--interface",
        interface,
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-ws",
        target,
    ]
    if interface == "wsgi":
        command[-1:-1] = ["--blocking-threads", "4"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "granian did not start: "
                        + process.stderr.read().decode()[-2000:]
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(
    url: str,
    *,
    seconds: int = 5,
    connections: int = 8,
    threads: int = 2,
    headers: dict | None = None,
) -> Load:
    """Load `url` with wrk for `seconds` (bounded) and return its figures."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in match.groups())
    return Load(rps, p50, p99, errors)


def count_queries(path: str, *, client=None) -> int:
    """Queries one GET of `path` makes in this process (after a warm-up GET)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(ctx)


def session_cookie_for(email: str) -> str:
    """Log `email` in through a real session and return the Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def report(
    title: str, rows: list[tuple[str, Load, int | None]], reference: Load
) -> None:
    """Print one table: each row as a ratio to the reference (minimal view) in the same run."""
    print(f"\n{title}")
    print(
        f"{'page':<34} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'errors':>7}"
    )
    print(
        f"{'minimal view /healthz/ (reference)':<34} {reference.requests_per_second:>9.0f} {1.0:>7.2f} "
        f"{reference.p50_ms:>8.1f} {reference.p99_ms:>8.1f} {'-':>8} {reference.errors:>7}"
    )
    for name, load, queries in rows:
        ratio = load.requests_per_second / reference.requests_per_second
        print(
            f"{name:<34} {load.requests_per_second:>9.0f} {ratio:>7.2f} {load.p50_ms:>8.1f} "
            f"{load.p99_ms:>8.1f} {queries if queries is not None else '-':>8} {load.errors:>7}"
        )
