"""Shareable recognition: profile section, verification page, Open Badges JSON, LinkedIn, leaderboards, budgets."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from badgify.models import Award
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from community import services
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_product
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (
        Path(__file__).parent / "schemas" / "open_badges_3_credential.schema.json"
    ).read_text()
)


@pytest.fixture
def low_thresholds(settings):
    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (20, 2),
        "silver": (40, 3),
        "gold": (100, 5),
    }


def _expert(product, *, answers=3, votes=8, tag="wifi", capture=None):
    """A member with `answers` upvoted, accepted answers about `product`; badges awarded on commit."""
    expert = UserFactory()
    for n in range(answers):
        question = make_question(
            title=f"Guest network trouble on my router, case {n} {expert.pk}",
            product=product,
            tags=[tag],
        )
        answer = make_answer(question, expert)
        for _ in range(votes):
            services.vote_cast(user=UserFactory(), answer=answer, value=1)
        services.answer_accept(answer=answer, by=question.author)
    return expert


@pytest.fixture
def expert(product, low_thresholds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _expert(product)


def _topic_award(expert, product, tier="bronze"):
    return Award.objects.select_related("badge__info").get(
        user=expert, badge__info__product=product, badge__info__tier=tier
    )


def test_the_profile_shows_reputation_history_badges_by_tier_topic_scores_and_progress(
    client, expert, product
):
    response = client.get(f"/people/{expert.username}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'class="rep-chart"' in html
        and "Reputation by day" in html
        and "Every point, with its reason" in html
    )
    assert "Expert in Router X" in html and "Bronze" in html
    assert "Scores by product and tag" in html and "#wifi" in html
    # 3 answers × (8 votes + 5 for being accepted) = 39, one short of silver's 40.
    assert "39/40 score and 3/3 answers toward Silver: Expert in Router X" in " ".join(
        html.split()
    )
    assert "Top answers" in html


def test_progress_reads_like_72_of_100_score_and_14_of_20_answers(
    client, product, settings, django_capture_on_commit_callbacks
):
    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (100, 4),
        "silver": (400, 80),
        "gold": (1000, 200),
    }
    with django_capture_on_commit_callbacks(execute=True):
        expert = _expert(product, answers=2, votes=6)
    html = client.get(f"/people/{expert.username}/").content.decode()
    assert "22/100 score and 2/4 answers toward Bronze: Expert in Router X" in " ".join(
        html.split()
    )


def test_the_verification_page_says_who_what_when_criteria_and_shows_the_evidence(
    client, expert, product
):
    award = _topic_award(expert, product)
    response = client.get(f"/community/badges/awards/{award.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bronze: Expert in Router X" in html
    assert expert.profile.display_name in html
    assert award.awarded_at.strftime("%Y") in html
    assert "Reach a topic score of 20 over at least 2 visible answers" in html
    assert "Guest network trouble on my router, case 0" in html
    assert "linkedin.com/profile/add" in html


def test_the_open_badges_credential_validates_against_the_open_badges_3_schema(
    client, expert, product
):
    award = _topic_award(expert, product)
    response = client.get(f"/community/badges/awards/{award.pk}/credential.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    credential = response.json()
    validator = Draft202012Validator(
        SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(credential), key=str)
    assert errors == []
    assert (
        credential["credentialSubject"]["achievement"]["name"]
        == "Bronze: Expert in Router X"
    )
    assert credential["id"] == f"http://testserver/community/badges/awards/{award.pk}/"
    assert len(credential["evidence"]) == 3


def test_the_schema_rejects_a_credential_missing_required_fields(
    client, expert, product
):
    award = _topic_award(expert, product)
    credential = client.get(
        f"/community/badges/awards/{award.pk}/credential.json"
    ).json()
    del credential["issuer"]["name"]
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["type"] = ["VerifiableCredential"]
    errors = list(Draft202012Validator(SCHEMA).iter_errors(credential))
    assert len(errors) == 3


def test_the_linkedin_link_adds_a_certification_with_the_award_details(
    client, expert, product
):
    from community.credentials import linkedin_add_url

    award = _topic_award(expert, product)
    url = urlparse(linkedin_add_url(award))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert (url.netloc, url.path) == ("www.linkedin.com", "/profile/add")
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Bronze: Expert in Router X"
    assert query["organizationName"].endswith("community")
    assert (int(query["issueYear"]), int(query["issueMonth"])) == (
        award.awarded_at.year,
        award.awarded_at.month,
    )
    assert query["certUrl"] == f"http://testserver/community/badges/awards/{award.pk}/"
    assert query["certId"] == f"award-{award.pk}"


def test_a_suspended_members_awards_are_not_public(client, expert, product):
    award = _topic_award(expert, product)
    type(expert).objects.filter(pk=expert.pk).update(is_active=False)
    assert client.get(f"/community/badges/awards/{award.pk}/").status_code == 404
    assert (
        client.get(f"/community/badges/awards/{award.pk}/credential.json").status_code
        == 404
    )


def test_the_leaderboard_ranks_members_per_product_and_tag_and_period(
    client, expert, product
):
    other = make_product(product.get_parent(), "Mesh Node M2", slug="mesh-node-m2")
    html = client.get(
        f"/community/leaderboard/products/{product.slug}/?period=week"
    ).content.decode()
    assert expert.profile.display_name in html
    html = client.get(
        f"/community/leaderboard/products/{other.slug}/?period=all"
    ).content.decode()
    assert expert.profile.display_name not in html
    html = client.get("/community/leaderboard/tags/wifi/?period=month").content.decode()
    assert expert.profile.display_name in html
    assert client.get("/community/leaderboard/tags/no-such-tag/").status_code == 404
    assert client.get("/community/leaderboard/?period=decade").status_code == 200


def test_the_how_reputation_works_page_lists_points_privileges_and_thresholds(
    client, settings
):
    settings.CANDOR_REPUTATION_PRIVILEGES = {
        "flag": 5,
        "vote_down": 25,
        "retag": 100,
        "edit_others": 500,
    }
    html = client.get("/community/reputation/").content.decode()
    for text in (
        "Answer upvoted",
        "+10",
        "Question upvoted",
        "+5",
        "Answer accepted",
        "+15",
        "Accepted an answer",
        "+2",
        "Post downvoted",
        "-2",
        "Answer confirmed by a customer",
        "200 points a day",
        "Vote down",
        "Edit others",
        "never shows below 1",
    ):
        assert text in html, text


def test_the_badge_catalogue_and_a_badge_page_render(client, expert, product):
    html = client.get("/community/badges/").content.decode()
    assert "First answer" in html and "Expert in Router X" in html
    award = _topic_award(expert, product)
    html = client.get(f"/community/badges/{award.badge.slug}/").content.decode()
    assert "How to earn it" in html and expert.profile.display_name in html
    assert client.get("/community/badges/no-such-badge/").status_code == 404


def test_the_account_page_lists_new_badges_until_marked_read(client, expert):
    client.force_login(expert)
    html = client.get("/account/").content.decode()
    assert "new badges" in html and "Bronze: First answer" in html
    client.post("/community/badges/notices/read/")
    assert "new badges" not in client.get("/account/").content.decode()


def _count(client, url) -> int:
    client.get(url)  # the first request of a test creates the site's branding row once
    cache.clear()  # the profile section's cache would hide its real cost
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _counts(client, member, product) -> dict:
    return {
        "profile": _count(client, f"/people/{member.username}/"),
        "leaderboard": _count(
            client, f"/community/leaderboard/products/{product.slug}/"
        ),
        "award": _count(
            client,
            f"/community/badges/awards/{Award.objects.get(user=member, badge__slug='first-answer').pk}/",
        ),
    }


@pytest.mark.parametrize("scale", [1, 10])
def test_profile_and_leaderboard_queries_stay_within_budget_and_flat_in_badges_and_answers(
    client, product, low_thresholds, scale
):
    from django.core.management import call_command

    small = _expert(product, answers=2, votes=1)
    big = _expert(product, answers=3 * scale, votes=2 * scale, tag=f"tag{scale}")
    call_command("badgify_sync", "awards")
    counts_small, counts_big = (
        _counts(client, small, product),
        _counts(client, big, product),
    )
    assert (
        Award.objects.filter(user=big).count()
        > Award.objects.filter(user=small).count()
    )
    assert counts_big == counts_small
    assert counts_small["profile"] <= 22
    assert counts_small["leaderboard"] <= 12
    assert counts_small["award"] <= 12


def test_a_badge_awarded_later_shows_at_once_on_the_cached_profile(client, product, django_capture_on_commit_callbacks):
    """The profile is served from the page cache and its section from a fragment cache; an award expires both."""
    from community.badges import badges_evaluate_user

    member = UserFactory()
    make_answer(make_question(title="Does the router keep its settings after a reset?", product=product), member)
    url = f"/people/{member.username}/"
    assert "First answer" not in client.get(url).content.decode()
    cached = client.get(url)
    assert cached.get("X-Page-Cache") == "hit" and "First answer" not in cached.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert "first-answer" in badges_evaluate_user(user_id=member.pk)
    assert "First answer" in client.get(url).content.decode()


def test_reputation_from_a_customer_confirmation_shows_at_once_on_the_cached_profile(client, expert, product):
    """Points that come from the satisfaction survey (not a community page write) expire the profile too."""
    from community.services_reputation import reputation_survey_confirmed

    url = f"/people/{expert.username}/"
    client.get(url)
    before = client.get(url).content.decode()
    assert "confirmed that" not in before
    from community.models import Answer

    answer = Answer.objects.filter(author=expert, accepted_for__isnull=False).first()
    reputation_survey_confirmed(
        interaction_id=424242, source="community.answer", source_ref=str(answer.pk), satisfied=True
    )
    assert "A customer confirmed that 1 of these answers solved their problem." in client.get(url).content.decode()
