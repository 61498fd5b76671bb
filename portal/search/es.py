"""Faceted queries for the Elasticsearch backend, built with elasticsearch-dsl.

The result list itself comes from Wagtail search (modelsearch); this module builds
the one aggregation query that gives the search page its counts by type, product
and tag. Index and field names are taken from modelsearch's own mapping classes,
so they always match what modelsearch indexed. `facet_search()` only builds the
query (its dict form is tested without a cluster); `facet_counts()` runs it.
"""

from collections import Counter
from functools import cache

from django.apps import apps
from django.conf import settings
from elasticsearch_dsl import A, Q, Search
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend
from wagtail.search import index

from .types import search_types

PRODUCT_FIELD = "search_product_slugs"
TAG_FIELD = "search_tag_names"
FACET_SIZE = 20


@cache
def _backend():
    """A modelsearch ES backend used for its naming rules (and client, when configured)."""
    return Elasticsearch8SearchBackend(
        {
            "URLS": [settings.ELASTICSEARCH_URL or "http://localhost:9200"],
            "INDEX_PREFIX": settings.ELASTICSEARCH_INDEX_PREFIX,
        }
    )


def _type_model(search_type):
    return search_type.get_queryset().model


def _column(model, attname: str) -> str:
    mapping = _backend().mapping_class(model)
    for search_field in model.get_search_fields():
        if (
            isinstance(search_field, index.FilterField)
            and search_field.field_name == attname
        ):
            return mapping.get_field_column_name(search_field)
    raise LookupError(f"{model.__name__} has no FilterField {attname!r}")


def _content_type(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _any_field(model_columns: dict, value: str) -> Q:
    return Q(
        "bool",
        should=[Q({"term": {column: value}}) for column in model_columns.values()],
        minimum_should_match=1,
    )


def facet_search(
    query: str,
    *,
    type_key: str = "",
    product: str = "",
    tag: str = "",
    operator: str = "and",
) -> Search:
    """Return the elasticsearch-dsl Search whose aggregations are the page's facets.

    Each facet's counts apply every chosen filter except its own, so a reader sees
    what each other choice would give.
    """
    types = {
        search_type.key: _type_model(search_type) for search_type in search_types()
    }
    indices = sorted(
        {_backend().get_index_for_model(model).name for model in types.values()}
    )
    product_columns = {
        key: _column(model, PRODUCT_FIELD) for key, model in types.items()
    }
    tag_columns = {key: _column(model, TAG_FIELD) for key, model in types.items()}

    filters = {
        "type": Q("match", _django_content_type=_content_type(types[type_key]))
        if type_key in types
        else None,
        "product": _any_field(product_columns, product) if product else None,
        "tag": _any_field(tag_columns, tag.lower()) if tag else None,
    }

    def others(name):
        chosen = [q for key, q in filters.items() if q is not None and key != name]
        return Q("bool", filter=chosen) if chosen else Q("match_all")

    search = (
        Search(index=indices)
        .query(
            Q(
                "bool",
                must=[
                    Q(
                        "multi_match",
                        query=query,
                        fields=["_all_text", "_all_text_boost_*"],
                        operator=operator,
                    )
                ],
                filter=[
                    Q(
                        "terms",
                        _django_content_type=[_content_type(m) for m in types.values()],
                    )
                ],
            )
        )
        .extra(size=0, track_total_hits=True)
    )
    type_agg = A("filter", others("type"))
    type_agg.bucket(
        "values",
        "terms",
        field="_django_content_type",
        size=len(types) + 5,
        include=[_content_type(m) for m in types.values()],
    )
    search.aggs.bucket("type", type_agg)
    for facet, columns in (("product", product_columns), ("tag", tag_columns)):
        facet_agg = A("filter", others(facet))
        for key, column in columns.items():
            facet_agg.bucket(key, "terms", field=column, size=FACET_SIZE)
        search.aggs.bucket(facet, facet_agg)
    return search


def facet_counts(query: str, *, operator: str = "and", **filters):
    """Run `facet_search` on the cluster and return (types, products, tags) counts."""
    search = facet_search(query, operator=operator, **filters).using(_backend().es)
    response = search.execute()
    aggs = response.aggregations
    key_by_type = {_content_type(_type_model(t)): t.key for t in search_types()}
    type_counts = {key_by_type[b.key]: b.doc_count for b in aggs.type["values"].buckets}
    product_counts, tag_counts = Counter(), Counter()
    for search_type in search_types():
        for bucket in aggs.product[search_type.key].buckets:
            product_counts[bucket.key] += bucket.doc_count
        for bucket in aggs.tag[search_type.key].buckets:
            tag_counts[bucket.key] += bucket.doc_count
    return type_counts, product_counts, tag_counts


def indexed_models():
    """Models whose facets this module queries (for the cluster test)."""
    return [apps.get_model(_content_type(_type_model(t))) for t in search_types()]
