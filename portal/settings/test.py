"""Tests: fast hashing, mail kept in memory, tasks run immediately.

DATABASE_URL and REDIS_URL still apply, so the same suite runs on SQLite and
again on PostgreSQL + Redis in CI.
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "candor-tests-only"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
if REDIS_URL:  # noqa: F405
    # Keep test keys apart from a developer's cache on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "candor-test"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the default in-memory database: concurrency tests run real threads,
    # and an in-memory shared-cache database fails them with "database table is
    # locked" instead of waiting its turn like the IMMEDIATE transactions do on a file.
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"candor-test-{_os.getpid()}.sqlite3")
    }
# Voting down and flagging open from reputation 1, so tests of other rules need no
# points; tests/community/test_reputation_privileges.py sets real thresholds.
CANDOR_REPUTATION_PRIVILEGES = {"flag": 1, "vote_down": 1, "retag": 100, "edit_others": 500}
