"""One search over everything searchable, through Wagtail search (modelsearch).

Each app registers its searchable types in `settings.CANDOR_SEARCH_TYPES` as a key,
a label and the dotted path of a function returning the visible queryset, so
this module imports no domain app. Every model searched implements
`portal.models.pages.SearchableMixin`.

Results of all types are merged by relevance and paginated here. Facet counts
(type, product, tag) come from the hits themselves on the database backend, and
from an elasticsearch-dsl aggregation query (portal.search_es) when
ELASTICSEARCH_URL is set.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.module_loading import import_string
from wagtail.search.backends import get_search_backend

# Hits fetched per type before merging: enough for 20 pages of results while the
# cost of a query stays bounded however large the site grows.
HITS_PER_TYPE = 200
MAX_QUERY_LENGTH = 200
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
FTS_UNSAFE = re.compile(r"[^\w\s'-]")


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    queryset: str
    prefetch: tuple[str, ...] = ()
    singular: str = ""
    # Page-cache scopes whose writes change this type's results (portal.cache);
    # Wagtail pages need none: publishing invalidates the whole site.
    cache_scopes: tuple[str, ...] = ()

    @property
    def label_one(self) -> str:
        return self.singular or self.label

    def get_queryset(self):
        return import_string(self.queryset)()


@dataclass
class SearchHit:
    type: SearchType
    obj: object
    title: str
    url: str
    snippet: str
    score: float
    products: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class SearchOutcome:
    query: str
    hits: list[SearchHit]
    type_counts: dict[str, int]
    product_counts: dict[str, int]
    tag_counts: dict[str, int]


@cache
def search_types() -> tuple[SearchType, ...]:
    return tuple(SearchType(**entry) for entry in settings.CANDOR_SEARCH_TYPES)


def cache_scopes() -> list[str]:
    """Every scope a search results page depends on, for the anonymous page cache."""
    return [scope for t in search_types() for scope in t.cache_scopes]


def _hit_url(obj) -> str:
    url = getattr(obj, "url", None)
    return url if isinstance(url, str) else obj.get_absolute_url()


def _search_type(search_type: SearchType, query: str) -> list[SearchHit]:
    backend = get_search_backend()
    results = backend.search(query, search_type.get_queryset()).annotate_score("_score")
    objects = list(results[:HITS_PER_TYPE])
    if search_type.prefetch:
        prefetch_related_objects(objects, *search_type.prefetch)
    return [
        SearchHit(
            type=search_type,
            obj=obj,
            title=str(getattr(obj, "title", obj)),
            url=_hit_url(obj),
            snippet=obj.get_search_snippet(),
            score=float(getattr(obj, "_score", 0) or 0),
            products=obj.search_product_slugs(),
            tags=obj.search_tag_names(),
        )
        for obj in objects
    ]


def site_search(
    query: str, *, type_key: str = "", product: str = "", tag: str = ""
) -> SearchOutcome:
    """Search every registered type for `query`, then narrow by type, product and tag.

    Facet counts are computed before the narrowing by the facet itself, so a reader
    sees how many results each choice would give (the usual faceted-search rule).
    """
    # Control characters mean nothing to a reader and break some FTS parsers (SQLite).
    query = " ".join(CONTROL_CHARS.sub(" ", query).split())[:MAX_QUERY_LENGTH]
    if not settings.ELASTICSEARCH_URL:
        # The database backends hand the words to SQLite FTS5 or PostgreSQL,
        # whose query syntax chokes on stray quotes and operators: keep words.
        query = " ".join(FTS_UNSAFE.sub(" ", query).split())
    if not query:
        return SearchOutcome(
            query="", hits=[], type_counts={}, product_counts={}, tag_counts={}
        )

    hits: list[SearchHit] = []
    for search_type in search_types():
        hits.extend(_search_type(search_type, query))
    # Scores from different models are not on one scale, so a hit whose title holds
    # every word of the query ranks first, then relevance decides.
    words = query.lower().split()
    hits.sort(
        key=lambda hit: (
            not all(w in hit.title.lower() for w in words),
            -hit.score,
            hit.title,
        )
    )

    def keep(hit, *, skip=""):
        return (
            (skip == "type" or not type_key or hit.type.key == type_key)
            and (skip == "product" or not product or product in hit.products)
            and (
                skip == "tag" or not tag or tag.lower() in (t.lower() for t in hit.tags)
            )
        )

    if settings.ELASTICSEARCH_URL:
        from .search_es import facet_counts

        type_counts, product_counts, tag_counts = facet_counts(
            query, type_key=type_key, product=product, tag=tag
        )
    else:
        type_counts = Counter(hit.type.key for hit in hits if keep(hit, skip="type"))
        product_counts = Counter(
            slug for hit in hits if keep(hit, skip="product") for slug in hit.products
        )
        tag_counts = Counter(
            t for hit in hits if keep(hit, skip="tag") for t in hit.tags
        )

    return SearchOutcome(
        query=query,
        hits=[hit for hit in hits if keep(hit)],
        type_counts=dict(type_counts),
        product_counts=dict(Counter(product_counts).most_common(10)),
        tag_counts=dict(Counter(tag_counts).most_common(15)),
    )
