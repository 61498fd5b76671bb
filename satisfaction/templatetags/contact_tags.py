"""`{% help_offers %}`: the "Talk to a person" link on articles, questions, products and empty searches.

One tag so every entry point looks and behaves the same. The link carries the
page the visitor came from (and its product), which the request form attaches.
It is a plain link, the same for every visitor, so cached pages stay shareable.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("satisfaction/tags/help_offers.html", takes_context=True)
def help_offers(context, title="", product=None, lead=""):
    request = context.get("request")
    query = {"from": request.get_full_path()[:500] if request is not None else ""}
    if title:
        query["title"] = str(title)[:200]
    slug = getattr(product, "slug", "") or (product if isinstance(product, str) else "")
    if slug:
        query["product"] = slug
    return {
        "contact_url": reverse("satisfaction:contact") + "?" + urlencode(query),
        "lead": lead,
    }


@register.inclusion_tag("satisfaction/tags/contact_figures.html")
def contact_figures():
    """Public follow-through figures per channel, for the meter page (cached a minute)."""
    from django.core.cache import cache

    from satisfaction.contact import selectors

    rows = cache.get_or_set(
        "satisfaction:contact:figures", selectors.contact_public_figures, 60
    )
    for row in rows:
        row["median_text"] = selectors.duration_text(
            row["median_first_response_seconds"]
        )
    from django.conf import settings

    return {
        "rows": rows,
        "days": selectors.FIGURE_DAYS,
        "late": settings.CANDOR_CONTACT_ON_TIME_MINUTES,
    }
