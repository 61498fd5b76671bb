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
        response = client.get(path, follow=True)  # /answers/<id>/ -> its question
        assert response.status_code == 200, (message.subject, url, response.status_code)
        landed = response.redirect_chain[-1][0] if response.redirect_chain else path
        assert "/login/" not in landed, (message.subject, url, landed)


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


def test_the_contact_emails_links_answer_for_the_customer_visitor_and_staff(
    client, customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    from satisfaction.contact import availability
    from satisfaction.contact import services as contact_services
    from satisfaction.contact.models import ContactChannel
    from tests.factories.contact import open_every_day, submit

    capture = django_capture_on_commit_callbacks
    open_every_day()
    contact = _send(capture, submit, customer=customer)
    _send(
        capture,
        contact_services.contact_reply,
        contact=contact,
        by=staff_user,
        body="Try channel 6.",
    )
    _send(
        capture,
        contact_services.contact_customer_reply,
        contact=contact,
        body="Still drops.",
    )
    call = _send(capture, submit, customer=customer, channel=ContactChannel.CALLBACK)
    later = next(
        slot.starts_at
        for slot in availability.slots_open()
        if slot.starts_at != call.slot.starts_at
    )
    _send(
        capture,
        contact_services.contact_callback_move,
        contact=call,
        by=staff_user,
        slot_start=later,
        reason="Our line is down.",
    )
    staff_emails = [m for m in mailoutbox if m.to == [staff_user.email]]
    customer_emails = [m for m in mailoutbox if m.to == [customer.email]]
    assert staff_emails and len(customer_emails) >= 3
    for message in staff_emails:
        assert_links_answer(client, staff_user, message)
    for message in customer_emails:
        assert_links_answer(client, customer, message)
    mailoutbox.clear()
    _send(capture, submit, email="visitor@example.com")
    (confirm,) = [m for m in mailoutbox if m.to == ["visitor@example.com"]]
    visitor = Client()
    for url in links(confirm):
        parts = urlsplit(url)
        response = visitor.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, (confirm.subject, url)


def test_the_community_notification_emails_links_answer(
    client,
    customer,
    other_customer,
    site_tree,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from tests.factories.community import make_answer, make_question

    capture = django_capture_on_commit_callbacks
    question = _send(
        capture,
        make_question,
        author=customer,
        title="Why does Router X drop Wi-Fi at night?",
    )
    _send(capture, make_answer, question=question, author=other_customer)
    mine = [m for m in mailoutbox if m.to == [customer.email]]
    assert [m.subject for m in mine] == [f"New answer: {question.title}"]
    for message in mine:
        assert_links_answer(client, customer, message)


def test_the_suggested_edit_emails_links_answer(
    client, customer, other_customer, site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    """The author's "edit suggested" email opens the review queue; the suggester's
    approved and rejected emails open the post and the queue (issue 17)."""
    from community.suggested_edits import services as suggested_edits
    from tests.factories.community import make_question

    capture = django_capture_on_commit_callbacks
    question = _send(capture, make_question, author=customer)
    mailoutbox.clear()
    for i, outcome in enumerate(("approve", "reject")):
        suggestion = _send(
            capture,
            suggested_edits.suggested_edit_submit,
            post=question,
            by=other_customer,
            title=question.title,
            body=question.body + f" It drops at {i + 8} pm.",
            reason="Says when",
        )
        if outcome == "approve":
            _send(capture, suggested_edits.suggested_edit_approve, suggestion=suggestion, by=customer)
            question.refresh_from_db()
        else:
            _send(capture, suggested_edits.suggested_edit_reject, suggestion=suggestion, by=customer, reason="No")
    to_author = [m for m in mailoutbox if m.to == [customer.email]]
    to_suggester = [m for m in mailoutbox if m.to == [other_customer.email]]
    assert len(to_author) == 2 and len(to_suggester) == 2
    assert any("/community/review/suggested-edits/" in url for url in links(to_author[0]))
    for message in to_author:
        assert_links_answer(client, customer, message)
    for message in to_suggester:
        assert_links_answer(client, other_customer, message)
