"""A short-lived cache of the reviews panel that anonymous visitors see.

Anonymous product pages are the hottest pages of the site and identical for
every visitor, so their reviews panel is rendered once per product, sort, filter
and page. Every service that changes what the panel shows calls
`panel_invalidate`, which gives the product a new version token at once and
again after commit (so a reader that raced the commit cannot keep stale HTML);
satisfaction's `survey_answered` signal does the same for the "Contacted
support" labels. The TTL bounds anything else (an outside helpdesk ticket).
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from portal import cache as page_cache

# Whole pages that show reviews (product pages, home, profiles) depend on this
# scope in the anonymous page cache; every change to reviews invalidates it.
SCOPE = "reviews"
PANEL_TTL = 60
_VERSION_KEY = "reviews:panel-version:{}"
# The site-wide mean of published stars (reviews.adjusted), forgotten on every change.
PRIOR_KEY = "reviews:prior-mean"


def _new_version(product_id: int) -> None:
    cache.set(_VERSION_KEY.format(product_id), uuid.uuid4().hex, None)
    cache.delete(PRIOR_KEY)


def panel_invalidate(product_id: int) -> None:
    """Forget the cached panels of `product_id`, now and after the transaction commits,
    and every cached page that shows reviews (portal.cache, scope "reviews"), and
    the site-wide mean behind the adjusted scores."""
    _new_version(product_id)
    transaction.on_commit(lambda: _new_version(product_id))
    page_cache.invalidate(SCOPE)


def panel_key(product_id: int, *parts) -> str:
    version = cache.get(_VERSION_KEY.format(product_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_VERSION_KEY.format(product_id), version, None)
        version = cache.get(_VERSION_KEY.format(product_id)) or version
    suffix = ":".join(str(part) for part in parts)
    return f"reviews:panel:{product_id}:{version}:{suffix}"


def panel_get_or_render(product_id: int, parts: tuple, render) -> str:
    key = panel_key(product_id, *parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PANEL_TTL)
    return html
