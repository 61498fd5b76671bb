"""Who may do what with reviews: one small predicate per rule, used everywhere."""

from portal.permissions import is_staff_member


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_write_review(user) -> bool:
    """Customers review; staff do not (undisclosed insider reviews, FTC 16 CFR 465)."""
    return _active(user) and not is_staff_member(user)


def can_edit_review(user, review) -> bool:
    return _active(user) and review.author_id == user.pk


def can_view_review(user, review) -> bool:
    """Published reviews are public; a hidden one only to its author and moderators."""
    return (
        review.is_published
        or can_edit_review(user, review)
        or can_moderate_reviews(user)
    )


def can_vote_on_review(user, review) -> bool:
    """One vote per person, never on your own review, only on a published one.

    Staff do not vote: helpful votes decide which reviews come first, and the
    company must not steer that (the same reason staff do not write reviews).
    """
    return (
        _active(user)
        and not is_staff_member(user)
        and review.is_published
        and review.author_id != user.pk
    )


def can_report_review(user, review) -> bool:
    return _active(user) and review.is_published and review.author_id != user.pk


def can_reply_to_review(user, review) -> bool:
    """Staff answer in public for the company."""
    return is_staff_member(user) and review.is_published


def can_moderate_reviews(user) -> bool:
    return is_staff_member(user) and user.has_perm("reviews.moderate_review")


def can_appeal_review(user, review) -> bool:
    """The author may appeal a hidden review once."""
    return (
        can_edit_review(user, review)
        and not review.is_published
        and not has_appeal(review)
    )


def has_appeal(review) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return review.appeal is not None
    except ObjectDoesNotExist:
        return False


def can_post_product_note(user) -> bool:
    return is_staff_member(user) and user.has_perm("reviews.add_productnote")


def can_manage_ownership(user) -> bool:
    return is_staff_member(user) and user.has_perm("reviews.add_productownership")
