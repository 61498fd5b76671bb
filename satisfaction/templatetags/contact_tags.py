"""`{% help_offers %}`: the "Talk to a person" link on articles, questions, products and empty searches.

One tag so every entry point looks and behaves the same; the link itself is
`contact.links.contact_url` (an empty search offers it through a hook).
"""

from django import template

from ..contact.links import contact_url

register = template.Library()


@register.inclusion_tag("satisfaction/tags/help_offers.html", takes_context=True)
def help_offers(context, title="", product=None, lead=""):
    return {
        "contact_url": contact_url(
            context.get("request"), title=title, product=product
        ),
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
