"""Community content in the anonymous page cache (portal.cache).

Every community page and every panel community adds to portal pages (home,
product, profile) depends on one scope, "community"; every public change made
by `community.services` (a question, answer, vote, acceptance, hide...)
invalidates it after commit. Members' everyday writes (votes, answers, comments,
"me too") come in bursts on a busy site: they expire the public pages at most
once per CANDOR_PAGE_CACHE_COALESCE_SECONDS (2 s) and the writer's own pages at
once. One mechanism for the whole site: see portal.cache for how cached pages
stay correct, keep per-request tokens fresh and fail open.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from portal import cache as page_cache

SCOPE = "community"

anonymous_page_cache = page_cache.cache_anonymous(SCOPE)


def depends_on_community(request) -> None:
    """Declare that the response being built shows community content."""
    page_cache.depends_on(request, SCOPE)


_FIGURES_VERSION = "community:figures-version"


def content_changed(*, by: int | None = None) -> None:
    """Expire every cached page that shows community content once the write commits,
    and the cached figures pages are built from (`figures_version`).

    `by`: a member's everyday write (an answer, a comment, a "me too"), which
    comes often: public pages catch up within the coalescing window
    (`portal.cache.invalidate_soon`), the member's own pages at once.
    Moderation, acceptance, edits and questions expire everything at once.
    """
    if by is None:
        page_cache.invalidate(SCOPE)
    else:
        page_cache.invalidate_soon(SCOPE)
        page_cache.invalidate(f"user:{by}")
    _figures_renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_figures_renew, robust=True)


def scores_changed(*, voter_id: int) -> None:
    """After a vote: pages showing scores and reputation go stale within a couple of
    seconds (votes come in bursts: one render per page per window, not per vote);
    the voter's own pages at once. The figures (speed of help, ask suggestions)
    do not depend on votes and keep their cache."""
    page_cache.invalidate_soon(SCOPE)
    page_cache.invalidate(f"user:{voter_id}")


def _figures_renew() -> None:
    cache.set(_FIGURES_VERSION, uuid.uuid4().hex, None)


def figures_version() -> str:
    """A token that changes with every community write: part of the keys of cached
    figures (speed of help, hidden counts), so a re-rendered page never shows old ones."""
    version = cache.get(_FIGURES_VERSION)
    if version is None:
        cache.add(_FIGURES_VERSION, uuid.uuid4().hex, None)
        version = cache.get(_FIGURES_VERSION) or ""
    return version
