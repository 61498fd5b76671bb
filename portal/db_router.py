"""Send reads to PostgreSQL read replicas, writes (and reads after a write) to the primary.

Turned on by `DATABASE_REPLICA_URLS` (comma-separated): each URL becomes a
database alias ``replica_1``, ``replica_2``… and this router is installed.
Replicas lag a little behind the primary, so a request that wrote anything
(any POST, PUT, PATCH or DELETE) reads from the primary for the rest of the
request: a member sees their own answer right after posting it.
`PinPrimaryMiddleware` sets that; code outside requests (tasks, commands) can
use `pin_primary()` the same way.
"""

import contextlib
import random
import threading

from django.conf import settings

_state = threading.local()


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


@contextlib.contextmanager
def pin_primary():
    previous = getattr(_state, "pinned", False)
    _state.pinned = True
    try:
        yield
    finally:
        _state.pinned = previous


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "pinned", False):
            return "default"
        names = replicas()
        return random.choice(names) if names else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # All aliases hold the same data: the replicas copy the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinPrimaryMiddleware:
    SAFE = {"GET", "HEAD", "OPTIONS"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE:
            return self.get_response(request)
        with pin_primary():
            return self.get_response(request)
