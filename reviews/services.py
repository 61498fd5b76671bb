"""Every write reviews make with rules or side effects happens here, once.

Views, the Wagtail admin, the API, commands, the demo loader and tests all call
these functions. Each locks the review row it changes (select_for_update on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), keeps the
product's rating summary current in the same transaction with F() updates, and
sends email and background work only after commit.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.emails import email_send_on_commit
from portal.markdown import render_markdown
from portal.permissions import is_staff_member

from . import permissions, trends
from .cache import panel_invalidate
from .models import (
    PHOTOS_MAX,
    ModerationEvent,
    ModerationReason,
    ProductNote,
    ProductOwnership,
    ProductRatingSummary,
    Review,
    ReviewAppeal,
    ReviewPhoto,
    ReviewReply,
    ReviewReport,
    ReviewRevision,
    ReviewVote,
    TrendAlert,
)
from .photos import ProcessedPhoto
from .stats import wilson_lower_bound

SATISFACTION_SOURCE = "reviews.review"


# --- the rating summary -----------------------------------------------------------


def _summary_apply(product_id: int, deltas: dict[int, int], *, hidden: int = 0) -> None:
    """Add `deltas` ({stars: +1/-1}) and `hidden` to the product's summary in this transaction.

    The row is created on first use with INSERT … ON CONFLICT DO NOTHING, then
    changed with one UPDATE of F() expressions, so concurrent writers never lose
    an increment (PostgreSQL row locks; SQLite's single writer).
    """
    deltas = {rating: delta for rating, delta in deltas.items() if delta}
    if not deltas and not hidden:
        return
    ProductRatingSummary.objects.bulk_create(
        [ProductRatingSummary(product_id=product_id)], ignore_conflicts=True
    )
    updates = {
        f"stars_{rating}": F(f"stars_{rating}") + delta
        for rating, delta in deltas.items()
    }
    if deltas:
        updates["review_count"] = F("review_count") + sum(deltas.values())
        updates["rating_sum"] = F("rating_sum") + sum(
            rating * delta for rating, delta in deltas.items()
        )
    if hidden:
        updates["hidden_count"] = F("hidden_count") + hidden
    ProductRatingSummary.objects.filter(product_id=product_id).update(**updates)


def _summary_recount(product_id: int) -> dict[str, int]:
    counts = dict(
        Review.objects.published()
        .filter(product_id=product_id)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    actual = {f"stars_{n}": counts.get(n, 0) for n in range(1, 6)}
    actual["review_count"] = sum(counts.values())
    actual["rating_sum"] = sum(rating * n for rating, n in counts.items())
    actual["hidden_count"] = Review.objects.filter(
        product_id=product_id, status=Review.Status.HIDDEN
    ).count()
    return actual


def rating_summary_rebuild(
    *, product_ids: Iterable[int] | None = None, apply: bool = True
) -> list[dict]:
    """Recount every product's summary from its reviews; return the differences found.

    Each product is done in its own transaction that first locks the summary row,
    so a review committed meanwhile is either in the recount or adds itself after.
    With `apply=False` nothing is written (a check).
    """
    if product_ids is None:
        product_ids = set(
            Review.objects.values_list("product_id", flat=True).distinct()
        ) | set(ProductRatingSummary.objects.values_list("product_id", flat=True))
    differences = []
    for product_id in sorted(product_ids):
        with transaction.atomic():
            if apply:
                ProductRatingSummary.objects.bulk_create(
                    [ProductRatingSummary(product_id=product_id)], ignore_conflicts=True
                )
            summary = (
                ProductRatingSummary.objects.select_for_update()
                .filter(product_id=product_id)
                .first()
            )
            actual = _summary_recount(product_id)
            stored = {
                field: getattr(summary, field, 0) if summary else 0 for field in actual
            }
            changed = {
                field: (stored[field], value)
                for field, value in actual.items()
                if stored[field] != value
            }
            if changed:
                differences.append({"product_id": product_id, "fields": changed})
                if apply:
                    ProductRatingSummary.objects.filter(product_id=product_id).update(
                        **actual
                    )
                    panel_invalidate(product_id)
    return differences


# --- writing, editing and deleting reviews ----------------------------------------------


def _clean_line(text: str) -> str:
    return " ".join((text or "").split())


def _photos_save(
    review: Review, photos: Sequence[ProcessedPhoto], positions: Sequence[int]
) -> list[str]:
    """Store `photos` at `positions`; on any error delete what was written, then re-raise.

    Callers do this last in their transaction, after every other check and write,
    so a failure after the files are written is (almost) impossible.
    """
    written: list[str] = []
    try:
        for photo, position in zip(photos, positions, strict=True):
            row = ReviewPhoto(review=review, position=position)
            row.image.save(photo.image.name, photo.image, save=False)
            written.append(row.image.name)
            row.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
            written.append(row.thumbnail.name)
            row.full_clean()
            row.save()
    except BaseException:
        storage = ReviewPhoto._meta.get_field("image").storage
        for name in written:
            storage.delete(name)
        raise
    return written


def _delete_files_on_commit(names: list[str]) -> None:
    if not names:
        return
    storage = ReviewPhoto._meta.get_field("image").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _check_photo_count(count: int) -> None:
    if count > PHOTOS_MAX:
        raise ValidationError(
            {"photos": _("A review can have at most %(n)d photos.") % {"n": PHOTOS_MAX}}
        )


def _trend_check_on_commit(product_id: int) -> None:
    from .tasks import review_trend_check_task

    transaction.on_commit(
        lambda: review_trend_check_task.enqueue(product_id=product_id)
    )


@transaction.atomic
def review_submit(
    *,
    product,
    author,
    rating: int,
    title: str,
    body: str,
    photos: Sequence[ProcessedPhoto] = (),
) -> Review:
    """Publish `author`'s review of `product` at once, whatever the rating.

    One review per customer per product (a unique constraint; a losing race is
    reported like a second attempt). The summary changes in the same transaction;
    the trend check runs after commit.
    """
    if not permissions.can_write_review(author):
        raise PermissionDenied(_("Staff cannot review products; customers can."))
    if not product.live:
        raise ValidationError(_("This product is not published."))
    _check_photo_count(len(photos))
    review = Review(
        product=product,
        author=author,
        rating=rating,
        title=_clean_line(title),
        body=body or "",
        body_html=render_markdown(body or ""),
    )
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already reviewed this product; edit your review instead.")
        ) from None
    _summary_apply(product.pk, {review.rating: +1})
    _photos_save(review, photos, range(len(photos)))
    _trend_check_on_commit(product.pk)
    panel_invalidate(product.pk)
    return review


def _lock(review: Review) -> Review:
    """Lock the review's row only (not the joined product page or user rows)."""
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("product", "author")
        .get(pk=review.pk)
    )


@transaction.atomic
def review_edit(
    *,
    review: Review,
    by,
    rating: int,
    title: str,
    body: str,
    add_photos: Sequence[ProcessedPhoto] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Review:
    """Change a review; the earlier version is kept and the review shows "edited"."""
    review = _lock(review)
    if not permissions.can_edit_review(by, review):
        raise PermissionDenied(_("Only the author can edit a review."))
    old_rating = review.rating
    title = _clean_line(title)
    body = body or ""
    text_changed = (rating, title, body) != (review.rating, review.title, review.body)
    if text_changed:
        ReviewRevision.objects.create(
            review=review,
            rating=review.rating,
            title=review.title,
            body=review.body,
            body_html=review.body_html,
            written_at=review.edited_at or review.created_at,
        )
        review.rating, review.title, review.body = rating, title, body
        review.body_html = render_markdown(body)
        review.edited_at = timezone.now()
    review.full_clean(validate_constraints=False)

    photos = list(review.photos.all())
    remove = {int(pk) for pk in remove_photo_ids}
    removed = [photo for photo in photos if photo.pk in remove]
    kept_positions = {photo.position for photo in photos if photo.pk not in remove}
    _check_photo_count(len(kept_positions) + len(add_photos))
    if text_changed:
        review.save(update_fields=["rating", "title", "body", "body_html", "edited_at"])
    if removed:
        ReviewPhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
        _delete_files_on_commit(
            [
                name
                for photo in removed
                for name in (photo.image.name, photo.thumbnail.name)
            ]
        )
    if review.is_published and old_rating != review.rating:
        _summary_apply(review.product_id, {old_rating: -1, review.rating: +1})
        _trend_check_on_commit(review.product_id)
    free = [
        position for position in range(PHOTOS_MAX) if position not in kept_positions
    ]
    _photos_save(review, add_photos, free[: len(add_photos)])
    panel_invalidate(review.product_id)
    return review


@transaction.atomic
def review_delete(*, review: Review, by) -> None:
    """Delete the author's own review, its photos, votes and versions."""
    review = _lock(review)
    if not permissions.can_edit_review(by, review):
        raise PermissionDenied(_("Only the author can delete a review."))
    files = [
        name
        for photo in review.photos.all()
        for name in (photo.image.name, photo.thumbnail.name)
    ]
    if review.is_published:
        _summary_apply(review.product_id, {review.rating: -1})
        _trend_check_on_commit(review.product_id)
    else:
        _summary_apply(review.product_id, {}, hidden=-1)
    review.delete()
    _delete_files_on_commit(files)
    panel_invalidate(review.product_id)


# --- helpful votes and reports -------------------------------------------------------------


@transaction.atomic
def review_vote(*, review: Review, voter, helpful: bool) -> ReviewVote:
    """Record `voter`'s "Was this helpful?" answer; answering again changes it.

    One vote per person per review (a unique constraint), never on one's own
    review. The counters and the Wilson score change under the review's row lock.
    """
    review = _lock(review)
    if not permissions.can_vote_on_review(voter, review):
        if review.author_id == getattr(voter, "pk", None):
            raise PermissionDenied(_("You cannot vote on your own review."))
        if is_staff_member(voter):
            raise PermissionDenied(
                _(
                    "Staff do not vote on reviews: the company must not steer which come first."
                )
            )
        raise PermissionDenied(_("You cannot vote on this review."))
    yes, no = review.helpful_yes, review.helpful_no
    vote = ReviewVote.objects.filter(review=review, voter=voter).first()
    if vote is not None:
        if vote.helpful == helpful:
            return vote
        yes, no = (yes + 1, no - 1) if helpful else (yes - 1, no + 1)
        vote.helpful = helpful
        vote.save(update_fields=["helpful", "updated_at"])
    else:
        vote = ReviewVote.objects.create(review=review, voter=voter, helpful=helpful)
        yes, no = (yes + 1, no) if helpful else (yes, no + 1)
    Review.objects.filter(pk=review.pk).update(
        helpful_yes=yes, helpful_no=no, helpful_score=wilson_lower_bound(yes, yes + no)
    )
    panel_invalidate(review.product_id)
    return vote


@transaction.atomic
def review_report(
    *, review: Review, reporter, reason: str, note: str = ""
) -> ReviewReport:
    """Report a review to staff; one report per person per review."""
    review = _lock(review)
    if not permissions.can_report_review(reporter, review):
        raise PermissionDenied(_("You cannot report this review."))
    report = ReviewReport(
        review=review, reporter=reporter, reason=reason, note=(note or "").strip()
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(_("You have already reported this review.")) from None
    return report


# --- staff replies --------------------------------------------------------------------


def _record_support_interaction(review: Review, reply: ReviewReply, by) -> None:
    """A staff reply is a support interaction: the reviewer is asked if it satisfied them."""
    from satisfaction.services import Channel, interaction_record

    interaction_record(
        channel=Channel.REVIEW_STAFF_REPLY,
        source=SATISFACTION_SOURCE,
        source_ref=str(review.pk),
        customer=review.author,
        customer_email=review.author.email,
        product=review.product,
        handled_by=by,
        occurred_at=reply.created_at,
        summary=_("Reply to the review “%(title)s”") % {"title": review.title},
    )


@transaction.atomic
def review_reply(*, review: Review, by, body: str) -> ReviewReply:
    """Post or edit the company's one public reply to a review.

    The first reply records a support interaction through satisfaction.services
    (idempotent on the review), which asks the reviewer the satisfaction question
    after commit; editing the reply records nothing new.
    """
    review = _lock(review)
    if not permissions.can_reply_to_review(by, review):
        raise PermissionDenied(_("Only staff can reply to a published review."))
    body = body or ""
    reply = ReviewReply.objects.filter(review=review).first()
    now = timezone.now()
    if reply is not None:
        reply.body, reply.body_html, reply.edited_at = body, render_markdown(body), now
        reply.full_clean()
        reply.save(update_fields=["body", "body_html", "edited_at"])
        panel_invalidate(review.product_id)
        return reply
    reply = ReviewReply(
        review=review,
        author=by,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        response_seconds=max(0, int((now - review.created_at).total_seconds())),
    )
    reply.full_clean()
    reply.save()
    # satisfaction emails the reviewer (the survey invitation names this review), so
    # no separate "we replied" email: one message per contact.
    _record_support_interaction(review, reply, by)
    panel_invalidate(review.product_id)
    return reply


# --- moderation -------------------------------------------------------------------------


def _require_moderator(user) -> None:
    if not permissions.can_moderate_reviews(user):
        raise PermissionDenied(_("Only staff moderators can do this."))


def _moderators_emails() -> list[str]:
    from . import selectors

    return selectors.staff_email_list()


@transaction.atomic
def review_hide(*, review: Review, by, reason: str, note: str = "") -> Review:
    """Take a review offline for a reason code; the row is kept and can be restored.

    The rating plays no part here (rule A15): the outcome depends only on the reason.
    The author is told why and how to appeal; open reports are marked upheld.
    """
    review = _lock(review)
    _require_moderator(by)
    if reason not in ModerationReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if not review.is_published:
        raise ValidationError(_("This review is already hidden."))
    now = timezone.now()
    review.status = Review.Status.HIDDEN
    review.hidden_reason, review.hidden_note = reason, (note or "").strip()
    review.hidden_at, review.hidden_by = now, by
    review.full_clean(validate_constraints=False)
    review.save(
        update_fields=[
            "status",
            "hidden_reason",
            "hidden_note",
            "hidden_at",
            "hidden_by",
        ]
    )
    _summary_apply(review.product_id, {review.rating: -1}, hidden=+1)
    review.reports.filter(status=ReviewReport.Status.OPEN).update(
        status=ReviewReport.Status.UPHELD, resolved_at=now, resolved_by=by
    )
    ModerationEvent.objects.create(
        review=review,
        action=ModerationEvent.Action.HIDDEN,
        reason=reason,
        note=review.hidden_note,
        actor=by,
        created_at=now,
    )
    email_send_on_commit(
        to=[review.author.email],
        subject=_("Your review of %(product)s is hidden")
        % {"product": review.product.title},
        template="reviews/email/review_hidden.txt",
        context={
            "review": review,
            "product": review.product,
            "reason": review.get_hidden_reason_display(),
        },
    )
    _trend_check_on_commit(review.product_id)
    panel_invalidate(review.product_id)
    return review


@transaction.atomic
def review_restore(*, review: Review, by, note: str = "") -> Review:
    """Publish a hidden review again (a moderator's change of mind or an upheld appeal)."""
    review = _lock(review)
    _require_moderator(by)
    if review.is_published:
        raise ValidationError(_("This review is already published."))
    now = timezone.now()
    review.status, review.hidden_reason, review.hidden_note = (
        Review.Status.PUBLISHED,
        "",
        "",
    )
    review.hidden_at, review.hidden_by = None, None
    review.save(
        update_fields=[
            "status",
            "hidden_reason",
            "hidden_note",
            "hidden_at",
            "hidden_by",
        ]
    )
    _summary_apply(review.product_id, {review.rating: +1}, hidden=-1)
    # The reports that got it hidden no longer describe what happened to it.
    review.reports.filter(status=ReviewReport.Status.UPHELD).update(
        status=ReviewReport.Status.OVERTURNED, resolved_at=now, resolved_by=by
    )
    ReviewAppeal.objects.filter(
        review=review, status=ReviewAppeal.Status.PENDING
    ).update(
        status=ReviewAppeal.Status.UPHELD,
        decided_at=now,
        decided_by=by,
        decision_note=(note or "").strip(),
    )
    ModerationEvent.objects.create(
        review=review,
        action=ModerationEvent.Action.RESTORED,
        note=(note or "").strip(),
        actor=by,
        created_at=now,
    )
    email_send_on_commit(
        to=[review.author.email],
        subject=_("Your review of %(product)s is visible again")
        % {"product": review.product.title},
        template="reviews/email/review_restored.txt",
        context={
            "review": review,
            "product": review.product,
            "note": (note or "").strip(),
        },
    )
    _trend_check_on_commit(review.product_id)
    panel_invalidate(review.product_id)
    return review


@transaction.atomic
def review_reports_dismiss(*, review: Review, by, note: str = "") -> int:
    """Close the open reports on a review that stays published; return how many."""
    review = _lock(review)
    _require_moderator(by)
    count = review.reports.filter(status=ReviewReport.Status.OPEN).update(
        status=ReviewReport.Status.DISMISSED, resolved_at=timezone.now(), resolved_by=by
    )
    if count:
        ModerationEvent.objects.create(
            review=review,
            action=ModerationEvent.Action.REPORTS_DISMISSED,
            note=(note or "").strip(),
            actor=by,
        )
    return count


@transaction.atomic
def review_appeal(*, review: Review, by, note: str) -> ReviewAppeal:
    """The author appeals the hiding of their review, once, with a note for staff."""
    review = _lock(review)
    if not permissions.can_edit_review(by, review):
        raise PermissionDenied(_("Only the author can appeal."))
    if review.is_published:
        raise ValidationError(_("Only a hidden review can be appealed."))
    appeal = ReviewAppeal(review=review, note=(note or "").strip())
    appeal.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already appealed; staff will answer once.")
        ) from None
    ModerationEvent.objects.create(
        review=review,
        action=ModerationEvent.Action.APPEALED,
        note=appeal.note,
        actor=by,
    )
    email_send_on_commit(
        to=_moderators_emails(),
        subject=_("Appeal: a hidden review of %(product)s")
        % {"product": review.product.title},
        template="reviews/email/review_appealed.txt",
        context={"review": review, "appeal": appeal, "product": review.product},
    )
    return appeal


@transaction.atomic
def review_appeal_reject(*, review: Review, by, note: str = "") -> ReviewAppeal:
    """Keep the review hidden after its appeal; the author is told, and cannot appeal again."""
    review = _lock(review)
    _require_moderator(by)
    appeal = ReviewAppeal.objects.select_for_update().filter(review=review).first()
    if appeal is None or appeal.status != ReviewAppeal.Status.PENDING:
        raise ValidationError(_("There is no pending appeal for this review."))
    appeal.status, appeal.decided_at, appeal.decided_by = (
        ReviewAppeal.Status.REJECTED,
        timezone.now(),
        by,
    )
    appeal.decision_note = (note or "").strip()
    appeal.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    ModerationEvent.objects.create(
        review=review,
        action=ModerationEvent.Action.APPEAL_REJECTED,
        note=appeal.decision_note,
        actor=by,
    )
    email_send_on_commit(
        to=[review.author.email],
        subject=_("Your appeal about your review of %(product)s")
        % {"product": review.product.title},
        template="reviews/email/review_appeal_rejected.txt",
        context={"review": review, "appeal": appeal, "product": review.product},
    )
    return appeal


# --- verified customers, notes, trends -------------------------------------------------


@transaction.atomic
def ownership_add(
    *, product, customer, by=None, source: str = ProductOwnership.Source.STAFF
) -> ProductOwnership:
    """Put `product` on `customer`'s account (makes them a verified customer); idempotent."""
    if by is not None and not permissions.can_manage_ownership(by):
        raise PermissionDenied(_("Only staff can add products to an account."))
    existing = ProductOwnership.objects.filter(
        product=product, customer=customer
    ).first()
    if existing:
        return existing
    ownership = ProductOwnership(
        product=product, customer=customer, source=source, added_by=by
    )
    ownership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            ownership.save()
    except IntegrityError:
        return ProductOwnership.objects.get(product=product, customer=customer)
    panel_invalidate(product.pk)
    return ownership


@transaction.atomic
def ownership_remove(*, product, customer, by) -> bool:
    if not permissions.can_manage_ownership(by):
        raise PermissionDenied(_("Only staff can change what is on an account."))
    deleted, _rows = ProductOwnership.objects.filter(
        product=product, customer=customer
    ).delete()
    panel_invalidate(product.pk)
    return bool(deleted)


@transaction.atomic
def product_note_post(
    *, product, by, body: str, published_on: date | None = None
) -> ProductNote:
    """Publish a dated staff note on a product, shown above its reviews."""
    if not permissions.can_post_product_note(by):
        raise PermissionDenied(_("Only staff can post product notes."))
    note = ProductNote(
        product=product,
        author=by,
        body=body or "",
        body_html=render_markdown(body or ""),
        published_on=published_on or timezone.localdate(),
    )
    note.full_clean()
    note.save()
    panel_invalidate(product.pk)
    return note


@transaction.atomic
def product_note_edit(
    *, note: ProductNote, by, body: str, published_on: date | None = None, product=None
) -> ProductNote:
    if not permissions.can_post_product_note(by):
        raise PermissionDenied(_("Only staff can edit product notes."))
    note.body, note.body_html = body or "", render_markdown(body or "")
    if published_on:
        note.published_on = published_on
    old_product_id = note.product_id
    if product is not None:
        note.product = product
    note.full_clean()
    note.save()
    panel_invalidate(old_product_id)
    panel_invalidate(note.product_id)
    return note


@transaction.atomic
def product_note_delete(*, note: ProductNote, by) -> None:
    if not permissions.can_post_product_note(by):
        raise PermissionDenied(_("Only staff can delete product notes."))
    product_id = note.product_id
    note.delete()
    panel_invalidate(product_id)


@transaction.atomic
def trend_check(*, product_id: int, now: datetime | None = None) -> TrendAlert | None:
    """Open, update or close the product's falling-ratings episode (see reviews.trends).

    Staff are emailed once, when an episode opens; the partial unique constraint
    makes a second simultaneous opening impossible. Returns the open alert, if any.
    """
    now = now or timezone.now()
    reading = trends.trend_reading(product_id=product_id, now=now)
    stats = {
        "last_checked_at": now,
        "recent_n": reading.recent.n,
        "recent_mean": reading.recent.mean,
        "baseline_n": reading.baseline.n,
        "baseline_mean": reading.baseline.mean,
        "mean_90_days": reading.mean_90_days,
        "t_statistic": reading.test.t if reading.test else 0.0,
        "p_value": reading.test.p_value if reading.test else 1.0,
    }
    # An infinite t (no variance at all) cannot be stored portably.
    stats["t_statistic"] = max(-1e9, min(1e9, stats["t_statistic"]))
    alert = (
        TrendAlert.objects.select_for_update()
        .filter(product_id=product_id, closed_at__isnull=True)
        .first()
    )
    if alert is not None:
        if reading.decline_is_over:
            alert.closed_at = now
        for field, value in stats.items():
            setattr(alert, field, value)
        alert.save()
        return None if alert.closed_at else alert
    if not reading.signals_decline:
        return None
    try:
        with transaction.atomic():
            alert = TrendAlert.objects.create(
                product_id=product_id, opened_at=now, **stats
            )
    except IntegrityError:
        return TrendAlert.objects.filter(
            product_id=product_id, closed_at__isnull=True
        ).first()
    from portal.models import ProductPage

    product = ProductPage.objects.get(pk=product_id)
    email_send_on_commit(
        to=_moderators_emails(),
        subject=_("Ratings are falling for %(product)s") % {"product": product.title},
        template="reviews/email/trend_alert.txt",
        context={"alert": alert, "product": product, "method": trends},
    )
    return alert


def trend_check_all(*, now: datetime | None = None) -> list[TrendAlert]:
    """Run `trend_check` for every product with reviews or an open alert."""
    product_ids = set(
        Review.objects.values_list("product_id", flat=True).distinct()
    ) | set(
        TrendAlert.objects.filter(closed_at__isnull=True).values_list(
            "product_id", flat=True
        )
    )
    alerts = []
    for product_id in sorted(product_ids):
        alert = trend_check(product_id=product_id, now=now)
        if alert:
            alerts.append(alert)
    return alerts
