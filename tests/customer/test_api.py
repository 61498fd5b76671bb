"""The customer API: my timeline and my export with a token; staff read a customer's timeline;
nobody reads another customer's."""

import pytest
from wagtail.models import APIToken

from portal import services_customer
from tests.factories.timeline import make_history

pytestmark = pytest.mark.django_db
API = "/api/v1/customers"


def _auth(user) -> dict:
    _token, key = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def history(customer, staff_user, product):
    h = make_history(customer=customer, staff=staff_user, product=product)
    services_customer.customer_note_add(
        customer=customer, author=staff_user, body="Call after 5 pm."
    )
    return h


def test_my_timeline_with_a_token(client, customer, history):
    response = client.get(f"{API}/me/timeline/", **_auth(customer))
    assert response.status_code == 200
    body = response.json()
    kinds = {e["kind"] for e in body["results"] + body["needs_you"]}
    assert "satisfaction.interaction" in kinds and "reviews.reply" in kinds
    assert not any(e["private"] for e in body["results"] + body["needs_you"])
    assert "Call after 5 pm." not in response.content.decode()
    only = client.get(
        f"{API}/me/timeline/", {"kind": "reviews.review"}, **_auth(customer)
    ).json()
    assert {e["kind"] for e in only["results"]} == {"reviews.review"}


def test_staff_read_a_customers_timeline_with_private_parts(
    client, customer, staff_user, history
):
    response = client.get(f"{API}/{customer.pk}/timeline/", **_auth(staff_user))
    assert response.status_code == 200
    kinds = {e["kind"] for e in response.json()["results"]}
    assert "portal.note" in kinds
    assert "Call after 5 pm." in response.content.decode()


def test_others_get_404_and_anonymous_401(client, customer, other_customer, history):
    response = client.get(f"{API}/{customer.pk}/timeline/", **_auth(other_customer))
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    assert client.get(f"{API}/me/timeline/").status_code == 401
    assert client.get(f"{API}/{customer.pk}/timeline/").status_code == 401
    assert client.get(f"{API}/me/export/").status_code == 401
    # A customer's own private kinds stay closed even when asked for by name.
    asked = client.get(
        f"{API}/me/timeline/", {"kind": "portal.note"}, **_auth(customer)
    )
    assert asked.status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"before": "-1"},
        {"product": "0"},
        {"kind": "x" * 100},
        {"product": "99999"},
        {"before": "abc"},
    ],
)
def test_bad_parameters_are_4xx_json(client, customer, params):
    response = client.get(f"{API}/me/timeline/", params, **_auth(customer))
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error"}


def test_my_export_with_a_token(
    client, customer, history, django_capture_on_commit_callbacks
):
    auth = _auth(customer)
    assert client.get(f"{API}/me/export/", **auth).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/me/export/", **auth)
    assert response.status_code == 202
    response = client.get(f"{API}/me/export/", **auth)
    assert response.status_code == 200
    data = response.json()
    assert data["account"]["email"] == customer.email
    assert any(
        r["survey_comment"] == "Nobody called me back"
        for r in data["support_interactions"]
    )


def test_paging_with_the_cursor(client, customer, product):
    from datetime import timedelta

    from django.utils import timezone

    from satisfaction.models import Channel, Interaction

    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            channel=Channel.EMAIL,
            source="bulk",
            source_ref=str(i),
            customer=customer,
            occurred_at=now - timedelta(minutes=i),
        )
        for i in range(30)
    )
    auth = _auth(customer)
    first = client.get(f"{API}/me/timeline/", **auth).json()
    second = client.get(
        f"{API}/me/timeline/", {"before": first["next_before"]}, **auth
    ).json()
    keys = [e["key"] for e in first["results"] + second["results"]]
    assert len(keys) == len(set(keys)) == 30 and second["next_before"] is None
