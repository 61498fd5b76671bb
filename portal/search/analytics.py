"""Search analytics and best bets on Wagtail's own ``wagtail.contrib.search_promotions``.

`log_search` adds a hit to the day's ``QueryDailyHits`` of the normalised query
text: no member, no address, nothing else. Staff read them in the admin's
Reports → Search terms. `recommended` returns the results staff pinned for a
query (Settings → Promoted search results): live pages and external links, in
the staff's order, shown first on the results page labelled "Recommended".
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.search.utils import normalise_query_string


@dataclass(frozen=True)
class Recommended:
    title: str
    url: str
    description: str


def log_search(text: str) -> None:
    """Count one search of `text` today (three short queries; nothing personal kept)."""
    if normalise_query_string(text):
        Query.get(text).add_hit()


def recommended(text: str) -> list[Recommended]:
    """What staff pinned for `text` (one query, with the pages)."""
    normalised = normalise_query_string(text)
    if not normalised:
        return []
    promotions = (
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    picks = []
    for promotion in promotions:
        page = promotion.page
        if page is not None:
            if page.live and page.url:
                picks.append(Recommended(page.title, page.url, promotion.description))
        elif promotion.external_link_url:
            title = promotion.external_link_text or promotion.external_link_url
            picks.append(
                Recommended(title, promotion.external_link_url, promotion.description)
            )
    return picks
