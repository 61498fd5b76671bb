"""Mint CSRF secrets and masks from one ``os.urandom`` call instead of 32.

Why: a visitor's first page with a form (the help article's "Was this
helpful?", the log-out button) needs a CSRF cookie and a masked token. Django
draws each of their 64 characters with ``secrets.choice``, one system call
each: about 150 µs per first visit, more than serving the whole page from the
anonymous page cache (``portal.cache``). The benchmark showed it as the one
cached page below target (help article 0.66× the minimal view).

What: the same thing Django's ``_get_new_csrf_string`` promises, 32 characters
drawn uniformly and independently from ``CSRF_ALLOWED_CHARS`` by the operating
system's CSPRNG, but read in one call and mapped with ``bytes.translate``.
Bytes at or above 248 (the largest multiple of 62 that fits in a byte) are
dropped rather than folded, so every character stays exactly as likely as
before. Django's own middleware still sets, masks, unmasks and checks every
token; only the source of random characters changes.

``install()`` runs from ``PortalConfig.ready``. If a Django upgrade renames
the helper, it refuses loudly (tests import it too) rather than silently
leaving the slow path or breaking tokens.
"""

from __future__ import annotations

import os

from django.middleware import csrf as django_csrf

_ALPHABET = django_csrf.CSRF_ALLOWED_CHARS.encode("ascii")
_LENGTH = django_csrf.CSRF_SECRET_LENGTH
_LIMIT = 256 - 256 % len(_ALPHABET)  # 248: bytes below it map uniformly
_TABLE = bytes(_ALPHABET[b % len(_ALPHABET)] for b in range(256))
_REJECT = bytes(range(_LIMIT, 256))
# 8 spare bytes: fewer than 32 survive with probability about 1e-5; then read more.
_READ = _LENGTH + 8


def new_csrf_string() -> str:
    """Return CSRF_SECRET_LENGTH uniform characters of CSRF_ALLOWED_CHARS."""
    out = os.urandom(_READ).translate(_TABLE, _REJECT)
    while len(out) < _LENGTH:
        out += os.urandom(_READ).translate(_TABLE, _REJECT)
    return out[:_LENGTH].decode("ascii")


def install() -> None:
    """Make Django's CSRF middleware draw its random strings from `new_csrf_string`."""
    if not callable(getattr(django_csrf, "_get_new_csrf_string", None)):
        raise RuntimeError(
            "django.middleware.csrf._get_new_csrf_string is gone: "
            "review portal/csrf.py against this Django version"
        )
    django_csrf._get_new_csrf_string = new_csrf_string
