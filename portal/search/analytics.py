"""Search analytics and best bets on Wagtail's own ``wagtail.contrib.search_promotions``.

`log_search` adds a hit to the day's ``QueryDailyHits`` of the normalised query
text: no member, no address, nothing else; a search that showed nothing also
adds a ``no_result_hits`` to the day's ``SearchGap`` of that text, and
`log_asked_after_search` an ``asked_hits`` when the searcher went on to post a
question (community calls it: portal imports no domain app). Staff read them in
the admin's Reports → Search terms and Reports → Search gaps (`portal.admin_search`). `recommended` returns the results staff pinned for a
query (Settings → Promoted search results): live pages and external links, in
the staff's order, shown first on the results page labelled "Recommended".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone
from wagtail.contrib.search_promotions.models import (
    Query,
    QueryDailyHits,
    SearchPromotion,
)
from wagtail.search.utils import normalise_query_string

from ..models import SearchGap


@dataclass(frozen=True)
class Recommended:
    title: str
    url: str
    description: str


def log_search(text: str, *, found: bool = True) -> None:
    """Count one search of `text` today, and a gap when it showed nothing.

    `found` is False when the visitor saw no result at all (no hit and nothing
    pinned by staff): once staff pin a page for the query it stops being a gap.
    """
    if normalise_query_string(text):
        Query.get(text).add_hit()
        if not found:
            _gap_count(text, "no_result_hits")


def log_asked_after_search(text: str) -> None:
    """Count that a member searched for `text`, then posted a question (today)."""
    _gap_count(text, "asked_hits")


def _gap_count(text: str, counter: str) -> None:
    """Add one to `counter` of today's gap row for `text`, without a lost update.

    An UPDATE with F() first (the common case, one query); the first of the day
    inserts, and an insert that lost the race to another process's insert (the
    unique constraint says so) falls back on the UPDATE.
    """
    query_string = normalise_query_string(text)
    if not query_string:
        return
    today = timezone.now().date()  # the day Query.add_hit files the search under
    rows = SearchGap.objects.filter(query_string=query_string, date=today)
    if rows.update(**{counter: F(counter) + 1}):
        return
    try:
        with transaction.atomic():
            SearchGap.objects.create(
                query_string=query_string, date=today, **{counter: 1}
            )
    except IntegrityError:
        rows.update(**{counter: F(counter) + 1})


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


# Staff's "Search gaps" report (portal.admin_search) ---------------------------------


@dataclass(frozen=True)
class TermCount:
    query_string: str
    count: int


def _since(days: int):
    return timezone.now().date() - timedelta(days=days - 1)


def term_list_top(*, days: int, limit: int) -> list[TermCount]:
    """The most searched queries of the last `days` days (today included); one query."""
    rows = (
        QueryDailyHits.objects.filter(date__gte=_since(days))
        .values("query__query_string")
        .annotate(n=Sum("hits"))
        .order_by("-n", "query__query_string")[:limit]
    )
    return [TermCount(r["query__query_string"], r["n"]) for r in rows]


def _gap_list(counter: str, *, days: int, limit: int) -> list[TermCount]:
    rows = (
        SearchGap.objects.filter(date__gte=_since(days), **{f"{counter}__gt": 0})
        .values("query_string")
        .annotate(n=Sum(counter))
        .order_by("-n", "query_string")[:limit]
    )
    return [TermCount(r["query_string"], r["n"]) for r in rows]


def term_list_without_results(*, days: int, limit: int) -> list[TermCount]:
    """Queries whose searches showed nothing, most often first; one query."""
    return _gap_list("no_result_hits", days=days, limit=limit)


def term_list_asked_after(*, days: int, limit: int) -> list[TermCount]:
    """Queries after which members posted a question, most often first; one query."""
    return _gap_list("asked_hits", days=days, limit=limit)


def promotion_queries(query_strings) -> dict[str, tuple[int, bool]]:
    """For each of `query_strings` that has a promotions `Query`: (its id, whether
    staff pinned anything for it); one query."""
    rows = (
        Query.objects.filter(query_string__in=set(query_strings))
        .annotate(pinned=Exists(SearchPromotion.objects.filter(query=OuterRef("pk"))))
        .values_list("query_string", "pk", "pinned")
    )
    return {text: (pk, pinned) for text, pk, pinned in rows}
