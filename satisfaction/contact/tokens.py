"""Signed links for contact requests: confirm an anonymous request, reply to a thread.

Like the survey links: "<pk>-<nonce>" signed with the site's key under a salt
per purpose, so a confirmation link cannot be used to reply and no secret sits
in the database.
"""

from django.core import signing

from ..tokens import InvalidLink, signed_row  # noqa: F401 - InvalidLink is this module's error too
from .models import ContactRequest

CONFIRM = "satisfaction.contact.confirm"
REPLY = "satisfaction.contact.reply"


def contact_token_make(contact: ContactRequest, purpose: str) -> str:
    return signing.Signer(salt=purpose, sep=".").sign(f"{contact.pk}-{contact.nonce}")


def contact_from_token(token: str, purpose: str) -> ContactRequest:
    """Return the request `token` was made for, or raise InvalidLink (also for a
    link signed for another purpose)."""
    return signed_row(
        signing.Signer(salt=purpose, sep="."),
        token,
        ContactRequest.objects.select_related("product", "slot", "claimed_by"),
    )
