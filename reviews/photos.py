"""Turn a customer's upload into a stored photo and thumbnail, through portal.images.

Only processed photos reach reviews.services, so nothing unchecked is ever saved.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.images import reencode_image_variants

PHOTO_FIT = (1600, 1600)
THUMBNAIL_FIT = (320, 320)


@dataclass(frozen=True)
class ProcessedPhoto:
    image: SimpleUploadedFile
    thumbnail: SimpleUploadedFile


def photo_process(upload) -> ProcessedPhoto:
    """Check and re-encode `upload` (JPEG, PNG or WebP); raise ValidationError otherwise."""
    files = reencode_image_variants(
        upload,
        max_bytes=settings.CANDOR_REVIEW_PHOTO_MAX_BYTES,
        max_pixels=settings.CANDOR_REVIEW_PHOTO_MAX_PIXELS,
        variants={"photo": (PHOTO_FIT, False), "thumb": (THUMBNAIL_FIT, False)},
        name_stem=uuid.uuid4().hex,
    )
    return ProcessedPhoto(image=files["photo"], thumbnail=files["thumb"])
