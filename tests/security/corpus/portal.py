"""Portal's bad input: accounts, profile, tokens, article feedback, search and the API."""

from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile

from . import HOSTILE, HOSTILE_FILES, RAW_INVALID_UTF8, Case

GOOD_PASSWORD = "a-long-enough-passphrase"
# Display names that must be refused on their own (anchors §5.1 "Unicode").
BAD_NAMES = [
    "nul",
    "nul_only",
    "rtl_override",
    "zero_width",
    "bidi_isolates",
    "bom",
    "control_chars",
    "crlf",
    "long_100k",
    "long_words",
]
BAD_TOKEN_NAMES = ["nul", "nul_only", "long_100k", "long_words", "control_chars"]


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append

    # Sign-up: a hostile email, or a hostile display name with everything else valid.
    for key, value in HOSTILE.items():
        add(
            Case(
                f"signup email {key}",
                "POST",
                "/account/signup/",
                data={"display_name": "Ok", "email": value, "password": GOOD_PASSWORD},
            )
        )
    for key in BAD_NAMES:
        add(
            Case(
                f"signup display name {key}",
                "POST",
                "/account/signup/",
                data={
                    "display_name": HOSTILE[key],
                    "email": "new@example.com",
                    "password": GOOD_PASSWORD,
                },
            )
        )
    for key, raw in RAW_INVALID_UTF8.items():
        add(
            Case(
                f"signup display name bytes {key}",
                "POST",
                "/account/signup/",
                body=b"display_name="
                + raw
                + b"&email=new%40example.com&password="
                + GOOD_PASSWORD.encode(),
                content_type="application/x-www-form-urlencoded",
            )
        )
    add(
        Case(
            "signup two emails",
            "POST",
            "/account/signup/",
            data={
                "display_name": "Ok",
                "email": ["x", "y@"],
                "password": GOOD_PASSWORD,
            },
        )
    )
    add(
        Case(
            "signup JSON body",
            "POST",
            "/account/signup/",
            body=b'{"display_name": "Ok", "email": "a@b.co"}',
            content_type="application/json",
        )
    )
    add(
        Case(
            "signup 3 MB body",
            "POST",
            "/account/signup/",
            body=b"display_name=" + b"x" * 3_000_000,
            content_type="application/x-www-form-urlencoded",
        )
    )
    add(
        Case(
            "signup 20,000 fields",
            "POST",
            "/account/signup/",
            body=b"&".join(b"f%d=1" % n for n in range(20_000)),
            content_type="application/x-www-form-urlencoded",
        )
    )

    # Log in and password reset: hostile identifiers never match and never crash.
    for key, value in HOSTILE.items():
        add(
            Case(
                f"login username {key}",
                "POST",
                "/account/login/",
                data={"username": value, "password": "wrong-password"},
            )
        )
        add(
            Case(
                f"password reset email {key}",
                "POST",
                "/account/password-reset/",
                data={"email": value},
            )
        )
        add(
            Case(
                f"article feedback {key}",
                "POST",
                "{article_url}helpful/",
                data={"helpful": value},
            )
        )
    add(
        Case(
            "password reset confirm hostile token",
            "POST",
            "/account/password-reset/{uidb64}/" + quote("x" * 500) + "/",
            data={"new_password1": "a", "new_password2": "b"},
        )
    )

    # Profile: hostile names and bios, and hostile avatar files.
    for key in BAD_NAMES:
        add(
            Case(
                f"profile display name {key}",
                "POST",
                "/account/profile/",
                role="customer",
                data={"display_name": HOSTILE[key], "bio": ""},
            )
        )
    for key in ("nul", "long_100k"):
        add(
            Case(
                f"profile bio {key}",
                "POST",
                "/account/profile/",
                role="customer",
                data={"display_name": "Ana", "bio": HOSTILE[key]},
            )
        )
    for key, (name, content) in HOSTILE_FILES.items():
        add(
            Case(
                f"profile avatar {key}",
                "POST",
                "/account/profile/",
                role="customer",
                data={
                    "display_name": "Ana",
                    "bio": "",
                    "avatar": SimpleUploadedFile(name, content),
                },
            )
        )

    # API tokens.
    for key in BAD_TOKEN_NAMES:
        add(
            Case(
                f"token name {key}",
                "POST",
                "/account/tokens/",
                role="customer",
                data={"name": HOSTILE[key]},
            )
        )
    add(
        Case("token name missing", "POST", "/account/tokens/", role="customer", data={})
    )
    for pk in ("999999", "9" * 30):
        add(
            Case(
                f"revoke someone else's or no token {pk[:8]}",
                "POST",
                f"/account/tokens/{pk}/delete/",
                role="other_customer",
            )
        )

    # The API: wrong types, out-of-range numbers, hostile paths and headers.
    for key, value in HOSTILE.items():
        add(
            Case(
                f"API page {key}",
                "GET",
                "/api/v1/articles/?page=" + quote(value[:5000]),
            )
        )
    for value in ("0", "-5", "101", "1.5", "abc", "9" * 50):
        add(
            Case(
                f"API page_size {value}", "GET", f"/api/v1/products/?page_size={value}"
            )
        )
    add(Case("API tag too long", "GET", "/api/v1/articles/?tag=" + "t" * 500))
    add(Case("API page past the end", "GET", "/api/v1/articles/?page=99999"))
    for value in ("0", "9" * 25, "-1"):
        add(Case(f"API article id {value[:8]}", "GET", f"/api/v1/articles/{value}/"))
    for key in ("sql", "xss_script", "path", "long_words", "nul", "rtl_override"):
        add(
            Case(
                f"API product slug {key}",
                "GET",
                "/api/v1/products/" + quote(HOSTILE[key][:2000], safe="") + "/",
            )
        )
    for key in ("sql", "xss_script", "long_100k", "crlf", "nul", "rtl_override"):
        add(
            Case(
                f"API token header {key}",
                "GET",
                "/api/v1/me/",
                headers={"HTTP_AUTHORIZATION": "Bearer " + HOSTILE[key]},
            )
        )
    add(
        Case(
            "API write to a read endpoint",
            "POST",
            "/api/v1/products/",
            body=b"{not json",
            content_type="application/json",
        )
    )

    # Reads that take text: they may answer 200 (nothing found), never 5xx.
    for key, value in HOSTILE.items():
        add(Case(f"search q {key}", "GET", "/search/?q=" + quote(value), expect="read"))
    for param in ("type", "product", "tag", "page"):
        for key in ("nul", "sql", "long_100k", "rtl_override"):
            add(
                Case(
                    f"search {param} {key}",
                    "GET",
                    f"/search/?q=router&{param}=" + quote(HOSTILE[key]),
                    expect="read",
                )
            )
    for key in ("nul", "sql", "long_100k", "xss_script", "rtl_override", "zalgo"):
        add(
            Case(
                f"knowledge base tag {key}",
                "GET",
                "/help/?tag=" + quote(HOSTILE[key]),
                expect="read",
            )
        )
        add(
            Case(
                f"knowledge base page {key}",
                "GET",
                "/help/?page=" + quote(HOSTILE[key]),
                expect="read",
            )
        )
    for key in ("sql", "path", "xss_script", "long_words"):
        add(
            Case(
                f"page path {key}",
                "GET",
                "/" + quote(HOSTILE[key][:3000], safe="") + "/",
            )
        )
    add(Case("profile of no one", "GET", "/people/" + quote("\u202eadmin") + "/"))
    # Know the customer (issue 9): My support filters, the export link, deletion, staff notes.
    for key in ["nul", "sql", "long_100k", "rtl_override", "emoji_flags"]:
        for param in ("kind", "product", "before"):
            add(
                Case(
                    f"my support {param} {key}",
                    "GET",
                    f"/account/support/?{param}={quote(HOSTILE[key])}",
                    role="customer",
                )
            )
        add(
            Case(
                f"delete account password {key}",
                "POST",
                "/account/delete/",
                role="customer",
                data={"password": HOSTILE[key], "confirm": "on"},
            )
        )
        add(
            Case(
                f"data export token {key}",
                "GET",
                f"/account/data/{quote(HOSTILE[key], safe='')}/download/",
                role="customer",
            )
        )
        add(
            Case(
                f"customer api kind {key}",
                "GET",
                f"/api/v1/customers/me/timeline/?kind={quote(HOSTILE[key])}",
                role="customer",
            )
        )
    for key in ["nul", "nul_only", "long_100k"]:
        add(
            Case(
                f"staff customer note {key}",
                "POST",
                "/admin/customers/{customer_id}/",
                role="staff",
                data={"body": HOSTILE[key]},
            )
        )
    return out
