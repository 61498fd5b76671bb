"""The reviews API: list, filters, summary, write, helpful, report, staff reply, verified customers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.services import api_token_create
from reviews import services
from reviews.models import ModerationReason, ProductOwnership, Review, ReviewPhoto
from tests.factories.reviews import image_upload, write_review
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reviews"


def bearer(user) -> dict:
    _token, key = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["code"] == code
    return body


def test_list_sorts_filters_and_paginates_a_products_reviews(client, product):
    for rating in (5, 3, 1, 5):
        write_review(product, rating=rating)
    body = client.get(f"{BASE}/products/{product.slug}/?sort=lowest&page_size=2").json()
    assert body["count"] == 4 and body["pages"] == 2
    assert [r["rating"] for r in body["results"]] == [1, 3]
    five = client.get(f"{BASE}/products/{product.slug}/?stars=5").json()
    assert five["count"] == 2 and {r["rating"] for r in five["results"]} == {5}
    assert_error(
        client.get(f"{BASE}/products/{product.slug}/?page=9"), 404, "not_found"
    )
    assert_error(client.get(f"{BASE}/products/{product.slug}/?stars=6"), 422, "invalid")
    assert_error(client.get(f"{BASE}/products/no-such-product/"), 404, "not_found")


def test_summary_gives_average_stars_hidden_counts_and_reply_figures(
    client, product, staff_user
):
    reviews = [write_review(product, rating=r) for r in (5, 4, 1)]
    services.review_hide(review=reviews[1], by=staff_user, reason=ModerationReason.SPAM)
    services.review_reply(review=reviews[2], by=staff_user, body="Sorry.")
    body = client.get(f"{BASE}/products/{product.slug}/summary/").json()
    assert body["count"] == 2 and body["average"] == 3.0
    assert body["stars"] == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 1}
    assert body["hidden"] == 1 and body["hidden_by_reason"] == {"spam": 1}
    assert (body["negative_reviews"], body["negative_with_reply"]) == (1, 1)


def test_a_customer_writes_edits_and_deletes_a_review_with_a_token(
    client, product, customer
):
    auth = bearer(customer)
    response = client.post(
        f"{BASE}/products/{product.slug}/",
        {"rating": 4, "title": "Good", "body": "Solid."},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    review_id = response.json()["id"]
    assert (
        response.json()["status"] == "published"
        and response.json()["author_username"] == "ana"
    )
    edited = client.put(
        f"{BASE}/{review_id}/",
        {"rating": 5, "title": "Great", "body": "Even better."},
        content_type="application/json",
        **auth,
    )
    assert edited.json()["edited_at"] is not None and edited.json()["rating"] == 5
    assert client.delete(f"{BASE}/{review_id}/", **auth).status_code == 204
    assert not Review.objects.exists()


def test_writing_needs_a_token(client, product):
    response = client.post(
        f"{BASE}/products/{product.slug}/",
        {"rating": 4, "title": "x", "body": "y"},
        content_type="application/json",
    )
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize(
    "payload",
    [
        {"rating": 0, "title": "x", "body": "y"},
        {"rating": 6, "title": "x", "body": "y"},
        {"rating": 3, "title": "x", "body": "y" * 100_000},
        {"rating": 3, "title": "", "body": "y"},
        {"rating": "five", "title": "x", "body": "y"},
    ],
)
def test_bad_review_input_gets_422_with_the_shared_error_body_and_saves_nothing(
    client, product, customer, payload
):
    response = client.post(
        f"{BASE}/products/{product.slug}/",
        payload,
        content_type="application/json",
        **bearer(customer),
    )
    body = assert_error(response, 422, "invalid")
    assert body["details"]
    assert not Review.objects.exists()


def test_a_second_review_and_a_staff_review_are_refused(
    client, product, customer, staff_user
):
    write_review(product, customer)
    again = client.post(
        f"{BASE}/products/{product.slug}/",
        {"rating": 3, "title": "x", "body": "y"},
        content_type="application/json",
        **bearer(customer),
    )
    assert "already reviewed" in assert_error(again, 422, "invalid")["message"]
    staff = client.post(
        f"{BASE}/products/{product.slug}/",
        {"rating": 5, "title": "x", "body": "y"},
        content_type="application/json",
        **bearer(staff_user),
    )
    assert_error(staff, 403, "forbidden")


def test_photos_are_added_through_the_api_and_bad_ones_refused(
    client, product, customer
):
    review = write_review(product, customer)
    auth = bearer(customer)
    ok = client.post(f"{BASE}/{review.pk}/photos/", {"photo": image_upload()}, **auth)
    assert ok.status_code == 201 and len(ok.json()["photos"]) == 1
    svg = SimpleUploadedFile(
        "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"
    )
    bad = client.post(f"{BASE}/{review.pk}/photos/", {"photo": svg}, **auth)
    assert assert_error(bad, 422, "invalid")["details"][0]["field"] == "photo"
    other = client.post(
        f"{BASE}/{review.pk}/photos/",
        {"photo": image_upload()},
        **bearer(UserFactory()),
    )
    assert_error(other, 403, "forbidden")
    assert ReviewPhoto.objects.count() == 1


def test_helpful_votes_through_the_api_count_once(
    client, product, customer, other_customer
):
    review = write_review(product, customer)
    auth = bearer(other_customer)
    for _ in range(2):
        response = client.post(
            f"{BASE}/{review.pk}/helpful/",
            {"helpful": True},
            content_type="application/json",
            **auth,
        )
    assert response.json() == {"helpful_yes": 1, "helpful_total": 1, "mine": True}
    own = client.post(
        f"{BASE}/{review.pk}/helpful/",
        {"helpful": True},
        content_type="application/json",
        **bearer(customer),
    )
    assert_error(own, 403, "forbidden")


def test_staff_cannot_vote_helpful_through_the_api(
    client, product, customer, staff_user
):
    review = write_review(product, customer)
    response = client.post(
        f"{BASE}/{review.pk}/helpful/",
        {"helpful": True},
        content_type="application/json",
        **bearer(staff_user),
    )
    assert_error(response, 403, "forbidden")
    assert "Staff do not vote" in response.content.decode()
    review.refresh_from_db()
    assert review.helpful_total == 0


def test_reports_through_the_api(client, product, customer, other_customer):
    review = write_review(product, customer)
    auth = bearer(other_customer)
    ok = client.post(
        f"{BASE}/{review.pk}/report/",
        {"reason": "abuse"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201 and ok.json()["status"] == "open"
    bad = client.post(
        f"{BASE}/{review.pk}/report/",
        {"reason": "boring"},
        content_type="application/json",
        **bearer(UserFactory()),
    )
    assert_error(bad, 422, "invalid")


def test_staff_reply_through_the_api_and_customers_get_403(
    client, product, customer, staff_user
):
    from satisfaction.models import Interaction

    review = write_review(product, customer)
    response = client.put(
        f"{BASE}/{review.pk}/reply/",
        {"body": "We are sorry."},
        content_type="application/json",
        **bearer(staff_user),
    )
    assert response.status_code == 200 and response.json()["body"] == "We are sorry."
    assert (
        Interaction.objects.filter(
            source="reviews.review", source_ref=str(review.pk)
        ).count()
        == 1
    )
    forbidden = client.put(
        f"{BASE}/{review.pk}/reply/",
        {"body": "Hi"},
        content_type="application/json",
        **bearer(customer),
    )
    assert_error(forbidden, 403, "forbidden")


def test_a_hidden_review_is_404_to_others_through_the_api(
    client, product, customer, staff_user
):
    review = write_review(product, customer)
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.SPAM)
    assert_error(client.get(f"{BASE}/{review.pk}/"), 404, "not_found")
    assert (
        client.get(f"{BASE}/{review.pk}/", **bearer(customer)).json()["status"]
        == "hidden"
    )


def test_staff_or_an_order_system_put_products_on_accounts(
    client, product, customer, staff_user
):
    payload = {"product": product.slug, "customer": customer.email}
    response = client.post(
        f"{BASE}/ownerships/",
        payload,
        content_type="application/json",
        **bearer(staff_user),
    )
    assert response.status_code == 201 and response.json()["source"] == "api"
    client.post(
        f"{BASE}/ownerships/",
        payload,
        content_type="application/json",
        **bearer(staff_user),
    )
    assert ProductOwnership.objects.count() == 1
    review = write_review(product, customer)
    assert client.get(f"{BASE}/{review.pk}/").json()["verified_customer"] is True
    denied = client.post(
        f"{BASE}/ownerships/",
        payload,
        content_type="application/json",
        **bearer(customer),
    )
    assert_error(denied, 403, "forbidden")
    gone = client.delete(
        f"{BASE}/ownerships/{product.slug}/{customer.username}/", **bearer(staff_user)
    )
    assert gone.status_code == 204 and not ProductOwnership.objects.exists()
    unknown = client.post(
        f"{BASE}/ownerships/",
        {"product": product.slug, "customer": "nobody"},
        content_type="application/json",
        **bearer(staff_user),
    )
    assert_error(unknown, 404, "not_found")


def test_the_openapi_schema_documents_the_reviews_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert (
        "/api/v1/reviews/products/{slug}/" in paths
        and "/api/v1/reviews/{review_id}/reply/" in paths
    )
