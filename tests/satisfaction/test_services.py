"""The public door of satisfaction: recording interactions, answering, exclusions, summaries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from satisfaction import services
from satisfaction.models import (
    DailyTally,
    Exclusion,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InvitationTally,
    NotSurveyed,
    SurveyInvitation,
    SurveyResponse,
)
from tests.factories.satisfaction import answer, record
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_public_door_re_exports_channel_and_the_signal():
    from satisfaction.models import Channel
    from satisfaction.signals import survey_answered

    assert services.Channel is Channel
    assert services.survey_answered is survey_answered
    assert services.Channel.COMMUNITY_ACCEPTED_ANSWER == "community_accepted_answer"
    assert services.Channel.HELPDESK.label == "Outside helpdesk"


def test_recording_an_interaction_creates_one_invitation_and_emails_it_after_commit(
    customer, product, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.interaction_record(
            channel=services.Channel.COMMUNITY_STAFF_ANSWER,
            source="community.answer",
            source_ref="42",
            customer=customer,
            product=product,
            handled_by=staff_user,
            summary="How to reset the router",
        )
    assert interaction.product == product
    assert interaction.customer == customer
    assert SurveyInvitation.objects.filter(interaction=interaction).count() == 1
    invitation = interaction.invitation
    assert invitation.email == customer.email
    assert invitation.expires_at - invitation.sent_at == timedelta(days=28)
    assert InvitationTally.objects.get(day=invitation.day).sent == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [customer.email]
    assert "Are you satisfied with the response you got?" in mailoutbox[0].body
    assert services.survey_url(invitation, absolute=True) in mailoutbox[0].body


def test_nothing_is_emailed_when_the_recording_rolls_back(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            record(customer=customer)
            raise RuntimeError("the caller's own write failed")
    assert Interaction.objects.count() == 0
    assert mailoutbox == []


def test_recording_the_same_source_reference_twice_returns_the_first_and_creates_nothing(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = record(customer=customer, source="reviews.review", source_ref="7")
        again = record(
            customer=customer,
            source="reviews.review",
            source_ref="7",
            summary="different",
        )
    assert again.pk == first.pk
    assert Interaction.objects.count() == 1
    assert SurveyInvitation.objects.count() == 1
    assert InvitationTally.objects.get().sent == 1
    assert len(mailoutbox) == 1


def test_the_same_reference_from_another_source_is_another_interaction(customer):
    record(customer=customer, source="community.answer", source_ref="7")
    record(customer=customer, source="reviews.review", source_ref="7")
    assert Interaction.objects.count() == 2


def test_an_outside_ticket_needs_a_customer_or_an_email():
    with pytest.raises(ValidationError) as error:
        services.interaction_record(
            channel=services.Channel.PHONE, source="tests", source_ref="x"
        )
    assert "customer_email" in error.value.message_dict
    assert Interaction.objects.count() == 0


def test_a_bad_email_or_a_future_date_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        record(customer_email="not-an-email")
    assert "customer_email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(
            customer_email="a@example.com",
            occurred_at=timezone.now() + timedelta(days=1),
        )
    assert "occurred_at" in error.value.message_dict
    assert Interaction.objects.count() == 0
    assert InvitationTally.objects.count() == 0


def test_an_outside_ticket_from_an_account_holder_is_linked_to_their_account(customer):
    interaction = record(
        customer_email=customer.email.upper(), channel=services.Channel.HELPDESK
    )
    assert interaction.customer == customer
    assert interaction.invitation.email == customer.email.upper()


@pytest.mark.parametrize("who", ["staff_customer", "self_handled"])
def test_interactions_nobody_may_answer_are_recorded_but_not_surveyed(
    who, customer, staff_user, mailoutbox
):
    if who == "staff_customer":
        interaction = record(customer=staff_user)
        assert interaction.not_surveyed == NotSurveyed.CUSTOMER_IS_STAFF
    else:
        interaction = record(
            customer=customer,
            handled_by=customer,
            channel=services.Channel.COMMUNITY_ACCEPTED_ANSWER,
        )
        assert interaction.not_surveyed == NotSurveyed.CUSTOMER_HANDLED_IT
    assert not SurveyInvitation.objects.filter(interaction=interaction).exists()
    assert InvitationTally.objects.count() == 0


def test_answering_moves_the_tallies_in_the_same_transaction(customer, product):
    interaction = record(customer=customer, product=product)
    response = answer(interaction, satisfied=True)
    tally = DailyTally.objects.get()
    assert (
        tally.day,
        tally.product_pk,
        tally.channel,
        tally.satisfied,
        tally.count,
    ) == (
        response.day,
        product.pk,
        interaction.channel,
        True,
        1,
    )
    assert InvitationTally.objects.get().answered == 1
    assert len(response.public_id) == 16


def test_survey_answered_is_sent_on_commit_with_plain_values(
    customer, product, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    services.survey_answered.connect(listener)
    try:
        interaction = record(
            customer=customer,
            product=product,
            source="community.answer",
            source_ref="99",
        )
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = answer(interaction, satisfied=False)
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        services.survey_answered.disconnect(listener)
    assert len(received) == 1
    kwargs = received[0]
    assert kwargs["interaction_id"] == interaction.pk
    assert (kwargs["source"], kwargs["source_ref"]) == ("community.answer", "99")
    assert kwargs["channel"] == interaction.channel
    assert kwargs["satisfied"] is False
    assert kwargs["customer"] == customer
    assert kwargs["product_id"] == product.pk
    assert kwargs["answered_at"] == response.answered_at


def test_a_second_answer_says_when_the_first_was_given(customer):
    interaction = record(customer=customer)
    first = answer(interaction, satisfied=True)
    with pytest.raises(services.AlreadyAnswered) as error:
        answer(interaction, satisfied=False)
    assert error.value.answered_at == first.answered_at
    assert SurveyResponse.objects.count() == 1
    assert DailyTally.objects.get().count == 1


def test_an_expired_invitation_cannot_be_answered(customer):
    interaction = record(customer=customer)
    SurveyInvitation.objects.filter(pk=interaction.invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    interaction.refresh_from_db()
    with pytest.raises(services.SurveyExpired):
        answer(interaction)
    assert SurveyResponse.objects.count() == 0


def test_staff_cannot_answer_for_a_customer(customer, staff_user):
    interaction = record(customer=customer)
    with pytest.raises(PermissionDenied):
        answer(interaction, by=staff_user)
    assert SurveyResponse.objects.count() == 0


def test_nobody_answers_about_an_interaction_they_handled(customer, other_customer):
    interaction = record(
        customer_email="outside@example.com",
        handled_by=other_customer,
        channel=services.Channel.COMMUNITY_ACCEPTED_ANSWER,
    )
    with pytest.raises(PermissionDenied):
        answer(interaction, by=other_customer)
    assert SurveyResponse.objects.count() == 0


def test_a_signed_in_customer_cannot_answer_another_customers_survey(
    customer, other_customer
):
    interaction = record(customer=customer)
    with pytest.raises(PermissionDenied):
        answer(interaction, by=other_customer)
    answer(interaction, by=customer)
    assert SurveyResponse.objects.get().answered_by == customer


def test_a_no_opens_a_follow_up_and_alerts_staff_after_commit(
    customer, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    interaction = record(customer=customer, summary="Router drops Wi-Fi")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(interaction, satisfied=False, comment="Still broken.")
    follow_up = FollowUp.objects.get(response=response)
    assert follow_up.status == FollowUpStatus.OPEN
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [staff_user.email]
    assert "Still broken." in mailoutbox[0].body
    assert f"/admin/satisfaction/follow-ups/{follow_up.pk}/" in mailoutbox[0].body


def test_a_yes_opens_no_follow_up(customer, staff_user):
    answer(record(customer=customer), satisfied=True)
    assert FollowUp.objects.count() == 0


def test_follow_ups_move_through_contacted_and_resolved_by_staff_only(
    customer, staff_user
):
    response = answer(record(customer=customer), satisfied=False)
    follow_up = response.follow_up
    with pytest.raises(PermissionDenied):
        services.follow_up_update(
            follow_up=follow_up, status=FollowUpStatus.RESOLVED, by=customer
        )
    services.follow_up_update(
        follow_up=follow_up,
        status=FollowUpStatus.CONTACTED,
        note="Called back",
        by=staff_user,
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.note, follow_up.updated_by) == (
        "contacted",
        "Called back",
        staff_user,
    )
    with pytest.raises(ValidationError):
        services.follow_up_update(
            follow_up=follow_up, status="forgotten", by=staff_user
        )


def test_the_database_refuses_to_change_an_answer(customer):
    response = answer(record(customer=customer), satisfied=False)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        SurveyResponse.objects.filter(pk=response.pk).update(satisfied=True)
    response.satisfied = True
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        response.save()
    assert SurveyResponse.objects.get().satisfied is False


def test_deleting_an_answered_interaction_is_refused(customer):
    from django.db.models import ProtectedError

    interaction = record(customer=customer)
    answer(interaction)
    with pytest.raises(ProtectedError):
        interaction.delete()


def test_deleting_the_customer_keeps_the_answer(customer):
    interaction = record(customer=customer)
    answer(interaction, by=customer)
    customer.delete()
    response = SurveyResponse.objects.get()
    assert response.answered_by is None
    assert Interaction.objects.get().customer is None


def test_an_exclusion_needs_staff_a_published_rule_and_a_reason(customer, staff_user):
    response = answer(record(customer=customer), satisfied=False)
    with pytest.raises(PermissionDenied):
        services.response_exclude(
            response=response, rule="spam", reason="bot", by=customer
        )
    with pytest.raises(ValidationError):
        services.response_exclude(
            response=response, rule="we_did_not_like_it", reason="x", by=staff_user
        )
    with pytest.raises(ValidationError):
        services.response_exclude(
            response=response, rule="spam", reason="   ", by=staff_user
        )
    assert Exclusion.objects.count() == 0
    assert DailyTally.objects.get().count == 1


def test_an_exclusion_takes_the_answer_out_of_the_tallies_once_and_keeps_the_answer(
    customer, staff_user
):
    response = answer(record(customer=customer), satisfied=False)
    exclusion = services.response_exclude(
        response=response, rule="test_interaction", reason="Sam testing", by=staff_user
    )
    assert exclusion.excluded_by == staff_user
    assert DailyTally.objects.get().count == 0
    with pytest.raises(ValidationError):
        services.response_exclude(
            response=response, rule="spam", reason="again", by=staff_user
        )
    assert DailyTally.objects.get().count == 0
    assert SurveyResponse.objects.filter(pk=response.pk, satisfied=False).exists()


def test_contact_summaries_tell_who_contacted_support_and_their_latest_counted_answer(
    customer, other_customer, product, staff_user, django_assert_num_queries
):
    third = UserFactory()
    fourth = UserFactory()
    private = UserFactory()
    old = record(customer=customer, product=product)
    answer(old, satisfied=False, show_on_reviews=True)
    newer = record(customer=customer, product=product)
    answer(newer, satisfied=True, show_on_reviews=True)
    record(customer=other_customer, product=product)  # not answered yet
    excluded = answer(
        record(customer=third, product=product), satisfied=False, show_on_reviews=True
    )
    # Answered without agreeing to show it: told apart from no answer by nothing.
    answer(record(customer=private, product=product), satisfied=False)
    services.response_exclude(
        response=excluded, rule="spam", reason="bot", by=staff_user
    )
    record(customer=fourth)  # about no product

    with django_assert_num_queries(1):
        summaries = services.customer_contact_summaries(
            product_id=product.pk,
            customer_ids=[
                customer.pk,
                other_customer.pk,
                third.pk,
                fourth.pk,
                private.pk,
            ],
        )
    assert summaries == {
        customer.pk: {"contacted": True, "satisfied": True},
        other_customer.pk: {"contacted": True, "satisfied": None},
        third.pk: {"contacted": True, "satisfied": None},
        private.pk: {"contacted": True, "satisfied": None},
    }
    assert (
        services.customer_contact_summaries(product_id=product.pk, customer_ids=[])
        == {}
    )


def test_staff_factory_customers_are_never_surveyed():
    staff = StaffFactory()
    assert record(customer=staff).not_surveyed == NotSurveyed.CUSTOMER_IS_STAFF
