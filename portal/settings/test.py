"""Tests: fast hashing, mail kept in memory, tasks run immediately.

DATABASE_URL and REDIS_URL still apply, so the same suite runs on SQLite and
again on PostgreSQL + Redis in CI.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "candor-tests-only"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Refresh the satisfaction meter in the committing thread, not a timer, so tests see it at once.
CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0
# Under pytest-xdist each worker ("gw0", "gw1", …) gets its own Redis database
# (pytest-django already gives it its own test database, conftest its own media
# folder), so one worker's cache.clear() or live-update channel never reaches another.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
if REDIS_URL and _WORKER:  # noqa: F405
    _parts = urlsplit(REDIS_URL)  # noqa: F405
    _db = int(_parts.path.strip("/") or 0) + _WORKER
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{_db}"))
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
if REDIS_URL:
    # Keep test keys apart from a developer's cache on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "candor-test"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent test threads then wait on the
    # busy timeout (IMMEDIATE transactions) instead of failing at once with
    # "database table is locked", so concurrency tests run on SQLite too. One file
    # per test process, so two runs on one machine never share it.
    import os as _os
    import tempfile as _tempfile

    # A test database need not survive a power cut: skip the fsyncs.
    DATABASES["default"]["OPTIONS"]["init_command"] += "PRAGMA synchronous=OFF;"  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"candor-test-{_os.getpid()}.sqlite3")
    }
# Voting down and flagging open from reputation 1, so tests of other rules need no
# points; tests/community/test_reputation_privileges.py sets real thresholds.
CANDOR_REPUTATION_PRIVILEGES = {"flag": 1, "vote_down": 1, "retag": 100, "edit_others": 500}
# Rate limits and daily caps are off: tests/security/test_rate_limits.py turns them on
# to prove them (as Discourse's specs do), so other tests never trip over them. An app
# process a fault test starts may turn them on with DJANGO_RATE_LIMITS=1.
CANDOR_RATE_LIMITS_ENABLED = env_bool("DJANGO_RATE_LIMITS", False)  # noqa: F405
# Votes expire pages at once in tests; tests of the coalescing set their own window.
CANDOR_PAGE_CACHE_COALESCE_SECONDS = 0
