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


def signed_row(signer: signing.Signer, token: str, queryset):
    """The row of `queryset` whose "<pk>-<nonce>" `signer` signed into `token`.

    Raises InvalidLink for an altered or truncated link, or one whose nonce no
    longer matches (survey links and contact-request links share this).
    """
    try:
        value = signer.unsign(token[:200])
        pk, nonce = value.split("-", 1)
        pk = int(pk)
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    row = queryset.filter(pk=pk).first()
    if row is None or not hmac.compare_digest(row.nonce, nonce):
        raise InvalidLink
    return row


def survey_invitation_from_token(token: str) -> SurveyInvitation:
    """Return the invitation `token` was issued for, or raise InvalidLink."""
    return signed_row(
        _signer,
        token,
        SurveyInvitation.objects.select_related(
            "interaction", "interaction__product", "interaction__handled_by"
        ),
    )
