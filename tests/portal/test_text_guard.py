"""Lone surrogates: every API body and every form text field refuses them with a 4xx
naming the field, and nothing is saved (issue 17: the Q&A API answered 500)."""

import importlib
import inspect
import json

import pytest
from django import forms

from community.models import Answer, Question
from portal.services import api_token_create
from reviews.models import Review
from satisfaction.models import Interaction
from tests.factories.community import make_question

pytestmark = pytest.mark.django_db

BAD = "A valid title here \ud800 ok"


def _bearer(user) -> dict:
    _token, key = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, payload, auth):
    # json.dumps writes the surrogate as the escape "\ud800", as a client would.
    return client.post(
        url, json.dumps(payload), content_type="application/json", **auth
    )


def _refused_field(response) -> str:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "surrogate" in error["message"]
    return error["details"][0]["field"]


def test_a_question_or_answer_with_a_lone_surrogate_is_a_422_naming_the_field(
    client, site_tree, customer, other_customer
):
    auth = _bearer(customer)
    url = "/api/v1/community/questions/"
    body = "b" * 24
    assert _refused_field(_post(client, url, {"title": BAD, "body": body}, auth)) == (
        "title"
    )
    payload = {"title": "A valid title here ok", "body": body, "tags": ["ok", BAD]}
    assert _refused_field(_post(client, url, payload, auth)) == "tags.1"
    assert not Question.objects.exists()
    question = make_question(other_customer)
    answer_url = f"/api/v1/community/questions/{question.pk}/answers/"
    response = _post(client, answer_url, {"body": "An answer \udfff here."}, auth)
    assert _refused_field(response) == "body"
    assert not Answer.objects.exists()


def test_reviews_and_interactions_refuse_a_lone_surrogate_the_same_way(
    client, product, customer, staff_user
):
    response = _post(
        client,
        f"/api/v1/reviews/products/{product.slug}/",
        {"rating": 4, "title": "Fine", "body": "Works \ud83d well"},
        _bearer(customer),
    )
    assert _refused_field(response) == "body"
    assert not Review.objects.exists()
    response = _post(
        client,
        "/api/v1/satisfaction/interactions/",
        {"source": "helpdesk:x", "source_ref": "T-\udc00", "customer_email": "a@b.c"},
        _bearer(staff_user),
    )
    assert _refused_field(response) == "source_ref"
    assert not Interaction.objects.exists()


FORM_MODULES = [
    "portal.forms",
    "portal.forms_customer",
    "community.forms",
    "community.forms_reputation",
    "reviews.forms",
    "satisfaction.forms",
]


def _project_forms():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _attr, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_text_field_of_every_form_refuses_a_lone_surrogate():
    checked = 0
    for form_class in _project_forms():
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            with pytest.raises(forms.ValidationError) as refused:
                field.run_validators("text \ud800 here")
            codes = {error.code for error in refused.value.error_list}
            assert "lone_surrogate" in codes, f"{form_class.__name__}.{name}"
            checked += 1
    assert checked >= 20


def test_the_ask_form_names_the_field_holding_a_lone_surrogate():
    from community.forms import QuestionForm

    form = QuestionForm(
        {"title": BAD, "body": "A perfectly ordinary body of text.", "tags": ""}
    )
    assert not form.is_valid()
    assert "surrogate" in form.errors["title"][0]
