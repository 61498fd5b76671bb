"""The API's inbox (issue 17, API coverage): a member's notifications, marked read,
and what they follow; each only for the token's owner, errors as JSON."""

import pytest
from wagtail.models import APIToken

from community import services
from community.models import Follow, Notification
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def _auth(user) -> dict:
    _token, key = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    return error


def _post(client, url, data, auth):
    return client.post(url, data, content_type="application/json", **auth)


def test_notifications_list_only_your_own_with_the_unread_count(
    client, site_tree, customer, other_customer, django_assert_max_num_queries
):
    question = make_question(customer, title="Router X drops every evening at nine")
    for n in range(3):
        make_answer(question, UserFactory(), body=f"Try channel {n + 1}, it helps.")
    make_question(other_customer, title="Thermostat reads two degrees too high")
    auth = _auth(customer)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/notifications/?page_size=2", **auth).json()
    assert (body["count"], body["unread"], body["pages"]) == (3, 3, 2)
    first = body["results"][0]
    assert first["kind"] == "new_answer"
    assert first["kind_label"] == "New answer"
    assert first["question_title"] == "Router X drops every evening at nine"
    assert first["url"].startswith("http")
    assert first["read"] is False
    other = client.get(f"{API}/notifications/", **_auth(other_customer)).json()
    assert other["count"] == 0


def test_the_query_count_does_not_grow_with_the_notifications(
    client, site_tree, customer, django_assert_max_num_queries
):
    question = make_question(customer, title="Router X drops every evening at nine")
    for n in range(12):
        make_answer(question, UserFactory(), body=f"Try channel {n + 1}, it helps.")
    auth = _auth(customer)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/notifications/", **auth).json()
    assert len(body["results"]) == 12


def test_marking_read_some_or_all_and_never_anothers(
    client, site_tree, customer, other_customer
):
    question = make_question(customer, title="Router X drops every evening at nine")
    mine = [
        make_answer(question, UserFactory(), body=f"Try channel {n + 1}, it helps.")
        for n in range(3)
    ]
    theirs = make_question(other_customer, title="Thermostat reads two degrees high")
    make_answer(theirs, UserFactory(), body="Recalibrate it in the settings menu.")
    ids = list(
        Notification.objects.filter(recipient=customer).values_list("pk", flat=True)
    )
    assert len(ids) == len(mine)
    foreign = Notification.objects.get(recipient=other_customer).pk
    auth = _auth(customer)
    body = _post(client, f"{API}/notifications/read/", {"ids": [ids[0], foreign]}, auth)
    assert body.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=foreign).read_at is None
    unread = client.get(f"{API}/notifications/?unread=true", **auth).json()
    assert {n["id"] for n in unread["results"]} == set(ids[1:])
    assert _post(client, f"{API}/notifications/read/", {}, auth).json() == {
        "marked": 2,
        "unread": 0,
    }


def test_inbox_errors_are_json_401_and_422(client, site_tree, customer):
    _error(client.get(f"{API}/notifications/"), 401, "unauthorized")
    _error(client.get(f"{API}/follows/"), 401, "unauthorized")
    auth = _auth(customer)
    error = _error(
        _post(client, f"{API}/notifications/read/", {"ids": ["x"]}, auth), 422, "invalid"
    )
    assert error["details"][0]["field"] == "ids.0"
    _error(_post(client, f"{API}/follows/", {}, auth), 422, "invalid")
    error = _error(_post(client, f"{API}/follows/", {"tag": "nope"}, auth), 422, "invalid")
    assert error["details"][0]["field"] == "tag"


def test_following_a_question_a_tag_and_a_product(
    client, site_tree, product, customer, other_customer
):
    question = make_question(
        other_customer, title="Router X drops every evening at nine", tags=["wifi"]
    )
    auth = _auth(customer)
    url = f"{API}/questions/{question.pk}/follow/"
    assert client.put(url, **auth).json() == {"following": True}
    assert client.put(url, **auth).json() == {"following": True}  # idempotent
    assert _post(client, f"{API}/follows/", {"tag": "WiFi"}, auth).json() == {
        "following": True
    }
    assert _post(client, f"{API}/follows/", {"product": product.slug}, auth).status_code == 200
    listed = client.get(f"{API}/follows/", **auth).json()
    assert sorted((f["kind"], f["name"]) for f in listed["results"]) == [
        ("product", "Router X"),
        ("question", "Router X drops every evening at nine"),
        ("tag", "wifi"),
    ]
    assert all(f["url"].startswith("http") for f in listed["results"])
    # Following it, the member hears of a new answer.
    make_answer(question, UserFactory(), body="Move it away from the microwave.")
    assert Notification.objects.filter(recipient=customer, question=question).exists()
    assert client.delete(url, **auth).json() == {"following": False}
    assert _post(client, f"{API}/follows/remove/", {"tag": "wifi"}, auth).json() == {
        "following": False
    }
    assert list(Follow.objects.filter(user=customer).values_list("product", flat=True)) == [
        product.pk
    ]
    _error(client.put(f"{API}/questions/999999/follow/", **auth), 404, "not_found")


def test_a_hidden_question_cannot_be_followed(client, site_tree, customer, staff_user):
    question = make_question(staff_user, title="Router X drops every evening at nine")
    services.post_hide(post=question, by=staff_user, reason="Spam.")
    response = client.put(f"{API}/questions/{question.pk}/follow/", **_auth(customer))
    _error(response, 404, "not_found")
    assert not Follow.objects.filter(user=customer).exists()


def test_the_inbox_is_in_the_valid_openapi_schema(client, site_tree):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    assert set(paths[f"{API}/notifications/"]) == {"get"}
    assert set(paths[f"{API}/questions/{{question_id}}/follow/"]) == {"put", "delete"}
    read = paths[f"{API}/notifications/read/"]["post"]
    assert {"200", "401", "422"} <= set(read["responses"])
    assert read["security"] == [{"BearerTokenAuth": []}]


def test_a_rejected_suggestion_carries_the_reviewers_reason(client, site_tree):
    from community.suggested_edits.services import (
        suggested_edit_reject,
        suggested_edit_submit,
    )

    question = make_question()
    suggester = UserFactory()
    suggestion = suggested_edit_submit(
        post=question, by=suggester, title=question.title,
        body=question.body + " It drops at eight.", reason="Says when",
    )
    suggested_edit_reject(suggestion=suggestion, by=question.author, reason="Not what I meant")
    body = client.get("/api/v1/community/notifications/", **_auth(suggester)).json()
    (row,) = body["results"]
    assert (row["kind"], row["reason"]) == ("edit_rejected", "Not what I meant")
    assert row["url"].endswith(f"/community/review/suggested-edits/{suggestion.pk}/")
