"""A small ASGI app that serves only the meter's event stream, for production.

    granian --interface asgi --port 8001 satisfaction.live_asgi:application

Pages stay on WSGI (much faster for sync Django views); a reverse proxy sends
/satisfaction/live/ here, or CANDOR_SATISFACTION_LIVE_URL points the meter at
it. One process holds thousands of open streams without a thread each: one
Redis subscription per process fans out to every stream. It never touches the
database: each message already is the whole snapshot (see satisfaction.live),
and a new stream starts from the latest one kept in Redis.

It needs REDIS_URL to hear answers recorded by the WSGI processes; without it,
it only hears answers recorded in its own process.
"""

import asyncio
import contextlib
import logging
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

from django.conf import settings

from satisfaction import live

logger = logging.getLogger(__name__)

LIVE_PATH = "/satisfaction/live/"
PING_SECONDS = 15.0


class Hub:
    """One subscription per process, fanned out to a queue per open stream."""

    def __init__(self):
        self.listeners: set[asyncio.Queue] = set()
        self.latest: str | None = None
        self._task: asyncio.Task | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        await asyncio.wait_for(self._ready.wait(), timeout=5)

    def broadcast(self, message: str) -> None:
        self.latest = message
        for queue in list(self.listeners):
            live._put_latest(queue, message)

    async def _run(self) -> None:
        if not settings.REDIS_URL:
            queue: asyncio.Queue = asyncio.Queue()
            live.local_bus._async_listeners.add((asyncio.get_running_loop(), queue))
            self.latest = live.local_bus.state()[1]
            self._ready.set()
            while True:
                self.broadcast(await queue.get())
        import redis.asyncio as aioredis

        channel = live.channel_name()
        while True:
            client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(channel)
                latest = await client.get(f"{channel}:latest")
                if latest:
                    self.latest = latest.decode()
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        data = message["data"]
                        self.broadcast(data.decode() if isinstance(data, bytes) else data)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Live hub lost Redis; reconnecting.", exc_info=True)
                self._ready.set()
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()


hub: Hub | None = None


def _event(message: str) -> bytes:
    return f"event: meter\ndata: {message}\n\n".encode()


async def _plain(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


async def _stream(scope, receive, send) -> None:
    global hub
    if hub is None:
        hub = Hub()
    try:
        await hub.start()
    except TimeoutError:
        await _plain(send, 503, b"The live bus is not reachable; the meter falls back to polling.")
        return
    headers = [
        (b"content-type", b"text/event-stream"),
        (b"cache-control", b"no-cache, no-store"),
        (b"x-accel-buffering", b"no"),
    ]
    origin = dict(scope.get("headers") or []).get(b"origin", b"").decode()
    if origin and origin in settings.CANDOR_SATISFACTION_LIVE_ORIGINS:
        headers += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"origin")]
    queue: asyncio.Queue = asyncio.Queue()
    hub.listeners.add(queue)

    async def disconnected():
        while (await receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(disconnected())
    try:
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        first = b"retry: 1000\n\n" + (_event(hub.latest) if hub.latest else b"")
        await send({"type": "http.response.body", "body": first, "more_body": True})
        while not watcher.done():
            getter = asyncio.ensure_future(queue.get())
            done, _pending = await asyncio.wait({getter, watcher}, timeout=PING_SECONDS, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                await send({"type": "http.response.body", "body": _event(getter.result()), "more_body": True})
            else:
                getter.cancel()
                if not watcher.done():
                    await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
    except OSError:
        pass  # the client went away mid-write
    finally:
        hub.listeners.discard(queue)
        watcher.cancel()


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/healthz/":
        await _plain(send, 200, b"ok")
    elif path != LIVE_PATH:
        await _plain(send, 404, b"Only /satisfaction/live/ is served here.")
    elif scope["method"] not in ("GET", "HEAD"):
        await _plain(send, 405, b"GET only.")
    else:
        await _stream(scope, receive, send)
