"""The reputation API: a member's reputation, ledger and awards, the badge catalogue, the leaderboard."""

import pytest
from django.core.management import call_command

from community import services
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(product, settings):
    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (5, 1),
        "silver": (400, 80),
        "gold": (1000, 200),
    }
    member = UserFactory()
    answer = make_answer(make_question(product=product, tags=["wifi"]), member)
    services.vote_cast(user=UserFactory(), answer=answer, value=1)
    services.answer_accept(answer=answer, by=answer.question.author)
    call_command("badgify_sync", "awards")
    return member


def test_a_members_reputation_has_total_privileges_history_and_topic_scores(
    client, member
):
    body = client.get(f"/api/v1/reputation/users/{member.username}/").json()
    assert body["reputation"] == 26
    assert body["history"][-1]["total"] == 26
    assert set(body["privileges"]) == {"flag", "vote_down", "retag", "edit_others"}
    assert {
        "kind": "product",
        "topic": "router-x",
        "score": 6,
        "answers": 1,
        "accepted": 1,
        "confirmed": 0,
    } in body["topics"]
    assert body["accepted_answers"] == 1


def test_the_ledger_is_paginated_newest_first(client, member):
    body = client.get(
        f"/api/v1/reputation/users/{member.username}/events/?page_size=1"
    ).json()
    assert (body["count"], body["pages"]) == (2, 2)
    assert (
        body["results"][0]["kind"] == "answer_accepted"
        and body["results"][0]["points"] == 15
    )
    assert (
        client.get(
            f"/api/v1/reputation/users/{member.username}/events/?page=3&page_size=1"
        ).status_code
        == 404
    )


def test_awards_link_to_their_verification_page_and_credential(client, member):
    body = client.get(f"/api/v1/reputation/users/{member.username}/awards/").json()
    slugs = {award["badge"]["slug"] for award in body["results"]}
    assert {"first-answer", "first-accepted-answer"} <= slugs
    expert = next(a for a in body["results"] if a["badge"]["product"] == "router-x")
    assert expert["badge"]["title"] == "Bronze: Expert in Router X"
    assert (
        client.get(expert["credential_url"].replace("http://testserver", "")).json()[
            "type"
        ][1]
        == "OpenBadgeCredential"
    )


def test_the_badge_catalogue_filters_by_tier_and_kind(client, member):
    body = client.get(
        "/api/v1/reputation/badges/?kind=general&tier=gold&page_size=100"
    ).json()
    assert body["count"] == 6 and all(b["tier"] == "gold" for b in body["results"])
    body = client.get("/api/v1/reputation/badges/?kind=product").json()
    assert {b["product"] for b in body["results"]} == {"router-x"}
    assert client.get("/api/v1/reputation/badges/first-answer/").json()["criteria"]
    error = client.get("/api/v1/reputation/badges/?tier=platinum").json()["error"]
    assert error["code"] == "invalid"


def test_the_leaderboard_by_product_tag_and_period(client, member):
    body = client.get(
        "/api/v1/reputation/leaderboard/?product=router-x&period=week"
    ).json()
    assert body["results"][0] == {
        "rank": 1,
        "username": member.username,
        "display_name": member.profile.display_name,
        "points": 25,
        "reputation": 26,
    }
    assert (
        client.get("/api/v1/reputation/leaderboard/?tag=wifi").json()["results"][0][
            "username"
        ]
        == member.username
    )
    assert client.get("/api/v1/reputation/leaderboard/?product=nope").status_code == 404
    assert (
        client.get("/api/v1/reputation/users/nobody/").json()["error"]["code"]
        == "not_found"
    )


def _busy_member(product, answers: int, votes: int):
    member = UserFactory()
    for n in range(answers):
        answer = make_answer(make_question(product=product, tags=[f"wifi{n % 3}"]), member)
        for _ in range(votes):
            services.vote_cast(user=UserFactory(), answer=answer, value=1)
        services.answer_accept(answer=answer, by=answer.question.author)
    return member


def _api_counts(client, member) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import cache as page_cache

    urls = {
        "reputation": f"/api/v1/reputation/users/{member.username}/",
        "events": f"/api/v1/reputation/users/{member.username}/events/",
        "awards": f"/api/v1/reputation/users/{member.username}/awards/",
        "badges": "/api/v1/reputation/badges/",
        "leaderboard": "/api/v1/reputation/leaderboard/?product=router-x",
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)
        cache.clear()
        page_cache.clear_local()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[name] = len(ctx)
    return counts


def test_the_reputation_api_costs_the_same_queries_for_a_new_and_a_busy_member(client, product, settings):
    settings.CANDOR_EXPERT_THRESHOLDS = {"bronze": (2, 1), "silver": (6, 3), "gold": (12, 6)}
    small = _busy_member(product, answers=1, votes=1)
    big = _busy_member(product, answers=8, votes=3)
    call_command("badgify_sync", "awards")
    small_counts, big_counts = _api_counts(client, small), _api_counts(client, big)
    assert big_counts == small_counts
    assert max(small_counts.values()) <= 8, small_counts
