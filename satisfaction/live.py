"""The live bus: every open meter hears about each answer within a second or two.

With REDIS_URL set, messages go through Redis pub/sub, so any number of app
processes (and the separate ASGI stream server, `satisfaction.live_asgi`) see
every answer. Without it, an in-process bus serves a single process, which is
all a newcomer's `runserver` needs.

A message is the whole meter snapshot as JSON, computed once by the process
that recorded the answer, so listeners never touch the database.
"""

import json
import threading
import time
from urllib.parse import urlparse

from django.conf import settings

LATEST_TTL_SECONDS = 24 * 3600


def channel_name() -> str:
    """Pub/sub ignores Redis database numbers, so the channel carries it (and the key prefix)."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "candor"
    database = (urlparse(settings.REDIS_URL).path or "/0").strip("/") or "0"
    return f"{prefix}:satisfaction:live:db{database}"


class LocalBus:
    """One process's bus: a version counter under a condition, plus asyncio listeners."""

    def __init__(self):
        self._condition = threading.Condition()
        self._version = 0
        self._latest: str | None = None
        self._async_listeners: set = set()

    def publish(self, message: str) -> None:
        with self._condition:
            self._version += 1
            self._latest = message
            self._condition.notify_all()
        for loop, queue in list(self._async_listeners):
            loop.call_soon_threadsafe(_put_latest, queue, message)

    def state(self) -> tuple[int, str | None]:
        with self._condition:
            return self._version, self._latest

    def wait(self, version: int, timeout: float) -> tuple[int, str | None]:
        with self._condition:
            self._condition.wait_for(lambda: self._version != version, timeout)
            return self._version, self._latest


def _put_latest(queue, message):
    """Keep only the newest snapshot for a slow listener: older ones are stale anyway."""
    while not queue.empty():
        queue.get_nowait()
    queue.put_nowait(message)


local_bus = LocalBus()
_redis_lock = threading.Lock()
_redis_client = None


def _redis():
    global _redis_client
    with _redis_lock:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2
            )
        return _redis_client


def publish(message: str) -> None:
    if settings.REDIS_URL:
        client = _redis()
        key = channel_name()
        client.set(f"{key}:latest", message, ex=LATEST_TTL_SECONDS)
        client.publish(key, message)
    else:
        local_bus.publish(message)


def latest() -> str | None:
    """The last published snapshot, if any (what a new listener starts from)."""
    if settings.REDIS_URL:
        value = _redis().get(f"{channel_name()}:latest")
        return value.decode() if value else None
    return local_bus.state()[1]


PENDING_KEY = "satisfaction:live:refresh-pending"
# The anonymous page cache scope of everything that shows meter figures.
SCOPE = "satisfaction"


def meter_changed() -> None:
    """After an answer or exclusion commits: drop the cached snapshot, refresh every meter.

    The refresh is coalesced: the first answer schedules one recomputation a
    moment later (CANDOR_SATISFACTION_LIVE_DELAY_SECONDS), and answers that
    commit before it starts are included in it, so a burst of answers costs one
    snapshot, not one each. With a delay of 0 it happens at once (tests).
    """
    from django.core.cache import cache

    from portal import cache as page_cache

    from . import selectors

    cache.delete(selectors.SNAPSHOT_CACHE_KEY)
    # Cached pages that show the meter (the home page's compact meter) go stale too.
    page_cache.invalidate(SCOPE)
    delay = settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS
    if delay <= 0:
        refresh_and_publish()
    elif cache.add(PENDING_KEY, 1, timeout=max(1, int(delay * 8))):
        timer = threading.Timer(delay, _pending_refresh)
        timer.daemon = True
        timer.start()


def _pending_refresh() -> None:
    from django.core.cache import cache
    from django.db import connections

    try:
        # Release first: an answer committing from now on schedules the next refresh,
        # and every answer committed before this line is in the snapshot below.
        cache.delete(PENDING_KEY)
        refresh_and_publish()
    finally:
        connections.close_all()


REFRESH_LOCK_KEY = "satisfaction:live:refreshing"
REFRESH_DIRTY_KEY = "satisfaction:live:dirty"


def refresh_and_publish() -> None:
    """Recompute the snapshot, refresh the cache and tell every listener.

    Refreshes are serialised across processes (a lock in the shared cache), and
    one that finds a newer answer committed meanwhile (the dirty mark) runs
    again, so the last snapshot stored and published always includes the last
    answer: two processes refreshing at once can never leave an older
    snapshot on top of a newer one.
    """
    import logging

    from django.core.cache import cache

    from portal import cache as page_cache

    from . import selectors

    cache.set(REFRESH_DIRTY_KEY, 1, 60)
    for _attempt in range(20):
        if not cache.add(REFRESH_LOCK_KEY, 1, 30):
            return  # the holder sees the dirty mark after it lets go, and goes again
        try:
            cache.delete(REFRESH_DIRTY_KEY)
            snapshot = selectors.meter_snapshot()
            cache.set(
                selectors.SNAPSHOT_CACHE_KEY,
                snapshot,
                settings.CANDOR_SATISFACTION_SNAPSHOT_SECONDS,
            )
            # Pages rendered from an older snapshot in the meantime are dropped.
            page_cache.invalidate(SCOPE)
            publish(json.dumps(snapshot, separators=(",", ":")))
        except Exception:
            logging.getLogger(__name__).exception(
                "Could not publish the satisfaction meter update."
            )
        finally:
            cache.delete(REFRESH_LOCK_KEY)
        if not cache.get(REFRESH_DIRTY_KEY):
            return


class Subscription:
    """A blocking subscription for a WSGI thread: `get(timeout)` returns the newest message or None."""

    def __enter__(self):
        if settings.REDIS_URL:
            import redis

            self._client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1
            )
            self._pubsub = self._client.pubsub()
            self._pubsub.subscribe(channel_name())
            # Wait until Redis confirms, so nothing published from now on is missed.
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                message = self._pubsub.get_message(timeout=0.2)
                if message and message.get("type") == "subscribe":
                    break
        else:
            self._pubsub = None
            self._version = local_bus.state()[0]
        return self

    def get(self, timeout: float) -> str | None:
        if self._pubsub is None:
            version, message = local_bus.wait(self._version, timeout)
            if version == self._version:
                return None
            self._version = version
            return message
        message = self._pubsub.get_message(timeout=timeout)
        newest = None
        while message is not None:
            if message.get("type") == "message":
                newest = message["data"]
            message = self._pubsub.get_message(timeout=0)
        return newest.decode() if isinstance(newest, bytes) else newest

    def __exit__(self, *exc):
        if self._pubsub is not None:
            try:
                self._pubsub.close()
                self._client.close()
            except Exception:  # noqa: BLE001 - closing a dead connection
                pass
        return False


def subscribe() -> Subscription:
    return Subscription()


def client_settings() -> dict:
    """What the <satisfaction-meter> element needs: where to listen and how often to poll."""
    from django.urls import reverse

    return {
        "live_url": settings.CANDOR_SATISFACTION_LIVE_URL
        or reverse("satisfaction:live"),
        "poll_url": reverse("satisfaction:meter_json"),
        "poll_seconds": settings.CANDOR_SATISFACTION_POLL_SECONDS,
    }
