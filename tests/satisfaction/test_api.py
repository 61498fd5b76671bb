"""The API: an outside helpdesk records interactions; anyone reads the meter and the raw answers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import APIToken

from satisfaction import selectors
from satisfaction.models import Interaction, SurveyInvitation
from tests.factories.satisfaction import answer, record

pytestmark = pytest.mark.django_db

URL = "/api/v1/satisfaction/interactions/"


@pytest.fixture
def staff_token(staff_user):
    _token, key = APIToken.create_token(user=staff_user, name="helpdesk")
    return key


def post(client, token, payload):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, payload, content_type="application/json", **headers)


def ticket(**overrides):
    return {
        "source": "helpdesk:zendesk",
        "source_ref": "T-1001",
        "customer_email": "dana@example.org",
        **overrides,
    }


def test_a_helpdesk_records_a_ticket_and_its_customer_is_invited(
    client, staff_token, product, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            staff_token,
            ticket(product=product.slug, channel="chat", summary="Cannot pair"),
        )
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True and body["surveyed"] is True
    assert body["product"] == product.slug and body["channel"] == "chat"
    interaction = Interaction.objects.get(pk=body["id"])
    assert (interaction.source, interaction.source_ref, interaction.customer_email) == (
        "helpdesk:zendesk",
        "T-1001",
        "dana@example.org",
    )
    assert SurveyInvitation.objects.filter(interaction=interaction).exists()
    assert mailoutbox[0].to == ["dana@example.org"]


def test_sending_the_same_ticket_again_returns_the_first_and_creates_nothing(
    client, staff_token
):
    first = post(client, staff_token, ticket())
    again = post(client, staff_token, ticket(summary="resent by a retry"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    assert Interaction.objects.count() == 1


def test_the_api_needs_a_token(client):
    response = post(client, None, ticket())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_customers_token_cannot_record_interactions(client, customer):
    _token, key = APIToken.create_token(user=customer, name="mine")
    response = post(client, key, ticket())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (ticket(product="no-such-product"), "product"),
        (ticket(customer_email="dana at example"), "customer_email"),
        (
            ticket(occurred_at=(timezone.now() + timedelta(days=2)).isoformat()),
            "occurred_at",
        ),
        (ticket(occurred_at="2026-11-01T10:00:00"), "occurred_at"),
        (ticket(occurred_at="yesterday"), "occurred_at"),
        (ticket(channel="carrier-pigeon"), "channel"),
        (
            {"source": "helpdesk:zendesk", "customer_email": "dana@example.org"},
            "source_ref",
        ),
        ({"source_ref": "T-1", "customer_email": "dana@example.org"}, "source"),
        ({"source": "x", "source_ref": "T-1"}, "customer_email"),
        (ticket(source_ref=""), "source_ref"),
    ],
)
def test_bad_input_gets_a_clear_json_422_and_saves_nothing(
    client, staff_token, product, payload, field
):
    response = post(client, staff_token, payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422
    assert error["message"]
    assert any(field in (detail["field"] or "") for detail in error["details"]), error
    assert Interaction.objects.count() == 0


def test_an_unknown_product_has_its_own_error_code(client, staff_token, site_tree):
    assert (
        post(client, staff_token, ticket(product="nope")).json()["error"]["code"]
        == "unknown_product"
    )


def test_a_body_that_is_not_json_is_a_4xx_not_a_500(client, staff_token):
    response = client.post(
        URL,
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_the_meter_snapshot_is_the_same_as_the_page(client, site_tree):
    for i in range(12):
        answer(record(), satisfied=i % 4 != 0)
    body = client.get("/api/v1/satisfaction/meter/").json()
    snapshot = selectors.meter_snapshot_cached()
    assert body["windows"] == snapshot["windows"]
    assert body["last"] == snapshot["last"]
    assert body["weekly"] == snapshot["weekly"]
    assert body["windows"][0]["percent_whole"] == 75


def test_raw_answers_are_paginated_and_anonymous(
    client, site_tree, customer, staff_user, product
):
    responses = [
        answer(record(customer=customer, product=product), satisfied=i % 2 == 0)
        for i in range(5)
    ]
    from satisfaction import services

    services.response_exclude(
        response=responses[1], rule="spam", reason="bot", by=staff_user
    )
    page = client.get("/api/v1/satisfaction/answers/?page_size=2&page=1").json()
    assert (page["count"], page["pages"], len(page["results"])) == (5, 3, 2)
    first = page["results"][0]
    assert set(first) == {
        "id",
        "day",
        "invited_day",
        "product_id",
        "product",
        "channel",
        "answer",
        "excluded_reason",
    }
    assert (
        first["id"] == responses[0].public_id
        and first["answer"] == "yes"
        and first["product"] == product.slug
    )
    assert page["results"][1]["excluded_reason"] == "spam"
    assert customer.email not in str(page)
    assert client.get("/api/v1/satisfaction/answers/?page=9").status_code == 404


def test_the_hash_chain_is_readable_through_the_api(client, site_tree):
    assert client.get("/api/v1/satisfaction/chain/").json() == []
