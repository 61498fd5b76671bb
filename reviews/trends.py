"""Trend alerts: is a product's 30-day average significantly below its 90-day average?

The method, published so anyone can check it:

- Windows (published reviews, by the date they were written): *recent* is the last
  30 days; *baseline* is the 60 days before that (days 31–90). The 90-day average
  shown to staff is the mean over both. The 30-day mean is below the 90-day mean
  exactly when it is below the baseline mean (the 90-day mean is a weighted
  average of the two), and the two windows share no review, so a two-sample test
  between them is valid where "30 days vs 90 days" (overlapping) would not be.
- Test: one-sided Welch's t-test on the star ratings (H1: recent mean < baseline
  mean), which allows unequal variances and sizes.
- An episode opens when both windows have at least 10 reviews, the recent mean
  is at least 0.5 star below the baseline mean and p < 0.05. Staff are emailed
  once, when it opens.
- It closes (hysteresis, so it does not flap) when p ≥ 0.20, the drop shrinks
  below 0.25 star, or a window has fewer than 10 reviews. A later drop opens a
  new episode and a new email.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q, Sum

from .stats import Sample, TTestResult, welch_t_test_less

RECENT_DAYS = 30
WINDOW_DAYS = 90
MIN_N = 10
MIN_DROP = 0.5
ALPHA_OPEN = 0.05
ALPHA_CLOSE = 0.20
CLOSE_DROP = 0.25


@dataclass(frozen=True)
class TrendReading:
    recent: Sample
    baseline: Sample
    test: TTestResult | None

    @property
    def enough_data(self) -> bool:
        return self.recent.n >= MIN_N and self.baseline.n >= MIN_N

    @property
    def drop(self) -> float:
        return self.baseline.mean - self.recent.mean

    @property
    def mean_90_days(self) -> float:
        n = self.recent.n + self.baseline.n
        return (self.recent.total + self.baseline.total) / n if n else 0.0

    @property
    def signals_decline(self) -> bool:
        return bool(
            self.enough_data
            and self.test
            and self.drop >= MIN_DROP
            and self.test.p_value < ALPHA_OPEN
        )

    @property
    def decline_is_over(self) -> bool:
        return (
            not self.enough_data
            or self.test is None
            or self.test.p_value >= ALPHA_CLOSE
            or self.drop < CLOSE_DROP
        )


def trend_reading(*, product_id: int, now: datetime) -> TrendReading:
    """Read both windows for `product_id` in one aggregate query and run the test."""
    from .models import Review

    recent_since = now - timedelta(days=RECENT_DAYS)
    recent = Q(created_at__gte=recent_since)
    baseline = Q(created_at__lt=recent_since)
    square = F("rating") * F("rating")
    row = (
        Review.objects.published()
        .filter(
            product_id=product_id,
            created_at__gte=now - timedelta(days=WINDOW_DAYS),
            created_at__lte=now,
        )
        .aggregate(
            recent_n=Count("pk", filter=recent),
            recent_sum=Sum("rating", filter=recent),
            recent_sq=Sum(square, filter=recent),
            baseline_n=Count("pk", filter=baseline),
            baseline_sum=Sum("rating", filter=baseline),
            baseline_sq=Sum(square, filter=baseline),
        )
    )
    recent_sample = Sample(
        row["recent_n"], row["recent_sum"] or 0, row["recent_sq"] or 0
    )
    baseline_sample = Sample(
        row["baseline_n"], row["baseline_sum"] or 0, row["baseline_sq"] or 0
    )
    test = None
    if recent_sample.n >= 2 and baseline_sample.n >= 2:
        test = welch_t_test_less(recent_sample, baseline_sample)
    return TrendReading(recent=recent_sample, baseline=baseline_sample, test=test)
