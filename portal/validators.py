"""Validators for short plain text people show each other (names, titles)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters, zero-width and bidirectional controls (RTL override can
# disguise a name), the byte-order mark, and U+FFFD (what broken UTF-8 decodes to).
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffd]"
)


def validate_visible_text(value: str) -> None:
    """Refuse text with invisible or direction-changing characters."""
    if INVISIBLE.search(value):
        raise ValidationError(
            _("Remove invisible, control or text-direction characters."),
            code="invisible",
        )
