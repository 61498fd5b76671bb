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

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A 1 × 100,000 strip is no photo, and costs memory to resample.
MAX_ASPECT = 20


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (%(w)d × %(h)d).") % {"w": width, "h": height}
    )


def _open_checked(upload, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """Return the decoded, upright image in `upload`, or raise ValidationError.

    Size is checked before reading, the pixel count from the header before
    decoding; only the accepted formats are even tried, so Pillow never runs
    an exotic decoder on customer bytes.
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
            with Image.open(upload, formats=sorted(ACCEPTED_FORMATS)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
                width, height = probe.size
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height)
                if max(width, height) > MAX_ASPECT * min(width, height):
                    raise ValidationError(
                        _("The image is too narrow (%(w)d × %(h)d).") % {"w": width, "h": height}
                    )
                probe.load()
                return ImageOps.exif_transpose(probe)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses at open time when the header declares a huge canvas.
        raise ValidationError(_("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image file is damaged or incomplete.")) from None


def _encode(image: Image.Image, has_alpha: bool, name_stem: str) -> SimpleUploadedFile:
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
    return reencode_image_variants(
        upload,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        variants={"image": (fit, square)},
        name_stem=name_stem,
    )["image"]


def reencode_image_variants(
    upload,
    *,
    max_bytes: int,
    max_pixels: int,
    variants: dict[str, tuple[tuple[int, int] | None, bool]],
    name_stem: str = "image",
) -> dict[str, SimpleUploadedFile]:
    """Decode `upload` once and return one re-encoded file per variant.

    `variants` maps a name to `(fit, square)`; a photo and its thumbnail cost
    one decode. Files are named `<name_stem>.<ext>` for the first variant and
    `<name_stem>-<name>.<ext>` for the others. Raises ValidationError like
    `reencode_image`.
    """
    image = _open_checked(upload, max_bytes=max_bytes, max_pixels=max_pixels)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    results = {}
    source = image
    for index, (name, (fit, square)) in enumerate(variants.items()):
        variant = source
        if square:
            side = min(variant.size)
            variant = ImageOps.fit(variant, (side, side))
        if fit and (variant.width > fit[0] or variant.height > fit[1]):
            variant = variant.copy()
            variant.thumbnail(fit, Image.Resampling.LANCZOS)
        if not square:
            # List variants from large to small: each is made from the previous one.
            source = variant
        stem = name_stem if index == 0 else f"{name_stem}-{name}"
        results[name] = _encode(variant, has_alpha, stem)
    return results
