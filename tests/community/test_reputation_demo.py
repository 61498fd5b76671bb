"""The demo loader yields members with bronze, silver and gold badges, topic experts included."""

import random
from datetime import UTC

import pytest
from badgify.models import Award
from django.db.models import Sum
from django.db.models.functions import TruncDate

from community.demo_reputation import load_reputation_demo
from community.models import ReputationEvent
from community.services_reputation import reputation_rebuild
from tests.factories.portal import make_product
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _context(site_tree) -> dict:
    products = {
        slug: make_product(site_tree["products"], title, slug=slug)
        for slug, title in [
            ("router-x", "Router X"),
            ("mesh-node-m2", "Mesh Node M2"),
            ("thermostat-t1", "Thermostat T1"),
            ("doorbell-cam-d3", "Doorbell Cam D3"),
            ("smart-plug-p1", "Smart Plug P1"),
        ]
    }
    return {
        "products": products,
        "accounts": {
            "customers": [UserFactory() for _ in range(8)],
            "staff": [StaffFactory() for _ in range(2)],
        },
        "rng": random.Random(1),
    }


def test_the_demo_makes_gold_silver_and_bronze_topic_experts_and_runs_twice_without_change(
    site_tree,
):
    context = _context(site_tree)
    load_reputation_demo(context)
    customers = context["accounts"]["customers"]
    experts = {
        (slug, tier)
        for slug, tier in Award.objects.filter(
            badge__slug__startswith="expert-"
        ).values_list("user__username", "badge__info__tier")
    }
    assert (customers[6].username, "gold") in experts
    assert (customers[7].username, "silver") in experts
    assert (customers[5].username, "bronze") in experts
    assert Award.objects.filter(
        badge__info__product__slug="router-x",
        badge__info__tier="gold",
        user=customers[6],
    ).exists()
    assert reputation_rebuild(fix=False) == []
    before = (ReputationEvent.objects.count(), Award.objects.count())
    load_reputation_demo(context)
    assert (ReputationEvent.objects.count(), Award.objects.count()) == before


def test_the_demo_ledger_keeps_the_daily_vote_limit_like_real_use(site_tree, settings):
    """The demo replays its votes through the live rule: no member gains more than the limit in a day."""
    settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT = 30
    load_reputation_demo(_context(site_tree))
    per_day = (
        ReputationEvent.objects.filter(kind__in=["answer_upvoted", "question_upvoted"])
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("user_id", "day")
        .annotate(points=Sum("points"))
    )
    assert per_day and max(row["points"] for row in per_day) <= 30
    # The limit really bit (the experts earn more than 30 a day from votes) and each cut is explained.
    assert ReputationEvent.objects.filter(note__startswith="Daily vote limit of 30").exists()
    assert reputation_rebuild(fix=False) == []
