"""Staff withdraw a badge: with a reason, logged, the member told, never re-awarded by the recipes."""

import pytest
from badgify.models import Award, Badge
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from community import services
from community.badges import badge_award_withdraw, badges_evaluate_user
from community.models import (
    AwardNotice,
    AwardWithdrawal,
    ModerationDecision,
    NotificationPreference,
)
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/community/badge-awards/"


@pytest.fixture
def answerer(site_tree, django_capture_on_commit_callbacks):
    """A member who earned "First answer" right after posting one."""
    member = UserFactory(username="ria", email="ria@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(make_question(title="How do I reset the hub to factory settings?"), member)
    return member


def first_answer_award(member):
    return Award.objects.get(user=member, badge__slug="first-answer")


def test_staff_withdraw_a_badge_in_the_admin_with_a_logged_reason_and_the_member_is_told(
    staff_client, staff_user, answerer, client, mailoutbox, django_capture_on_commit_callbacks
):
    award = first_answer_award(answerer)
    badge = Badge.objects.get(pk=award.badge_id)
    holders = badge.users_count
    listing = staff_client.get(ADMIN + "?q=ria").content.decode()
    assert "First answer" in listing and f"{award.pk}/withdraw/" in listing
    assert staff_client.get(f"{ADMIN}{award.pk}/withdraw/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{ADMIN}{award.pk}/withdraw/", {"reason": "Answers copied from the manual", "tell_member": "on"}
        )

    assert response.status_code == 302
    assert not Award.objects.filter(pk=award.pk).exists()
    assert not AwardNotice.objects.filter(award_id=award.pk).exists()
    assert Badge.objects.get(pk=badge.pk).users_count == holders - 1
    withdrawal = AwardWithdrawal.objects.get(user=answerer, badge=badge)
    assert withdrawal.withdrawn_by == staff_user and withdrawal.award_id == award.pk
    log = ModerationDecision.objects.get(action=ModerationDecision.Action.WITHDRAW_BADGE)
    assert log.member == answerer and "Answers copied from the manual" in log.reason
    told = [m for m in mailoutbox if "withdrawn" in m.subject]
    assert [m.to for m in told] == [["ria@example.com"]]
    assert "Answers copied from the manual" in told[0].body
    # The member's account page says so until marked read.
    client.force_login(answerer)
    account = client.get("/account/").content.decode()
    assert "The moderators withdrew 1 badge" in account and "Answers copied from the manual" in account
    client.post("/community/badges/notices/read/")
    assert "The moderators withdrew" not in client.get("/account/").content.decode()
    # The public verification page and the credential no longer verify.
    assert client.get(f"/community/badges/awards/{award.pk}/").status_code == 410
    gone = client.get(f"/community/badges/awards/{award.pk}/credential.json")
    assert gone.status_code == 410 and gone.json()["error"] == "withdrawn"


def test_a_withdrawal_without_a_reason_is_refused_with_a_400(staff_client, answerer):
    award = first_answer_award(answerer)
    response = staff_client.post(f"{ADMIN}{award.pk}/withdraw/", {"reason": "  "})
    assert response.status_code == 400
    assert Award.objects.filter(pk=award.pk).exists()
    with pytest.raises(ValidationError):
        badge_award_withdraw(award_id=award.pk, by=response.wsgi_request.user, reason="")


def test_only_moderators_withdraw_badges(client, customer, answerer):
    award = first_answer_award(answerer)
    with pytest.raises(PermissionDenied):
        badge_award_withdraw(award_id=award.pk, by=customer, reason="spite")
    client.force_login(customer)
    assert client.get(ADMIN).status_code == 403
    assert client.post(f"{ADMIN}{award.pk}/withdraw/", {"reason": "spite"}).status_code == 403
    assert Award.objects.filter(pk=award.pk).exists()


def test_withdrawing_twice_changes_nothing_the_second_time(staff_user, answerer):
    award = first_answer_award(answerer)
    first = badge_award_withdraw(award_id=award.pk, by=staff_user, reason="Sock puppet votes")
    second = badge_award_withdraw(award_id=award.pk, by=staff_user, reason="Sock puppet votes")
    assert first.pk == second.pk
    assert ModerationDecision.objects.filter(action=ModerationDecision.Action.WITHDRAW_BADGE).count() == 1


def test_neither_the_event_task_nor_badgify_sync_gives_a_withdrawn_badge_back(
    staff_user, answerer, django_capture_on_commit_callbacks
):
    award = first_answer_award(answerer)
    badge_award_withdraw(award_id=award.pk, by=staff_user, reason="Voting ring", tell_member=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(make_question(title="Why does the hub blink amber after an update?"), answerer)
    assert badges_evaluate_user(user_id=answerer.pk) == []
    call_command("badgify_sync", "awards")
    assert not Award.objects.filter(user=answerer, badge__slug="first-answer").exists()
    # Other members still earn it.
    other = UserFactory()
    make_answer(make_question(title="Can the hub run on battery for a day?"), other)
    call_command("badgify_sync", "awards")
    assert Award.objects.filter(user=other, badge__slug="first-answer").exists()


def test_a_member_who_turned_email_off_is_told_on_the_account_page_only(
    staff_user, answerer, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=answerer, email_mode=NotificationPreference.EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        badge_award_withdraw(award_id=first_answer_award(answerer).pk, by=staff_user, reason="Copied answers")
    assert [m for m in mailoutbox if "withdrawn" in m.subject] == []
    assert AwardWithdrawal.objects.get(user=answerer).member_told


def test_allowing_a_withdrawn_badge_again_lets_the_sync_award_it(staff_client, staff_user, answerer):
    badge_award_withdraw(award_id=first_answer_award(answerer).pk, by=staff_user, reason="Mistake?", tell_member=False)
    withdrawal = AwardWithdrawal.objects.get(user=answerer)
    assert "Mistake?" in staff_client.get(ADMIN).content.decode()
    staff_client.post(f"{ADMIN}withdrawals/{withdrawal.pk}/allow/", {"reason": "It was a mistake"})
    assert not AwardWithdrawal.objects.exists()
    assert ModerationDecision.objects.filter(action=ModerationDecision.Action.ALLOW_BADGE).count() == 1
    call_command("badgify_sync", "awards")
    assert Award.objects.filter(user=answerer, badge__slug="first-answer").exists()


def test_the_profile_drops_a_withdrawn_badge_at_once(client, staff_user, answerer):
    profile = f"/people/{answerer.username}/"
    assert "First answer" in client.get(profile).content.decode()
    badge_award_withdraw(award_id=first_answer_award(answerer).pk, by=staff_user, reason="Copied answers")
    assert "First answer" not in client.get(profile).content.decode().split('id="member-badges"')[1].split("</section>")[0]
