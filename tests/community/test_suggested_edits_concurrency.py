"""Approving one suggested edit twice at the same moment applies it once (issue 17)."""

import pytest

from community.models import ReputationEvent, SuggestedEdit
from community.suggested_edits import services
from tests.concurrency import errors_of, race
from tests.factories.community import make_question
from tests.factories.users import StaffFactory, UserFactory

NEW_BODY = "How do I change the Wi-Fi channel on my router? It drops every evening."


@pytest.mark.django_db(transaction=True)
def test_approving_twice_at_once_applies_the_edit_and_the_points_once():
    question = make_question()
    member = UserFactory()
    suggestion = services.suggested_edit_submit(
        post=question, by=member, title=question.title, body=NEW_BODY, reason="Clearer"
    )
    reviewers = [question.author, StaffFactory()]
    outcomes = race(
        [lambda r=r: services.suggested_edit_approve(suggestion=SuggestedEdit.objects.get(pk=suggestion.pk), by=r)
         for r in reviewers]
    )
    assert len(errors_of(outcomes)) == 1
    assert ReputationEvent.objects.filter(user=member, kind="edit_accepted").count() == 1
    assert question.revisions.count() == 2
