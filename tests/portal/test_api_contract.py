"""The API's contract with outside developers: a valid OpenAPI schema, JSON for
every error whoever produced it, and JSON for every write's body."""

import json

import pytest
from openapi_spec_validator import validate
from wagtail.models import APIToken

from satisfaction.models import Interaction

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/v1/satisfaction/interactions/"
TICKET = {
    "source": "helpdesk:zendesk",
    "source_ref": "T-7",
    "customer_email": "dana@example.org",
}


@pytest.fixture
def auth(staff_user):
    _token, key = APIToken.create_token(user=staff_user, name="helpdesk")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def assert_json_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]
    return error


def test_the_openapi_schema_is_valid_openapi(client, site_tree):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)  # raises on any error, e.g. a security scheme without `scheme`
    security = schema["paths"]["/api/v1/reviews/{review_id}/"]["get"]["security"]
    assert {} in security and {"BearerTokenAuth": []} in security


def test_a_method_an_endpoint_does_not_take_is_a_json_405(client, site_tree, auth):
    for method, url in [
        ("get", INTERACTIONS),
        ("patch", INTERACTIONS),
        ("put", INTERACTIONS),
        ("patch", "/api/v1/products/"),
        ("delete", "/api/v1/satisfaction/meter/"),
    ]:
        response = getattr(client, method)(url, **auth)
        error = assert_json_error(response, 405, "method_not_allowed")
        assert method.upper() in error["message"]
        assert response["Allow"]


def test_a_text_plain_body_is_refused_not_read_as_json(client, site_tree, auth):
    for content_type, body in [
        ("text/plain", json.dumps(TICKET)),
        ("application/x-www-form-urlencoded", "source=helpdesk%3Az&source_ref=1"),
        (
            "multipart/form-data; boundary=B",
            '--B\r\nContent-Disposition: form-data; name="source"\r\n\r\nx\r\n--B--\r\n',
        ),
    ]:
        response = client.post(INTERACTIONS, body, content_type=content_type, **auth)
        error = assert_json_error(response, 415, "unsupported_media_type")
        assert "application/json" in error["message"]
    assert Interaction.objects.count() == 0
    ok = client.post(INTERACTIONS, TICKET, content_type="application/json", **auth)
    assert ok.status_code == 201


def test_a_body_that_is_not_json_is_a_json_400(client, site_tree, auth):
    response = client.post(
        INTERACTIONS, "{not json", content_type="application/json", **auth
    )
    assert_json_error(response, 400, "bad_request")


def test_unknown_api_addresses_and_csrf_refusals_answer_json(client, site_tree):
    assert_json_error(client.get("/api/v2/anything/"), 404, "not_found")
    assert_json_error(client.get("/api/"), 404, "not_found")


def test_the_api_docs_page_declares_its_language(client, site_tree):
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html


def test_every_json_write_in_the_schema_refuses_a_text_plain_body(
    client, site_tree, auth
):
    """Issue 18, walked: each operation whose schema takes a JSON body answers a
    text/plain one with the JSON 415 (nothing read, nothing saved)."""
    import re

    schema = client.get("/api/v1/openapi.json").json()
    checked, problems = 0, []
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            response = client.generic(
                method.upper(), url, json.dumps({}), content_type="text/plain", **auth
            )
            checked += 1
            if response.status_code != 415 or not response["Content-Type"].startswith(
                "application/json"
            ):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, problems
    assert checked >= 20
    assert Interaction.objects.count() == 0
