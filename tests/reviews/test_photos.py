"""Photos: JPEG, PNG and WebP re-encoded with a thumbnail; everything else refused, nothing saved."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reviews.models import Review, ReviewPhoto
from reviews.photos import photo_process
from tests.factories.reviews import image_upload

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a pixel flood)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>'
HTML_AS_JPEG = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_re_encoded_with_a_thumbnail(fmt):
    processed = photo_process(
        image_upload(f"photo.{fmt.lower()}", fmt=fmt, size=(2400, 1800))
    )
    with Image.open(processed.image) as photo, Image.open(processed.thumbnail) as thumb:
        assert photo.format == "JPEG" and photo.size == (1600, 1200)
        assert thumb.size == (320, 240)
    assert processed.image.name.endswith(".jpg") and "photo" not in processed.image.name


def test_exif_and_gps_data_are_stripped():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS IFD
    upload = image_upload(exif=exif.tobytes())
    with Image.open(upload) as original:
        assert original.getexif()
    processed = photo_process(upload)
    with Image.open(processed.image) as photo:
        assert not photo.getexif()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.svg", SVG_WITH_SCRIPT, "Upload a JPEG, PNG or WebP image."),
        ("photo.jpg", HTML_AS_JPEG, "Upload a JPEG, PNG or WebP image."),
        ("huge.png", png_declaring(100_000, 100_000), "too many pixels"),
        (
            "anim.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "Upload a JPEG, PNG or WebP image.",
        ),
        ("truncated.jpg", image_upload().read()[:200], "damaged or incomplete"),
    ],
)
def test_anything_but_a_real_photo_is_refused_with_a_clear_error(
    name, content, message
):
    with pytest.raises(ValidationError, match=message):
        photo_process(SimpleUploadedFile(name, content))


def test_a_30_mb_photo_is_refused_before_it_is_read():
    class Huge(io.BytesIO):
        size = 30 * 1024 * 1024
        name = "huge.jpg"

    upload = Huge(b"\xff\xd8\xff")
    with pytest.raises(ValidationError, match="too large: the limit is 8 MB"):
        photo_process(upload)
    assert upload.tell() == 0


def test_a_photo_over_the_pixel_limit_is_refused(settings):
    settings.CANDOR_REVIEW_PHOTO_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="too many pixels"):
        photo_process(image_upload(size=(40, 40)))


def test_nothing_is_saved_when_one_photo_of_several_is_bad(
    customer_client, product, settings
):
    photos = [
        image_upload("good.jpg"),
        SimpleUploadedFile("evil.svg", SVG_WITH_SCRIPT, content_type="image/svg+xml"),
    ]
    response = customer_client.post(
        f"/reviews/write/{product.pk}/",
        {"rating": "4", "title": "Nice", "body": "Works.", "photos": photos},
    )
    assert response.status_code == 400
    assert "evil.svg: Upload a JPEG, PNG or WebP image." in response.content.decode()
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert (
        not any(path.is_file() for path in media.rglob("*")) if media.exists() else True
    )
