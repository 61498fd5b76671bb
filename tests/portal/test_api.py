"""The JSON API root: products and articles, pagination, token auth, one error body."""

import pytest
from wagtail.models import APIToken

from tests.factories.portal import make_article, make_product

pytestmark = pytest.mark.django_db


def assert_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body


def test_products_list_and_detail(client, site_tree, product):
    body = client.get("/api/v1/products/").json()
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1
    assert body["results"][0]["slug"] == "router-x"
    assert body["results"][0]["name"] == "Router X"
    assert sorted(body["results"][0]["tags"]) == ["setup", "wifi"]
    detail = client.get("/api/v1/products/router-x/").json()
    assert detail["summary"] == "A fast router."


def test_articles_list_filters_by_tag_and_detail_has_body_and_feedback(
    client, site_tree, article
):
    make_article(site_tree["kb"], "Reset", tags=["reset"])
    body = client.get("/api/v1/articles/?tag=reset").json()
    assert [a["title"] for a in body["results"]] == ["Reset"]
    detail = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert "Plug it in and open the app." in detail["body_html"]
    assert detail["products"] == ["router-x"]
    assert detail["helpful"] == 0 and detail["feedback_total"] == 0


def test_pagination_splits_and_reports_pages(client, site_tree):
    for n in range(5):
        make_product(site_tree["products"], f"Product {n}")
    body = client.get("/api/v1/products/?page=2&page_size=2").json()
    assert body["count"] == 5 and body["pages"] == 3 and len(body["results"]) == 2


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/products/?page=0", 422, "invalid"),
        ("/api/v1/products/?page=-1", 422, "invalid"),
        ("/api/v1/products/?page=abc", 422, "invalid"),
        ("/api/v1/products/?page=99", 404, "not_found"),
        ("/api/v1/products/?page=99999999999999999999", 422, "invalid"),
        ("/api/v1/products/?page_size=1000", 422, "invalid"),
        ("/api/v1/products/no-such-product/", 404, "not_found"),
        ("/api/v1/articles/999999/", 404, "not_found"),
        ("/api/v1/articles/abc/", 404, "not_found"),
        ("/api/v1/articles/?tag=" + "x" * 500, 422, "invalid"),
        ("/api/v1/me/", 401, "unauthorized"),
    ],
)
def test_bad_requests_get_a_json_error_never_a_500(
    client, site_tree, product, article, url, status, code
):
    assert_error(client.get(url), status, code)


def test_a_bad_token_is_refused_and_a_good_one_identifies_the_user(client, customer):
    assert_error(
        client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer nope"), 401, "unauthorized"
    )
    _token, key = APIToken.create_token(user=customer, name="test")
    body = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body == {"username": "ana", "display_name": "Ana Souza", "is_staff": False}


def test_a_revoked_token_no_longer_works(client, customer):
    token, key = APIToken.create_token(user=customer, name="test")
    token.revoke()
    assert_error(
        client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}"),
        401,
        "unauthorized",
    )


def test_openapi_schema_and_docs_are_served(client, site_tree):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Candor API"
    assert "/api/v1/products/" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_write_methods_on_read_endpoints_are_refused_as_json(client, site_tree):
    response = client.post("/api/v1/products/", {})
    assert response.status_code == 405


def test_api_root_points_to_docs_schema_and_collections(client, site_tree):
    body = client.get("/api/v1/").json()
    assert body["docs"] == "http://testserver/api/v1/docs"
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["collections"]["products"] == "http://testserver/api/v1/products/"
    assert body["collections"]["articles"] == "http://testserver/api/v1/articles/"
