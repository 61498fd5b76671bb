"""The API's comments, flags, official answers and speed-of-help figures (issue 17,
API coverage): the site's rules through the same services, errors as JSON."""

import pytest
from wagtail.models import APIToken

from community import services
from community.models import Comment, Flag, Notification
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def _auth(user) -> dict:
    _token, key = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, data, auth):
    return client.post(url, data, content_type="application/json", **auth)


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    return error


def test_commenting_on_a_question_and_an_answer(
    client, site_tree, customer, other_customer
):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, other_customer, body="Try channel 6, it helps.")
    auth = _auth(customer)
    response = _post(
        client, f"{API}/questions/{question.pk}/comments/", {"body": "Since **June**."}, auth
    )
    assert response.status_code == 201
    body = response.json()
    assert body["body_html"].strip() == "<p>Since <strong>June</strong>.</p>"
    assert body["author"]["username"] == "ana"
    response = _post(
        client, f"{API}/answers/{answer.pk}/comments/", {"body": "Channel 6 worked!"}, auth
    )
    assert response.status_code == 201
    assert Comment.objects.filter(answer=answer).count() == 1
    assert Notification.objects.filter(
        recipient=other_customer, kind="new_comment"
    ).exists()
    error = _error(
        _post(client, f"{API}/answers/{answer.pk}/comments/", {"body": "\ud800 ok"}, auth),
        422,
        "invalid",
    )
    assert error["details"][0]["field"] == "body"
    _error(_post(client, f"{API}/answers/{answer.pk}/comments/", {}, auth), 422, "invalid")
    _error(
        _post(client, f"{API}/answers/{answer.pk}/comments/", {"body": "x"}, {}),
        401,
        "unauthorized",
    )
    _error(
        _post(client, f"{API}/questions/999999/comments/", {"body": "Hello there"}, auth),
        404,
        "not_found",
    )


def test_reading_the_comments_of_a_question_and_an_answer(
    client, site_tree, customer, other_customer, staff_user, django_assert_max_num_queries
):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, other_customer, body="Try channel 6 instead.")
    services.comment_add(author=other_customer, body="Since **June**?", question=question)
    for n in range(3):
        services.comment_add(author=customer, body=f"Tried it, take {n}.", answer=answer)
    hidden = services.comment_add(author=customer, body="A rude remark", answer=answer)
    Comment.objects.filter(pk=hidden.pk).update(is_hidden=True)

    body = client.get(f"{API}/questions/{question.pk}/comments/").json()
    assert body["count"] == 1
    assert body["results"][0]["body_html"].strip() == "<p>Since <strong>June</strong>?</p>"
    with django_assert_max_num_queries(4):
        body = client.get(f"{API}/answers/{answer.pk}/comments/?page_size=2").json()
    assert (body["count"], body["pages"]) == (3, 2)
    assert [c["body"] for c in body["results"]] == ["Tried it, take 0.", "Tried it, take 1."]
    assert body["results"][0]["author"]["username"] == customer.username
    second = client.get(f"{API}/answers/{answer.pk}/comments/?page=2&page_size=2").json()
    assert [c["body"] for c in second["results"]] == ["Tried it, take 2."]
    _error(client.get(f"{API}/answers/{answer.pk}/comments/?page=9"), 404, "not_found")
    _error(client.get(f"{API}/answers/999999/comments/"), 404, "not_found")


def test_a_closed_question_takes_no_comment(client, site_tree, customer, staff_user):
    question = make_question(customer, title="Router X drops every evening at nine")
    services.question_close(
        question=question, by=staff_user, reason="off_topic", note="Not about us."
    )
    response = _post(
        client,
        f"{API}/questions/{question.pk}/comments/",
        {"body": "Still happening here."},
        _auth(customer),
    )
    assert "closed" in _error(response, 422, "invalid")["message"]
    assert not Comment.objects.exists()


def test_flagging_needs_the_privilege_and_happens_once(
    client, site_tree, customer, other_customer, settings
):
    question = make_question(other_customer, title="Cheap watches cheap watches here")
    answer = make_answer(question, other_customer, body="Buy them at my shop today.")
    auth = _auth(customer)
    url = f"{API}/answers/{answer.pk}/flag/"
    response = _post(client, url, {"reason": "spam"}, auth)
    assert response.status_code == 201
    assert response.json()["state"] == "open"
    assert "already flagged" in _error(
        _post(client, url, {"reason": "spam"}, auth), 422, "invalid"
    )["message"]
    _error(_post(client, f"{API}/questions/{question.pk}/flag/", {"reason": "x"}, auth), 422, "invalid")
    own = _post(client, url, {"reason": "spam"}, _auth(other_customer))
    assert "own post" in _error(own, 403, "forbidden")["message"]
    settings.CANDOR_REPUTATION_PRIVILEGES = {
        **settings.CANDOR_REPUTATION_PRIVILEGES,
        "flag": 5,
    }
    newcomer = _post(
        client, f"{API}/questions/{question.pk}/flag/", {"reason": "spam"}, _auth(UserFactory())
    )
    assert "needs 5 reputation" in _error(newcomer, 403, "forbidden")["message"]
    assert Flag.objects.count() == 1


def test_only_staff_mark_the_official_answer_and_the_asker_hears(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, staff_user, body="Update to firmware 2.1, it is fixed.")
    url = f"{API}/answers/{answer.pk}/official/"
    _error(client.put(url, **_auth(other_customer)), 403, "forbidden")
    _error(client.put(url), 401, "unauthorized")
    response = client.put(url, **_auth(staff_user))
    assert response.status_code == 200
    assert response.json()["official_answer_id"] == answer.pk
    assert Notification.objects.filter(
        recipient=customer, kind="official_answer"
    ).exists()
    assert client.delete(url, **_auth(staff_user)).json()["official_answer_id"] is None
    question.refresh_from_db()
    assert question.official_answer_id is None


def test_speed_of_help_figures_are_public(
    client, site_tree, product, customer, other_customer, django_assert_max_num_queries
):
    question = make_question(customer, title="Router X drops every evening at nine", product=product)
    make_answer(question, other_customer, body="Try channel 6, it helps.")
    with django_assert_max_num_queries(10):
        body = client.get(f"{API}/products/{product.slug}/speed-of-help/").json()
    assert body["product"] == product.slug
    assert body["asked"] == 1
    assert body["window_days"] == 30
    assert body["median_first_answer_hours"] is not None
    _error(client.get(f"{API}/products/no-such-product/speed-of-help/"), 404, "not_found")


def test_the_posts_endpoints_are_in_the_valid_openapi_schema(client, site_tree):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    assert set(paths[f"{API}/answers/{{answer_id}}/official/"]) == {"put", "delete"}
    assert set(paths[f"{API}/questions/{{question_id}}/comments/"]) == {"get", "post"}
    assert set(paths[f"{API}/answers/{{answer_id}}/comments/"]) == {"get", "post"}
    assert "post" in paths[f"{API}/answers/{{answer_id}}/flag/"]
    assert "get" in paths[f"{API}/products/{{slug}}/speed-of-help/"]
    assert "patch" in paths[f"{API}/questions/{{question_id}}/edit/"]
    assert "patch" in paths[f"{API}/answers/{{answer_id}}/edit/"]


def _patch(client, url, data, auth):
    return client.patch(url, data, content_type="application/json", **auth)


def test_editing_a_question_and_an_answer_keeps_the_rules(
    client, site_tree, customer, other_customer
):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, other_customer, body="Try channel 6, it helps.")
    response = _patch(
        client,
        f"{API}/questions/{question.pk}/edit/",
        {"title": "Router X drops Wi-Fi every evening at nine", "note": "Clearer."},
        _auth(customer),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Router X drops Wi-Fi every evening at nine"
    question.refresh_from_db()
    assert question.edited_at is not None
    assert question.revisions.count() >= 1
    refused = _patch(
        client, f"{API}/answers/{answer.pk}/edit/", {"body": "Something else entirely."}, _auth(customer)
    )
    assert "reputation" in _error(refused, 403, "forbidden")["message"]
    answer.refresh_from_db()
    assert answer.body == "Try channel 6, it helps."
    own = _patch(
        client,
        f"{API}/answers/{answer.pk}/edit/",
        {"body": "Try channel 6 or 11, both help."},
        _auth(other_customer),
    )
    assert own.json()["body"] == "Try channel 6 or 11, both help."
    short = _patch(client, f"{API}/questions/{question.pk}/edit/", {"title": "x"}, _auth(customer))
    assert _error(short, 422, "invalid")["details"][0]["field"] == "title"
    _error(_patch(client, f"{API}/answers/{answer.pk}/edit/", {}, _auth(customer)), 422, "invalid")
    _error(_patch(client, f"{API}/answers/{answer.pk}/edit/", {"body": "x"}, {}), 401, "unauthorized")
