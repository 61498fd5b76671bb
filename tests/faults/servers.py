"""Real servers for fault tests: a redis-server the test owns, granian app processes,
and a TCP proxy that cuts or slows the way to a real server.

The test starts its own redis-server on a spare loopback port (never the shared
one), kills it by its PID and starts it again on the same port. App processes
run the site with granian against the test's database: the PostgreSQL test
database itself (the test must use transaction=True so its rows are
committed), or, on SQLite, a file copy of the in-memory test database.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GRANIAN = str(Path(sys.executable).with_name("granian"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError(
                "Fault tests need redis-server: apt-get install redis-server"
            )
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class TcpProxy:
    """A loopback port forwarded to a real server, which the test can cut and delay.

    `cut()` closes every connection and refuses new ones, as a server that is
    restarting does; `restore()` listens again on the same port. `delay` holds
    each chunk that way for that many seconds (a slow network or server).
    """

    def __init__(self, host: str, port: int, *, delay: float = 0.0):
        self.target = (host, port)
        self.port = free_port()
        self.delay = delay
        self._listener = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def restore(self):
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    start = restore

    def cut(self):
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would
            # leave the port listening until that call returned.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    def _pump(self, source, sink):
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                if self.delay:
                    time.sleep(self.delay)
                sink.sendall(chunk)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def database_url_for_processes(tmp_path: Path) -> str:
    """A DATABASE_URL other processes can open with the test's committed data."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        target = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _site_env(database_url: str, redis_url: str = "", **extra_env) -> dict:
    """The environment of a process running the site against the test's database."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
        **extra_env,
    )
    return env


def counters_check(env: dict) -> tuple[bool, str]:
    """Run `manage.py portal_verify_counters` with `env`: (no drift, its report)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "portal_verify_counters"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode == 0, done.stdout + done.stderr


def verify_counters(database_url: str) -> str:
    """Check the app processes' database; fail with the report if any counter
    drifted from its rows."""
    exact, report = counters_check(_site_env(database_url))
    assert exact, report
    return report


@contextlib.contextmanager
def app_process(
    *,
    database_url: str,
    redis_url: str,
    workers: int = 1,
    interface: str = "wsgi",
    app: str = "portal.wsgi:application",
    **extra_env,
):
    """Serve the site (or `app`, e.g. the live stream's ASGI app) with granian on a
    free port; yield its base URL."""
    port = free_port()
    env = _site_env(database_url, redis_url, **extra_env)
    process = subprocess.Popen(
        [
            GRANIAN,
            "--interface",
            interface,
            "--workers",
            str(workers),
            "--blocking-threads",
            "2" if interface == "wsgi" else "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-ws",
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz/", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "granian did not start: "
                        + process.stderr.read().decode()[-3000:]
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Browser:
    """A tiny HTTP client with its own cookies (one visitor)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(url))

    def add_cookie(self, name: str, value: str, host: str = "127.0.0.1") -> None:
        """Carry a cookie made elsewhere (a session from `force_login`)."""
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0, name, value, None, False, host, False, False, "/", True,
                False, None, False, None, None, {},
            )
        )

    def post_form(self, page_url: str, action_url: str, data: dict) -> int:
        """GET `page_url` for its CSRF token, then POST `data` to `action_url`."""
        return self.post(page_url, action_url, data, self.csrf_token(page_url))

    def csrf_token(self, page_url: str) -> str:
        """GET `page_url` (which sets the CSRF cookie) and read its form's token."""
        _status, html, _headers = self.get(page_url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, page_url: str, action_url: str, data: dict, token: str) -> int:
        """POST `data` to `action_url` as the form on `page_url` would."""
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            action_url, data=body, headers={"Referer": page_url}
        )
        return self._open(request)[0]

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=10) as response:
                return (
                    response.status,
                    response.read().decode(),
                    {k.lower(): v for k, v in response.headers.items()},
                )
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.read().decode(errors="replace"),
                {k.lower(): v for k, v in error.headers.items()},
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
