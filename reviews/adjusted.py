"""The adjusted product score: a Bayesian average with the site-wide mean as prior.

adjusted = (C·m + sum of stars) / (m + n), where n is the product's number of
published reviews, m is ``CANDOR_REVIEW_PRIOR_WEIGHT`` and C the mean of every
published review on the site. C costs one aggregate over the summary rows; it is
cached and forgotten by `reviews.cache.panel_invalidate`, which every review
change calls.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum

from . import cache as panel_cache
from .models import ProductRatingSummary
from .stats import bayesian_average

PRIOR_TTL = 60 * 60


@dataclass(frozen=True)
class Prior:
    mean: float | None  # None while the site has no published review
    weight: int
    reviews: int  # published reviews on the site, C's sample size

    @property
    def mean_rounded(self) -> float | None:
        return None if self.mean is None else round(self.mean, 2)


def prior_get() -> Prior:
    """The site-wide mean of published stars and the prior weight m (cached)."""
    weight = settings.CANDOR_REVIEW_PRIOR_WEIGHT
    cached = cache.get(panel_cache.PRIOR_KEY)
    if cached is None:
        totals = ProductRatingSummary.objects.aggregate(
            n=Sum("review_count"), total=Sum("rating_sum")
        )
        n, total = totals["n"] or 0, totals["total"] or 0
        cached = (total / n if n else None, n)
        cache.set(panel_cache.PRIOR_KEY, cached, PRIOR_TTL)
    mean, reviews = cached
    return Prior(mean=mean, weight=weight, reviews=reviews)


def adjusted_average(summary, prior: Prior) -> float | None:
    """`summary`'s adjusted score, rounded to one decimal; None without reviews."""
    if not summary.review_count or prior.mean is None:
        return None
    value = bayesian_average(
        total=summary.rating_sum,
        n=summary.review_count,
        prior_mean=prior.mean,
        prior_weight=prior.weight,
    )
    return round(value, 1)
