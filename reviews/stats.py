"""The statistics reviews rely on, in plain Python so anyone can check them.

- `wilson_lower_bound`: how sure we are that a review is helpful, for sorting
  (Evan Miller, "How not to sort by average rating").
- `welch_t_test_less`: is a recent window of star ratings lower than a baseline
  window? Welch's t-test does not assume equal variances or equal sizes, which
  suits ratings (a burst of 1-star reviews has a very different spread).
- `bayesian_average`: a product's star average pulled towards the site-wide mean
  while it has few reviews, so 1 five-star review does not outrank 200 reviews
  averaging 4.8 (the "adjusted" score on product pages).
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054


def wilson_lower_bound(positive: int, total: int, z: float = Z_95) -> float:
    """Return the lower bound of the Wilson score interval for positive/total."""
    if total <= 0:
        return 0.0
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    margin = z * math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)
    return max(0.0, min(1.0, (centre - margin) / (1 + z2 / total)))


def bayesian_average(
    *, total: float, n: int, prior_mean: float, prior_weight: float
) -> float | None:
    """(C·m + sum of stars) / (m + n): the mean of n ratings plus m imaginary ones at C.

    None without any rating: there is nothing to adjust.
    """
    if n <= 0:
        return None
    return (prior_mean * prior_weight + total) / (prior_weight + n)


@dataclass(frozen=True)
class Sample:
    """n, sum and sum of squares: all a t-test needs, and one SQL aggregate gives them."""

    n: int
    total: float
    total_sq: float

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def variance(self) -> float:
        """Unbiased sample variance (n − 1)."""
        if self.n < 2:
            return 0.0
        return max(
            0.0, (self.total_sq - self.total * self.total / self.n) / (self.n - 1)
        )


@dataclass(frozen=True)
class TTestResult:
    t: float
    df: float
    p_value: float


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 3e-14:
            break
    return h


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def student_t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` degrees of freedom."""
    if math.isinf(t):
        return 0.0 if t < 0 else 1.0
    tail = 0.5 * regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return tail if t < 0 else 1.0 - tail


def welch_t_test_less(recent: Sample, baseline: Sample) -> TTestResult:
    """One-sided Welch's t-test of H1: mean(recent) < mean(baseline).

    Needs n ≥ 2 in both samples. When both variances are zero the answer is
    certain: p = 0 if the recent mean is lower, 1 otherwise.
    """
    if recent.n < 2 or baseline.n < 2:
        raise ValueError("Each sample needs at least two ratings.")
    v1, v2 = recent.variance / recent.n, baseline.variance / baseline.n
    diff = recent.mean - baseline.mean
    se2 = v1 + v2
    if se2 == 0:
        return TTestResult(
            t=-math.inf if diff < 0 else math.inf if diff > 0 else 0.0,
            df=recent.n + baseline.n - 2,
            p_value=0.0 if diff < 0 else 1.0,
        )
    t = diff / math.sqrt(se2)
    # Welch–Satterthwaite degrees of freedom.
    denominator = (v1 * v1) / (recent.n - 1) + (v2 * v2) / (baseline.n - 1)
    df = se2 * se2 / denominator if denominator > 0 else recent.n + baseline.n - 2
    return TTestResult(t=t, df=df, p_value=student_t_cdf(t, df))
