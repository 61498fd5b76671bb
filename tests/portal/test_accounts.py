"""Sign-up, log-in, password reset and profiles, including the bad input they must refuse."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.models import Profile
from tests.factories.portal import png_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = {
    "display_name": "Nadia Nour",
    "email": "nadia@example.com",
    "password": "a-long-unusual-passphrase",
}


def test_sign_up_creates_a_customer_with_a_profile_and_signs_them_in(client, site_tree):
    response = client.post("/account/signup/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.com")
    assert user.profile.display_name == "Nadia Nour"
    assert user.username == "nadia-nour"
    assert not user.is_staff
    assert client.get("/account/").status_code == 200


def test_usernames_stay_unique_when_display_names_clash(client, customer):
    client.post("/account/signup/", {**GOOD, "display_name": "Ana"})
    client.logout()
    client.post(
        "/account/signup/", {**GOOD, "display_name": "Ana", "email": "ana2@example.com"}
    )
    usernames = sorted(
        User.objects.filter(
            email__in=["nadia@example.com", "ana2@example.com"]
        ).values_list("username", flat=True)
    )
    assert usernames == ["ana-2", "ana-3"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": "ANA@example.com"}, "email", "already exists"),
        ({"password": "password"}, "password", "too common"),
        ({"password": "short"}, "password", "too short"),
        ({"password": "12345678901234"}, "password", "entirely numeric"),
        ({"display_name": "x" * 10_000}, "display_name", "at most 60 characters"),
        ({"display_name": "   "}, "display_name", "required"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "a@b.c" + "x" * 300}, "email", "at most 254"),
    ],
)
def test_sign_up_refuses_bad_input_and_saves_nothing(
    client, customer, changes, field, message
):
    customer.email = "ana@example.com"
    customer.save()
    users_before = User.objects.count()
    response = client.post("/account/signup/", {**GOOD, **changes})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert User.objects.count() == users_before
    assert Profile.objects.count() == users_before


def test_log_in_with_email_or_username_and_log_out_with_a_post(
    client, customer, password
):
    response = client.post(
        "/account/login/", {"username": customer.email.upper(), "password": password}
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert client.post("/account/logout/").status_code == 302
    assert client.get("/account/").status_code == 302
    assert (
        client.post(
            "/account/login/", {"username": customer.username, "password": password}
        ).status_code
        == 302
    )


def test_log_in_with_a_wrong_password_shows_an_error(client, customer):
    response = client.post(
        "/account/login/", {"username": customer.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 400  # the form again, with its error
    assert "Please enter a correct" in response.content.decode()


def test_password_reset_sends_a_working_link(
    client, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password-reset/", {"email": customer.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(
        line for line in body.splitlines() if "/account/password-reset/" in line
    )
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("a-brand-new-passphrase")


def test_password_reset_for_an_unknown_email_reveals_nothing(
    client, site_tree, mailoutbox
):
    response = client.post("/account/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []


def _upload(data: bytes, name: str, content_type: str):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_profile_edit_renders_bio_markdown_and_reencodes_the_avatar(
    customer_client, customer
):
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker: must not survive re-encoding
    Image.new("RGB", (800, 600), (10, 120, 200)).save(jpeg, format="JPEG", exif=exif)
    response = customer_client.post(
        "/account/profile/",
        {
            "display_name": "Ana S.",
            "bio": "I **love** [routers](https://example.com) <script>alert(1)</script>",
            "avatar": _upload(jpeg.getvalue(), "me.jpg", "image/jpeg"),
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=customer)
    assert profile.display_name == "Ana S."
    assert "<strong>love</strong>" in profile.bio_html
    assert 'rel="nofollow ugc"' in profile.bio_html
    assert "<script" not in profile.bio_html
    with Image.open(profile.avatar.path) as stored:
        assert stored.size == (256, 256)
        assert stored.format == "JPEG"
        assert "SecretCam" not in str(stored.getexif().get(0x010F, ""))


@pytest.mark.parametrize(
    "data, name, content_type, message",
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>",
            "me.svg",
            "image/svg+xml",
            "JPEG, PNG or WebP",
        ),
        (
            b"<html><script>alert(1)</script></html>",
            "me.jpg",
            "image/jpeg",
            "JPEG, PNG or WebP",
        ),
        (b"GIF89a" + b"\x00" * 100, "me.gif", "image/gif", "JPEG, PNG or WebP"),
        (png_bytes()[:60], "broken.png", "image/png", "damaged"),
        (b"\x00" * (20 * 1024 * 1024), "huge.jpg", "image/jpeg", "too large"),
    ],
)
def test_profile_edit_refuses_bad_avatars_and_saves_nothing(
    customer_client, customer, data, name, content_type, message
):
    response = customer_client.post(
        "/account/profile/",
        {
            "display_name": "Changed",
            "bio": "",
            "avatar": _upload(data, name, content_type),
        },
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["avatar"])
    profile = Profile.objects.get(user=customer)
    assert profile.display_name == "Ana Souza"
    assert not profile.avatar


def test_profile_edit_refuses_a_decompression_bomb(customer_client, customer):
    # A tiny PNG whose header declares 100,000 × 100,000 pixels.
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    response = customer_client.post(
        "/account/profile/",
        {"display_name": "Changed", "avatar": _upload(bomb, "bomb.png", "image/png")},
    )
    assert response.status_code == 400
    assert not Profile.objects.get(user=customer).avatar


def test_public_profile_shows_name_bio_and_reputation(client, customer):
    from portal import services

    services.profile_update(
        profile=customer.profile, display_name="Ana Souza", bio="Hello *there*"
    )
    html = client.get("/people/ana/").content.decode()
    assert "Ana Souza" in html
    assert "<em>there</em>" in html
    assert "reputation" in html
    assert client.get("/people/nobody/").status_code == 404


def test_inactive_members_have_no_public_profile(client, customer):
    customer.is_active = False
    customer.save()
    assert client.get("/people/ana/").status_code == 404


def test_account_pages_need_a_login(client, site_tree):
    for url in ["/account/", "/account/profile/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_api_tokens_are_created_once_shown_and_revoked(customer_client, customer):
    response = customer_client.post(
        "/account/tokens/", {"name": "helpdesk"}, follow=True
    )
    text = response.content.decode()
    assert "shown only once" in text
    token = customer.api_tokens.get()
    assert (
        customer_client.post(f"/account/tokens/{token.pk}/delete/").status_code == 302
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
