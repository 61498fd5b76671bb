"""Check and re-encode uploaded images with Pillow: the one place that does it.

Uploads are never stored as sent. They are opened by Pillow (which refuses
anything that is not an image, including SVG), checked against byte and pixel
limits before decoding (so a decompression bomb never reaches memory), decoded,
and written anew, which drops EXIF and any trailing payload.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A 1 × 100,000 strip is no photo, and costs memory to resample.
MAX_ASPECT = 20
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def reencode_image(
    upload,
    *,
    max_bytes: int,
    max_pixels: int,
    fit: tuple[int, int] | None = None,
    square: bool = False,
    name_stem: str = "image",
) -> SimpleUploadedFile:
    """Return a freshly encoded copy of `upload`, or raise ValidationError.

    `fit` bounds the output size; `square` crops to a centred square first
    (avatars). The output is WebP for photos with transparency and JPEG otherwise.
    """
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError(
            _("The image is too large: the limit is %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the formats we accept are even tried (no FITS, PSD, … parsers).
            with Image.open(upload, formats=list(ACCEPTED_FORMATS)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
                width, height = probe.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _("The image has too many pixels (%(w)d × %(h)d).")
                        % {"w": width, "h": height}
                    )
                if max(width, height) > MAX_ASPECT * min(width, height):
                    raise ValidationError(
                        _("The image is too narrow (%(w)d × %(h)d).")
                        % {"w": width, "h": height}
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise ValidationError(_("Upload a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image file is damaged or incomplete.")) from None

    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
    if fit:
        image.thumbnail(fit, Image.Resampling.LANCZOS)

    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="WEBP", quality=85)
        extension, content_type = "webp", "image/webp"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return SimpleUploadedFile(
        f"{name_stem}.{extension}", out.getvalue(), content_type=content_type
    )
