"""Template tags for the meter: figures as text and the weekly trend drawn as SVG on the server."""

from datetime import date

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

# The trend chart's geometry, in SVG user units (it scales with the page).
WIDTH, HEIGHT = 640, 240
# LEFT and BOTTOM leave room for axis labels drawn large enough to read on a phone.
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 44


def _short_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {day:%b}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.simple_tag
def figure_detail(figure, short=False) -> str:
    """ "95 % interval 91.2–96.3 % · 412 answers", or why there is no percentage yet."""
    if short:
        if figure["enough"]:
            return f"{_number(figure['low'])}–{_number(figure['high'])} % · n = {intcomma(figure['n'])}"
        return f"n = {intcomma(figure['n'])} of {figure.get('min_answers', 10)}"
    if figure["enough"]:
        return _("95 %% interval %(low)s–%(high)s %% · %(n)s answers") % {
            "low": _number(figure["low"]),
            "high": _number(figure["high"]),
            "n": intcomma(figure["n"]),
        }
    return _("%(n)s of the %(min)s answers needed") % {"n": intcomma(figure["n"]), "min": figure.get("min_answers", 10)}


@register.inclusion_tag("satisfaction/tags/figure_cell.html")
def figure_cell(figure, min_answers=10, short=False):
    return {"figure": {**figure, "min_answers": min_answers}, "short": short}


@register.filter
def utc_minute(value: str) -> str:
    """ "2026-11-25T20:08:10+00:00" as "2026-11-25 20:08"."""
    return value[:16].replace("T", " ")


@register.filter
def as_date(value: str) -> date:
    return date.fromisoformat(value)


@register.simple_tag
def trend_svg(weekly, title_id="trend-title", desc_id="trend-desc"):
    """The 26-week trend: a dot per week with enough answers, its 95 % interval as a bar."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(weekly))

    def x(index):
        return LEFT + step * (index + 0.5)

    def y(percent):
        return TOP + plot_h * (1 - percent / 100)

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="sat-grid"/><text x="{}" y="{}" class="sat-axis" text-anchor="end">{} %</text>',
        ((LEFT, f"{y(p):.1f}", WIDTH - RIGHT, f"{y(p):.1f}", LEFT - 8, f"{y(p) + 6:.1f}", p) for p in (0, 25, 50, 75, 100)),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="sat-axis" text-anchor="middle">{}</text>',
        (
            (f"{x(i):.1f}", HEIGHT - 10, _short_date(week["week_start"]))
            for i, week in enumerate(weekly)
            if i % 5 == 0 or i == len(weekly) - 1
        ),
    )
    # A week without enough answers is a gap: no dot, no bar, and the line stops
    # there, so it can never read as a fall to 0 %.
    bars, runs, dots = [], [[]], []
    for i, week in enumerate(weekly):
        if not week["enough"]:
            if runs[-1]:
                runs.append([])
            continue
        bars.append(
            format_html(
                '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" class="sat-band"/>',
                f"{x(i):.1f}", f"{y(week['low']):.1f}", f"{y(week['high']):.1f}",
            )
        )
        runs[-1].append(f"{x(i):.1f},{y(week['percent']):.1f}")
        dots.append(
            format_html(
                '<circle cx="{}" cy="{}" r="5" class="sat-dot"><title>{}</title></circle>',
                f"{x(i):.1f}", f"{y(week['percent']):.1f}",
                _("Week of %(week)s: %(p)s %% satisfied, %(n)s answers") % {
                    "week": week["week_start"], "p": week["percent_whole"], "n": week["n"],
                },
            )
        )
    line = format_html_join(
        "", '<polyline points="{}" class="sat-line"/>', ((" ".join(run),) for run in runs if len(run) > 1)
    )
    return format_html(
        '<svg class="sat-trend" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" preserveAspectRatio="xMidYMid meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}{}{}{}</svg>',
        WIDTH, HEIGHT, title_id, desc_id,
        title_id, _("Percentage of satisfied customers, week by week, over 26 weeks"),
        desc_id, _("Each dot is one week's percentage, its vertical bar the 95 % interval; weeks with fewer than the minimum answers are left as gaps, with no dot and no line. The table below gives the same numbers."),
        grid, labels, format_html_join("", "{}", ((b,) for b in bars)), line, format_html_join("", "{}", ((d,) for d in dots)),
    )
