"""Suggested edits in the API (issue 17): members below the edit privilege suggest,
the post's author, privileged members and staff review from their queue; the
site's rules through the same services, every refusal as JSON."""

import json

import pytest
from wagtail.models import APIToken

from community.models import ReputationEvent, SuggestedEdit
from community.suggested_edits import services
from portal.models import Profile
from tests.factories.community import make_answer, make_question
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/community"
NEW_BODY = "How do I change the Wi-Fi channel on my router? It drops every evening at nine."


def with_reputation(points, **kwargs):
    user = UserFactory(**kwargs)
    Profile.objects.filter(user=user).update(reputation=points)
    return type(user).objects.select_related("profile").get(pk=user.pk)


def _auth(user) -> dict:
    _token, key = APIToken.create_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, data, auth):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **auth)


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    return error


def _suggest(question, member, body=NEW_BODY):
    return services.suggested_edit_submit(
        post=question, by=member, title=question.title, body=body, reason="Clearer"
    )


def test_suggesting_an_edit_to_a_question_and_to_an_answer(client, site_tree, customer, other_customer):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, other_customer, body="Try channel 6, it helps a lot.")
    member = with_reputation(1, username="cleo")
    auth = _auth(member)

    response = _post(
        client,
        f"{API}/questions/{question.pk}/suggested-edits/",
        {"body": NEW_BODY + " **Since June.**", "tags": ["wifi", "Router X"], "reason": "Adds when it started"},
        auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert (body["post_kind"], body["question_id"], body["answer_id"]) == ("question", question.pk, None)
    assert body["title"] == "Router X drops every evening at nine"  # left out: kept
    assert body["tags"] == ["router x", "wifi"]
    assert "<strong>Since June.</strong>" in body["body_html"]
    assert body["author"]["username"] == "cleo"
    assert body["current_body"] == question.body
    assert body["reviewer"] is None
    assert body["post_url"] == "http://testserver" + question.get_absolute_url()
    question.refresh_from_db()
    assert "Since June" not in question.body  # nothing changes before review

    response = _post(
        client,
        f"{API}/answers/{answer.pk}/suggested-edits/",
        {"body": "Try channel 6 in Settings > Wi-Fi, it helps a lot.", "reason": "Where the setting is"},
        auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["post_kind"], body["question_id"], body["answer_id"]) == ("answer", question.pk, answer.pk)
    assert body["current_title"] == question.title
    assert body["tags"] == []
    assert SuggestedEdit.objects.filter(author=member, status="pending").count() == 2


def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(client, site_tree, customer):
    question = make_question(customer, title="Router X drops every evening at nine")
    answer = make_answer(question, UserFactory())
    auth = _auth(with_reputation(1))
    url = f"{API}/questions/{question.pk}/suggested-edits/"

    surrogate = '{"body": "A body long enough to count \\ud800 here", "reason": "Clearer"}'
    assert _error(_post(client, url, surrogate, auth), 422, "invalid")["details"][0]["field"] == "body"
    surrogate = '{"body": "A body long enough to count, really it is.", "reason": "Clearer \\ud800"}'
    assert _error(_post(client, url, surrogate, auth), 422, "invalid")["details"][0]["field"] == "reason"
    surrogate = '{"body": "A body long enough to count, really it is.", "reason": "x", "tags": ["ok", "\\ud800"]}'
    assert _error(_post(client, url, surrogate, auth), 422, "invalid")["details"][0]["field"] == "tags.1"
    answer_url = f"{API}/answers/{answer.pk}/suggested-edits/"
    surrogate = '{"body": "Restart it \\ud800 then pick channel 36.", "reason": "Clearer"}'
    assert _error(_post(client, answer_url, surrogate, auth), 422, "invalid")["details"][0]["field"] == "body"

    for payload, field in (
        ({"body": True, "reason": "Clearer"}, "body"),
        ({"body": 12345, "reason": "Clearer"}, "body"),
        ({"body": NEW_BODY, "reason": False}, "reason"),
        ({"body": NEW_BODY}, "reason"),
        ({"body": NEW_BODY, "reason": "   "}, "reason"),
        ({"body": NEW_BODY, "reason": "r" * 201}, "reason"),
        ({"title": "x", "body": NEW_BODY, "reason": "Clearer"}, "title"),
        ({"body": "too short", "reason": "Clearer"}, "body"),
        ({"body": NEW_BODY, "tags": ["no/slashes"], "reason": "Clearer"}, "tags"),
    ):
        error = _error(_post(client, url, payload, auth), 422, "invalid")
        assert error["details"][0]["field"] == field, payload
    assert _error(_post(client, answer_url, {"reason": "Clearer"}, auth), 422, "invalid")["details"][0]["field"] == "body"
    unchanged = _post(client, url, {"reason": "Nothing really"}, auth)
    assert "changes nothing" in _error(unchanged, 422, "invalid")["message"]
    # A boolean is not a page number.
    listed = client.get(f"{API}/suggested-edits/?page=true", **auth)
    assert _error(listed, 422, "invalid")["details"][0]["field"] == "page"
    assert not SuggestedEdit.objects.exists()


def test_who_may_suggest(client, site_tree, customer, staff_user):
    question = make_question(customer, title="Router X drops every evening at nine")
    url = f"{API}/questions/{question.pk}/suggested-edits/"
    payload = {"body": NEW_BODY, "reason": "Clearer"}
    _error(_post(client, url, payload, {}), 401, "unauthorized")
    for able_to_edit in (customer, staff_user, with_reputation(500)):
        error = _error(_post(client, url, payload, _auth(able_to_edit)), 403, "forbidden")
        assert "edit this post yourself" in error["message"]
    _error(_post(client, f"{API}/questions/999999/suggested-edits/", payload, _auth(with_reputation(1))), 404, "not_found")
    member = _auth(with_reputation(1))
    assert _post(client, url, payload, member).status_code == 201
    again = _post(client, url, {**payload, "body": NEW_BODY + " Again."}, member)
    assert "already have a suggestion" in _error(again, 422, "invalid")["message"]
    assert SuggestedEdit.objects.count() == 1


def test_approving_applies_the_edit_once_and_gives_two_points(client, site_tree, customer):
    question = make_question(customer, title="Router X drops every evening at nine")
    member = with_reputation(1)
    suggestion = _suggest(question, member)
    url = f"{API}/suggested-edits/{suggestion.pk}/approve/"

    _error(client.post(url), 401, "unauthorized")
    refused = _error(client.post(url, **_auth(with_reputation(499))), 403, "forbidden")
    assert "Only the post's author" in refused["message"]
    own = _error(client.post(url, **_auth(member)), 403, "forbidden")  # not your own
    assert "Only the post's author" in own["message"]
    question.refresh_from_db()
    assert question.body != NEW_BODY

    response = client.post(url, **_auth(customer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["reviewer"]["username"] == customer.username
    assert body["current_body"] == NEW_BODY
    question.refresh_from_db()
    assert question.body == NEW_BODY
    assert question.revisions.order_by("-number").first().editor_id == member.pk
    member.profile.refresh_from_db()
    assert member.profile.reputation == 3
    assert [e.points for e in ReputationEvent.objects.filter(user=member, kind="edit_accepted")] == [2]

    again = _error(client.post(url, **_auth(StaffFactory())), 409, "conflict")
    assert "already reviewed" in again["message"]
    assert ReputationEvent.objects.filter(user=member, kind="edit_accepted").count() == 1
    _error(client.post(f"{API}/suggested-edits/999999/approve/", **_auth(customer)), 404, "not_found")


def test_a_suggestion_older_than_the_last_edit_is_a_conflict(client, site_tree, customer):
    from community import services as qa

    question = make_question(customer, title="Router X drops every evening at nine")
    suggestion = _suggest(question, with_reputation(1))
    qa.question_edit(question=question, by=customer, title=question.title, body="The author rewrote the body here.")
    error = _error(client.post(f"{API}/suggested-edits/{suggestion.pk}/approve/", **_auth(customer)), 409, "conflict")
    assert "edited after" in error["message"]
    question.refresh_from_db()
    assert question.body == "The author rewrote the body here."
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_rejecting_with_and_without_a_reason(client, site_tree, customer):
    question = make_question(customer, title="Router X drops every evening at nine")
    before = question.body
    first, second = _suggest(question, with_reputation(1)), _suggest(question, with_reputation(1))
    auth = _auth(with_reputation(500))  # a privileged member, not the author

    too_long = _post(client, f"{API}/suggested-edits/{first.pk}/reject/", {"reason": "r" * 201}, auth)
    assert _error(too_long, 422, "invalid")["details"][0]["field"] == "reason"
    surrogate = _post(client, f"{API}/suggested-edits/{first.pk}/reject/", '{"reason": "no \\ud800"}', auth)
    assert _error(surrogate, 422, "invalid")["details"][0]["field"] == "reason"
    first.refresh_from_db()
    assert first.status == "pending"

    response = _post(client, f"{API}/suggested-edits/{first.pk}/reject/", {"reason": "Changes the meaning"}, auth)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["review_reason"]) == ("rejected", "Changes the meaning")
    response = client.generic("POST", f"{API}/suggested-edits/{second.pk}/reject/", **auth)  # no body at all
    assert response.status_code == 200, response.content
    assert response.json()["review_reason"] == ""
    _error(client.generic("POST", f"{API}/suggested-edits/{second.pk}/reject/", **auth), 409, "conflict")
    _error(client.post(f"{API}/suggested-edits/{second.pk}/approve/", **auth), 409, "conflict")
    question.refresh_from_db()
    assert question.body == before
    assert not ReputationEvent.objects.filter(kind="edit_accepted").exists()


def test_the_review_queue_holds_what_you_may_review(
    client, site_tree, customer, other_customer, staff_user, django_assert_max_num_queries
):
    mine = make_question(customer, title="Router X drops every evening at nine")
    theirs = make_question(other_customer, title="Router Y will not update its firmware")
    answer_on_theirs = make_answer(theirs, customer, body="Unplug it for ten seconds first.")
    suggester = with_reputation(1)
    on_mine = _suggest(mine, suggester)
    on_theirs = _suggest(theirs, suggester)
    on_my_answer = services.suggested_edit_submit(
        post=answer_on_theirs, by=suggester, body="Unplug it for ten seconds, then update.", reason="Order"
    )
    reviewed = _suggest(theirs, with_reputation(1))
    services.suggested_edit_reject(suggestion=reviewed, by=other_customer)

    def queue(user, query=""):
        response = client.get(f"{API}/suggested-edits/{query}", **_auth(user))
        assert response.status_code == 200, response.content
        return response.json()

    assert [row["id"] for row in queue(customer)["results"]] == [on_mine.pk, on_my_answer.pk]
    assert [row["id"] for row in queue(other_customer)["results"]] == [on_theirs.pk]
    everyone = [on_mine.pk, on_theirs.pk, on_my_answer.pk]
    assert [row["id"] for row in queue(staff_user)["results"]] == everyone
    assert [row["id"] for row in queue(with_reputation(500))["results"]] == everyone
    assert queue(suggester)["count"] == 0  # never your own
    assert queue(with_reputation(1))["count"] == 0
    page = queue(staff_user, "?page_size=2&page=2")
    assert (page["count"], page["pages"], [r["id"] for r in page["results"]]) == (3, 2, [on_my_answer.pk])
    _error(client.get(f"{API}/suggested-edits/"), 401, "unauthorized")
    _error(client.get(f"{API}/suggested-edits/?page=9", **_auth(staff_user)), 404, "not_found")

    # The same few queries for a page of 3 or of 13.
    auth = _auth(staff_user)
    with django_assert_max_num_queries(8) as few:
        client.get(f"{API}/suggested-edits/", **auth)
    for n in range(10):
        services.suggested_edit_submit(
            post=make_answer(theirs), by=suggester, body=f"Unplug it for ten seconds, try {n} again.", reason="x"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/suggested-edits/", **auth).json()
    assert body["count"] == 13


def test_a_suggestion_is_read_by_its_suggester_reviewers_and_staff_only(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer, title="Router X drops every evening at nine")
    suggester = with_reputation(1)
    suggestion = _suggest(question, suggester)
    url = f"{API}/suggested-edits/{suggestion.pk}/"
    for reader in (suggester, customer, staff_user, with_reputation(500)):
        response = client.get(url, **_auth(reader))
        assert response.status_code == 200, reader
        assert response.json()["reason"] == "Clearer"
    for outsider in (other_customer, with_reputation(499)):
        _error(client.get(url, **_auth(outsider)), 404, "not_found")
    _error(client.get(url), 401, "unauthorized")
    _error(client.get(f"{API}/suggested-edits/999999/", **_auth(staff_user)), 404, "not_found")


def test_the_suggested_edit_endpoints_are_in_the_valid_openapi_schema(client, site_tree):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    for path, method, status in (
        (f"{API}/questions/{{question_id}}/suggested-edits/", "post", "201"),
        (f"{API}/answers/{{answer_id}}/suggested-edits/", "post", "201"),
        (f"{API}/suggested-edits/", "get", "200"),
        (f"{API}/suggested-edits/{{suggestion_id}}/", "get", "200"),
        (f"{API}/suggested-edits/{{suggestion_id}}/approve/", "post", "200"),
        (f"{API}/suggested-edits/{{suggestion_id}}/reject/", "post", "200"),
    ):
        responses = paths[path][method]["responses"]
        assert "$ref" in str(responses[status]["content"]), path
        assert {"401", "403", "404", "409", "422"} <= set(responses), path
