"""Known problems in the API (issue 17, API coverage): the list as on the site,
a question's status with its history, 422 naming the field, JSON 404s, in the
OpenAPI schema and in a query count that does not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.known_problems.models import KnownProblem
from community.known_problems.services import known_problem_set_status
from community.models import Question
from portal.site_url import absolute_url
from tests.factories.community import make_question
from tests.factories.portal import make_product

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    return error


def _problem(staff, author, title, *, product=None, me_too=0, history=(("investigating", "", ""),)):
    question = make_question(author, title=title, product=product)
    Question.objects.filter(pk=question.pk).update(me_too_count=me_too)
    for status, note, fixed_in in history:
        known_problem_set_status(staff, question, status, note, fixed_in)
    return question


@pytest.fixture
def problems(site_tree, product, customer, staff_user):
    thermostat = make_product(site_tree["products"], "Thermostat T1")
    made = {
        "fixed": _problem(
            staff_user, customer, "Router X reboots when the microwave runs",
            product=product, me_too=1233,
            history=[
                ("investigating", "Reading the logs.", ""),
                ("planned", "Fix in the next firmware.", ""),
                ("fixed", "Update from the app.", "firmware 2.4.1"),
            ],
        ),
        "planned": _problem(
            staff_user, customer, "Router X app forgets the admin password",
            product=product, me_too=40, history=[("planned", "Spring update.", "")],
        ),
        "other": _problem(
            staff_user, customer, "Thermostat T1 reads two degrees high",
            product=thermostat, me_too=7,
        ),
        "hidden": _problem(
            staff_user, customer, "Spam about cheap routers everywhere now",
            product=product, me_too=5000,
        ),
        "none": make_question(customer, title="Router X has no problem here at all"),
    }
    Question.objects.filter(pk=made["hidden"].pk).update(is_hidden=True)
    return made


def test_the_list_has_the_documented_shape_most_affected_first(
    client, problems, product, staff_user
):
    body = client.get(f"{API}/known-problems/").json()
    assert body["count"] == 3 and body["page"] == 1 and body["pages"] == 1
    assert [row["title"] for row in body["results"]] == [
        "Router X reboots when the microwave runs",
        "Router X app forgets the admin password",
        "Thermostat T1 reads two degrees high",
    ]
    first = body["results"][0]
    question = problems["fixed"]
    changed_at = first.pop("changed_at")
    assert first == {
        "question_id": question.pk,
        "title": "Router X reboots when the microwave runs",
        "url": absolute_url(question.get_absolute_url()),
        "product": {"id": product.pk, "title": "Router X"},
        "status": "fixed",
        "status_label": "Fixed",
        "note": "Update from the app.",
        "fixed_in": "firmware 2.4.1",
        "customers_affected": 1234,
    }
    assert first["url"].startswith("http") and "/community/questions/" in first["url"]
    assert changed_at.startswith(str(question.known_problem.changed_at.date()))


def test_sort_filters_and_pagination(client, problems, product):
    KnownProblem.objects.filter(question=problems["fixed"]).update(
        changed_at=timezone.now() - timedelta(days=9)
    )
    recent = client.get(f"{API}/known-problems/?sort=recent").json()["results"]
    assert recent[-1]["question_id"] == problems["fixed"].pk
    for value in (product.slug, str(product.pk)):
        rows = client.get(f"{API}/known-problems/?product={value}").json()["results"]
        assert [r["question_id"] for r in rows] == [
            problems["fixed"].pk,
            problems["planned"].pk,
        ]
    rows = client.get(f"{API}/known-problems/?status=planned").json()["results"]
    assert [r["question_id"] for r in rows] == [problems["planned"].pk]
    page = client.get(f"{API}/known-problems/?page_size=2&page=2").json()
    assert (page["count"], page["pages"], len(page["results"])) == (3, 2, 1)
    _error(client.get(f"{API}/known-problems/?page=3&page_size=2"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=worst", "sort"),
        ("status=solved", "status"),
        ("product=no-such-product", "product"),
        ("product=99999999999999", "product"),
        ("page=0", "page"),
        ("page_size=abc", "page_size"),
    ],
)
def test_a_bad_value_is_a_422_naming_the_field(client, problems, query, field):
    error = _error(client.get(f"{API}/known-problems/?{query}"), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


def test_a_question_status_with_its_history(client, problems, staff_user):
    question = problems["fixed"]
    body = client.get(f"{API}/questions/{question.pk}/known-problem/").json()
    assert body["status"] == "fixed" and body["customers_affected"] == 1234
    history = [
        {k: v for k, v in change.items() if k != "created_at"} for change in body["history"]
    ]
    name = staff_user.profile.display_name or staff_user.username
    assert history == [
        {"status": "fixed", "status_label": "Fixed", "note": "Update from the app.",
         "fixed_in": "firmware 2.4.1", "author": name},
        {"status": "planned", "status_label": "Planned", "note": "Fix in the next firmware.",
         "fixed_in": "", "author": name},
        {"status": "investigating", "status_label": "Investigating",
         "note": "Reading the logs.", "fixed_in": "", "author": name},
    ]
    assert all(change["created_at"] for change in body["history"])


def test_no_status_a_hidden_or_a_missing_question_is_a_json_404(client, problems):
    for question_id in (problems["none"].pk, problems["hidden"].pk, 999999):
        _error(
            client.get(f"{API}/questions/{question_id}/known-problem/"), 404, "not_found"
        )


def test_query_counts_do_not_grow_with_the_list_or_the_history(
    client, problems, product, staff_user, customer
):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    list_url = f"{API}/known-problems/?product={product.slug}"
    detail_url = f"{API}/questions/{problems['fixed'].pk}/known-problem/"
    before = (count(list_url), count(detail_url))
    assert before[0] <= 4 and before[1] <= 3, before
    for i in range(12):
        _problem(staff_user, customer, f"Router X problem number {i} in the list", product=product)
        known_problem_set_status(staff_user, problems["fixed"], "planned", f"Note {i}.", "")
    assert (count(list_url), count(detail_url)) == before


def test_both_endpoints_are_in_the_valid_openapi_schema(client, site_tree):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    listing = paths[f"{API}/known-problems/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "sort", "product", "status", "page", "page_size"
    }
    assert {"200", "404", "422"} <= set(listing["responses"])
    detail = paths[f"{API}/questions/{{question_id}}/known-problem/"]["get"]
    assert {"200", "404"} <= set(detail["responses"])
