"""Download my data finds every stored item; deleting an account anonymises it and
leaves the meter, the raw data, reputation totals and rating summaries exactly as they were."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from wagtail.models import APIToken

from community import services as community_services
from community.models import Answer, Question, Vote
from community.models_reputation import ReputationBalance, ReputationEvent
from portal import services_customer
from portal.models import DataExport, Profile
from reviews import services as review_services
from reviews.models import ProductRatingSummary, Review, ReviewPhoto, ReviewVote
from satisfaction import ledger
from satisfaction import selectors as sat_selectors
from satisfaction.models import DailyTally, Interaction, SurveyResponse
from tests.factories import satisfaction as sat
from tests.factories.reviews import write_review
from tests.factories.timeline import make_history
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(customer, staff_user, product, other_customer):
    h = make_history(customer=customer, staff=staff_user, product=product, photo=True)
    community_services.vote_cast(user=customer, answer=h["peer_answer"], value=1)
    community_services.comment_add(
        author=customer, answer=h["peer_answer"], body="Thanks, that helped a lot!"
    )
    review_services.review_vote(review=h["review"], voter=other_customer, helpful=True)
    return h


@pytest.fixture
def everything(history, customer, other_customer, staff_user, product):
    """One more of each thing a customer can leave behind."""
    theirs = write_review(product, other_customer, rating=5, title="Great router")
    review_services.review_vote(review=theirs, voter=customer, helpful=True)
    review_services.review_report(
        review=theirs, reporter=customer, reason="spam", note="Looks paid for"
    )
    review_services.ownership_add(product=product, customer=customer, by=staff_user)
    community_services.me_too_add(question=history["theirs"], user=customer)
    community_services.post_flag(
        user=customer, post=history["peer_answer"], reason="off_topic"
    )
    community_services.notification_preference_get(user=customer)
    APIToken.create_token(user=customer, name="my script")
    return history


def _export(client, capture):
    with capture(execute=True):
        response = client.post("/account/data/")
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.ready_at is not None  # the task ran (immediate backend)
    page = client.get("/account/data/")
    token = page.context["exports"][0]["token"]
    return export, token


def test_the_export_contains_every_stored_item(
    customer_client, customer, everything, django_capture_on_commit_callbacks
):
    history = everything
    export, token = _export(customer_client, django_capture_on_commit_callbacks)
    response = customer_client.get(f"/account/data/{token}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == customer.email
    assert data["profile"]["display_name"] == "Ana Souza"
    for needle in [
        "Why does my Router X lose Wi-Fi at night?",  # question
        "Channel 36 works best for me in a flat.",  # answer (and its revision)
        "Thanks, that helped a lot!",  # comment
        "Drops the connection every night",  # review
        "Sorry! Night mode is the cause.",  # the reply they received
        "Nobody called me back",  # private survey comment
        "Phone call about setup",  # interaction
        "Test Helper",  # badge
    ]:
        assert needle in text, needle
    assert (
        data["community_revisions"] and data["review_revisions"] == []
    )  # never edited
    assert data["community_votes"] == [
        {
            "question_id": None,
            "answer_id": history["peer_answer"].pk,
            "value": 1,
            "created_at": data["community_votes"][0]["created_at"],
        }
    ]
    for section in [
        "community_questions",
        "community_answers",
        "community_comments",
        "community_revisions",
        "community_votes",
        "community_me_too",
        "community_follows",
        "community_flags",
        "community_notifications",
        "community_notification_settings",
        "community_reputation_events",
        "community_badges",
        "reviews",
        "review_photos",
        "review_replies_received",
        "review_votes",
        "review_reports",
        "products_owned",
        "support_interactions",
        "api_tokens",
    ]:
        assert data[section], section
    assert "Looks paid for" in text
    assert data["review_photos"][0]["image_url"].startswith("/")
    assert {row["survey_answer"] for row in data["support_interactions"]} >= {
        "no",
        None,
    }
    assert data["community_reputation_events"]
    # The email announces it with a link; the readable page shows the same data.
    assert any("/account/data/" in m.body for m in mail.outbox)
    page = customer_client.get(f"/account/data/{token}/")
    assert page.status_code == 200 and b"Nobody called me back" in page.content


def test_the_export_link_is_for_its_owner_only_and_expires(
    client,
    customer,
    other_customer,
    history,
    settings,
    django_capture_on_commit_callbacks,
):
    client.force_login(customer)
    export, token = _export(client, django_capture_on_commit_callbacks)
    client.force_login(other_customer)
    assert client.get(f"/account/data/{token}/download/").status_code == 404
    client.logout()
    assert (
        client.get(f"/account/data/{token}/download/").status_code == 302
    )  # log in first
    client.force_login(customer)
    assert client.get(f"/account/data/{token}x/download/").status_code == 404
    settings.CANDOR_DATA_EXPORT_LINK_DAYS = 0
    assert client.get(f"/account/data/{token}/download/").status_code == 404


def _public_state(product):
    summary = ProductRatingSummary.objects.filter(product=product).values().first()
    return {
        "meter": {
            k: v
            for k, v in sat_selectors.meter_snapshot().items()
            if k != "generated_at"
        },
        "raw": list(sat_selectors.raw_answer_rows()),
        "tallies": list(DailyTally.objects.order_by("pk").values()),
        "summary": summary,
        "reputation": dict(Profile.objects.values_list("user_id", "reputation")),
        "balances": dict(ReputationBalance.objects.values_list("user_id", "points")),
        "events": ReputationEvent.objects.count(),
        "votes": list(Vote.objects.order_by("pk").values_list("pk", "value")),
        "scores": list(Answer.objects.order_by("pk").values_list("pk", "score")),
        "question_counts": list(
            Question.objects.order_by("pk").values_list("pk", "answer_count", "score")
        ),
        "review_votes": list(
            ReviewVote.objects.order_by("pk").values_list("pk", "helpful")
        ),
        "review_counts": list(
            Review.objects.order_by("pk").values_list(
                "pk", "rating", "helpful_yes", "status"
            )
        ),
        "responses": SurveyResponse.objects.count(),
        "interactions": Interaction.objects.count(),
    }


@pytest.mark.parametrize("remove_posts", [False, True])
def test_deletion_anonymises_and_changes_no_public_figure(
    client, customer, product, history, remove_posts
):
    ledger.chain_seal()
    chain_before = ledger.chain_entries()
    before = _public_state(product)
    client.force_login(customer)
    response = client.post(
        "/account/delete/",
        {
            "password": PASSWORD,
            "confirm": "on",
            **({"remove_posts": "on"} if remove_posts else {}),
        },
    )
    assert response.status_code == 302
    after = _public_state(product)
    assert after == before
    assert ledger.chain_entries() == chain_before
    # The reputation ledger still adds up to every total; rating summaries rebuild the same.
    from community.services_reputation import reputation_rebuild
    from reviews.services import rating_summary_rebuild

    assert reputation_rebuild(fix=False) == []
    assert rating_summary_rebuild(product_ids=[product.pk], apply=False) == []
    user = get_user_model().objects.get(pk=customer.pk)
    assert not user.is_active and user.email == "" and not user.has_usable_password()
    assert user.username.startswith("former-member-")
    profile = Profile.objects.get(user=user)
    assert (
        profile.display_name == services_customer.FORMER_MEMBER
        and profile.bio == ""
        and not profile.avatar
    )
    assert (
        not SurveyResponse.objects.exclude(comment="")
        .filter(interaction__pk=history["phone"].pk)
        .exists()
    )
    assert not Interaction.objects.filter(customer=user).exists()
    assert not Interaction.objects.filter(customer_email="ana@example.com").exists()
    # The answers stay, anonymous yes/no.
    assert SurveyResponse.objects.get(interaction=history["phone"]).satisfied is False
    question = Question.objects.get(pk=history["question"].pk)
    review = Review.objects.get(pk=history["review"].pk)
    if remove_posts:
        assert (
            "removed by its author" in question.title and "Wi-Fi" not in question.body
        )
        assert "removed by its author" in review.body_html
        assert not ReviewPhoto.objects.filter(review=review).exists()
    else:
        assert question.title == "Why does my Router X lose Wi-Fi at night?"
        assert review.title == "Drops the connection every night"
    # The old session is gone and the account cannot log in.
    assert client.get("/account/").status_code == 302
    assert not client.login(username="ana", password=PASSWORD)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200 and b"Ana Souza" not in page.content


def test_deletion_needs_the_password(customer_client, customer):
    response = customer_client.post(
        "/account/delete/", {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 400
    assert b"This is not your password." in response.content
    customer.refresh_from_db()
    assert customer.is_active
    assert customer_client.post("/account/delete/", {}).status_code == 400


def test_staff_cannot_delete_their_account_here(staff_client, staff_user):
    response = staff_client.post(
        "/account/delete/", {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 400
    staff_user.refresh_from_db()
    assert staff_user.is_active


def test_a_deleted_customers_survey_answers_still_count(customer, product):
    interaction = sat.record(customer=customer, product=product)
    sat.answer(interaction, satisfied=True, comment="great", by=customer)
    services_customer.account_delete(user=customer, password=PASSWORD)
    response = SurveyResponse.objects.get(interaction=interaction)
    assert (
        response.satisfied and response.comment == "" and response.answered_by is None
    )


def test_interactions_recorded_by_their_email_are_exported_and_anonymised(
    customer, product
):
    by_email = sat.record(
        customer_email=customer.email.upper(),
        product=product,
        summary="Emailed before signing up",
    )
    sat.answer(by_email, satisfied=False, comment="Slow reply")
    data = services_customer.data_export_payload(user=customer)
    assert any(
        r["summary"] == "Emailed before signing up"
        for r in data["support_interactions"]
    )
    services_customer.account_delete(user=customer, password=PASSWORD)
    by_email.refresh_from_db()
    assert by_email.customer_email == "" and by_email.response.comment == ""
    assert by_email.response.satisfied is False


def test_a_few_exports_a_day_then_429(customer_client, settings):
    settings.CANDOR_DATA_EXPORTS_PER_DAY = 2
    assert customer_client.post("/account/data/").status_code == 302
    assert customer_client.post("/account/data/").status_code == 302
    response = customer_client.post("/account/data/")
    assert response.status_code == 429 and response.has_header("Retry-After")
    assert DataExport.objects.count() == 2


def test_expired_copies_are_dropped_when_a_new_one_is_asked_for(customer):
    from datetime import timedelta

    from django.utils import timezone

    old = services_customer.data_export_request(user=customer)
    DataExport.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(days=30)
    )
    new = services_customer.data_export_request(user=customer)
    assert list(DataExport.objects.values_list("pk", flat=True)) == [new.pk]


def test_guessing_the_password_to_delete_is_limited_like_log_in(
    customer_client, customer, settings
):
    settings.CANDOR_RATE_LIMITS_ENABLED = True  # off in test settings
    for _ in range(10):
        response = customer_client.post(
            "/account/delete/", {"password": "guess", "confirm": "on"}
        )
        assert response.status_code == 400
    response = customer_client.post(
        "/account/delete/", {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 429
    customer.refresh_from_db()
    assert customer.is_active


def test_a_deleted_customers_open_no_follow_up_is_closed_as_customer_left(
    customer, product, staff_client
):
    """Issue 18: not left in the queue as "Customer —", and counted as closed."""
    from satisfaction.models import FollowUp, FollowUpStatus

    interaction = sat.record(customer=customer, product=product, summary="Router drops")
    sat.answer(interaction, satisfied=False, comment="Nobody called", by=customer)
    services_customer.account_delete(user=customer, password=PASSWORD)
    follow_up = FollowUp.objects.get(response__interaction=interaction)
    assert follow_up.status == FollowUpStatus.CUSTOMER_LEFT
    queue = staff_client.get("/admin/satisfaction/").content.decode()
    assert "Router drops" not in queue
    assert "Open (0)" in queue and "Closed: customer left (1)" in queue
    left = staff_client.get("/admin/satisfaction/?status=customer_left")
    assert "Router drops" in left.content.decode()


def test_the_readable_data_export_page_speaks_words_not_field_names(
    customer, customer_client, product, django_capture_on_commit_callbacks
):
    """Issue 18: headed parts, labelled columns and dates, no `product_id`."""
    write_review(product, customer, rating=4, title="Solid <b>router</b>")
    with django_capture_on_commit_callbacks(execute=True):
        export = services_customer.data_export_request(user=customer)
    token = services_customer.data_export_token(DataExport.objects.get(pk=export.pk))
    response = customer_client.get(f"/account/data/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="data-part-' in html and ">Reviews</h2>" in html
    assert "Product number" in html and '<th scope="col">Rating</th>' in html
    assert "Solid &lt;b&gt;router&lt;/b&gt;" in html  # escaped, never trusted
    for raw in ["product_id", "__", "created_at", "helpful_yes"]:
        assert raw not in html.split("<main", 1)[-1], raw


def test_the_readable_export_says_codes_in_words_for_a_full_history(
    customer, customer_client, product, staff_user, django_capture_on_commit_callbacks
):
    """Issue 18: no internal codes (review_staff_reply, new_answer) on the page either."""
    import re

    from tests.factories.timeline import make_history

    make_history(customer=customer, staff=staff_user, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        export = services_customer.data_export_request(user=customer)
    token = services_customer.data_export_token(DataExport.objects.get(pk=export.pk))
    html = customer_client.get(f"/account/data/{token}/").content.decode()
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []
    assert "Review staff reply" in text and "New answer" in text
    assert ">API tokens</h2>" in main
