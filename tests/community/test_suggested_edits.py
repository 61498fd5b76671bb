"""Suggested edits (issue 17): members below the edit privilege suggest, the author or
privileged members review; approval applies once, through the normal edit service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from community.models import ReputationEvent, SuggestedEdit
from community.suggested_edits import services
from portal.models import Profile
from tests.factories.community import make_answer, make_question
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_BODY = "How do I change the Wi-Fi channel on my router? It drops every evening."


def with_reputation(points):
    user = UserFactory()
    Profile.objects.filter(user=user).update(reputation=points)
    return type(user).objects.select_related("profile").get(pk=user.pk)


def suggest(question, by, **kwargs):
    return services.suggested_edit_submit(
        post=question, by=by, title=question.title, body=NEW_BODY, reason="Clearer", **kwargs
    )


def test_members_below_the_edit_privilege_suggest_and_privileged_members_edit_instead():
    question = make_question()
    assert services.can_suggest_edit(with_reputation(1), question)
    assert not services.can_suggest_edit(with_reputation(500), question)
    assert not services.can_suggest_edit(question.author, question)
    with pytest.raises(PermissionDenied):
        suggest(question, with_reputation(500))


def test_a_suggestion_needs_a_reason_and_a_change():
    question = make_question()
    member = with_reputation(1)
    with pytest.raises(ValidationError, match="what your edit improves"):
        services.suggested_edit_submit(post=question, by=member, title=question.title, body=NEW_BODY, reason=" ")
    with pytest.raises(ValidationError, match="changes nothing"):
        services.suggested_edit_submit(post=question, by=member, title=question.title, body=question.body, reason="x")
    assert not SuggestedEdit.objects.exists()


def test_one_pending_suggestion_per_post_per_member_held_by_the_database():
    question = make_question()
    member = with_reputation(1)
    first = suggest(question, member)
    with pytest.raises(ValidationError, match="already have a suggestion"):
        suggest(question, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        SuggestedEdit.objects.create(author=member, question=question, body="x" * 30, reason="again")
    services.suggested_edit_reject(suggestion=first, by=question.author)
    assert suggest(question, member).pk != first.pk


def test_approving_applies_the_edit_as_a_revision_by_the_suggester_and_gives_two_points():
    question = make_question()
    member = with_reputation(1)
    suggestion = suggest(question, member)
    services.suggested_edit_approve(suggestion=suggestion, by=question.author)
    question.refresh_from_db()
    assert question.body == NEW_BODY
    assert "evening" in question.body_html
    revision = question.revisions.order_by("-number").first()
    assert revision.editor_id == member.pk
    assert revision.note == "Suggested edit: Clearer"
    events = ReputationEvent.objects.filter(user=member, kind="edit_accepted")
    assert [e.points for e in events] == [2]
    member.profile.refresh_from_db()
    assert member.profile.reputation == 3
    with pytest.raises(ValidationError, match="already reviewed"):
        services.suggested_edit_approve(suggestion=suggestion, by=StaffFactory())
    assert events.count() == 1


def test_an_answer_suggestion_is_reviewed_by_privileged_members_and_staff_not_others():
    answer = make_answer(make_question())
    member = with_reputation(1)
    suggestion = services.suggested_edit_submit(
        post=answer, by=member, body="Restart it, then pick channel 36 in Settings > Wi-Fi.", reason="Path"
    )
    assert services.can_review_suggestion(answer.author, suggestion)
    assert services.can_review_suggestion(with_reputation(500), suggestion)
    assert services.can_review_suggestion(StaffFactory(), suggestion)
    assert not services.can_review_suggestion(with_reputation(499), suggestion)
    with pytest.raises(PermissionDenied):
        services.suggested_edit_approve(suggestion=suggestion, by=with_reputation(499))
    services.suggested_edit_approve(suggestion=suggestion, by=with_reputation(500))
    answer.refresh_from_db()
    assert "Settings > Wi-Fi" in answer.body


def test_a_member_cannot_review_their_own_suggestion_even_with_the_privilege():
    question = make_question()
    member = with_reputation(1)
    suggestion = suggest(question, member)
    Profile.objects.filter(user=member).update(reputation=600)
    member = type(member).objects.select_related("profile").get(pk=member.pk)
    with pytest.raises(PermissionDenied):
        services.suggested_edit_approve(suggestion=suggestion, by=member)
    with pytest.raises(PermissionDenied):
        services.suggested_edit_reject(suggestion=suggestion, by=member)


def test_rejecting_keeps_the_post_and_the_reason_and_gives_no_points():
    question = make_question()
    before = question.body
    suggestion = suggest(question, with_reputation(1))
    services.suggested_edit_reject(suggestion=suggestion, by=question.author, reason="Changes the meaning")
    suggestion.refresh_from_db()
    question.refresh_from_db()
    assert (suggestion.status, suggestion.review_reason) == ("rejected", "Changes the meaning")
    assert question.body == before
    assert not ReputationEvent.objects.filter(kind="edit_accepted").exists()


def test_a_suggestion_made_before_a_later_edit_is_not_applied_over_it():
    question = make_question()
    suggestion = suggest(question, with_reputation(1))
    from community import services as qa

    qa.question_edit(question=question, by=question.author, title=question.title, body="The author rewrote this body.")
    with pytest.raises(ValidationError, match="edited after"):
        services.suggested_edit_approve(suggestion=suggestion, by=question.author)
    question.refresh_from_db()
    assert question.body == "The author rewrote this body."


def test_the_published_points_table_lists_approved_suggested_edits(client, site_tree):
    html = client.get("/community/reputation/").content.decode()
    assert "<td>Suggested edit approved</td><td>+2</td>" in html
