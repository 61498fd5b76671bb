"""Community content in the anonymous page cache (portal.cache).

Every community page and every panel community adds to portal pages (home,
product, profile) depends on one scope, "community"; every public change made
by `community.services` (a question, answer, vote, acceptance, hide...)
invalidates it after commit. One mechanism for the whole site: see portal.cache
for how cached pages stay correct, keep per-request tokens fresh and fail open.
"""

from portal import cache as page_cache

SCOPE = "community"

anonymous_page_cache = page_cache.cache_anonymous(SCOPE)


def depends_on_community(request) -> None:
    """Declare that the response being built shows community content."""
    page_cache.depends_on(request, SCOPE)


def content_changed() -> None:
    """Expire every cached page that shows community content once the write commits."""
    page_cache.invalidate(SCOPE)
