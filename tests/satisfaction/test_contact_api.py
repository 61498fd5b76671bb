"""The contact API: a member lists their own requests and asks for a person; open slots."""

import pytest
from wagtail.models import APIToken

from satisfaction.contact.models import ContactRequest
from tests.factories.contact import open_every_day, submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/satisfaction/contact-requests/"


@pytest.fixture
def auth(customer):
    _token, key = APIToken.create_token(user=customer, name="phone app")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_member_creates_a_request_and_lists_only_their_own(
    client, auth, customer, other_customer, product
):
    submit(customer=other_customer, message="Not mine")
    response = client.post(
        URL,
        {
            "message": "Help with setup",
            "product": product.slug,
            "time_zone": "Europe/Lisbon",
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["status"] == "open"
        and body["product"] == "router-x"
        and body["time_zone"] == "Europe/Lisbon"
    )
    listed = client.get(URL, **auth).json()
    assert listed["count"] == 1 and listed["results"][0]["message"] == "Help with setup"


def test_a_callback_through_the_api_books_an_open_slot(client, auth):
    open_every_day(capacity=1)
    slots = client.get(URL + "slots/").json()
    assert slots and slots[0]["left"] == 1
    payload = {
        "message": "Call me",
        "channel": "callback",
        "phone": "+1 555 0100",
        "slot": slots[0]["starts_at"],
    }
    assert (
        client.post(URL, payload, content_type="application/json", **auth).status_code
        == 201
    )
    full = client.post(URL, payload, content_type="application/json", **auth)
    assert full.status_code == 422
    assert full.json()["error"]["details"][0]["field"] == "slot"
    assert ContactRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": "Hi", "channel": "callback", "phone": "x"}, "phone"),
        ({"message": "Hi", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"message": "Hi", "product": "no-such-thing"}, "product"),
        ({"message": ""}, "message"),
    ],
)
def test_bad_input_is_a_422_with_the_field_and_saves_nothing(
    client, auth, payload, field
):
    response = client.post(URL, payload, content_type="application/json", **auth)
    assert response.status_code == 422
    # Schema errors name "payload.<field>" (the API's shared contract), service errors "<field>".
    fields = {
        d["field"].removeprefix("payload.") for d in response.json()["error"]["details"]
    }
    assert field in fields
    assert ContactRequest.objects.count() == 0


def test_without_a_token_it_is_a_401(client):
    assert client.get(URL).status_code == 401
    assert (
        client.post(URL, {"message": "Hi"}, content_type="application/json").status_code
        == 401
    )


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/satisfaction/contact-requests/"])
    assert "/api/v1/satisfaction/contact-requests/slots/" in paths


def test_api_requests_count_against_the_contact_rate_limit(client, auth, settings):
    settings.CANDOR_RATE_LIMITS_ENABLED = True
    settings.CANDOR_RATE_LIMITS = {
        **settings.CANDOR_RATE_LIMITS,
        "contact": {"user": ["1/h"]},
    }
    assert (
        client.post(
            URL, {"message": "One"}, content_type="application/json", **auth
        ).status_code
        == 201
    )
    assert (
        client.post(
            URL, {"message": "Two"}, content_type="application/json", **auth
        ).status_code
        == 429
    )
    assert ContactRequest.objects.count() == 1
