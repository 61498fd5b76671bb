"""The bad-input corpus: hostile requests every form and API endpoint must refuse.

Each app lists its cases in ``tests/security/corpus/<app>.py`` as ``cases()``
returning `Case` objects, built from the shared payloads below. The harness
(tests/security/test_bad_input.py) sends each one, as the given role, and
checks: no 5xx; a 4xx (or, for a read, any non-5xx answer); and the same row
count in every table afterwards.
"""

import io
import struct
import zlib
from dataclasses import dataclass, field

from PIL import Image


@dataclass
class Case:
    name: str
    method: str
    path: str  # may hold {placeholders} from tests/security/worlds.py
    role: str = "anonymous"
    data: dict | None = None
    body: bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    # Send the role's API token (`Authorization: Bearer …`, tests/security/worlds.py).
    token: bool = False
    # "reject": a 4xx is required; "read": a GET that may answer 200 (a search
    # for a hostile string finds nothing) but never 5xx.
    expect: str = "reject"


# Strings no field should store as they are, or that break naive code.
HOSTILE = {
    "nul": "abc\x00def",
    "nul_only": "\x00",
    "rtl_override": "admin\u202egnp.exe",
    "zero_width": "a\u200b\u200c\u200d\u2060b",
    "bidi_isolates": "\u2066x\u2069\u2067y\u2069",
    "zalgo": "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319a\u0337l\u0335g\u0336o",
    "emoji_flags": "\U0001f1fa\U0001f1f8" * 40,
    "bom": "\ufeffbom",
    "sql": "' OR '1'='1' --",
    "sql_union": "1 UNION SELECT password FROM auth_user--",
    "xss_script": "<script>alert(1)</script>",
    "xss_img": '"><img src=x onerror=alert(1)>',
    "xss_svg": "<svg/onload=alert(1)>",
    "js_url": "javascript:alert(document.cookie)",
    "template": "{{ settings.SECRET_KEY }}{% debug %}",
    "jndi": "${jndi:ldap://127.0.0.1/a}",
    "path": "../../../../etc/passwd",
    "crlf": "value\r\nSet-Cookie: evil=1",
    "percent": "%00%0d%0a%ff",
    "huge_number": "9" * 400,
    "negative": "-1",
    "float": "1e309",
    "long_100k": "x" * 100_000,
    "long_words": "word " * 20_000,
    "control_chars": "".join(chr(c) for c in range(1, 32)),
    "backslashes": "\\" * 5000,
    "json_like": '{"$gt": ""}',
}

# Raw bytes sent as a form body: not valid UTF-8 (a lone surrogate encoded as
# UTF-8, a stray continuation byte, an overlong slash).
RAW_INVALID_UTF8 = {
    "lone_surrogate": b"%ED%A0%80",
    "stray_continuation": b"%80%80",
    "overlong_slash": b"%C0%AF",
    "ff_fe": b"%FF%FE",
}


def png_bytes(width=8, height=8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * 3 * min(width, 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row))
        + chunk(b"IEND", b"")
    )


HOSTILE_FILES = {
    "svg_as_png": (
        "avatar.png",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ),
    "svg": (
        "avatar.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "html_as_jpg": ("avatar.jpg", b"<html><script>alert(1)</script></html>"),
    "truncated_png": ("avatar.png", png_bytes()[:40]),
    "empty": ("avatar.png", b""),
    "pixel_flood": ("avatar.png", png_claiming(20_000, 20_000)),
    "one_by_huge": ("avatar.png", png_claiming(1, 100_000)),
    "gif_polyglot": ("avatar.gif", b"GIF89a/*<script>alert(1)</script>*/"),
    "pdf": ("avatar.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    "fits": ("avatar.png", b"SIMPLE  =                    T" + b" " * 2850),
    "too_big": ("avatar.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024)),
    "path_name": ("../../../etc/avatar.png", b"not an image"),
    "nul_name": ("ava\x00tar.png", b"not an image"),
    "rtl_name": ("avatar\u202egnp.exe", b"MZ\x90\x00"),
    "long_name": ("a" * 300 + ".png", b"not an image"),
}
