"""The rebuild command reports differences; the demo loader is idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import ProductRatingSummary
from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db


def test_rebuild_reports_nothing_when_summaries_equal_a_recount(product):
    write_review(product, rating=5)
    out = StringIO()
    call_command("reviews_rebuild_summaries", "--check", stdout=out)
    assert "Every summary equals a recount." in out.getvalue()


def test_rebuild_check_fails_on_drift_and_rebuild_fixes_it(product):
    write_review(product, rating=5)
    ProductRatingSummary.objects.filter(product=product).update(
        review_count=0, stars_5=0, rating_sum=0
    )
    with pytest.raises(CommandError, match="1 summaries differ"):
        call_command("reviews_rebuild_summaries", "--check", stdout=StringIO())
    out = StringIO()
    call_command("reviews_rebuild_summaries", stdout=out)
    assert (
        f"product {product.pk}: stars_5: 0 → 1, review_count: 0 → 1, rating_sum: 0 → 5"
        in out.getvalue()
    )
    assert ProductRatingSummary.objects.get(product=product).review_count == 1


def test_rebuild_creates_a_missing_summary(product):
    write_review(product, rating=3)
    ProductRatingSummary.objects.all().delete()
    call_command("reviews_rebuild_summaries", stdout=StringIO())
    assert ProductRatingSummary.objects.get(product=product).rating_sum == 3
