"""Reviews for tests: written through reviews.services like the site writes them,
plus a bulk helper for query-budget tests with thousands of reviews."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portal.markdown import render_markdown
from reviews import services
from reviews.models import Review
from reviews.photos import photo_process
from tests.factories.users import UserFactory

_n = itertools.count(1)


def write_review(
    product, author=None, *, rating=4, title=None, body="Works well.", photos=()
):
    author = author or UserFactory()
    n = next(_n)
    return services.review_submit(
        product=product,
        author=author,
        rating=rating,
        title=title or f"Review {n}",
        body=body,
        photos=photos,
    )


def image_upload(
    name="photo.jpg", *, fmt="JPEG", size=(640, 480), colour=(20, 120, 200), exif=None
):
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def processed_photo(**kwargs):
    return photo_process(image_upload(**kwargs))


def bulk_reviews(product, count: int, *, ratings=(5, 4, 4, 3, 1, 2, 5), days=120):
    """Insert `count` published reviews by fresh users in bulk, then rebuild the summary."""
    from django.contrib.auth import get_user_model

    from portal.models import Profile

    User = get_user_model()
    start = next(_n) * 100_000
    users = User.objects.bulk_create(
        [
            User(username=f"bulk-{start + i}", email=f"bulk-{start + i}@example.com")
            for i in range(count)
        ]
    )
    if not users or users[0].pk is None:  # SQLite before returning ids: fetch them
        users = list(User.objects.filter(username__startswith="bulk-").order_by("pk"))[
            -count:
        ]
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Bulk {i}") for i, u in enumerate(users)]
    )
    now = timezone.now()
    body = "Bulk review text with **Markdown**."
    html = render_markdown(body)
    Review.objects.bulk_create(
        [
            Review(
                product=product,
                author=user,
                rating=ratings[i % len(ratings)],
                title=f"Bulk review {i}",
                body=body,
                body_html=html,
                created_at=now - timedelta(minutes=(i * 37) % (days * 1440)),
                helpful_yes=i % 7,
                helpful_no=i % 3,
            )
            for i, user in enumerate(users)
        ],
        batch_size=1000,
    )
    services.rating_summary_rebuild(product_ids=[product.pk])
