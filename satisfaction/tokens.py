"""Signed survey links.

A link carries "<invitation pk>-<nonce>" signed with the site's secret key
(HMAC-SHA256), so a link cannot be guessed or altered and nothing secret sits
in the database. Expiry is the invitation's own date, not the signature's, so
the account page can rebuild the same link without extending it.
"""

import hmac

from django.core import signing

from .models import SurveyInvitation

SALT = "satisfaction.survey-link"
_signer = signing.Signer(salt=SALT, sep=".")


class InvalidLink(Exception):
    """The link was altered, truncated or never issued."""


def survey_token_make(invitation: SurveyInvitation) -> str:
    return _signer.sign(f"{invitation.pk}-{invitation.nonce}")


def survey_invitation_from_token(token: str) -> SurveyInvitation:
    """Return the invitation `token` was issued for, or raise InvalidLink."""
    try:
        value = _signer.unsign(token[:200])
        pk, nonce = value.split("-", 1)
        pk = int(pk)
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    invitation = (
        SurveyInvitation.objects.select_related("interaction", "interaction__product", "interaction__handled_by")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.nonce, nonce):
        raise InvalidLink
    return invitation
