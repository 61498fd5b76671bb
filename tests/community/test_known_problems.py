"""Known-problem status (issue 17): the one service rule — staff only, a history of
changes, and everyone who said "me too" or follows the question is told, in-site
and by email or digest as each chose."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services
from community.known_problems.services import known_problem_set_status
from community.models import (
    KnownProblem,
    KnownProblemChange,
    Notification,
    NotificationPreference,
)
from tests.factories.community import make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_only_staff_set_a_status_and_nothing_changes_otherwise(customer, other_customer):
    question = make_question(customer)
    for user in (customer, other_customer):
        with pytest.raises(PermissionDenied):
            known_problem_set_status(user, question, "investigating", "", "")
    assert not KnownProblem.objects.exists()
    assert not KnownProblemChange.objects.exists()


def test_a_bad_status_or_a_lone_surrogate_is_refused(customer, staff_user):
    question = make_question(customer)
    with pytest.raises(ValidationError) as bad:
        known_problem_set_status(staff_user, question, "solved", "", "")
    assert "status" in bad.value.message_dict
    with pytest.raises(ValidationError) as bad:
        known_problem_set_status(staff_user, question, "fixed", "ok \ud800", "")
    assert "note" in bad.value.message_dict
    assert not KnownProblem.objects.exists()


def test_each_change_joins_the_history(customer, staff_user):
    question = make_question(customer)
    known_problem_set_status(staff_user, question, "investigating", "Looking at logs.", "")
    known_problem_set_status(staff_user, question, "planned", "Fix in next release.", "")
    problem = known_problem_set_status(
        staff_user, question, "fixed", "  Update the  firmware. ", "2.4.1"
    )
    problem.refresh_from_db()
    assert (problem.status, problem.note, problem.fixed_in) == (
        "fixed",
        "Update the firmware.",
        "2.4.1",
    )
    history = list(
        problem.changes.values_list("status", "note", "fixed_in", "author")
    )
    assert history == [
        ("fixed", "Update the firmware.", "2.4.1", staff_user.pk),
        ("planned", "Fix in next release.", "", staff_user.pk),
        ("investigating", "Looking at logs.", "", staff_user.pk),
    ]
    assert KnownProblem.objects.count() == 1


def test_me_too_members_followers_and_asker_are_told_by_their_preference(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    each, daily, silent, follower, stranger = (UserFactory() for _ in range(5))
    for member in (each, daily, silent):
        services.me_too_add(question=question, user=member)
    services.follow_set(user=follower, following=True, question=question)
    services.notification_preference_set(
        user=daily, email_mode=NotificationPreference.EmailMode.DAILY
    )
    services.notification_preference_set(
        user=silent, email_mode=NotificationPreference.EmailMode.NONE
    )
    Notification.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known_problem_set_status(staff_user, question, "fixed", "Update now.", "2.4.1")
    told = set(
        Notification.objects.filter(kind=Notification.Kind.KNOWN_PROBLEM).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {customer.pk, each.pk, daily.pk, silent.pk, follower.pk}
    assert stranger.pk not in told and staff_user.pk not in told
    emailed = {address for m in mailoutbox for address in m.to}
    assert emailed == {customer.email, each.email, follower.email}
    (mail,) = [m for m in mailoutbox if m.to == [each.email]]
    assert mail.subject.startswith("Status update on a problem you share: ")
    assert "to Fixed" in mail.body
    assert "Fixed in: 2.4.1" in mail.body
    assert "Update now." in mail.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_digests_send()
    digests = [m for m in mailoutbox if daily.email in m.to]
    assert len(digests) == 1
    assert "Known-problem status changed: " + question.title in digests[0].body
    assert not [m for m in mailoutbox if silent.email in m.to]
