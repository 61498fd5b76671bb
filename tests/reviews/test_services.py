"""Every review rule, tested at the service and database level."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reviews import selectors, services
from reviews.models import (
    ModerationEvent,
    ModerationReason,
    ProductRatingSummary,
    Review,
    ReviewAppeal,
    ReviewPhoto,
    ReviewReport,
    ReviewRevision,
    ReviewVote,
)
from reviews.stats import wilson_lower_bound
from tests.factories.reviews import processed_photo, write_review
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def summary_equals_recount(product) -> bool:
    return services.rating_summary_rebuild(product_ids=[product.pk], apply=False) == []


def summary_of(product) -> ProductRatingSummary:
    return ProductRatingSummary.objects.get(product=product)


# --- writing ------------------------------------------------------------------------


def test_a_review_is_published_at_once_and_counted_in_the_summary(product, customer):
    review = write_review(product, customer, rating=2, body="It *broke*.")
    assert review.status == Review.Status.PUBLISHED
    assert review.body_html.strip() == "<p>It <em>broke</em>.</p>"
    summary = summary_of(product)
    assert (summary.review_count, summary.rating_sum, summary.stars_2) == (1, 2, 1)
    assert summary_equals_recount(product)


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_every_rating_is_published_at_once_there_is_no_pending_state(product, rating):
    review = write_review(product, rating=rating)
    assert review.status == Review.Status.PUBLISHED
    assert set(Review.Status.values) == {"published", "hidden"}


def test_a_customer_can_review_a_product_only_once(product, customer):
    write_review(product, customer)
    with pytest.raises(ValidationError, match="already reviewed"):
        write_review(product, customer)
    assert Review.objects.filter(product=product, author=customer).count() == 1


def test_the_database_itself_refuses_a_second_review_by_the_same_customer(
    product, customer
):
    first = write_review(product, customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            product=product,
            author=customer,
            rating=5,
            title="Again",
            body="x",
            body_html="x",
        )
    assert Review.objects.filter(author=customer).get() == first


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_ratings_outside_1_to_5_are_refused_and_nothing_is_saved(
    product, customer, rating
):
    with pytest.raises(ValidationError) as error:
        write_review(product, customer, rating=rating)
    assert "rating" in error.value.message_dict
    assert not Review.objects.exists()
    assert not ProductRatingSummary.objects.exists()


def test_the_database_refuses_a_rating_outside_1_to_5(product, customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            product=product,
            author=customer,
            rating=6,
            title="x",
            body="x",
            body_html="x",
        )


def test_text_of_100000_characters_is_refused_with_a_clear_message(product, customer):
    with pytest.raises(ValidationError) as error:
        write_review(product, customer, body="a" * 100_000)
    assert "at most 10000 characters" in " ".join(error.value.message_dict["body"])
    assert not Review.objects.exists()


def test_staff_cannot_review_products(product, staff_user):
    with pytest.raises(PermissionDenied):
        write_review(product, staff_user)
    assert not Review.objects.exists()


def test_a_review_needs_a_title_and_text(product, customer):
    with pytest.raises(ValidationError) as error:
        write_review(product, customer, title="   ", body="")
    assert {"title", "body"} <= set(error.value.message_dict)


def test_a_review_can_carry_up_to_five_photos_and_the_database_refuses_a_sixth(
    product, customer
):
    review = write_review(
        product, customer, photos=[processed_photo() for _ in range(5)]
    )
    assert review.photos.count() == 5
    with pytest.raises(ValidationError, match="at most 5 photos"):
        services.review_edit(
            review=review,
            by=customer,
            rating=4,
            title=review.title,
            body=review.body,
            add_photos=[processed_photo()],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewPhoto.objects.create(
            review=review,
            position=5,
            image="x.jpg",
            thumbnail="y.jpg",
            width=1,
            height=1,
        )
    with pytest.raises(ValidationError):
        write_review(product, photos=[processed_photo() for _ in range(6)])


# --- editing and deleting -----------------------------------------------------------


def test_editing_keeps_the_earlier_version_and_marks_the_review_edited(
    product, customer
):
    review = write_review(
        product, customer, rating=2, title="Broken", body="Stopped after a week."
    )
    services.review_edit(
        review=review,
        by=customer,
        rating=4,
        title="Fixed by support",
        body="They replaced it.",
    )
    review.refresh_from_db()
    assert review.edited_at is not None
    assert (review.rating, review.title) == (4, "Fixed by support")
    version = ReviewRevision.objects.get(review=review)
    assert (version.rating, version.title, version.body) == (
        2,
        "Broken",
        "Stopped after a week.",
    )
    summary = summary_of(product)
    assert (summary.stars_2, summary.stars_4, summary.rating_sum) == (0, 1, 4)
    assert summary_equals_recount(product)


def test_saving_an_unchanged_review_records_no_new_version(product, customer):
    review = write_review(product, customer)
    services.review_edit(
        review=review,
        by=customer,
        rating=review.rating,
        title=review.title,
        body=review.body,
    )
    assert not ReviewRevision.objects.exists()
    review.refresh_from_db()
    assert review.edited_at is None


def test_only_the_author_can_edit_or_delete_a_review(product, customer, other_customer):
    review = write_review(product, customer)
    with pytest.raises(PermissionDenied):
        services.review_edit(
            review=review, by=other_customer, rating=1, title="Hacked", body="x"
        )
    with pytest.raises(PermissionDenied):
        services.review_delete(review=review, by=other_customer)
    review.refresh_from_db()
    assert review.title != "Hacked"


def test_deleting_a_review_removes_it_its_photos_and_its_count(
    product, customer, django_capture_on_commit_callbacks
):
    review = write_review(product, customer, rating=5, photos=[processed_photo()])
    storage = ReviewPhoto._meta.get_field("image").storage
    names = [review.photos.get().image.name, review.photos.get().thumbnail.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_delete(review=review, by=customer)
    assert not Review.objects.exists()
    assert not any(storage.exists(name) for name in names)
    assert summary_of(product).review_count == 0
    assert summary_equals_recount(product)


def test_removing_a_photo_while_editing_frees_its_place(
    product, customer, django_capture_on_commit_callbacks
):
    review = write_review(
        product, customer, photos=[processed_photo(), processed_photo()]
    )
    first = review.photos.get(position=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_edit(
            review=review,
            by=customer,
            rating=4,
            title=review.title,
            body=review.body,
            remove_photo_ids=[first.pk],
            add_photos=[processed_photo()],
        )
    assert sorted(review.photos.values_list("position", flat=True)) == [0, 1]
    assert not ReviewPhoto._meta.get_field("image").storage.exists(first.image.name)


# --- helpful votes and reports -------------------------------------------------------


def test_a_helpful_vote_counts_once_per_person_and_can_be_changed(
    product, customer, other_customer
):
    review = write_review(product, customer)
    services.review_vote(review=review, voter=other_customer, helpful=True)
    services.review_vote(review=review, voter=other_customer, helpful=True)
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (1, 0)
    services.review_vote(review=review, voter=other_customer, helpful=False)
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (0, 1)
    assert ReviewVote.objects.filter(review=review).count() == 1


def test_the_database_refuses_a_second_vote_by_the_same_person(
    product, customer, other_customer
):
    review = write_review(product, customer)
    services.review_vote(review=review, voter=other_customer, helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewVote.objects.create(review=review, voter=other_customer, helpful=False)


def test_nobody_can_vote_on_their_own_review(product, customer):
    review = write_review(product, customer)
    with pytest.raises(PermissionDenied, match="own review"):
        services.review_vote(review=review, voter=customer, helpful=True)
    assert not ReviewVote.objects.exists()


def test_staff_do_not_vote_so_the_company_cannot_steer_the_order(
    product, customer, staff_user
):
    review = write_review(product, customer)
    with pytest.raises(PermissionDenied, match="Staff do not vote"):
        services.review_vote(review=review, voter=staff_user, helpful=True)
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (0, 0)
    assert not ReviewVote.objects.exists()


def test_helpful_score_is_the_wilson_lower_bound_of_the_votes(product, customer):
    review = write_review(product, customer)
    voters = UserFactory.create_batch(4)
    for voter, helpful in zip(voters, [True, True, True, False], strict=True):
        services.review_vote(review=review, voter=voter, helpful=helpful)
    review.refresh_from_db()
    assert review.helpful_score == pytest.approx(wilson_lower_bound(3, 4))


def test_most_helpful_sorts_by_confidence_not_by_raw_share(product):
    one_of_one = write_review(product, title="One of one")
    forty_of_fifty = write_review(product, title="Forty of fifty")
    Review.objects.filter(pk=one_of_one.pk).update(
        helpful_yes=1, helpful_score=wilson_lower_bound(1, 1)
    )
    Review.objects.filter(pk=forty_of_fifty.pk).update(
        helpful_yes=40, helpful_no=10, helpful_score=wilson_lower_bound(40, 50)
    )
    ordered = list(selectors.review_list_for_product(product=product, sort="helpful"))
    assert ordered[0] == forty_of_fifty


def test_a_review_can_be_reported_once_per_person_but_not_by_its_author(
    product, customer, other_customer
):
    review = write_review(product, customer)
    services.review_report(
        review=review, reporter=other_customer, reason=ModerationReason.SPAM, note="Ads"
    )
    with pytest.raises(ValidationError, match="already reported"):
        services.review_report(
            review=review, reporter=other_customer, reason=ModerationReason.ABUSE
        )
    with pytest.raises(PermissionDenied):
        services.review_report(
            review=review, reporter=customer, reason=ModerationReason.SPAM
        )
    with pytest.raises(ValidationError):
        services.review_report(
            review=review, reporter=UserFactory(), reason="i-dislike-it"
        )
    assert ReviewReport.objects.count() == 1


# --- staff replies and the satisfaction link ---------------------------------------------


def test_a_staff_reply_records_one_support_interaction_and_asks_the_satisfaction_question(
    product, customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    from satisfaction.models import Interaction

    review = write_review(product, customer, rating=2, title="Battery drains")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.review_reply(
            review=review, by=staff_user, body="Sorry! A fix ships **soon**."
        )
    assert reply.body_html.strip() == "<p>Sorry! A fix ships <strong>soon</strong>.</p>"
    interaction = Interaction.objects.get(
        source="reviews.review", source_ref=str(review.pk)
    )
    assert interaction.channel == "review_staff_reply"
    assert interaction.customer == customer and interaction.product_id == product.pk
    assert interaction.handled_by == staff_user
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert "Are you satisfied with the response you got?" in mailoutbox[0].body


def test_editing_the_reply_changes_it_and_records_nothing_new(
    product, customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    from satisfaction.models import Interaction

    review = write_review(product, customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reply(review=review, by=staff_user, body="First.")
        reply = services.review_reply(
            review=review, by=staff_user, body="Second, better."
        )
    assert reply.edited_at is not None and reply.body == "Second, better."
    assert Interaction.objects.filter(source="reviews.review").count() == 1
    assert len(mailoutbox) == 1


def test_customers_cannot_reply_as_the_company(product, customer, other_customer):
    review = write_review(product, customer)
    with pytest.raises(PermissionDenied):
        services.review_reply(
            review=review, by=other_customer, body="I am staff, honest."
        )


def test_the_contacted_support_label_says_whether_the_customer_was_satisfied(
    product, customer, staff_user
):
    from satisfaction.models import Interaction
    from satisfaction.services import survey_answer

    review = write_review(product, customer)
    assert (
        selectors.review_contact_labels(
            product_id=product.pk, customer_ids=[customer.pk]
        )
        == {}
    )
    services.review_reply(review=review, by=staff_user, body="Here to help.")
    labels = selectors.review_contact_labels(
        product_id=product.pk, customer_ids=[customer.pk]
    )
    assert labels == {customer.pk: {"contacted": True, "satisfied": None}}
    interaction = Interaction.objects.get(source="reviews.review")
    survey_answer(
        invitation=interaction.invitation, satisfied=True, show_on_reviews=True
    )
    labels = selectors.review_contact_labels(
        product_id=product.pk, customer_ids=[customer.pk]
    )
    assert labels[customer.pk]["satisfied"] is True


def test_reply_response_time_feeds_the_public_share_and_median(product, staff_user):
    negative = [write_review(product, rating=1) for _ in range(3)]
    write_review(product, rating=5)
    for review, hours in zip(negative[:2], [2, 6], strict=True):
        Review.objects.filter(pk=review.pk).update(
            created_at=review.created_at - timedelta(hours=hours)
        )
        services.review_reply(review=review, by=staff_user, body="Sorry.")
    stats = selectors.review_response_stats(product=product)
    assert (stats.negative, stats.replied) == (3, 2)
    assert stats.share == pytest.approx(2 / 3)
    assert stats.median_seconds == pytest.approx(4 * 3600, abs=60)


# --- moderation ------------------------------------------------------------------------


def test_hiding_keeps_the_row_takes_it_out_of_the_summary_and_tells_the_author(
    product, customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    review = write_review(product, customer, rating=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_hide(
            review=review,
            by=staff_user,
            reason=ModerationReason.PERSONAL_DATA,
            note="It shows a phone number.",
        )
    review.refresh_from_db()
    assert (
        review.status == Review.Status.HIDDEN
        and review.hidden_reason == "personal_data"
    )
    assert Review.objects.filter(pk=review.pk).exists()
    assert summary_of(product).review_count == 0
    assert summary_equals_recount(product)
    assert mailoutbox[0].to == [customer.email]
    assert (
        "Contains personal data" in mailoutbox[0].body
        and "appeal" in mailoutbox[0].body
    )
    assert ModerationEvent.objects.get(review=review).action == "hidden"


def test_a_hidden_review_can_be_restored(product, customer, staff_user):
    review = write_review(product, customer, rating=3)
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.SPAM)
    services.review_restore(review=review, by=staff_user, note="Our mistake.")
    review.refresh_from_db()
    assert review.is_published and review.hidden_reason == ""
    assert summary_of(product).stars_3 == 1
    assert summary_equals_recount(product)


def test_hiding_needs_a_reason_code_from_the_list(product, customer, staff_user):
    review = write_review(product, customer, rating=1)
    for reason in ["", "low_rating", "negative"]:
        with pytest.raises(ValidationError):
            services.review_hide(review=review, by=staff_user, reason=reason)
    review.refresh_from_db()
    assert review.is_published


def test_the_database_refuses_a_hidden_review_without_a_reason(product, customer):
    review = write_review(product, customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(status="hidden", hidden_reason="")


def test_the_rating_never_changes_the_moderation_outcome(product, staff_user):
    """Same reason, every rating: the same outcome (no suppression of low ratings)."""
    outcomes = set()
    for rating in range(1, 6):
        review = write_review(product, rating=rating)
        services.review_hide(
            review=review, by=staff_user, reason=ModerationReason.OFF_TOPIC
        )
        review.refresh_from_db()
        outcomes.add((review.status, review.hidden_reason))
        services.review_restore(review=review, by=staff_user)
        review.refresh_from_db()
        outcomes.add((review.status, review.hidden_reason))
    assert outcomes == {("hidden", "off_topic"), ("published", "")}
    assert summary_equals_recount(product)


def test_customers_cannot_moderate(product, customer, other_customer):
    review = write_review(product, customer)
    with pytest.raises(PermissionDenied):
        services.review_hide(
            review=review, by=other_customer, reason=ModerationReason.SPAM
        )


def test_hiding_upholds_open_reports_and_dismissing_closes_them(
    product, customer, staff_user
):
    first, second = write_review(product, customer), write_review(product)
    services.review_report(
        review=first, reporter=UserFactory(), reason=ModerationReason.SPAM
    )
    services.review_report(
        review=second, reporter=UserFactory(), reason=ModerationReason.ABUSE
    )
    services.review_hide(review=first, by=staff_user, reason=ModerationReason.SPAM)
    assert services.review_reports_dismiss(review=second, by=staff_user) == 1
    assert list(
        ReviewReport.objects.order_by("review_id").values_list("status", flat=True)
    ) == ["upheld", "dismissed"]


def test_the_author_can_appeal_once_with_a_note(
    product, customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    review = write_review(product, customer)
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.ABUSE)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.review_appeal(
            review=review, by=customer, note="I only described the product."
        )
    assert appeal.status == ReviewAppeal.Status.PENDING
    assert any(staff_user.email in m.to for m in mailoutbox)
    with pytest.raises(ValidationError, match="already appealed"):
        services.review_appeal(review=review, by=customer, note="Please!")
    assert ReviewAppeal.objects.count() == 1


def test_only_the_author_can_appeal_and_only_a_hidden_review(
    product, customer, other_customer, staff_user
):
    review = write_review(product, customer)
    with pytest.raises(ValidationError):
        services.review_appeal(review=review, by=customer, note="Why?")
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.SPAM)
    with pytest.raises(PermissionDenied):
        services.review_appeal(review=review, by=other_customer, note="Free them")
    with pytest.raises(ValidationError):
        services.review_appeal(review=review, by=customer, note="   ")


def test_restoring_upholds_the_appeal_and_rejecting_keeps_it_hidden(
    product, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    upheld, rejected = write_review(product), write_review(product)
    for review in (upheld, rejected):
        services.review_hide(
            review=review, by=staff_user, reason=ModerationReason.OFF_TOPIC
        )
        services.review_appeal(review=review, by=review.author, note="It is on topic.")
    services.review_restore(review=upheld, by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_appeal_reject(
            review=rejected, by=staff_user, note="It is about delivery."
        )
    assert ReviewAppeal.objects.get(review=upheld).status == "upheld"
    assert ReviewAppeal.objects.get(review=rejected).status == "rejected"
    rejected.refresh_from_db()
    assert not rejected.is_published
    assert "It is about delivery." in mailoutbox[-1].body
    with pytest.raises(ValidationError):
        services.review_appeal_reject(review=rejected, by=staff_user)


def test_hidden_counts_by_reason_are_public_figures(product, staff_user):
    reviews = [write_review(product) for _ in range(3)]
    services.review_hide(review=reviews[0], by=staff_user, reason=ModerationReason.SPAM)
    services.review_hide(review=reviews[1], by=staff_user, reason=ModerationReason.SPAM)
    services.review_hide(
        review=reviews[2], by=staff_user, reason=ModerationReason.PERSONAL_DATA
    )
    hidden = selectors.review_hidden_counts(product=product)
    assert hidden.total == 3
    assert hidden.by_reason == [
        ("Spam or advertising", 2),
        ("Contains personal data", 1),
    ]


# --- the summary and its rebuild -----------------------------------------------------------


def test_the_summary_always_equals_a_recount_through_a_mixed_history(
    product, staff_user
):
    reviews = [write_review(product, rating=r) for r in (1, 2, 3, 4, 5, 5, 4)]
    services.review_edit(
        review=reviews[0],
        by=reviews[0].author,
        rating=5,
        title="Better",
        body="Now fine.",
    )
    services.review_hide(review=reviews[1], by=staff_user, reason=ModerationReason.SPAM)
    services.review_delete(review=reviews[2], by=reviews[2].author)
    services.review_hide(
        review=reviews[3], by=staff_user, reason=ModerationReason.ABUSE
    )
    services.review_restore(review=reviews[3], by=staff_user)
    services.review_edit(
        review=reviews[1], by=reviews[1].author, rating=1, title="Hidden edit", body="x"
    )
    assert summary_equals_recount(product)
    summary = summary_of(product)
    assert (summary.review_count, summary.rating_sum) == (5, 5 + 4 + 5 + 5 + 4)


def test_the_rebuild_reports_and_fixes_a_drifted_summary(product):
    write_review(product, rating=4)
    ProductRatingSummary.objects.filter(product=product).update(
        review_count=3, stars_4=3, rating_sum=12
    )
    differences = services.rating_summary_rebuild(product_ids=[product.pk])
    assert differences == [
        {
            "product_id": product.pk,
            "fields": {
                "stars_4": (3, 1),
                "review_count": (3, 1),
                "rating_sum": (12, 4),
            },
        }
    ]
    assert summary_equals_recount(product)


def test_the_database_refuses_a_summary_whose_count_disagrees_with_its_stars(product):
    write_review(product, rating=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductRatingSummary.objects.filter(product=product).update(review_count=2)


# --- verified customers and notes ------------------------------------------------------


def test_a_product_on_the_account_makes_the_review_verified(
    product, customer, staff_user
):
    review = write_review(product, customer)
    assert (
        not selectors.review_list_for_product(product=product)
        .get(pk=review.pk)
        .is_verified
    )
    services.ownership_add(product=product, customer=customer, by=staff_user)
    services.ownership_add(
        product=product, customer=customer, by=staff_user
    )  # idempotent
    assert (
        selectors.review_list_for_product(product=product).get(pk=review.pk).is_verified
    )
    assert services.ownership_remove(product=product, customer=customer, by=staff_user)
    assert (
        not selectors.review_list_for_product(product=product)
        .get(pk=review.pk)
        .is_verified
    )


def test_customers_cannot_verify_themselves(product, customer):
    with pytest.raises(PermissionDenied):
        services.ownership_add(product=product, customer=customer, by=customer)


def test_staff_post_a_public_dated_note_rendered_from_markdown(
    product, staff_user, customer
):
    note = services.product_note_post(
        product=product, by=staff_user, body="We know about the **battery**."
    )
    assert (
        note.body_html.strip() == "<p>We know about the <strong>battery</strong>.</p>"
    )
    assert list(selectors.product_note_list_recent(product=product)) == [note]
    with pytest.raises(PermissionDenied):
        services.product_note_post(product=product, by=customer, body="Official!")
