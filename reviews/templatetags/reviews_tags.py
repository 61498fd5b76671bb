"""Small display helpers for review templates."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def stars(value) -> str:
    """★★★☆☆ for 3 (decorative: templates give the number in words too)."""
    try:
        n = max(0, min(5, round(float(value))))
    except (TypeError, ValueError):
        n = 0
    return "★" * n + "☆" * (5 - n)


@register.filter
def percent_of(part, whole) -> int:
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def duration_words(seconds) -> str:
    """A median reply time in words: "under an hour", "5 hours", "3 days"."""
    if seconds is None:
        return ""
    seconds = float(seconds)
    if seconds < 3600:
        return _("under an hour")
    hours = round(seconds / 3600)
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = round(seconds / 86400)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.simple_tag
def contact_label(summary) -> str:
    """The "Contacted support" label for a satisfaction summary, or ""."""
    if not summary or not summary.get("contacted"):
        return ""
    satisfied = summary.get("satisfied")
    if satisfied is True:
        return _("Contacted support · said they were satisfied")
    if satisfied is False:
        return _("Contacted support · said they were not satisfied")
    # No answer yet, or an answer the customer did not agree to show here: the
    # two look the same, so the label never gives the outcome away.
    return _("Contacted support")


@register.filter
def p_value(value) -> str:
    """A p-value for people: "p = 0.0123", or "p < 0.0001"."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return ""
    return "p < 0.0001" if value < 0.0001 else f"p = {value:.4f}"
