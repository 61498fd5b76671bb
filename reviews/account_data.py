"""What reviews stores about one member: their data export and their account deletion.

Registered in wagtail_hooks.py (see portal.services_customer). Deletion never
touches a rating, a helpful vote or a summary row: reviews stay, shown as by
"a former member", or lose their words and photos when the member asks, their
stars still counted, so every rating summary is exactly as it was.
"""

from django.db import transaction

from portal.markdown import render_markdown

from .cache import panel_invalidate
from .models import (
    ProductOwnership,
    Review,
    ReviewAppeal,
    ReviewPhoto,
    ReviewReply,
    ReviewReport,
    ReviewRevision,
    ReviewVote,
)

REMOVED = "*[removed by its author]*"
REMOVED_TITLE = "[removed by its author]"


def _rows(qs, *fields):
    return list(qs.order_by("pk").values(*fields))


def account_export(user) -> dict:
    photos = []
    for photo in ReviewPhoto.objects.filter(review__author=user).order_by("pk"):
        photos.append(
            {
                "review_id": photo.review_id,
                "position": photo.position,
                "image_url": photo.image.url if photo.image else "",
                "thumbnail_url": photo.thumbnail.url if photo.thumbnail else "",
                "created_at": photo.created_at,
            }
        )
    return {
        "reviews": _rows(
            Review.objects.filter(author=user),
            "id",
            "product_id",
            "rating",
            "title",
            "body",
            "status",
            "hidden_reason",
            "helpful_yes",
            "helpful_no",
            "created_at",
            "edited_at",
        ),
        "review_revisions": _rows(
            ReviewRevision.objects.filter(review__author=user),
            "review_id",
            "rating",
            "title",
            "body",
            "written_at",
            "replaced_at",
        ),
        "review_photos": photos,
        "review_replies_received": _rows(
            ReviewReply.objects.filter(review__author=user),
            "review_id",
            "body",
            "created_at",
        ),
        "review_votes": _rows(
            ReviewVote.objects.filter(voter=user), "review_id", "helpful", "created_at"
        ),
        "review_reports": _rows(
            ReviewReport.objects.filter(reporter=user),
            "review_id",
            "reason",
            "note",
            "status",
            "created_at",
        ),
        "review_appeals": _rows(
            ReviewAppeal.objects.filter(review__author=user),
            "review_id",
            "note",
            "status",
            "created_at",
        ),
        "products_owned": _rows(
            ProductOwnership.objects.filter(customer=user),
            "product_id",
            "product__title",
            "source",
            "created_at",
        ),
    }


@transaction.atomic
def account_erase(*, user, remove_posts: bool = False) -> None:
    product_ids = set(
        Review.objects.filter(author=user).values_list("product_id", flat=True)
    )
    if remove_posts:
        photos = list(ReviewPhoto.objects.filter(review__author=user))
        names = [n for p in photos for n in (p.image.name, p.thumbnail.name) if n]
        ReviewPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
        if names:
            storage = ReviewPhoto._meta.get_field("image").storage
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
        Review.objects.filter(author=user).update(
            title=REMOVED_TITLE, body=REMOVED, body_html=render_markdown(REMOVED)
        )
        ReviewRevision.objects.filter(review__author=user).update(
            title=REMOVED_TITLE, body=REMOVED, body_html=render_markdown(REMOVED)
        )
        ReviewAppeal.objects.filter(review__author=user).update(note="")
        reviews = list(Review.objects.filter(author=user).only("pk"))
        if reviews:
            from modelsearch.tasks import insert_or_update_object_task

            keys = [("reviews", "review", str(r.pk)) for r in reviews]
            transaction.on_commit(
                lambda: [insert_or_update_object_task.enqueue(*k) for k in keys]
            )
    for product_id in product_ids:
        panel_invalidate(product_id)
