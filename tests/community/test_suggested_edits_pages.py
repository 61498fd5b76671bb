"""Suggested-edit pages (issue 17): the edit page offers a suggestion to members who
may not edit, the review queue shows who may review what with a word diff, approve
and reject go through the services, and both sides are told."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Notification, ReputationEvent, SuggestedEdit
from community.suggested_edits import services
from community.suggested_edits.diff import words_diff
from portal.models import Profile
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/community/review/suggested-edits/"
NEW_BODY = "How do I change the Wi-Fi channel on my router? It drops every evening at eight."


def with_reputation(points):
    user = UserFactory()
    Profile.objects.filter(user=user).update(reputation=points)
    return type(user).objects.select_related("profile").get(pk=user.pk)


def suggest(post, by, **kwargs):
    fields = {"title": post.title} if hasattr(post, "title") else {}
    return services.suggested_edit_submit(
        post=post, by=by, body=kwargs.pop("body", NEW_BODY), reason="Says when it drops", **fields, **kwargs
    )


def test_the_edit_page_offers_a_prefilled_suggest_form_to_a_low_reputation_member(client, site_tree):
    question = make_question(tags=("wifi", "setup"))
    client.force_login(with_reputation(1))
    response = client.get(reverse("community:question_edit", args=[question.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Suggest an edit to the question" in html
    assert "reviewed by the author or a member with 500 reputation" in html
    assert "What does your edit improve?" in html
    assert f'value="{question.title}"' in html
    assert question.body in html
    assert "setup, wifi" in html or "wifi, setup" in html
    answer = make_answer(question)
    response = client.get(reverse("community:answer_edit", args=[answer.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Suggest an edit to the answer" in html
    assert answer.body in html


def test_submitting_creates_a_pending_suggestion_and_leaves_the_post_alone(client, site_tree):
    question = make_question(tags=("wifi",))
    member = with_reputation(1)
    client.force_login(member)
    url = reverse("community:question_edit", args=[question.pk])
    response = client.post(
        url, {"title": question.title, "body": NEW_BODY, "tags": "wifi, evening", "reason": "Says when it drops"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == question.get_absolute_url()
    assert "Thanks: your suggested edit waits for review." in response.content.decode()
    suggestion = SuggestedEdit.objects.get()
    assert (suggestion.author, suggestion.question, suggestion.status) == (member, question, "pending")
    assert suggestion.body == NEW_BODY and suggestion.tags == "evening, wifi"
    question.refresh_from_db()
    assert question.body != NEW_BODY
    answer = make_answer(question)
    response = client.post(
        reverse("community:answer_edit", args=[answer.pk]),
        {"body": "Restart it, then pick channel 36 in the app settings, and save.", "reason": "Adds the last step"},
    )
    assert response.status_code == 302
    assert SuggestedEdit.objects.filter(answer=answer, status="pending").count() == 1


def test_an_empty_reason_re_renders_the_form_with_the_error_and_creates_nothing(client, site_tree):
    question = make_question()
    client.force_login(with_reputation(1))
    url = reverse("community:question_edit", args=[question.pk])
    response = client.post(url, {"title": question.title, "body": NEW_BODY, "tags": "wifi", "reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say in a few words what your edit improves." in html
    assert NEW_BODY in html  # what they typed is kept
    response = client.post(url, {"title": question.title, "body": question.body, "tags": "wifi", "reason": "x"})
    assert response.status_code == 400
    assert "Your suggestion changes nothing." in response.content.decode()
    assert not SuggestedEdit.objects.exists()


def test_the_question_page_labels_the_link_suggest_an_edit_for_members_who_may_not_edit(client, site_tree):
    question = make_question()
    make_answer(question)
    client.force_login(with_reputation(1))
    html = client.get(question.get_absolute_url()).content.decode()
    assert html.count("Suggest an edit") == 2  # the question and the answer
    assert ">Edit<" not in html
    client.force_login(question.author)
    html = client.get(question.get_absolute_url()).content.decode()
    assert html.count("Suggest an edit") == 1  # the answer is someone else's
    assert ">Edit<" in html


def test_the_queue_shows_the_author_and_privileged_members_their_suggestions_and_nobody_else(client, site_tree):
    author = with_reputation(1)
    question = make_question(author, title="Why does my router drop Wi-Fi at night?")
    suggester = with_reputation(1)
    suggest(question, suggester)
    for viewer, sees in [
        (author, True),
        (with_reputation(500), True),  # the edit_others privilege
        (with_reputation(1), False),
        (suggester, False),  # their own: listed under "Your suggestions", not to review
    ]:
        client.force_login(viewer)
        html = client.get(QUEUE).content.decode()
        assert ("Approve" in html) is sees, viewer
        assert ("Why does my router drop Wi-Fi at night?" in html) is (sees or viewer == suggester)
    client.force_login(suggester)
    html = client.get(QUEUE).content.decode()
    assert "Your suggestions" in html and "Waiting for review" in html


def test_the_queue_shows_a_word_diff_with_ins_and_del_and_escapes_user_text(client, site_tree):
    question = make_question(body="The router drops Wi-Fi every night after ten.")
    suggest(question, with_reputation(1), body="The router drops <b>Wi-Fi</b> every evening after ten.")
    client.force_login(question.author)
    html = client.get(QUEUE).content.decode()
    assert '<del><span class="visually-hidden">removed: </span>night</del>' in html
    assert '<ins><span class="visually-hidden">added: </span>&lt;b&gt;Wi-Fi&lt;/b&gt;</ins>' in html
    assert "<b>Wi-Fi</b>" not in html
    assert words_diff("a b", "a b") == "a b"


def test_approving_from_the_queue_applies_the_edit_and_gives_two_points(client, site_tree):
    question = make_question()
    suggester = with_reputation(1)
    suggestion = suggest(question, suggester)
    client.force_login(question.author)
    response = client.post(reverse("community:suggested_edit_approve", args=[suggestion.pk]), follow=True)
    assert "Approved" in response.content.decode()
    question.refresh_from_db()
    assert question.body == NEW_BODY
    assert [e.points for e in ReputationEvent.objects.filter(user=suggester, kind="edit_accepted")] == [2]
    # Twice is refused with the reason, and nothing changes.
    response = client.post(reverse("community:suggested_edit_approve", args=[suggestion.pk]))
    assert response.status_code == 400
    assert "already reviewed" in response.content.decode()
    assert ReputationEvent.objects.filter(user=suggester, kind="edit_accepted").count() == 1


def test_rejecting_leaves_the_post_unchanged_and_the_suggester_reads_why(client, site_tree, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    question = make_question()
    before = question.body
    suggester = with_reputation(1)
    suggestion = suggest(question, suggester)
    client.force_login(question.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:suggested_edit_reject", args=[suggestion.pk]), {"reason": "It changes the meaning"}
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body == before
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_reason) == ("rejected", "It changes the meaning")
    (message,) = [m for m in mailoutbox if m.to == [suggester.email]]
    assert "rejected" in message.subject
    assert "Reason: It changes the meaning" in message.body
    client.force_login(suggester)
    html = client.get(QUEUE).content.decode()
    assert "Rejected" in html and "It changes the meaning" in html


def test_refusals_change_nothing(client, site_tree):
    question = make_question()
    suggestion = suggest(question, with_reputation(1))
    bystander = with_reputation(1)
    client.force_login(bystander)  # may not even see it
    assert client.post(reverse("community:suggested_edit_approve", args=[suggestion.pk])).status_code == 404
    client.force_login(suggestion.author)  # may see it, never review it
    response = client.post(reverse("community:suggested_edit_approve", args=[suggestion.pk]))
    assert response.status_code == 403
    assert "Only the post&#x27;s author" in response.content.decode()
    # The post was edited since the suggestion: approving is refused.
    from community import services as community_services

    community_services.question_edit(
        question=question, by=question.author, title=question.title, body=question.body + " Edited."
    )
    client.force_login(question.author)
    response = client.post(reverse("community:suggested_edit_approve", args=[suggestion.pk]))
    assert response.status_code == 400
    assert "edited after this suggestion" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    question.refresh_from_db()
    assert question.body.endswith("Edited.")


def test_both_sides_are_notified(site_tree):
    question = make_question()
    answer = make_answer(question)
    suggester = with_reputation(1)
    first = suggest(question, suggester)
    on_answer = suggest(answer, suggester, body="Restart it, then pick channel 36 in the app settings, then save.")
    assert Notification.objects.filter(
        recipient=question.author, kind=Notification.Kind.SUGGESTED_EDIT, answer__isnull=True
    ).exists()
    assert Notification.objects.filter(recipient=answer.author, kind=Notification.Kind.SUGGESTED_EDIT, answer=answer).exists()
    services.suggested_edit_approve(suggestion=first, by=question.author)
    services.suggested_edit_reject(suggestion=on_answer, by=answer.author, reason="Not needed")
    kinds = set(Notification.objects.filter(recipient=suggester).values_list("kind", flat=True))
    assert kinds == {Notification.Kind.SUGGESTED_EDIT_APPROVED, Notification.Kind.SUGGESTED_EDIT_REJECTED}
    suggested = Notification.objects.get(recipient=question.author, kind=Notification.Kind.SUGGESTED_EDIT)
    # Straight to the suggestion, where the author reviews it.
    assert suggested.get_absolute_url() == reverse("community:suggested_edit_detail", args=[first.pk])


def test_the_queue_is_linked_with_its_count_from_notifications_and_the_account(client, site_tree):
    question = make_question()
    suggest(question, with_reputation(1))
    client.force_login(question.author)
    for url in ("/community/notifications/", "/account/"):
        html = client.get(url).content.decode()
        assert f'href="{QUEUE}"' in html, url
        assert "1 waiting" in html, url


def _grow(n, reviewer):
    for _i in range(n):
        question = make_question(reviewer)
        suggest(question, with_reputation(1))


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_the_queue_query_budget_does_not_grow_with_the_suggestions(client, site_tree):
    reviewer = with_reputation(1)
    client.force_login(reviewer)
    _grow(5, reviewer)
    small = _count(client, QUEUE)
    _grow(45, reviewer)
    assert _count(client, QUEUE) == small
    assert small <= 14, small


def test_the_inbox_links_a_rejection_to_its_suggestion_and_shows_the_reason(client, site_tree):
    question = make_question()
    suggester = with_reputation(1)
    suggestion = suggest(question, suggester)
    services.suggested_edit_reject(suggestion=suggestion, by=question.author, reason="It changes the meaning")
    (notice,) = Notification.objects.filter(recipient=suggester, kind="edit_rejected")
    assert notice.suggested_edit_id == suggestion.pk
    assert notice.get_absolute_url() == reverse("community:suggested_edit_detail", args=[suggestion.pk])
    client.force_login(suggester)
    html = client.get(reverse("community:notifications")).content.decode()
    assert '<p class="notification-reason">Reason: It changes the meaning</p>' in html
    # The author was told of the suggestion with a link straight to it.
    (told,) = Notification.objects.filter(recipient=question.author, kind="edit_suggested")
    assert told.get_absolute_url() == reverse("community:suggested_edit_detail", args=[suggestion.pk])


def test_a_member_with_a_suggestion_waiting_is_shown_it_not_a_second_form(client, site_tree):
    question = make_question()
    member = with_reputation(1)
    suggestion = suggest(question, member)
    client.force_login(member)
    url = reverse("community:question_edit", args=[question.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your suggestion waits for review" in html
    assert reverse("community:suggested_edit_detail", args=[suggestion.pk]) in html
    assert 'name="reason"' not in html
    # Posting anyway changes nothing and says why.
    response = client.post(url, {"title": question.title, "body": NEW_BODY + " More.", "reason": "Again"})
    assert response.status_code == 409
    assert SuggestedEdit.objects.filter(author=member).count() == 1
    # Once reviewed, the form is back.
    services.suggested_edit_reject(suggestion=suggestion, by=question.author)
    assert 'name="reason"' in client.get(url).content.decode()


def test_an_answer_suggestion_is_not_approved_once_its_question_is_hidden(client, site_tree):
    from django.core.exceptions import ValidationError

    question = make_question()
    answer = make_answer(question)
    suggestion = suggest(answer, with_reputation(1))
    question.is_hidden = True
    question.save(update_fields=["is_hidden"])
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="hidden by moderators"):
        services.suggested_edit_approve(suggestion=suggestion, by=staff)
    answer.refresh_from_db()
    assert answer.body != NEW_BODY
    suggestion.refresh_from_db()
    assert suggestion.is_pending
    # No new suggestion on an answer whose question is hidden.
    assert not services.can_suggest_edit(with_reputation(1), answer)
