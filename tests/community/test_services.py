"""Every community rule, tested at the service level (the one place it is enforced)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import selectors, services, signals
from community.models import (
    Answer,
    AskAttempt,
    Comment,
    Flag,
    Follow,
    MeToo,
    ModerationDecision,
    Notification,
    NotificationPreference,
    PostRevision,
    Question,
    Vote,
)
from satisfaction.models import Channel, Interaction
from tests.factories.community import make_answer, make_question
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- asking


def test_asking_saves_the_question_its_first_revision_and_follows_it(customer, product):
    question = services.question_ask(
        author=customer,
        title="  How do I   set up a guest network?  ",
        body="I want visitors to use Wi-Fi without seeing my devices.",
        tags=["WiFi", " guest  access ", "wifi"],
        product=product,
    )
    assert question.title == "How do I set up a guest network?"
    assert question.slug == "how-do-i-set-up-a-guest-network"
    assert sorted(question.tags.names()) == ["guest access", "wifi"]
    assert question.status == Question.Status.OPEN
    assert question.body_html.startswith("<p>I want visitors")
    assert PostRevision.objects.filter(question=question, number=1).exists()
    assert Follow.objects.filter(user=customer, question=question).exists()


def test_markdown_with_html_and_script_is_stored_as_source_and_rendered_safe(customer):
    body = "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> **bold**"
    question = make_question(customer, body=body)
    assert question.body == body
    assert "<script" not in question.body_html
    assert 'href="javascript' not in question.body_html
    assert "<img" not in question.body_html
    assert "<strong>bold</strong>" in question.body_html


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("body", {"body": ""}),
        ("body", {"body": "   \n  "}),
        ("body", {"body": "x" * 50_000}),
        ("body", {"body": "-----\n\n*****\n\n_____\n\n-----"}),
        ("title", {"title": ""}),
        ("title", {"title": "Why?"}),
        ("title", {"title": "t" * 201}),
        ("tags", {"tags": [f"tag{n}" for n in range(40)]}),
        ("tags", {"tags": ["t" * 200]}),
        ("tags", {"tags": ["<script>"]}),
    ],
)
def test_bad_question_input_is_refused_and_nothing_is_saved(customer, field, kwargs):
    data = {
        "title": "How do I reset my router safely?",
        "body": "It keeps dropping the connection.",
        "tags": ["wifi"],
    }
    data.update(kwargs)
    with pytest.raises(ValidationError) as error:
        services.question_ask(author=customer, **data)
    assert field in error.value.message_dict
    assert Question.objects.count() == 0
    assert PostRevision.objects.count() == 0


def test_anonymous_visitors_and_suspended_members_cannot_ask(customer):
    with pytest.raises(PermissionDenied):
        make_question(AnonymousUser())
    customer.is_active = False
    with pytest.raises(PermissionDenied):
        make_question(customer)
    assert Question.objects.count() == 0


def test_asking_past_suggestions_is_counted_as_posted_anyway(customer):
    question = make_question(customer, questions_suggested=3, articles_suggested=1)
    attempt = AskAttempt.objects.get()
    assert attempt.outcome == AskAttempt.Outcome.POSTED
    assert attempt.question == question
    assert (attempt.questions_suggested, attempt.articles_suggested) == (3, 1)


def test_deflection_share_counts_both_choices(customer):
    services.ask_deflection_record(
        user=customer, title="Router keeps dropping", questions_suggested=2
    )
    services.ask_deflection_record(
        user=customer, title="Router keeps dropping again", articles_suggested=1
    )
    make_question(customer, questions_suggested=2)
    summary = selectors.deflection_summary()
    assert (summary["deflected"], summary["posted"], summary["total"]) == (2, 1, 3)
    assert summary["share"] == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- answering


def test_one_answer_per_person_per_question(customer, other_customer):
    question = make_question(customer)
    make_answer(question, other_customer)
    with pytest.raises(ValidationError, match="edit your answer"):
        make_answer(question, other_customer, body="A second try at answering this.")
    question.refresh_from_db()
    assert question.answer_count == 1
    assert Answer.objects.count() == 1


def test_the_database_refuses_a_second_answer_even_past_the_service(
    customer, other_customer
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            question=question, author=other_customer, body=answer.body, body_html=""
        )


def test_answering_moves_the_question_to_answered_and_notes_the_first_answer_time(
    customer, other_customer
):
    question = make_question(customer)
    make_answer(question, customer, body="Answering my own question with what I found.")
    question.refresh_from_db()
    assert (
        question.first_answered_at is None
    )  # the asker's own answer is not help received
    make_answer(question, other_customer)
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answer_count == 2
    assert question.first_answered_at is not None


def test_closed_questions_take_no_answers_comments_me_toos_or_acceptance(
    customer, other_customer, staff_user
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.question_close(question=question, by=staff_user, reason="off_topic")
    third = UserFactory()
    with pytest.raises(ValidationError, match="closed"):
        make_answer(question, third)
    with pytest.raises(ValidationError, match="closed"):
        services.comment_add(author=third, question=question, body="Any news on this?")
    with pytest.raises(ValidationError, match="closed"):
        services.me_too_add(question=question, user=third)
    with pytest.raises(ValidationError, match="closed"):
        services.answer_accept(answer=answer, by=customer)
    question.refresh_from_db()
    assert (
        question.answer_count,
        question.me_too_count,
        question.accepted_answer_id,
    ) == (1, 0, None)
    assert Comment.objects.count() == 0


def test_staff_answers_are_marked_and_record_a_support_interaction_for_the_asker(
    customer, staff_user, product
):
    question = make_question(customer, product=product)
    answer = make_answer(question, staff_user)
    assert answer.is_staff_answer is True
    interaction = Interaction.objects.get(
        source="community.answer", source_ref=str(answer.pk)
    )
    assert interaction.channel == Channel.COMMUNITY_STAFF_ANSWER
    assert (interaction.customer, interaction.handled_by, interaction.product) == (
        customer,
        staff_user,
        product,
    )


def test_a_customer_answer_records_no_interaction_until_accepted(
    customer, other_customer
):
    question = make_question(customer)
    make_answer(question, other_customer)
    assert Interaction.objects.count() == 0


def test_staff_answering_their_own_question_surveys_nobody(staff_user):
    question = make_question(staff_user)
    make_answer(question, staff_user)
    assert Interaction.objects.count() == 0


def test_the_survey_invitation_is_emailed_after_commit(
    customer, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    question = make_question(customer)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, staff_user)
    assert any(customer.email in message.to for message in mailoutbox)


# --------------------------------------------------------------------------- accepting


def test_the_asker_accepts_and_the_question_is_solved(
    customer, other_customer, product
):
    question = make_question(customer, product=product)
    answer = make_answer(question, other_customer)
    services.answer_accept(answer=answer, by=customer)
    question.refresh_from_db()
    assert question.status == Question.Status.SOLVED
    assert question.accepted_answer == answer
    interaction = Interaction.objects.get(source_ref=str(answer.pk))
    assert interaction.channel == Channel.COMMUNITY_ACCEPTED_ANSWER
    assert (interaction.customer, interaction.handled_by, interaction.product) == (
        customer,
        None,
        product,
    )


def test_only_the_asker_or_staff_can_accept(customer, other_customer):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, by=stranger)
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, by=other_customer)
    question.refresh_from_db()
    assert question.accepted_answer_id is None
    assert question.status == Question.Status.ANSWERED
    assert Interaction.objects.count() == 0


def test_staff_accepting_for_the_asker_tells_the_asker(
    customer, other_customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, by=staff_user)
    told = Notification.objects.get(
        recipient=customer, kind=Notification.Kind.ACCEPTED_FOR_YOU
    )
    assert told.actor == staff_user
    assert any(
        "Staff accepted an answer to your question" in m.subject
        and m.to == [customer.email]
        for m in mailoutbox
    )


def test_an_accepted_staff_answer_surveys_the_asker_once(customer, staff_user):
    question = make_question(customer)
    answer = make_answer(question, staff_user)
    services.answer_accept(answer=answer, by=customer)
    interactions = Interaction.objects.filter(
        source="community.answer", source_ref=str(answer.pk)
    )
    assert interactions.count() == 1
    assert interactions.get().channel == Channel.COMMUNITY_STAFF_ANSWER


def test_accepting_your_own_answer_surveys_nobody(customer):
    question = make_question(customer)
    answer = make_answer(question, customer, body="I fixed it by replacing the cable.")
    services.answer_accept(answer=answer, by=customer)
    question.refresh_from_db()
    assert question.status == Question.Status.SOLVED
    assert Interaction.objects.count() == 0


def test_accepting_another_answer_moves_the_acceptance_and_unaccepting_reverts(
    customer, other_customer
):
    question = make_question(customer)
    first = make_answer(question, other_customer)
    second = make_answer(question, UserFactory())
    services.answer_accept(answer=first, by=customer)
    services.answer_accept(answer=second, by=customer)
    question.refresh_from_db()
    assert question.accepted_answer == second
    assert Interaction.objects.count() == 2
    services.answer_unaccept(question=question, by=customer)
    question.refresh_from_db()
    assert (question.accepted_answer, question.status) == (
        None,
        Question.Status.ANSWERED,
    )


def test_accept_sends_the_signal_reputation_will_listen_to(customer, other_customer):
    received = []
    question = make_question(customer)
    answer = make_answer(question, other_customer)

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.answer_accepted.connect(receiver)
    try:
        services.answer_accept(answer=answer, by=customer)
    finally:
        signals.answer_accepted.disconnect(receiver)
    assert received[0]["answer"] == answer
    assert received[0]["by"] == customer
    assert received[0]["previous_answer"] is None


def test_staff_mark_an_official_answer_beside_the_accepted_one(
    customer, other_customer, staff_user
):
    question = make_question(customer)
    community_answer = make_answer(question, other_customer)
    staff_answer = make_answer(question, staff_user)
    services.answer_accept(answer=community_answer, by=customer)
    with pytest.raises(PermissionDenied):
        services.answer_mark_official(answer=staff_answer, by=customer)
    services.answer_mark_official(answer=staff_answer, by=staff_user)
    question.refresh_from_db()
    assert question.accepted_answer == community_answer
    assert question.official_answer == staff_answer
    services.answer_mark_official(answer=staff_answer, by=staff_user, official=False)
    question.refresh_from_db()
    assert question.official_answer is None


# --------------------------------------------------------------------------- votes and me-too


def test_one_vote_per_person_which_they_can_change_or_withdraw(
    customer, other_customer
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.vote_cast(user=customer, answer=answer, value=1)
    services.vote_cast(user=customer, answer=answer, value=1)
    answer.refresh_from_db()
    assert answer.score == 1
    services.vote_cast(user=customer, answer=answer, value=-1)
    answer.refresh_from_db()
    assert answer.score == -1
    assert Vote.objects.filter(answer=answer).count() == 1
    services.vote_cast(user=customer, answer=answer, value=0)
    answer.refresh_from_db()
    assert answer.score == 0
    assert Vote.objects.count() == 0


def test_votes_on_questions_count_separately(customer, other_customer):
    question = make_question(customer)
    services.vote_cast(user=other_customer, question=question, value=1)
    services.vote_cast(user=UserFactory(), question=question, value=-1)
    services.vote_cast(user=UserFactory(), question=question, value=1)
    question.refresh_from_db()
    assert question.score == 1


def test_nobody_votes_on_their_own_post(customer, other_customer):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=customer, question=question, value=1)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=other_customer, answer=answer, value=1)
    assert Vote.objects.count() == 0


def test_votes_on_hidden_posts_are_refused(customer, other_customer, staff_user):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.post_hide(post=answer, by=staff_user, reason="spam")
    with pytest.raises(ValidationError, match="hidden"):
        services.vote_cast(
            user=customer, answer=Answer.objects.get(pk=answer.pk), value=1
        )
    services.post_hide(post=question, by=staff_user, reason="spam")
    with pytest.raises(ValidationError, match="hidden"):
        services.vote_cast(
            user=other_customer, question=Question.objects.get(pk=question.pk), value=1
        )
    assert Vote.objects.count() == 0


def test_the_database_allows_one_vote_per_person_per_post(customer, other_customer):
    question = make_question(customer)
    Vote.objects.create(user=other_customer, question=question, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=other_customer, question=question, value=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=other_customer, question=question, value=2)


def test_an_invalid_vote_value_is_refused(customer, other_customer):
    question = make_question(customer)
    with pytest.raises(ValidationError):
        services.vote_cast(user=other_customer, question=question, value=5)


def test_me_too_counts_once_per_person_and_follows_the_question(
    customer, other_customer
):
    question = make_question(customer)
    assert services.me_too_add(question=question, user=other_customer) is True
    assert services.me_too_add(question=question, user=other_customer) is False
    question.refresh_from_db()
    assert question.me_too_count == 1
    assert Follow.objects.filter(user=other_customer, question=question).exists()
    with pytest.raises(PermissionDenied):
        services.me_too_add(question=question, user=customer)
    services.me_too_remove(question=question, user=other_customer)
    services.me_too_remove(question=question, user=other_customer)
    question.refresh_from_db()
    assert question.me_too_count == 0
    assert MeToo.objects.count() == 0


# --------------------------------------------------------------------------- notifications


def test_a_new_answer_notifies_followers_and_me_too_people_but_not_its_author(
    customer, other_customer, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    me_too = UserFactory()
    services.me_too_add(question=question, user=me_too)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, other_customer)
    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.NEW_ANSWER).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {customer.pk, me_too.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([customer.email, me_too.email])
    assert all("/community/unsubscribe/" in m.body for m in mailoutbox)


def test_comments_notify_followers_and_the_answer_author(customer, other_customer):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.follow_set(user=other_customer, following=False, question=question)
    commenter = UserFactory()
    services.comment_add(
        author=commenter, answer=answer, body="Which firmware did you use?"
    )
    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.NEW_COMMENT).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {customer.pk, other_customer.pk}


def test_tag_and_product_followers_hear_of_new_questions(
    customer, other_customer, product
):
    from taggit.models import Tag

    make_question(UserFactory(), tags=["wifi"])
    services.follow_set(
        user=other_customer, following=True, tag=Tag.objects.get(name="wifi")
    )
    third = UserFactory()
    services.follow_set(user=third, following=True, product=product)
    make_question(customer, tags=["wifi"], product=product)
    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.NEW_QUESTION).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {other_customer.pk, third.pk}


def test_daily_digest_members_get_one_email_with_everything(
    customer, other_customer, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_preference_set(
        user=customer, email_mode=NotificationPreference.EmailMode.DAILY
    )
    question = make_question(customer)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, other_customer)
        services.comment_add(
            author=UserFactory(), question=question, body="Following this one too."
        )
    assert [m for m in mailoutbox if customer.email in m.to] == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notification_digests_send() == 1
    digests = [m for m in mailoutbox if customer.email in m.to]
    assert len(digests) == 1
    assert "2 updates" in digests[0].subject
    assert question.title in digests[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.notification_digests_send() == 0
        )  # nothing new, and not twice a day
    assert len([m for m in mailoutbox if customer.email in m.to]) == 1


def test_members_who_chose_no_email_only_get_the_in_site_list(
    customer, other_customer, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_preference_set(
        user=customer, email_mode=NotificationPreference.EmailMode.NONE
    )
    question = make_question(customer)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, other_customer)
    assert mailoutbox == []
    assert selectors.notification_unread_count(user=customer) == 1
    services.notifications_mark_read(user=customer)
    assert selectors.notification_unread_count(user=customer) == 0


def test_unsubscribe_tokens_stop_one_question_or_everything(customer):
    question = make_question(customer)
    services.unsubscribe(
        token=services.unsubscribe_token(user=customer, question=question)
    )
    assert not Follow.objects.filter(user=customer, question=question).exists()
    services.unsubscribe(token=services.unsubscribe_token(user=customer))
    assert (
        services.notification_preference_get(user=customer).email_mode
        == NotificationPreference.EmailMode.NONE
    )
    with pytest.raises(ValidationError):
        services.unsubscribe(token="forged:token")


# --------------------------------------------------------------------------- edits and history


def test_every_edit_keeps_a_revision_with_a_diff(customer):
    question = make_question(customer, body="First line.\nSecond line.", tags=["wifi"])
    services.question_edit(
        question=question,
        by=customer,
        title=question.title,
        body="First line.\nSecond line, clearer.",
        tags=["wifi", "router"],
    )
    history = selectors.revision_history(post=question)
    assert [view.revision.number for view in history] == [2, 1]
    assert ("del", "Second line.") in history[0].body_diff
    assert ("add", "Second line, clearer.") in history[0].body_diff
    assert history[0].tags_added == ["router"]


def test_an_edit_that_changes_nothing_keeps_no_revision(customer):
    question = make_question(customer)
    services.question_edit(
        question=question,
        by=customer,
        title=question.title,
        body=question.body,
        tags=["wifi"],
    )
    assert PostRevision.objects.filter(question=question).count() == 1


def test_only_authors_and_staff_edit_posts(customer, other_customer, staff_user):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    with pytest.raises(PermissionDenied):
        services.question_edit(
            question=question,
            by=other_customer,
            title=question.title,
            body="Changed by someone else.",
        )
    with pytest.raises(PermissionDenied):
        services.answer_edit(
            answer=answer, by=customer, body="Changed by someone else."
        )
    services.answer_edit(
        answer=answer,
        by=staff_user,
        body="Staff fixed a typo in this answer.",
        note="typo",
    )
    assert PostRevision.objects.filter(answer=answer).count() == 2


def test_an_edit_with_bad_input_changes_nothing(customer):
    question = make_question(customer)
    with pytest.raises(ValidationError):
        services.question_edit(
            question=question, by=customer, title=question.title, body="y" * 50_000
        )
    question.refresh_from_db()
    assert question.body != "y" * 50_000
    assert PostRevision.objects.filter(question=question).count() == 1


# --------------------------------------------------------------------------- flags and moderation


def test_flags_are_one_per_person_and_need_a_note_for_staff(customer, other_customer):
    question = make_question(customer)
    services.post_flag(user=other_customer, post=question, reason=Flag.Reason.SPAM)
    with pytest.raises(ValidationError):
        services.post_flag(user=other_customer, post=question, reason=Flag.Reason.RUDE)
    with pytest.raises(ValidationError):
        services.post_flag(user=UserFactory(), post=question, reason=Flag.Reason.STAFF)
    with pytest.raises(PermissionDenied):
        services.post_flag(user=customer, post=question, reason=Flag.Reason.SPAM)
    assert Flag.objects.count() == 1


def test_hidden_posts_vanish_from_lists_and_search_but_stay_visible_to_their_author(
    customer, other_customer, staff_user
):
    question = make_question(
        customer, title="Why does the router blink orange at night?"
    )
    services.post_flag(user=other_customer, post=question, reason=Flag.Reason.OFF_TOPIC)
    decision = services.post_hide(
        post=question, by=staff_user, reason="Off-topic advertising"
    )
    assert decision.action == ModerationDecision.Action.HIDE
    assert decision.moderator == staff_user
    assert Flag.objects.get().state == Flag.State.UPHELD
    assert question not in selectors.question_list_visible()
    assert question not in selectors.question_search_queryset()
    from community.permissions import can_view_question

    question.refresh_from_db()
    assert can_view_question(customer, question)
    assert not can_view_question(other_customer, question)
    services.post_restore(post=question, by=staff_user, reason="Second look: fine")
    assert question in selectors.question_list_visible()


def test_hiding_an_accepted_answer_withdraws_it_from_the_count_and_the_acceptance(
    customer, other_customer, staff_user
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.answer_accept(answer=answer, by=customer)
    services.post_hide(post=answer, by=staff_user, reason="Plagiarised")
    question.refresh_from_db()
    assert (question.answer_count, question.accepted_answer, question.status) == (
        0,
        None,
        Question.Status.OPEN,
    )
    services.post_restore(
        post=answer, by=staff_user, reason="Author showed it is theirs"
    )
    question.refresh_from_db()
    assert (question.answer_count, question.status) == (1, Question.Status.ANSWERED)


def test_only_moderators_moderate_and_every_decision_needs_a_reason(
    customer, other_customer, staff_user
):
    question = make_question(customer)
    with pytest.raises(PermissionDenied):
        services.post_hide(post=question, by=other_customer, reason="I do not like it")
    with pytest.raises(ValidationError):
        services.post_hide(post=question, by=staff_user, reason="  ")
    question.refresh_from_db()
    assert question.is_hidden is False
    assert ModerationDecision.objects.count() == 0


def test_dismissing_flags_and_suspending_members_are_logged(
    customer, other_customer, staff_user, client, password
):
    question = make_question(customer)
    services.post_flag(user=other_customer, post=question, reason=Flag.Reason.RUDE)
    services.flags_dismiss(post=question, by=staff_user, reason="Not rude, just blunt")
    assert Flag.objects.get().state == Flag.State.DISMISSED
    services.member_suspend(member=customer, by=staff_user, reason="Repeated spam")
    customer.refresh_from_db()
    assert customer.is_active is False
    assert not client.login(username=customer.username, password=password)
    assert list(
        ModerationDecision.objects.values_list("action", flat=True).order_by("pk")
    ) == ["dismiss", "suspend"]
    with pytest.raises(ValidationError):
        services.member_suspend(member=StaffFactory(), by=staff_user, reason="staff")


def test_close_reopen_and_merge_duplicates(customer, other_customer, staff_user):
    original = make_question(customer)
    duplicate = make_question(other_customer)
    fan = UserFactory()
    services.me_too_add(question=duplicate, user=fan)
    with pytest.raises(ValidationError):
        services.question_close(question=duplicate, by=staff_user, reason="duplicate")
    services.question_merge(
        duplicate=duplicate,
        original=original,
        by=staff_user,
        reason="Same router question",
    )
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == (
        Question.Status.CLOSED,
        original,
    )
    assert original.me_too_count == 2  # the fan, and the duplicate's asker
    assert Follow.objects.filter(question=original, user=fan).exists()
    services.question_reopen(
        question=duplicate, by=staff_user, reason="Different model after all"
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == (Question.Status.OPEN, None)
    actions = list(
        ModerationDecision.objects.order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["close", "merge", "reopen"]


def test_staff_edit_tags_with_a_logged_reason(customer, staff_user):
    question = make_question(customer, tags=["wifi"])
    services.question_tags_set(
        question=question, by=staff_user, tags=["mesh", "setup"], reason="Better tags"
    )
    assert sorted(question.tags.names()) == ["mesh", "setup"]
    assert ModerationDecision.objects.get().action == ModerationDecision.Action.RETAG


# --------------------------------------------------------------------------- speed of help


def test_speed_of_help_figures_for_a_product(customer, other_customer, product):
    now = timezone.now()

    def asked(hours_ago, answered_after=None, accepted_after=None):
        question = make_question(customer, product=product)
        created = now - timedelta(hours=hours_ago)
        Question.objects.filter(pk=question.pk).update(
            created_at=created,
            first_answered_at=created + timedelta(hours=answered_after)
            if answered_after is not None
            else None,
            accepted_at=created + timedelta(hours=accepted_after)
            if accepted_after is not None
            else None,
        )

    asked(100, answered_after=2, accepted_after=10)
    asked(90, answered_after=4)
    asked(80, answered_after=30, accepted_after=40)
    asked(70)
    asked(5, answered_after=1)  # asked less than a day ago: not in the 24-hour share
    asked(24 * 40, answered_after=1)  # outside the 30-day window
    figures = selectors.product_speed_of_help(product=product, now=now)
    assert figures["asked"] == 5
    assert figures["median_first_answer_hours"] == pytest.approx(3)
    assert figures["median_accepted_hours"] == pytest.approx(25)
    assert (figures["answered_within_day"], figures["eligible_for_day"]) == (2, 4)
    assert figures["share_within_day"] == pytest.approx(0.5)


def test_member_counts_count_only_visible_posts(customer, other_customer, staff_user):
    first = make_question(customer)
    second = make_question(customer)
    services.answer_accept(answer=make_answer(first, other_customer), by=customer)
    make_answer(second, other_customer)
    services.post_hide(post=second, by=staff_user, reason="spam")
    assert selectors.member_counts(member=customer) == {
        "questions": 1,
        "answers": 0,
        "accepted": 0,
    }
    assert selectors.member_counts(member=other_customer) == {
        "questions": 0,
        "answers": 1,
        "accepted": 1,
    }
