"""`portal_demo` adds ~400 reviews with photos, replies and one product in decline, once."""

import pytest
from django.core.management import call_command

from reviews.models import ProductNote, Review, ReviewPhoto, ReviewReply, TrendAlert
from reviews.services import rating_summary_rebuild

pytestmark = pytest.mark.django_db


def test_the_demo_adds_reviews_photos_replies_and_a_declining_product_once(capsys):
    call_command("portal_demo")
    counts = (
        Review.objects.count(),
        ReviewPhoto.objects.count(),
        ReviewReply.objects.count(),
    )
    assert 380 <= counts[0] <= 440
    assert counts[1] >= 50 and counts[2] >= 20
    alert = TrendAlert.objects.get(closed_at__isnull=True)
    assert alert.product.slug == "doorbell-cam-d3"
    assert ProductNote.objects.filter(product=alert.product).exists()
    assert Review.objects.filter(status="hidden").count() == 3
    assert rating_summary_rebuild(apply=False) == []

    call_command("portal_demo")
    assert (
        Review.objects.count(),
        ReviewPhoto.objects.count(),
        ReviewReply.objects.count(),
    ) == counts
    assert TrendAlert.objects.count() == 1
