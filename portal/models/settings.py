"""Branding staff set in the Wagtail admin: the company's name, logo and colour."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    """Return the WCAG contrast ratio of `hex_colour` against white."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def validate_brand_colour(value: str) -> None:
    """Refuse colours that would break AA contrast for white text on buttons and links."""
    if not HEX_COLOUR.match(value):
        raise ValidationError(_("Use a colour like #1d4ed8."))
    if contrast_with_white(value) < 4.5:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of %(ratio).1f:1; AA needs 4.5:1."
            ),
            params={"ratio": contrast_with_white(value)},
        )


@register_setting(icon="site")
class Branding(BaseSiteSetting):
    """The company's name, logo and colour, shown on every page."""

    company_name = models.CharField(max_length=80, default="Candor")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        max_length=7, default="#1d4ed8", validators=[validate_brand_colour]
    )
    footer_text = models.CharField(max_length=200, blank=True)

    panels = [
        FieldPanel("company_name"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("branding")
