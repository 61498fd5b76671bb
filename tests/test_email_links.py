"""Every link in every email answers 200 for the person it is sent to.

The emails are triggered through the services that send them (real database,
the immediate task backend, Django's locmem mail outbox); each absolute link of
the site is then opened with a client signed in as the recipient: staff for the
staff alerts, the customer for their own mail. A hand-written admin path (the
404s of issue 18) fails here.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from portal import services_customer
from reviews import services as review_services
from reviews.models import Review
from tests.factories.reviews import write_review
from tests.factories.satisfaction import answer, record
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver[^\s\"'<>)]*")


def links(message) -> list[str]:
    found = LINK.findall(message.body)
    assert found, f"no site link in the email {message.subject!r}"
    return found


def assert_links_answer(client, user, message):
    client.force_login(user)
    for url in links(message):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path)
        assert response.status_code == 200, (message.subject, url, response.status_code)


def _send(capture, fn, **kwargs):
    with capture(execute=True):
        return fn(**kwargs)


def test_the_trend_alert_links_answer_for_staff(
    client, product, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    ids = [
        write_review(product, UserFactory(), rating=r).pk
        for r in [5, 4, 5, 4, 5, 4, 5, 5, 4, 4, 5, 4]
    ]
    Review.objects.filter(pk__in=ids).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    for rating in [1, 2, 1, 3, 2, 1, 2, 1, 2, 1, 3]:
        write_review(product, UserFactory(), rating=rating)
    mailoutbox.clear()
    _send(
        django_capture_on_commit_callbacks,
        review_services.trend_check,
        product_id=product.pk,
    )
    (message,) = [m for m in mailoutbox if "Ratings are falling" in m.subject]
    assert any(
        "/admin/reviews/product-notes/new/?product=" in url for url in links(message)
    )
    assert_links_answer(client, staff_user, message)


def test_the_moderation_emails_links_answer_for_staff_and_the_author(
    client,
    product,
    customer,
    staff_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    review = write_review(product, customer, rating=1)
    capture = django_capture_on_commit_callbacks
    _send(
        capture,
        review_services.review_hide,
        review=review,
        by=staff_user,
        reason="abuse",
    )
    _send(
        capture, review_services.review_appeal, review=review, by=customer, note="Fair."
    )
    _send(capture, review_services.review_appeal_reject, review=review, by=staff_user)
    _send(capture, review_services.review_restore, review=review, by=staff_user)
    by_subject = {m.subject: m for m in mailoutbox}
    appealed = next(m for s, m in by_subject.items() if s.startswith("Appeal:"))
    assert any(
        f"/admin/reviews/all/moderate/{review.pk}/" in url for url in links(appealed)
    )
    assert_links_answer(client, staff_user, appealed)
    for subject, message in by_subject.items():
        if not subject.startswith("Appeal:"):
            assert_links_answer(client, customer, message)


def test_the_survey_and_no_alert_links_answer(
    client,
    product,
    customer,
    staff_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    interaction = _send(
        capture,
        record,
        customer=customer,
        customer_email=customer.email,
        product=product,
    )
    (invitation,) = mailoutbox
    assert_links_answer(client, customer, invitation)
    mailoutbox.clear()
    _send(capture, answer, interaction=interaction, satisfied=False)
    (alert,) = [m for m in mailoutbox if "not satisfied" in m.subject]
    assert_links_answer(client, staff_user, alert)


def test_the_data_export_links_answer_for_the_member(
    client, customer, mailoutbox, django_capture_on_commit_callbacks
):
    _send(
        django_capture_on_commit_callbacks,
        services_customer.data_export_request,
        user=customer,
    )
    (message,) = mailoutbox
    assert_links_answer(client, customer, message)
