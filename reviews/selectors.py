"""Reads for review pages, panels, the admin and the API, with their joins applied.

Every function here costs a fixed number of queries whatever the number of
reviews, which is what keeps the product page's query budget flat.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import (
    RATING_MAX,
    RATING_MIN,
    ModerationReason,
    ProductNote,
    ProductOwnership,
    ProductRatingSummary,
    Review,
    ReviewAppeal,
    ReviewReply,
    ReviewReport,
    ReviewVote,
    TrendAlert,
)

SORTS = {
    "helpful": ("-helpful_score", "-helpful_yes", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "highest": ("-rating", "-created_at", "-pk"),
    "lowest": ("rating", "-created_at", "-pk"),
}
DEFAULT_SORT = "helpful"


def parse_sort(value) -> str:
    return value if value in SORTS else DEFAULT_SORT


def parse_stars(value) -> int | None:
    try:
        stars = int(value)
    except (TypeError, ValueError):
        return None
    return stars if RATING_MIN <= stars <= RATING_MAX else None


def _with_display_joins(queryset):
    return (
        queryset.select_related("author__profile", "reply__author__profile", "product")
        .annotate(
            is_verified=Exists(
                ProductOwnership.objects.filter(
                    product_id=OuterRef("product_id"), customer_id=OuterRef("author_id")
                )
            )
        )
        .prefetch_related("photos")
    )


@dataclass(frozen=True)
class ReviewFilters:
    """Verified customers only, with photos only, and words in the title or body."""

    verified: bool = False
    photos: bool = False
    words: str = ""

    @classmethod
    def parse(cls, get, prefix: str = "review_") -> "ReviewFilters":
        words = " ".join(str(get.get(prefix + "q", ""))[:100].split())
        return cls(
            verified=get.get(prefix + "verified") in {"1", "true", "on"},
            photos=get.get(prefix + "photos") in {"1", "true", "on"},
            words=words,
        )

    def __bool__(self) -> bool:
        return self.verified or self.photos or bool(self.words)

    def key(self) -> tuple:
        """Cache-key parts: the words hashed, so any text makes a safe key."""
        import hashlib

        words = hashlib.sha256(self.words.encode()).hexdigest()[:16] if self.words else ""
        return (int(self.verified), int(self.photos), words)

    def query(self) -> str:
        """`&review_...` parameters that keep these filters on a page link."""
        from urllib.parse import urlencode

        params = {"review_verified": "1" if self.verified else "",
                  "review_photos": "1" if self.photos else "", "review_q": self.words}
        kept = urlencode({k: v for k, v in params.items() if v})
        return "&" + kept if kept else ""


def _verified_q():
    return Exists(
        ProductOwnership.objects.filter(
            product_id=OuterRef("product_id"), customer_id=OuterRef("author_id")
        )
    )


def _photos_q():
    from .models import ReviewPhoto

    return Exists(ReviewPhoto.objects.filter(review_id=OuterRef("pk")))


def _filtered(reviews, filters: "ReviewFilters | None"):
    if not filters:
        return reviews
    if filters.verified:
        reviews = reviews.filter(_verified_q())
    if filters.photos:
        reviews = reviews.filter(_photos_q())
    for word in filters.words.split()[:10]:
        reviews = reviews.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return reviews


def review_list_for_product(
    *,
    product,
    sort: str = DEFAULT_SORT,
    stars: int | None = None,
    filters: "ReviewFilters | None" = None,
):
    """Return `product`'s published reviews, sorted and optionally of one star count
    and filtered (`ReviewFilters`).

    "helpful" sorts by the Wilson lower bound of helpful votes (stored on the row
    and indexed), so the order never needs the votes table.
    """
    reviews = Review.objects.published().filter(product=product)
    if stars:
        reviews = reviews.filter(rating=stars)
    reviews = _filtered(reviews, filters)
    return _with_display_joins(reviews).order_by(*SORTS[parse_sort(sort)])


def review_filter_counts(*, product) -> dict[str, int]:
    """How many published reviews each filter keeps ("Verified (12)"), in one query."""
    return Review.objects.published().filter(product=product).aggregate(
        verified=Count("pk", filter=Q(_verified_q())),
        photos=Count("pk", filter=Q(_photos_q())),
    )


def review_count_filtered(*, product, stars, filters, summary) -> int:
    """The listing's count: from the summary, or one COUNT when filters apply."""
    if not filters:
        return review_count_for(summary, stars)
    reviews = Review.objects.published().filter(product=product)
    if stars:
        reviews = reviews.filter(rating=stars)
    return _filtered(reviews, filters).count()


def review_get_for_display(*, pk: int):
    """Return one review (any status) with what its page shows, or None."""
    return (
        _with_display_joins(Review.objects.filter(pk=pk))
        .select_related("appeal")
        .first()
    )


def rating_summary_get(*, product) -> ProductRatingSummary:
    """Return the product's summary, or an empty one (not saved) before the first review."""
    summary = ProductRatingSummary.objects.filter(product_id=product.pk).first()
    return summary or ProductRatingSummary(product_id=product.pk)


def rating_summary_list(*, product_ids) -> list[ProductRatingSummary]:
    """The summaries of `product_ids` that have a published review, in one query."""
    return list(
        ProductRatingSummary.objects.filter(
            product_id__in=list(product_ids), review_count__gt=0
        )
    )


def review_count_for(summary: ProductRatingSummary, stars: int | None) -> int:
    """How many reviews a listing shows, from the summary instead of a COUNT(*)."""
    return getattr(summary, f"stars_{stars}") if stars else summary.review_count


@dataclass
class HiddenCounts:
    total: int = 0
    by_reason: list[tuple[str, int]] = field(default_factory=list)  # (label, n)
    by_code: dict[str, int] = field(default_factory=dict)  # {reason code: n}


def review_hidden_counts(
    *, product, summary: ProductRatingSummary | None = None
) -> HiddenCounts:
    """How many of the product's reviews staff hid, and why (shown publicly).

    With the product's summary at hand, no query runs when nothing is hidden.
    """
    if summary is not None and not summary.hidden_count:
        return HiddenCounts()
    labels = dict(ModerationReason.choices)
    rows = (
        Review.objects.filter(product=product, status=Review.Status.HIDDEN)
        .values_list("hidden_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "hidden_reason")
    )
    rows = list(rows)
    return HiddenCounts(
        total=sum(n for _reason, n in rows),
        by_reason=[(labels.get(reason, reason), n) for reason, n in rows],
        by_code=dict(rows),
    )


@dataclass
class ResponseStats:
    negative: int
    replied: int
    median_seconds: float | None

    @property
    def share(self) -> float | None:
        return self.replied / self.negative if self.negative else None


def review_response_stats(
    *, product, summary: ProductRatingSummary | None = None
) -> ResponseStats:
    """Share of negative (1–2 star) published reviews with a staff reply, and the
    median time to that reply. Two or three queries (none without negative reviews,
    given the summary); the median is read with ORDER BY … OFFSET so no database
    needs a percentile function."""
    if summary is not None and not summary.negative_count:
        return ResponseStats(negative=0, replied=0, median_seconds=None)
    negative = Review.objects.published().filter(product=product, rating__lte=2)
    counts = negative.aggregate(n=Count("pk"), replied=Count("reply"))
    median = None
    replied = counts["replied"]
    if replied:
        delays = (
            ReviewReply.objects.filter(
                review__product=product,
                review__status=Review.Status.PUBLISHED,
                review__rating__lte=2,
            )
            .order_by("response_seconds")
            .values_list("response_seconds", flat=True)
        )
        low, high = (replied - 1) // 2, replied // 2
        values = list(delays[low : high + 1])
        median = sum(values) / len(values) if values else None
    return ResponseStats(negative=counts["n"], replied=replied, median_seconds=median)


def product_note_list_recent(*, product, limit: int = 3):
    return ProductNote.objects.filter(product=product).order_by("-published_on", "-pk")[
        :limit
    ]


def review_get_own(*, product, user):
    """Return `user`'s review of `product` (any status), or None."""
    if not (user and user.is_authenticated):
        return None
    return Review.objects.filter(product=product, author=user).first()


def review_already_written(request, view_kwargs: dict) -> bool:
    """Has the signed-in member already reviewed the product of this write request?

    The rate limiter asks first (CANDOR_RATE_LIMIT_PRECHECKS), so a second review
    is told "You have already reviewed" (the view and the service say it), not
    "slow down". The form's URL names the product by id, the API's by slug.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if "product_id" in view_kwargs:
        product = Q(product_id=view_kwargs["product_id"])
    elif "slug" in view_kwargs:
        product = Q(product__slug=view_kwargs["slug"])
    else:
        return False
    return Review.objects.filter(product, author=user).exists()


def review_votes_by(*, user, review_ids) -> dict[int, bool]:
    """Return {review_id: helpful} for `user`'s votes on the listed reviews."""
    if not (user and user.is_authenticated) or not review_ids:
        return {}
    return dict(
        ReviewVote.objects.filter(
            voter=user, review_id__in=list(review_ids)
        ).values_list("review_id", "helpful")
    )


def review_reported_ids(*, user, review_ids) -> set[int]:
    if not (user and user.is_authenticated) or not review_ids:
        return set()
    return set(
        ReviewReport.objects.filter(
            reporter=user, review_id__in=list(review_ids)
        ).values_list("review_id", flat=True)
    )


def review_contact_labels(*, product_id: int, customer_ids) -> dict[int, dict]:
    """Return satisfaction's "contacted support" facts for these customers (one query)."""
    from satisfaction.services import customer_contact_summaries

    customer_ids = sorted(set(customer_ids))
    if not customer_ids:
        return {}
    return customer_contact_summaries(product_id=product_id, customer_ids=customer_ids)


def review_list_top(*, limit: int = 4, days: int = 365):
    """The most helpful recent reviews of live products, whatever their rating."""
    since = timezone.now() - timedelta(days=days)
    return (
        Review.objects.published()
        .filter(product__live=True, created_at__gte=since, helpful_yes__gt=0)
        .select_related("product", "author__profile")
        .order_by("-helpful_score", "-created_at")[:limit]
    )


def review_list_by_author(*, user, limit: int = 50):
    """The member's own reviews, hidden ones included, with their appeal."""
    return (
        Review.objects.filter(author=user)
        .select_related("product", "appeal")
        .order_by("-created_at")[:limit]
    )


def review_list_published_by_author(*, user, limit: int = 10):
    return (
        Review.objects.published()
        .filter(author=user, product__live=True)
        .select_related("product")
        .order_by("-created_at")[:limit]
    )


def ownership_list_for(*, user):
    return (
        ProductOwnership.objects.filter(customer=user)
        .select_related("product")
        .order_by("product__title")
    )


def trend_alert_list_open():
    return (
        TrendAlert.objects.filter(closed_at__isnull=True)
        .select_related("product")
        .order_by("-opened_at")
    )


NEGATIVE_MAX_STARS = 2
# The admin reviews listing filtered to the start page's "negative reviews without a
# reply" (ReviewFilterSet in reviews.admin_views reads these two parameters).
NEGATIVE_UNREPLIED_QUERY = "status=published&stars=negative&replied=no"


def review_list_negative_unreplied():
    """Published 1-2 star reviews with no staff reply yet: the ones to answer first."""
    return Review.objects.published().filter(
        rating__lte=NEGATIVE_MAX_STARS, reply__isnull=True
    )


def moderation_queue_counts() -> dict:
    """Counts for the admin dashboard: reviews with open reports, pending appeals."""
    return {
        "reported": Review.objects.published()
        .filter(reports__status=ReviewReport.Status.OPEN)
        .distinct()
        .count(),
        "appeals": ReviewAppeal.objects.filter(
            status=ReviewAppeal.Status.PENDING
        ).count(),
    }


def staff_email_list() -> list[str]:
    """Addresses of active staff: trend alerts and appeals go to them."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True))
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def review_search_queryset():
    """Reviews the site search may show: published, of live public products."""
    from portal.selectors import product_search_queryset

    live_ids = list(product_search_queryset().values_list("pk", flat=True))
    return Review.objects.filter(status=Review.Status.PUBLISHED, product__in=live_ids)
