"""One search over products and articles, with types, facets, snippets and pagination."""

import os

import pytest
from django.test import override_settings

from portal.search import es as search_es
from tests.factories.portal import make_article, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site_tree):
    router = make_product(
        site_tree["products"], "Router X", summary="A fast wifi router.", tags=["wifi"]
    )
    plug = make_product(
        site_tree["products"],
        "Smart Plug",
        summary="Schedule any socket.",
        tags=["energy"],
    )
    make_article(
        site_tree["kb"],
        "Router firmware update",
        summary="Update the router firmware safely.",
        tags=["firmware"],
        products=[router],
    )
    make_article(
        site_tree["kb"],
        "Plug schedules",
        summary="Plan when the plug switches on.",
        tags=["energy"],
        products=[plug],
    )
    return {"router": router, "plug": plug}


def test_search_finds_products_and_articles_with_type_and_snippet(client, catalogue):
    response = client.get("/search/", {"q": "router"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Router X" in html and "Router firmware update" in html
    assert "Plug schedules" not in html
    assert "Products" in html and "Articles" in html
    assert "A fast wifi router." in html
    assert "2 results for “router”" in html


def test_search_narrows_by_type_product_and_tag_and_shows_counts(client, catalogue):
    response = client.get("/search/", {"q": "router", "type": "article"})
    assert [hit.title for hit in response.context["page_obj"]] == [
        "Router firmware update"
    ]
    html = response.content.decode()
    assert (
        'Products <span class="count">(1)</span>' in html
    )  # the type facet still counts the other type

    response = client.get("/search/", {"q": "plug", "product": "smart-plug"})
    assert {hit.title for hit in response.context["page_obj"]} == {
        "Smart Plug",
        "Plug schedules",
    }
    response = client.get("/search/", {"q": "router", "tag": "firmware"})
    assert [hit.title for hit in response.context["page_obj"]] == [
        "Router firmware update"
    ]


def test_search_paginates(client, site_tree):
    for n in range(13):
        make_article(site_tree["kb"], f"Battery tip {n}", summary="Battery advice.")
    first = client.get("/search/", {"q": "battery"})
    second = client.get("/search/", {"q": "battery", "page": 2})
    assert len(first.context["page_obj"]) == 10 and len(second.context["page_obj"]) == 3
    assert "Page 1 of 2" in first.content.decode()
    assert client.get("/search/", {"q": "battery", "page": "abc"}).status_code == 200


def test_unpublished_pages_are_not_found(client, catalogue):
    catalogue["plug"].unpublish()
    html = client.get("/search/", {"q": "socket"}).content.decode()
    assert "Smart Plug" not in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "🙂",
        '{"$gt": ""}',
    ],
)
def test_odd_queries_never_fail(client, catalogue, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_nul_character_is_a_bad_request_on_every_database(client, catalogue):
    assert client.get("/search/", {"q": "plug\x00"}).status_code == 400


# The Elasticsearch facet query, checked in its dict form (no cluster needed).


@override_settings(
    ELASTICSEARCH_URL="http://localhost:9200", ELASTICSEARCH_INDEX_PREFIX="candor_"
)
def test_facet_query_searches_our_types_and_aggregates_type_product_and_tag():
    body = search_es.facet_search("router").to_dict()
    assert body["size"] == 0
    must = body["query"]["bool"]["must"][0]["multi_match"]
    assert must["query"] == "router" and must["operator"] == "and"
    content_types = body["query"]["bool"]["filter"][0]["terms"]["_django_content_type"]
    assert content_types[:2] == ["portal.ProductPage", "portal.ArticlePage"]
    assert body["aggs"]["type"]["filter"] == {"match_all": {}}
    assert (
        body["aggs"]["type"]["aggs"]["values"]["terms"]["field"]
        == "_django_content_type"
    )
    assert (
        body["aggs"]["product"]["aggs"]["product"]["terms"]["field"]
        == "portal_productpage__search_product_slugs_filter"
    )
    assert (
        body["aggs"]["product"]["aggs"]["article"]["terms"]["field"]
        == "portal_articlepage__search_product_slugs_filter"
    )
    assert (
        body["aggs"]["tag"]["aggs"]["article"]["terms"]["field"]
        == "portal_articlepage__search_tag_names_filter"
    )


@override_settings(
    ELASTICSEARCH_URL="http://localhost:9200", ELASTICSEARCH_INDEX_PREFIX="candor_"
)
def test_facet_query_applies_every_other_filter_to_each_facet():
    body = search_es.facet_search(
        "router", type_key="article", product="router-x", tag="WiFi"
    ).to_dict()
    type_filter = body["aggs"]["type"]["filter"]["bool"]["filter"]
    product_filter = body["aggs"]["product"]["filter"]["bool"]["filter"]
    tag_filter = body["aggs"]["tag"]["filter"]["bool"]["filter"]
    as_text = str
    assert (
        "portal.ArticlePage" not in as_text(type_filter)
        and "router-x" in as_text(type_filter)
        and "wifi" in as_text(type_filter)
    )
    assert "portal.ArticlePage" in as_text(
        product_filter
    ) and "router-x" not in as_text(product_filter)
    assert "wifi" not in as_text(tag_filter) and "router-x" in as_text(tag_filter)
    assert {
        "term": {"portal_productpage__search_product_slugs_filter": "router-x"}
    } in type_filter[0]["bool"]["should"] + type_filter[1]["bool"]["should"]


@override_settings(
    ELASTICSEARCH_URL="http://localhost:9200", ELASTICSEARCH_INDEX_PREFIX="acme_"
)
def test_facet_query_targets_the_indices_modelsearch_writes():
    search_es._backend.cache_clear()
    try:
        indices = search_es.facet_search("x")._index
        # Pages share Wagtail's page index; each app's searchable model has its own.
        assert "acme_wagtailcore_page" in indices
        assert all(name.startswith("acme_") for name in indices)
    finally:
        search_es._backend.cache_clear()


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="needs a real cluster: set ELASTICSEARCH_URL",
)
def test_against_a_real_cluster_facets_count_what_search_finds(
    client, catalogue, settings
):
    from django.core.management import call_command

    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [os.environ["ELASTICSEARCH_URL"]],
            "INDEX_PREFIX": "candor_test_",
        }
    }
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = "candor_test_"
    search_es._backend.cache_clear()
    call_command("update_index")
    types, products, tags = search_es.facet_counts("router")
    assert types == {"product": 1, "article": 1}
    assert products["router-x"] == 2


def test_hits_with_every_query_word_in_the_title_come_first(
    client, catalogue, site_tree
):
    make_article(
        site_tree["kb"],
        "Firmware notes",
        summary="Router firmware notes for the router and the router app.",
    )
    titles = [
        hit.title for hit in client.get("/search/", {"q": "router"}).context["page_obj"]
    ]
    assert titles.index("Firmware notes") > titles.index("Router X")
    assert titles.index("Firmware notes") > titles.index("Router firmware update")
