"""The demo adds ~600 interactions over 120 days, ~90 % satisfied, with one product's visible dip."""

import io

import pytest
from django.core.management import call_command

from satisfaction import ledger, selectors
from satisfaction.demo import DEMO_SOURCE
from satisfaction.models import DayDigest, FollowUp, Interaction, SurveyResponse
from tests.factories.portal import ensure_tree_roots

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_believable_meter_once(settings):
    ensure_tree_roots()
    call_command("portal_demo", stdout=io.StringIO())
    counts = (
        Interaction.objects.count(),
        SurveyResponse.objects.count(),
        FollowUp.objects.count(),
        DayDigest.objects.count(),
    )
    call_command("portal_demo", stdout=io.StringIO())
    assert (
        Interaction.objects.count(),
        SurveyResponse.objects.count(),
        FollowUp.objects.count(),
        DayDigest.objects.count(),
    ) == counts

    # 600 from this demo; community and reviews record more through their own demos.
    assert Interaction.objects.filter(source=DEMO_SOURCE).count() == 600
    answers = SurveyResponse.objects.filter(exclusion__isnull=True)
    share = answers.filter(satisfied=True).count() / answers.count()
    assert 0.86 <= share <= 0.95
    first, last = Interaction.objects.filter(source=DEMO_SOURCE).order_by("occurred_at").values_list(
        "occurred_at", flat=True
    )[::599]
    assert 115 <= (last - first).days <= 120

    snapshot = selectors.meter_snapshot()
    products = {p["name"]: p["windows"]["90"] for p in snapshot["by_product"]}
    dip = products.pop("Thermostat T1")
    assert all(
        dip["percent"] < other["percent"] - 8
        for name, other in products.items()
        if other["enough"]
    )
    assert ledger.tallies_rebuild(fix=False) == []
    assert ledger.chain_verify()[1] == []
