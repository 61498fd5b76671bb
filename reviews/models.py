"""Product reviews: ratings, versions, photos, helpful votes, reports, staff replies,
moderation, appeals, verified customers, the per-product rating summary and trend alerts.

Every count users see is backed by a constraint here or by one service function in
reviews.services that keeps it in the same transaction as the change.
"""

import uuid

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal.models.pages import SearchableMixin

RATING_MIN, RATING_MAX = 1, 5
TITLE_MAX = 120
BODY_MAX = 10_000
NOTE_MAX = 1_000
REPLY_MAX = 5_000
PHOTOS_MAX = 5


class ModerationReason(models.TextChoices):
    """Why a review is hidden. There is deliberately no reason about the rating."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or hateful")
    PERSONAL_DATA = "personal_data", _("Contains personal data")
    OFF_TOPIC = "off_topic", _("Off-topic")
    NOT_ABOUT_PRODUCT = "not_about_product", _("Not about the product")


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)


class Review(SearchableMixin, index.Indexed, models.Model):
    """One customer's rating and words about one product.

    Published at once whatever the rating: there is no "pending" state, so holding
    back low ratings is impossible by design (FTC 16 CFR 465). Staff can hide a
    review only with a reason code; the row stays and can be restored.
    `body_html` is `body` rendered by portal.markdown on save. The helpful counters
    and `helpful_score` (Wilson lower bound) are kept by reviews.services.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by staff")

    product = models.ForeignKey(
        "portal.ProductPage", on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(
        max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)]
    )
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(
        max_length=20, choices=ModerationReason.choices, blank=True
    )
    hidden_note = models.TextField(
        max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    helpful_score = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.RelatedFields("product", [index.SearchField("title")]),
        index.FilterField("status"),
        index.FilterField("product"),
        index.FilterField("search_product_slugs"),
        index.FilterField("search_tag_names"),
    ]
    search_type = "review"

    class Meta:
        permissions = [
            ("moderate_review", "Can hide and restore reviews and decide appeals")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "author"],
                name="review_one_per_customer_per_product",
                violation_error_message=_(
                    "You have already reviewed this product; edit your review instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="review_rating_1_to_5",
                violation_error_message=_("Choose from 1 to 5 stars."),
            ),
            models.CheckConstraint(
                condition=(Q(status="published", hidden_reason=""))
                | (Q(status="hidden") & ~Q(hidden_reason="")),
                name="review_hidden_iff_reason",
            ),
            models.CheckConstraint(
                condition=Q(helpful_score__gte=0, helpful_score__lte=1),
                name="review_helpful_score_0_to_1",
            ),
        ]
        indexes = [
            models.Index(
                fields=["product", "status", "-helpful_score", "-created_at"],
                name="review_helpful_idx",
            ),
            models.Index(
                fields=["product", "status", "-created_at"], name="review_newest_idx"
            ),
            models.Index(
                fields=["product", "status", "rating", "created_at"],
                name="review_rating_idx",
            ),
            models.Index(fields=["status", "-helpful_score"], name="review_top_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:review_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def helpful_total(self) -> int:
        return self.helpful_yes + self.helpful_no

    @property
    def star_range(self) -> range:
        return range(RATING_MAX)

    @property
    def excerpt(self) -> str:
        """The first 30 words as plain text (from the rendered HTML, so no Markdown marks)."""
        from html import unescape

        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return Truncator(unescape(strip_tags(self.body_html))).words(30)

    def get_search_snippet(self) -> str:
        return self.excerpt

    def search_product_slugs(self) -> list[str]:
        return [self.product.slug]

    def search_boost(self) -> float:
        """Reviews are opinions, not answers: below help for the same match."""
        return 0.7

    def search_tag_names(self) -> list[str]:
        return [tag.name.lower() for tag in self.product.tags.all()]


class ReviewRevision(models.Model):
    """An earlier version of a review, kept when its author edits it."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="revisions"
    )
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text=_("When this version was published."))
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"{self.title} (until {self.replaced_at:%Y-%m-%d})"


def _photo_path(instance, filename):
    # Random names: the customer's file name never reaches the file system.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"reviews/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ReviewPhoto(models.Model):
    """A re-encoded customer photo and its thumbnail; at most five per review.

    `position` is 0–4 and unique per review, so the limit holds in the database.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    image = models.ImageField(
        upload_to=_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=_photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "position"], name="review_photo_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__lt=PHOTOS_MAX), name="review_photo_at_most_five"
            ),
        ]

    def __str__(self):
        return f"Photo {self.position + 1} of review {self.review_id}"

    def _thumb_scale(self) -> float:
        from .photos import THUMBNAIL_FIT

        if not (self.width and self.height):
            return 1.0
        return min(1.0, THUMBNAIL_FIT[0] / self.width, THUMBNAIL_FIT[1] / self.height)

    @property
    def thumb_width(self) -> int:
        return max(1, round(self.width * self._thumb_scale()))

    @property
    def thumb_height(self) -> int:
        return max(1, round(self.height * self._thumb_scale()))


class ReviewVote(models.Model):
    """One reader's answer to "Was this review helpful?"; one per person per review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_votes"
    )
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "voter"],
                name="review_vote_one_per_person",
                violation_error_message=_("You have already voted on this review."),
            )
        ]

    def __str__(self):
        return (
            f"{'helpful' if self.helpful else 'not helpful'}: review {self.review_id}"
        )


class ReviewReport(models.Model):
    """A reader's report that a review breaks the rules; one per person per review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: the review was hidden")
        DISMISSED = "dismissed", _("Dismissed")
        # Upheld, then the review was restored (on appeal or by a change of mind).
        OVERTURNED = "overturned", _("Overturned: the review was restored")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_reports",
    )
    reason = models.CharField(max_length=20, choices=ModerationReason.choices)
    note = models.TextField(
        max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"],
                name="review_report_one_per_person",
                violation_error_message=_("You have already reported this review."),
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "-created_at"], name="review_report_status_idx"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: review {self.review_id}"


class ReviewReply(models.Model):
    """The company's public reply to a review: one per review, editable.

    `response_seconds` (review to first reply) feeds the public median time to reply.
    """

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="reply"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(
        max_length=REPLY_MAX, validators=[MaxLengthValidator(REPLY_MAX)]
    )
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    response_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("review replies")

    def __str__(self):
        return f"Reply to review {self.review_id}"


class ReviewAppeal(models.Model):
    """The author's one appeal against the hiding of their review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        UPHELD = "upheld", _("Upheld: the review is visible again")
        REJECTED = "rejected", _("Rejected: the review stays hidden")

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="appeal"
    )
    note = models.TextField(
        max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(
        max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )

    def __str__(self):
        return f"Appeal for review {self.review_id} ({self.get_status_display()})"


class ModerationEvent(models.Model):
    """What happened to a review in moderation, by whom and why: the audit trail."""

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Restored")
        APPEALED = "appealed", _("Appealed by the author")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
        REPORTS_DISMISSED = "reports_dismissed", _("Reports dismissed")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="moderation_events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(
        max_length=20, choices=ModerationReason.choices, blank=True
    )
    note = models.TextField(
        max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: review {self.review_id}"


class ProductRatingSummary(models.Model):
    """Count, sum and per-star counts of a product's published reviews, and how many
    of its reviews are hidden.

    Changed only by reviews.services, in the same transaction as the review change,
    with F() updates; the check constraints keep it self-consistent and
    `reviews_rebuild_summaries` compares it with a recount.
    """

    product = models.OneToOneField(
        "portal.ProductPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="rating_summary",
    )
    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)
    hidden_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("product rating summaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    review_count=F("stars_1")
                    + F("stars_2")
                    + F("stars_3")
                    + F("stars_4")
                    + F("stars_5")
                ),
                name="summary_count_is_sum_of_stars",
            ),
            models.CheckConstraint(
                condition=Q(
                    rating_sum=F("stars_1")
                    + 2 * F("stars_2")
                    + 3 * F("stars_3")
                    + 4 * F("stars_4")
                    + 5 * F("stars_5")
                ),
                name="summary_sum_matches_stars",
            ),
        ]

    def __str__(self):
        return f"{self.review_count} reviews of product {self.product_id}"

    @property
    def average(self) -> float | None:
        return (
            round(self.rating_sum / self.review_count, 1) if self.review_count else None
        )

    @property
    def negative_count(self) -> int:
        return self.stars_1 + self.stars_2

    def star_counts(self) -> dict[int, int]:
        return {
            n: getattr(self, f"stars_{n}")
            for n in range(RATING_MAX, RATING_MIN - 1, -1)
        }


class ProductOwnership(models.Model):
    """A product on a customer's account: what makes them a "Verified customer".

    Set by staff in the admin or by the API (an order system, say); one row per
    customer and product.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("Added by staff")
        API = "api", _("Added through the API")

    product = models.ForeignKey(
        "portal.ProductPage", on_delete=models.CASCADE, related_name="owners"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owned_products",
    )
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.STAFF
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verified customer")
        verbose_name_plural = _("verified customers")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "customer"],
                name="ownership_one_per_customer_per_product",
            )
        ]

    def __str__(self):
        return f"{self.customer} owns {self.product}"


class ProductNote(models.Model):
    """A public, dated note from staff on a product ("We know about the battery issue…")."""

    product = models.ForeignKey(
        "portal.ProductPage", on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(
        max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    body_html = models.TextField(editable=False)
    published_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public product note")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(
                fields=["product", "-published_on"], name="product_note_recent_idx"
            )
        ]

    def __str__(self):
        return f"Note on {self.product} ({self.published_on:%Y-%m-%d})"


class TrendAlert(models.Model):
    """An episode in which a product's recent ratings fell significantly.

    At most one open episode per product (partial unique constraint), so staff are
    emailed once per episode; `closed_at` ends it when the drop is no longer
    supported by the data. See reviews.trends for the test.
    """

    product = models.ForeignKey(
        "portal.ProductPage", on_delete=models.CASCADE, related_name="trend_alerts"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(default=timezone.now)
    recent_n = models.PositiveIntegerField()
    recent_mean = models.FloatField()
    baseline_n = models.PositiveIntegerField()
    baseline_mean = models.FloatField()
    mean_90_days = models.FloatField()
    t_statistic = models.FloatField()
    p_value = models.FloatField()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(closed_at__isnull=True),
                name="trend_one_open_episode_per_product",
            )
        ]

    def __str__(self):
        return f"Falling ratings: {self.product} since {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
