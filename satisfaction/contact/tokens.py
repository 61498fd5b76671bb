"""Signed links for contact requests: confirm an anonymous request, reply to a thread.

Like the survey links: "<pk>-<nonce>" signed with the site's key under a salt
per purpose, so a confirmation link cannot be used to reply and no secret sits
in the database.
"""

import hmac

from django.core import signing

from .models import ContactRequest

CONFIRM = "satisfaction.contact.confirm"
REPLY = "satisfaction.contact.reply"


class InvalidLink(Exception):
    """Altered, truncated, or for another purpose."""


def contact_token_make(contact: ContactRequest, purpose: str) -> str:
    return signing.Signer(salt=purpose, sep=".").sign(f"{contact.pk}-{contact.nonce}")


def contact_from_token(token: str, purpose: str) -> ContactRequest:
    """Return the request `token` was made for, or raise InvalidLink."""
    try:
        value = signing.Signer(salt=purpose, sep=".").unsign(token[:200])
        pk, nonce = value.split("-", 1)
        pk = int(pk)
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    contact = (
        ContactRequest.objects.select_related("product", "slot", "claimed_by")
        .filter(pk=pk)
        .first()
    )
    if contact is None or not hmac.compare_digest(contact.nonce, nonce):
        raise InvalidLink
    return contact
