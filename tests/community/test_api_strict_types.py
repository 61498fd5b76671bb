"""API writes take JSON types as they are: `true` is not a vote of +1 and 1 is not
"helpful" (issue 17: `{"value": true}` was accepted as an up-vote)."""

import json

import pytest

from community.models import Vote
from portal.services import api_token_create
from reviews.models import ReviewVote
from tests.factories.community import make_answer, make_question
from tests.factories.reviews import write_review
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def _post(client, url, payload, user):
    _token, key = api_token_create(user=user, name="tests")
    return client.post(
        url,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def _refused_field(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["error"]["details"][0]["field"]


def test_a_boolean_is_not_a_vote(client, site_tree, customer, other_customer):
    question = make_question(other_customer)
    answer = make_answer(question, UserFactory())
    for url in (
        f"/api/v1/community/questions/{question.pk}/vote/",
        f"/api/v1/community/answers/{answer.pk}/vote/",
    ):
        for value in (True, False, "1", 1.0):
            response = _post(client, url, {"value": value}, customer)
            assert _refused_field(response) == "value", value
    assert not Vote.objects.exists()
    response = _post(
        client,
        f"/api/v1/community/questions/{question.pk}/vote/",
        {"value": 1},
        customer,
    )
    assert response.status_code == 200 and response.json()["value"] == 1


def test_a_number_is_not_a_helpful_vote_on_a_review(client, product, customer):
    review = write_review(product)
    url = f"/api/v1/reviews/{review.pk}/helpful/"
    for value in (1, 0, "yes", "true"):
        assert _refused_field(_post(client, url, {"helpful": value}, customer)) == (
            "helpful"
        )
    assert not ReviewVote.objects.exists()
    assert _post(client, url, {"helpful": True}, customer).status_code == 200
