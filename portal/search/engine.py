"""One search over everything searchable, ranked the way a help centre needs.

Results of all registered types (portal.search.types) are merged into one list
and paginated by the view. On SQLite and PostgreSQL one query ranks every type
together (portal.search.database); on Elasticsearch, or a database without a
full-text index, Wagtail search ranks each type. Either way each hit's score is
then multiplied by its model's `search_boost()`, so help articles and threads
with an accepted or staff answer rank above unanswered threads for the same
match. A query nothing matches with every word is retried with any word, then
for typos; the outcome says which, and whether a long query was shortened.

Facet counts (type, product, tag) come from the hits on the database backends,
and from an elasticsearch-dsl aggregation (portal.search.es) on Elasticsearch.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import prefetch_related_objects
from modelsearch.query import Fuzzy, PlainText
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.backends import get_search_backend

from . import database
from .terms import WORD, ParsedQuery, parse
from .types import SearchType, search_types

# Entries ranked per type before merging: enough for 20 pages of results while
# the cost of a query stays bounded however large the site grows.
HITS_PER_TYPE = 200


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
    parsed: ParsedQuery = field(default_factory=lambda: ParsedQuery(text=""))
    # How the hits were found: "all" words, "any" word, or "typos" (close words).
    matched: str = "all"

    @property
    def total(self) -> int:
        return len(self.hits)


def _root(term: str) -> str:
    """A crude stem for matching titles: "drops", "dropping" and "dropped" share "drop"."""
    return term[: max(4, len(term) - 3)] if len(term) > 4 else term


def _title_match(title: str, terms: tuple[str, ...]) -> tuple[int, bool]:
    """How many terms the title holds, and whether the title is nothing but them.

    A title that is exactly the query ("Router X" for "router x") is what the
    visitor named: it comes before longer titles holding the same words.
    """
    words = WORD.findall(title.lower())
    held = sum(1 for t in terms if any(w.startswith(_root(t)) for w in words))
    named = bool(words) and all(
        any(w.startswith(_root(t)) for t in terms) for w in words
    )
    return held, named


def _hit_url(obj) -> str:
    url = getattr(obj, "url", None)
    return url if isinstance(url, str) else obj.get_absolute_url()


def _hits(search_type: SearchType, objects, scores: dict) -> list[SearchHit]:
    if search_type.prefetch:
        prefetch_related_objects(objects, *search_type.prefetch)
    return [
        SearchHit(
            type=search_type,
            obj=obj,
            title=str(getattr(obj, "title", obj)),
            url=_hit_url(obj),
            snippet=obj.get_search_snippet(),
            score=scores[str(obj.pk)] * obj.search_boost(),
            products=obj.search_product_slugs(),
            tags=obj.search_tag_names(),
        )
        for obj in objects
    ]


def _database_hits(parsed: ParsedQuery) -> tuple[list[SearchHit], str]:
    """Rank all types in one query, then load each type's visible objects."""
    type_by_ct = {
        ct: search_type
        for search_type in search_types()
        for ct in get_descendants_content_types_pks(search_type.model)
    }
    ct_ids = sorted(type_by_ct)
    attempts = [("all", database.rank, {"require_all": parsed.require_all})]
    if parsed.require_all and len(parsed.terms) > 1:
        attempts.append(("any", database.rank, {"require_all": False}))
    attempts.append(("typos", database.rank_typos, {}))
    rows, matched = [], "all"
    for how, ranker, options in attempts:
        rows = ranker(
            parsed.terms, content_type_ids=ct_ids, limit=HITS_PER_TYPE, **options
        )
        if rows:
            matched = how
            break
    by_type = defaultdict(dict)
    for ct, pk, score in rows:
        by_type[type_by_ct[ct]][pk] = score
    hits = []
    for search_type in search_types():
        scores = by_type.get(search_type)
        if scores:
            objects = list(search_type.get_queryset().filter(pk__in=list(scores)))
            hits += _hits(search_type, objects, scores)
    return hits, matched


def _backend_hits(parsed: ParsedQuery) -> tuple[list[SearchHit], str]:
    """Rank each type through Wagtail search (Elasticsearch, or no FTS index)."""
    backend = get_search_backend()
    text = " ".join(parsed.terms)
    attempts = [
        ("all", PlainText(text, operator="and" if parsed.require_all else "or"))
    ]
    if parsed.require_all and len(parsed.terms) > 1:
        attempts.append(("any", PlainText(text, operator="or")))
    if settings.ELASTICSEARCH_URL:
        attempts.append(("typos", Fuzzy(text)))
    hits, matched = [], "all"
    for how, query in attempts:
        for search_type in search_types():
            results = backend.search(query, search_type.get_queryset())
            objects = list(results.annotate_score("_score")[:HITS_PER_TYPE])
            scores = {str(o.pk): float(getattr(o, "_score", 0) or 0) for o in objects}
            hits += _hits(search_type, objects, scores)
        if hits:
            matched = how
            break
    return hits, matched


def _ranked(parsed: ParsedQuery) -> tuple[list[SearchHit], str]:
    """Every hit for `parsed`, best first: the one order the results page and
    the suggestions share."""
    if not settings.ELASTICSEARCH_URL and database.supported():
        hits, matched = _database_hits(parsed)
    else:
        hits, matched = _backend_hits(parsed)

    # Title matches weigh most: a hit whose title holds more of the words comes
    # first, then relevance times the model's boost decides.
    def order(hit):
        held, named = _title_match(hit.title, parsed.terms)
        return (-held, not named, -hit.score, hit.title)

    hits.sort(key=order)
    return hits, matched


def suggest(query: str, *, limit: int = 6) -> list[SearchHit]:
    """The first `limit` hits the results page would list for `query`, for typing.

    The same ranking as `site_search` (so the first suggestion is the first
    result), without the facet counts a suggestion list does not show.
    """
    parsed = parse(query)
    if not parsed.terms:
        return []
    return _ranked(parsed)[0][:limit]


def site_search(
    query: str, *, type_key: str = "", product: str = "", tag: str = ""
) -> SearchOutcome:
    """Search every registered type for `query`, then narrow by type, product and tag.

    Facet counts are computed before the narrowing by the facet itself, so a reader
    sees how many results each choice would give (the usual faceted-search rule).
    """
    parsed = parse(query)
    if not parsed.terms:
        return SearchOutcome(
            query=parsed.text,
            hits=[],
            type_counts={},
            product_counts={},
            tag_counts={},
            parsed=parsed,
        )
    hits, matched = _ranked(parsed)

    def keep(hit, *, skip=""):
        return (
            (skip == "type" or not type_key or hit.type.key == type_key)
            and (skip == "product" or not product or product in hit.products)
            and (
                skip == "tag" or not tag or tag.lower() in (t.lower() for t in hit.tags)
            )
        )

    if settings.ELASTICSEARCH_URL:
        from .es import facet_counts

        type_counts, product_counts, tag_counts = facet_counts(
            " ".join(parsed.terms),
            type_key=type_key,
            product=product,
            tag=tag,
            operator="and" if matched == "all" and parsed.require_all else "or",
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
        query=parsed.text,
        hits=[hit for hit in hits if keep(hit)],
        type_counts=dict(type_counts),
        product_counts=dict(Counter(product_counts).most_common(10)),
        tag_counts=dict(Counter(tag_counts).most_common(15)),
        parsed=parsed,
        matched=matched,
    )
