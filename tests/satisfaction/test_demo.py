"""The demo adds ~600 interactions over 120 days, ~90 % satisfied, with one product's visible dip."""

import io
from datetime import timedelta

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

    # The dip this demo plants: Thermostat T1's share of "Yes" among its own answers
    # (the community and reviews demos add answers of their own to the meter).
    from django.db.models import Avg, Count, IntegerField
    from django.db.models.functions import Cast

    shares = {
        row["interaction__product__title"]: row["share"]
        for row in answers.filter(interaction__source=DEMO_SOURCE)
        .values("interaction__product__title")
        .annotate(share=Avg(Cast("satisfied", IntegerField())), n=Count("pk"))
        .filter(n__gte=10)
    }
    shares.pop(None, None)  # interactions about no product
    dip = shares.pop("Thermostat T1")
    assert shares and dip < min(shares.values())
    # ... and it is a dip in time: bad during its weeks, fine before and after.
    from django.utils import timezone

    from satisfaction.demo import DIP_DAYS

    thermostat = answers.filter(
        interaction__source=DEMO_SOURCE, interaction__product__title="Thermostat T1"
    )
    now = timezone.now()
    window = {
        "interaction__occurred_at__gte": now - timedelta(days=DIP_DAYS[1]),
        "interaction__occurred_at__lte": now - timedelta(days=DIP_DAYS[0]),
    }
    during = thermostat.filter(**window)
    outside = thermostat.exclude(pk__in=during.values("pk"))
    assert during.count() >= 4
    assert during.filter(satisfied=True).count() / during.count() <= 0.6
    assert outside.filter(satisfied=True).count() / outside.count() >= 0.88
    assert selectors.meter_snapshot()["by_product"]
    assert ledger.tallies_rebuild(fix=False) == []
    assert ledger.chain_verify()[1] == []
