"""Django's Redis cache, made to fail open: a Redis outage never becomes a 500.

Django's own `RedisCache` raises when Redis is unreachable, and everything built
on the cache (cached_db sessions, the page cache, rate limits) would then fail.
This backend answers "nothing cached" instead, logs one warning per outage, and
stops trying for `RETRY_AFTER` seconds (a circuit breaker), so during an outage
requests pay no connection timeout at all. When Redis comes back the next try
after the pause succeeds and everything works again by itself.

Reads return the default, writes are dropped, `incr` and `count_hit` return
None (callers treat None as "unknown": the rate limiter then lets the request
through). `available()` tells callers whether the last call reached Redis.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


class _ReusingClient(RedisCacheClient):
    """Django builds a new redis.Redis object for every call (~0.1 ms each); a
    Redis object is thread-safe over its pool, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", 1.0))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _ReusingClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    # The breaker ------------------------------------------------------------

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, default, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return method(*args, **kwargs)
        except self._cache._lib.RedisError as error:
            with self._lock:
                was_up = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + self.retry_after
            if was_up:
                logger.warning("Redis is unavailable, serving without cache: %s", error)
            return default

    # The cache API, each call guarded ------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(None, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)

    def count_hit(self, key, timeout: int, version=None) -> int | None:
        """Add one to the counter `key` (created with `timeout`) in one round trip.

        INCR creates the key at 1 and is atomic across processes; EXPIRE NX
        sets the window only when the key is new, so the window never slides.
        """
        key = self.make_and_validate_key(key, version=version)

        def run():
            pipe = self._cache.get_client(key, write=True).pipeline()
            pipe.incr(key)
            pipe.expire(key, timeout, nx=True)
            return pipe.execute()[0]

        return self._call(None, run)
