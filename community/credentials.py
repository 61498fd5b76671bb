"""Shareable recognition: an award as an Open Badges 3.0 credential and a LinkedIn link.

The credential is an OpenBadgeCredential (a W3C Verifiable Credential, data
model 2.0) with hosted verification: its `id` is the award's public page on
this site, which anyone can open to check it (who, what, when, criteria,
evidence). The issuer is this site's did:web, and the same credential is
served signed as a JWT-VC (community.badge_signing) next to the JSON.
Every URL is absolute, from WAGTAILADMIN_BASE_URL, so it reads the same
whichever host name a request used.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .badge_signing import issuer_did
from .badges import badge_title

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def organisation_name() -> str:
    from wagtail.models import Site

    from portal.models import Branding

    site = Site.objects.filter(is_default_site=True).first()
    return Branding.for_site(site).company_name if site else settings.WAGTAIL_SITE_NAME


def award_urls(award) -> dict:
    return {
        "page": absolute(reverse("community:award_detail", kwargs={"pk": award.pk})),
        "json": absolute(reverse("community:award_credential", kwargs={"pk": award.pk})),
        "jwt": absolute(reverse("community:award_credential_jwt", kwargs={"pk": award.pk})),
        "badge": absolute(reverse("community:badge_detail", kwargs={"slug": award.badge.slug})),
        "image": absolute(award.badge.image.url) if award.badge.image else "",
        "profile": absolute(reverse("portal:profile", kwargs={"username": award.user.username})),
    }


def award_credential(award, *, evidence=(), organisation: str | None = None) -> dict:
    """The award as an Open Badges 3.0 OpenBadgeCredential (JSON-ready dict)."""
    info = award.badge.info
    urls = award_urls(award)
    organisation = organisation or organisation_name()
    profile = getattr(award.user, "profile", None)
    credential = {
        "@context": OB_CONTEXT,
        "id": urls["page"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": f"{organisation} community",
            "url": absolute("/"),
        },
        "validFrom": award.awarded_at.isoformat().replace("+00:00", "Z"),
        "name": badge_title(tier=info.tier, name=award.badge.name),
        "credentialSubject": {
            "id": urls["profile"],
            "type": ["AchievementSubject"],
            "name": getattr(profile, "display_name", "") or award.user.username,
            "achievement": {
                "id": urls["badge"],
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": badge_title(tier=info.tier, name=award.badge.name),
                "description": award.badge.description or award.badge.name,
                "criteria": {"id": urls["badge"], "narrative": info.criteria},
                "image": {"id": urls["image"], "type": "Image", "caption": award.badge.name},
                "tag": [info.get_tier_display()]
                + ([info.product.title] if info.product_id else [])
                + ([info.tag.name] if info.tag_id else []),
            },
        },
    }
    items = [
        {
            "id": absolute(post.get_absolute_url()),
            "type": ["Evidence"],
            "name": str(getattr(post, "title", "") or post.question.title),
            "narrative": f"Score {post.score}" + (f", {post.created_at:%d %b %Y}" if getattr(post, "created_at", None) else ""),
        }
        for post in evidence
    ]
    if items:
        credential["evidence"] = items
    return credential


def linkedin_add_url(award, *, organisation: str | None = None) -> str:
    """LinkedIn's "Add to profile" link for a certification (just a link; nothing is sent)."""
    urls = award_urls(award)
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": badge_title(tier=award.badge.info.tier, name=award.badge.name),
        "organizationName": f"{organisation or organisation_name()} community",
        "issueYear": award.awarded_at.year,
        "issueMonth": award.awarded_at.month,
        "certUrl": urls["page"],
        "certId": f"award-{award.pk}",
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)
