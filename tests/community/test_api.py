"""The community API: public reads of visible posts, token-authenticated writes with the
same rules and errors as the site."""

import pytest
from wagtail.models import APIToken

from community import services
from community.models import Answer, MeToo, Question, Vote
from satisfaction.models import Interaction
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def _auth(user) -> dict:
    _token, key = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    return body["error"]


def test_the_question_list_is_public_paginated_and_filterable(
    client, site_tree, product, customer
):
    make_question(
        customer,
        title="Router X drops every evening at nine",
        tags=["wifi"],
        product=product,
    )
    make_question(
        customer, title="Thermostat reads two degrees too high", tags=["heating"]
    )
    hidden = make_question(customer, title="Spam spam spam about cheap stuff")
    Question.objects.filter(pk=hidden.pk).update(is_hidden=True)
    body = client.get(f"{API}/questions/").json()
    assert body["count"] == 2
    assert {q["title"] for q in body["results"]} == {
        "Router X drops every evening at nine",
        "Thermostat reads two degrees too high",
    }
    assert client.get(f"{API}/questions/?tag=heating").json()["count"] == 1
    by_product = client.get(f"{API}/questions/?product={product.slug}").json()
    assert [q["product"] for q in by_product["results"]] == [product.slug]
    assert client.get(f"{API}/questions/?status=solved").json()["count"] == 0
    assert client.get(f"{API}/questions/?page_size=1&page=2").json()["page"] == 2
    assert _error(client.get(f"{API}/questions/?page=9"))["code"] == "not_found"
    assert _error(client.get(f"{API}/questions/?status=nonsense"))["code"] == "invalid"
    assert client.get(f"{API}/questions/?product=no-such-product").status_code == 404


def test_question_detail_has_answers_with_the_accepted_one_first(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    first = make_answer(
        question, UserFactory(), body="First answer, with many votes here."
    )
    for _ in range(2):
        services.vote_cast(user=UserFactory(), answer=first, value=1)
    accepted = make_answer(
        question, other_customer, body="The answer that solved it, at last."
    )
    services.answer_accept(answer=accepted, by=customer)
    body = client.get(f"{API}/questions/{question.pk}/").json()
    assert body["status"] == "solved"
    assert body["accepted_answer_id"] == accepted.pk
    assert [a["id"] for a in body["answers"]["results"]] == [accepted.pk, first.pk]
    assert body["answers"]["results"][0]["is_accepted"] is True
    page = client.get(
        f"{API}/questions/{question.pk}/answers/?page_size=1&page=2"
    ).json()
    assert [a["id"] for a in page["results"]] == [first.pk]


def test_hidden_and_missing_questions_are_404(client, site_tree, customer, staff_user):
    question = make_question(customer)
    services.post_hide(post=question, by=staff_user, reason="spam")
    assert _error(client.get(f"{API}/questions/{question.pk}/"))["code"] == "not_found"
    assert client.get(f"{API}/questions/999999/").status_code == 404


def test_asking_answering_voting_accepting_and_me_too_through_the_api(
    client, site_tree, product, customer, other_customer, staff_user
):
    response = client.post(
        f"{API}/questions/",
        {
            "title": "Can Router X run a VPN server?",
            "body": "I want to reach home from the office.",
            "tags": ["vpn"],
            "product": product.slug,
        },
        content_type="application/json",
        **_auth(customer),
    )
    assert response.status_code == 201, response.content
    question_id = response.json()["id"]
    assert response.json()["tags"] == ["vpn"]

    response = client.post(
        f"{API}/questions/{question_id}/answers/",
        {"body": "Yes, WireGuard is built in since 2.3."},
        content_type="application/json",
        **_auth(staff_user),
    )
    assert response.status_code == 201
    answer_id = response.json()["id"]
    assert response.json()["is_staff_answer"] is True

    response = client.post(
        f"{API}/answers/{answer_id}/vote/",
        {"value": 1},
        content_type="application/json",
        **_auth(other_customer),
    )
    assert response.json() == {"score": 1, "value": 1}
    response = client.post(
        f"{API}/questions/{question_id}/me-too/",
        content_type="application/json",
        **_auth(other_customer),
    )
    assert response.json() == {"me_too": True, "me_too_count": 1}
    response = client.post(
        f"{API}/answers/{answer_id}/accept/",
        content_type="application/json",
        **_auth(customer),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "solved"
    assert Interaction.objects.filter(source_ref=str(answer_id)).count() == 1
    response = client.delete(
        f"{API}/questions/{question_id}/me-too/", **_auth(other_customer)
    )
    assert response.json() == {"me_too": False, "me_too_count": 0}


def test_writes_need_a_token(client, site_tree, customer):
    question = make_question(customer)
    response = client.post(
        f"{API}/questions/{question.pk}/answers/",
        {"body": "An answer without a token."},
        content_type="application/json",
    )
    assert _error(response)["code"] == "unauthorized"
    assert response.status_code == 401
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 50_000}, "body"),
        ({"tags": [f"t{n}" for n in range(40)]}, "tags"),
        ({"tags": ["t" * 200]}, "tags"),
        ({"title": "Hm?"}, "title"),
        ({"product": "no-such-product"}, "product"),
    ],
)
def test_bad_questions_get_a_422_and_nothing_is_saved(
    client, site_tree, customer, payload, field
):
    data = {
        "title": "How do I update the hub firmware?",
        "body": "The update button does nothing.",
        "tags": ["hub"],
        **payload,
    }
    response = client.post(
        f"{API}/questions/", data, content_type="application/json", **_auth(customer)
    )
    assert response.status_code == 422
    error = _error(response)
    assert error["details"][0]["field"] == field
    assert Question.objects.count() == 0


def test_a_malformed_body_is_a_422_not_a_500(client, site_tree, customer):
    response = client.post(
        f"{API}/questions/",
        "{not json",
        content_type="application/json",
        **_auth(customer),
    )
    assert response.status_code in (400, 422)
    _error(response)


def test_api_refusals_use_the_shared_error_body(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    stranger = UserFactory()
    # Self-vote.
    response = client.post(
        f"{API}/questions/{question.pk}/vote/",
        {"value": 1},
        content_type="application/json",
        **_auth(customer),
    )
    assert (response.status_code, _error(response)["code"]) == (403, "forbidden")
    # Accept on someone else's question.
    response = client.post(
        f"{API}/answers/{answer.pk}/accept/",
        content_type="application/json",
        **_auth(stranger),
    )
    assert response.status_code == 403
    assert "Only the person who asked" in _error(response)["message"]
    # A second answer by the same person.
    response = client.post(
        f"{API}/questions/{question.pk}/answers/",
        {"body": "Second answer from the same person."},
        content_type="application/json",
        **_auth(other_customer),
    )
    assert response.status_code == 422
    assert "edit your answer" in _error(response)["message"]
    # Out-of-range vote.
    response = client.post(
        f"{API}/answers/{answer.pk}/vote/",
        {"value": 3},
        content_type="application/json",
        **_auth(stranger),
    )
    assert response.status_code == 422
    # Votes on hidden or missing posts.
    services.post_hide(post=answer, by=staff_user, reason="spam")
    response = client.post(
        f"{API}/answers/{answer.pk}/vote/",
        {"value": 1},
        content_type="application/json",
        **_auth(stranger),
    )
    assert (response.status_code, _error(response)["code"]) == (404, "not_found")
    response = client.post(
        f"{API}/answers/999999/vote/",
        {"value": 1},
        content_type="application/json",
        **_auth(stranger),
    )
    assert response.status_code == 404
    # Closed questions take no answers.
    services.question_close(question=question, by=staff_user, reason="resolved")
    response = client.post(
        f"{API}/questions/{question.pk}/answers/",
        {"body": "Late answer for a closed question."},
        content_type="application/json",
        **_auth(stranger),
    )
    assert response.status_code == 422
    assert "closed" in _error(response)["message"]
    assert Vote.objects.count() == 0
    assert MeToo.objects.count() == 0
    question.refresh_from_db()
    assert (question.accepted_answer_id, question.answer_count) == (None, 0)


def test_the_openapi_schema_lists_the_community_endpoints(client, site_tree):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/community/questions/" in paths
    assert "/api/v1/community/answers/{answer_id}/accept/" in paths
