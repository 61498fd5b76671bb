"""Badges: the catalogue, awards right after the event and by badgify_sync, never twice, topic experts."""

from xml.etree import ElementTree

import pytest
from badgify.models import Award, Badge
from django.core.files.storage import default_storage
from django.core.management import call_command

from community import services
from community.badges import badges_evaluate_user
from community.badgify_recipes import GENERAL_RECIPES
from community.models import AwardNotice, BadgeInfo
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_product
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def low_thresholds(settings):
    """Topic thresholds a test can reach with a handful of posts."""
    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (20, 2),
        "silver": (40, 3),
        "gold": (100, 5),
    }
    settings.CANDOR_EXPERT_ACCEPTED_BONUS = 5
    settings.CANDOR_EXPERT_CONFIRMED_BONUS = 5


def awards_of(user) -> set[str]:
    return set(Award.objects.filter(user=user).values_list("badge__slug", flat=True))


def upvote(answer, times: int):
    for _ in range(times):
        services.vote_cast(user=UserFactory(), answer=answer, value=1)


def test_badgify_sync_badges_makes_a_dozen_general_badges_in_three_tiers_each_with_picture_and_criteria(
    site_tree,
):
    product = make_product(site_tree["products"], "Router X")
    call_command("badgify_sync", "badges")
    general = BadgeInfo.objects.filter(
        product__isnull=True, tag__isnull=True
    ).select_related("badge")
    assert general.count() == len(GENERAL_RECIPES) >= 12
    assert {info.tier for info in general} == {"bronze", "silver", "gold"}
    for info in general:
        assert info.criteria and info.badge.description
        assert info.badge.image.name.endswith(".svg")
        with default_storage.open(info.badge.image.name) as picture:
            medal = ElementTree.fromstring(picture.read())
        assert medal.get("viewBox") == "0 0 256 256"
        assert medal.find(f"{SVG}text") is None
    experts = BadgeInfo.objects.filter(product=product).select_related("badge")
    assert sorted(info.tier for info in experts) == ["bronze", "gold", "silver"]
    assert {info.badge.name for info in experts} == {"Expert in Router X"}


def test_a_first_answer_is_awarded_right_after_commit_and_the_member_is_told(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.CANDOR_BADGE_EMAILS = True
    author = UserFactory()
    question = make_question()
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, author)
    assert "first-answer" in awards_of(author)
    notice = AwardNotice.objects.get(user=author, award__badge__slug="first-answer")
    assert notice.read_at is None
    assert any(
        "Bronze: First answer" in mail.subject and mail.to == [author.email]
        for mail in mailoutbox
    )


def test_nothing_is_awarded_if_the_action_rolls_back(
    django_capture_on_commit_callbacks,
):
    author = UserFactory()
    question = make_question()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_answer(question, author)
    assert callbacks  # the award waits for the commit...
    assert awards_of(author) == set()  # ...and a rollback would drop it with the answer


def test_topic_badges_for_a_new_tag_need_no_code_change(
    low_thresholds, django_capture_on_commit_callbacks
):
    expert = UserFactory()
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            question = make_question(
                title=f"Pairing a sensor with the new hub, case {n}", tags=["zigbee-3"]
            )
            answers.append(make_answer(question, expert))
        for answer in answers:
            upvote(answer, 1)
    assert not any(slug.startswith("expert-tag") for slug in awards_of(expert))
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answers[0], by=answers[0].question.author)
    # 2 answers, score 2 votes + 5 accepted... not yet 20: one more round of votes.
    with django_capture_on_commit_callbacks(execute=True):
        upvote(answers[1], 13)
    bronze = Badge.objects.get(info__tag__name="zigbee-3", info__tier="bronze")
    assert bronze.name == "Expert in zigbee-3"
    assert bronze.slug in awards_of(expert)
    assert Award.objects.get(badge=bronze).user == expert


def test_badgify_sync_awards_finds_what_the_events_did_not(low_thresholds):
    expert = UserFactory()
    for n in range(3):
        answer = make_answer(
            make_question(
                title=f"Thermostat schedule question number {n}", tags=["heating"]
            ),
            expert,
        )
        upvote(answer, 14)
    Award.objects.all().delete()  # as if the task queue had been lost
    call_command("badgify_sync", "awards")
    earned = awards_of(expert)
    assert {"first-answer"} <= earned
    silver = Badge.objects.get(info__tag__name="heating", info__tier="silver")
    assert silver.slug in earned
    assert not Badge.objects.filter(
        info__tag__name="heating", info__tier="gold", awards__user=expert
    ).exists()


def test_the_event_task_and_badgify_sync_together_award_each_badge_once(
    low_thresholds, django_capture_on_commit_callbacks
):
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            answer = make_answer(
                make_question(
                    title=f"Doorbell battery question number {n}", tags=["battery"]
                ),
                author,
            )
            upvote(answer, 10)
    before = awards_of(author)
    call_command("badgify_sync", "awards")
    call_command("badgify_sync", "awards")
    assert badges_evaluate_user(user_id=author.pk) == []
    assert awards_of(author) == before
    assert Award.objects.filter(user=author).count() == len(before)
    assert AwardNotice.objects.filter(user=author).count() == len(before)
    badge = Badge.objects.get(slug="first-answer")
    assert badge.users_count == 1
    call_command("badgify_sync", "counts")
    badge.refresh_from_db()
    assert badge.users_count == 1


def test_badgify_sync_never_takes_awards_away(
    low_thresholds, staff_user, django_capture_on_commit_callbacks
):
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(author)
        answer = make_answer(make_question(), author)
    assert {"first-question", "first-answer"} <= awards_of(author)
    services.post_hide(post=answer, by=staff_user, reason="Spam link")
    services.post_hide(post=question, by=staff_user, reason="Spam link")
    call_command("badgify_sync", "awards")
    assert {"first-question", "first-answer"} <= awards_of(author)


def test_a_yes_from_a_customer_earns_the_problem_solved_badge(
    django_capture_on_commit_callbacks,
):
    from satisfaction.models import Interaction
    from tests.factories import satisfaction as survey

    asker, author = UserFactory(), UserFactory()
    answer = make_answer(make_question(asker), author)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, by=asker)
    interaction = Interaction.objects.get(
        source="community.answer", source_ref=str(answer.pk)
    )
    with django_capture_on_commit_callbacks(execute=True):
        survey.answer(interaction, satisfied=True, by=asker)
    assert {"first-accepted-answer", "confirmed-1"} <= awards_of(author)


def test_badge_emails_are_off_by_default_and_respect_no_email(django_capture_on_commit_callbacks, mailoutbox, settings):
    from community.models import NotificationPreference

    quiet = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make_question(quiet)
    assert AwardNotice.objects.filter(user=quiet).exists()
    assert not [m for m in mailoutbox if "badge" in m.subject]
    settings.CANDOR_BADGE_EMAILS = True
    NotificationPreference.objects.create(user=quiet, email_mode=NotificationPreference.EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(make_question(), quiet)
    assert "first-answer" in awards_of(quiet)
    assert not [m for m in mailoutbox if quiet.email in m.to]
    assert [m for m in mailoutbox if "badge" in m.subject]  # the asker, who kept email on, got theirs
