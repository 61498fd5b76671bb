"""Template helpers for reputation and badges: the history chart and badge medals."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

CHART_WIDTH, CHART_HEIGHT, PAD = 600, 160, 8


@register.simple_tag
def reputation_chart(history):
    """An inline SVG line of the running total over time (no JavaScript; the table beside it is the text)."""
    if len(history) < 2:
        return ""
    totals = [total for _day, _points, total in history]
    days = [day.toordinal() for day, _points, _total in history]
    low, high = min(totals), max(totals)
    span_y = (high - low) or 1
    span_x = (days[-1] - days[0]) or 1
    points = " ".join(
        f"{PAD + (d - days[0]) * (CHART_WIDTH - 2 * PAD) / span_x:.1f},"
        f"{CHART_HEIGHT - PAD - (t - low) * (CHART_HEIGHT - 2 * PAD) / span_y:.1f}"
        for d, t in zip(days, totals, strict=True)
    )
    label = _("Reputation from %(start)s (%(low)s) to %(end)s (%(high)s)") % {
        "start": history[0][0].strftime("%d %b %Y"),
        "end": history[-1][0].strftime("%d %b %Y"),
        "low": totals[0],
        "high": totals[-1],
    }
    return format_html(
        '<svg class="rep-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="none">'
        '<polyline fill="none" stroke="currentColor" stroke-width="3" vector-effect="non-scaling-stroke" points="{}"/>'
        "</svg>",
        CHART_WIDTH,
        CHART_HEIGHT,
        label,
        points,
    )


@register.inclusion_tag("community/includes/badge_medal.html")
def badge_medal(badge, size=48, link=True, title=""):
    info = getattr(badge, "info", None)
    return {"badge": badge, "info": info, "size": size, "link": link, "title": title}


@register.simple_tag
def badge_title(badge):
    from community.badges import badge_title as title

    info = getattr(badge, "info", None)
    return title(tier=info.tier, name=badge.name) if info else badge.name


@register.simple_tag
def progress_parts(progress):
    return format_html_join(
        _(" and "), "{}/{} {}", ((have, need, label) for label, have, need in progress.parts)
    )
