"""Staff marking an official answer tells the asker (email and notification, or the
digest), and a digest of one update says "1 update" (issue 17)."""

import pytest

from community import services
from community.models import Notification, NotificationPreference
from tests.factories.community import make_answer, make_question

pytestmark = pytest.mark.django_db


def test_marking_an_official_answer_tells_the_asker(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    answer = make_answer(question, staff_user, body="Update to firmware 2.1.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_mark_official(answer=answer, by=staff_user)
    told = Notification.objects.get(
        recipient=customer, kind=Notification.Kind.OFFICIAL_ANSWER
    )
    assert (told.actor, told.answer) == (staff_user, answer)
    emails = [m for m in mailoutbox if m.to == [customer.email]]
    assert len(emails) == 1
    assert emails[0].subject.startswith("Official answer from staff: ")
    assert "marked an official answer" in emails[0].body
    assert "Update to firmware 2.1." in emails[0].body
    assert not Notification.objects.filter(recipient=staff_user).exists()
    # Marking it again changes nothing and tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_mark_official(answer=answer, by=staff_user)
    assert (
        Notification.objects.filter(
            recipient=customer, kind=Notification.Kind.OFFICIAL_ANSWER
        ).count()
        == 1
    )


def test_a_digest_member_gets_it_in_a_digest_of_one_update(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_preference_set(
        user=customer, email_mode=NotificationPreference.EmailMode.DAILY
    )
    question = make_question(customer)
    answer = make_answer(question, staff_user)
    Notification.objects.all().delete()  # the new answer's notice
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_mark_official(answer=answer, by=staff_user)
    assert [m for m in mailoutbox if customer.email in m.to] == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notification_digests_send() == 1
    (digest,) = [m for m in mailoutbox if customer.email in m.to]
    assert digest.subject.endswith(": 1 update")
    assert "Official answer from staff: " + question.title in digest.body
