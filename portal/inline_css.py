"""Stylesheets written into the page's <head> instead of linked (issue 19).

A linked stylesheet blocks the first paint until it has arrived: on a phone
that is one more round trip after the HTML, 150-300 ms. Candor's own
stylesheet is small (under 20 KB before compression), so each page carries it
inline in a ``<style nonce>`` and paints as soon as the HTML is in; the strict
CSP still holds (the nonce placeholder is swapped after the page cache, see
portal.csp).

The text is read once per process through the staticfiles storage, so in
production it is the collected, hashed copy whose ``url()`` references point at
hashed fonts; those relative references are made absolute here, because inside
the HTML they would resolve against the page's address, not the stylesheet's.
With ``DEBUG`` on it is read on every render, so edits show without a restart.
"""

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_INDENT = re.compile(r"\n\s+")
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)


def stylesheet_text(name: str) -> str:
    """The CSS of static file `name`, ready to sit in a ``<style>`` element."""
    if settings.DEBUG:
        return _prepare(name)
    return _prepared_once(name)


@lru_cache(maxsize=16)
def _prepared_once(name: str) -> str:
    return _prepare(name)


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    # Another storage or static URL (tests switch to the production manifest)
    # means other text and other font URLs.
    if setting in ("STORAGES", "STATIC_ROOT", "STATIC_URL", "DEBUG"):
        _prepared_once.cache_clear()


def _prepare(name: str) -> str:
    css = _read(name)
    base = static(name)  # the stylesheet's own URL, hashed in production

    def absolute(match):
        quote, ref = match.group(1), match.group(2).strip()
        if _ABSOLUTE.match(ref):
            return match.group(0)
        return f"url({quote}{urljoin(base, ref)}{quote})"

    css = _URL.sub(absolute, _INDENT.sub("\n", _COMMENT.sub("", css))).strip()
    if "</" in css:
        # "</style" would end the element early; our stylesheets never need "</".
        raise ValueError(f"{name} contains '</' and cannot be inlined")
    return css


def _read(name: str) -> str:
    storage = staticfiles_storage
    if hasattr(storage, "stored_name") and not settings.DEBUG:
        # Manifest storage: the collected copy under its hashed name.
        with storage.open(storage.stored_name(name)) as handle:
            return handle.read().decode()
    found = finders.find(name)
    if found:
        return Path(found).read_text(encoding="utf-8")
    with storage.open(name) as handle:
        return handle.read().decode()
