"""Concurrent writers leave exact counts: threads with their own database connections.

On PostgreSQL 50 customers review and vote at once; on SQLite (one writer at a
time, IMMEDIATE transactions) the same tests run with fewer threads.
"""

import pytest
from django.db import connection
from django.db.utils import OperationalError

from reviews import services
from reviews.models import ProductRatingSummary, Review, ReviewVote
from tests.concurrency import errors_of, race
from tests.factories.reviews import write_review
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50 if connection.vendor == "postgresql" else 12


def run_at_once(calls):
    """(what the calls returned, what they raised), in the order the calls were given."""
    outcomes = race(calls)
    errors = errors_of(outcomes)
    return [o for o in outcomes if not isinstance(o, BaseException)], errors


def test_many_customers_review_one_product_at_once_and_the_summary_is_exact(product):
    authors = UserFactory.create_batch(THREADS)
    ratings = [(i % 5) + 1 for i in range(THREADS)]
    calls = [
        (
            lambda a=author, r=rating: services.review_submit(
                product=product, author=a, rating=r, title="Hi", body="Yes"
            )
        )
        for author, rating in zip(authors, ratings, strict=True)
    ]
    results, errors = run_at_once(calls)
    assert errors == []
    assert Review.objects.filter(product=product).count() == THREADS
    summary = ProductRatingSummary.objects.get(product=product)
    assert summary.review_count == THREADS and summary.rating_sum == sum(ratings)
    assert services.rating_summary_rebuild(product_ids=[product.pk], apply=False) == []


def test_many_people_mark_one_review_helpful_at_once_and_the_count_is_exact(product):
    review = write_review(product)
    voters = UserFactory.create_batch(THREADS)
    results, errors = run_at_once(
        [
            (lambda v=voter: services.review_vote(review=review, voter=v, helpful=True))
            for voter in voters
        ]
    )
    assert errors == []
    review.refresh_from_db()
    assert (
        review.helpful_yes
        == THREADS
        == ReviewVote.objects.filter(review=review).count()
    )


def test_one_customer_sending_ten_reviews_at_once_gets_exactly_one(product, customer):
    from django.core.exceptions import ValidationError

    results, errors = run_at_once(
        [
            (
                lambda: services.review_submit(
                    product=product, author=customer, rating=3, title="Dup", body="x"
                )
            )
        ]
        * 10
    )
    assert len(results) == 1
    assert all(isinstance(error, ValidationError) for error in errors), errors
    assert Review.objects.filter(author=customer).count() == 1
    assert ProductRatingSummary.objects.get(product=product).review_count == 1


def test_one_person_voting_twenty_times_at_once_counts_once(product, other_customer):
    review = write_review(product)
    results, errors = run_at_once(
        [
            (
                lambda h=(i % 2 == 0): services.review_vote(
                    review=review, voter=other_customer, helpful=h
                )
            )
            for i in range(20)
        ]
    )
    assert not [e for e in errors if isinstance(e, OperationalError)], errors
    review.refresh_from_db()
    assert ReviewVote.objects.filter(review=review).count() == 1
    assert review.helpful_yes + review.helpful_no == 1
    vote = ReviewVote.objects.get(review=review)
    assert (review.helpful_yes == 1) == vote.helpful
