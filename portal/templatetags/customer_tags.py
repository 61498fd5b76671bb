"""Template tags for the customer pages: the readable data export and the staff side panel."""

import re
from datetime import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from .. import selectors_customer
from ..cache import never_cache_this
from ..permissions import is_staff_member

register = template.Library()
MAX_DEPTH = 8
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# Words for the export's field names a customer would not read as English.
LABELS = {
    "id": "Number",
    "body": "Text",
    "helpful_yes": "Marked helpful",
    "helpful_no": "Marked not helpful",
    "score": "Votes",
    "prefix": "Starts with",
    "format": "File format",
}


# Fields whose values are codes (notification kinds, channels, states): shown as words,
# "review_staff_reply" -> "Review staff reply". Free text (names, tags) stays as written.
CODE_KEYS = frozenset({"kind", "channel", "status", "reason", "source", "survey_answer"})
CODE = re.compile(r"^[a-z]+(_[a-z]+)*$")
ACRONYMS = {"Api ": "API ", "Url ": "URL "}


def label(key) -> str:
    """A field name as words: "badge__name" → "Badge name", "product_id" → "Product number"."""
    key = str(key)
    if key in LABELS:
        return LABELS[key]
    words = key.replace("__", " ").replace("_", " ").strip()
    if words.endswith(" id"):
        words = words[:-3] + " number"
    elif words.endswith(" at"):
        words = words[:-3]
    elif words.endswith(" url"):
        words = words[:-4] + " address"
    words = words[:1].upper() + words[1:]
    for short, written in ACRONYMS.items():
        if words.startswith(short):
            words = written + words[len(short) :]
    return words


def _scalar(value, key=None):
    if key in CODE_KEYS and isinstance(value, str) and CODE.match(value):
        return format_html("{}", label(value))
    if value is None or value == "":
        return format_html("<em>{}</em>", "—")
    if value is True or value is False:
        return format_html("{}", "Yes" if value else "No")
    if isinstance(value, str) and ISO_TIME.match(value):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return format_html("{}", value)
        return format_html(
            '<time datetime="{}">{}</time>', value, date_format(when, "j M Y, H:i")
        )
    if hasattr(value, "isoformat"):
        return format_html(
            '<time datetime="{}">{}</time>',
            value.isoformat(),
            date_format(value, "j M Y, H:i" if hasattr(value, "hour") else "j M Y"),
        )
    return format_html("{}", str(value))


def _table(rows, depth):
    """A list of flat records as a table: one row each, the fields as headed columns."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return format_html(
        '<div class="table-scroll"><table class="data-table"><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        format_html_join("", '<th scope="col">{}</th>', ((label(k),) for k in keys)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        ((_tree(row.get(k), depth + 1, k),) for k in keys),
                    ),
                )
                for row in rows
            ),
        ),
    )


def _tree(value, depth=0, key=None):
    if depth > MAX_DEPTH:
        return format_html("{}", str(value))
    if isinstance(value, dict):
        if not value:
            return format_html("<em>{}</em>", "none")
        return format_html(
            '<dl class="data-tree">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((label(k), _tree(v, depth + 1, k)) for k, v in value.items()),
            ),
        )
    if isinstance(value, list):
        if not value:
            return format_html("<em>{}</em>", "none")
        flat = all(
            isinstance(v, dict)
            and not any(isinstance(x, dict | list) for x in v.values())
            for v in value
        )
        if flat:
            return _table(value, depth)
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "", "<li>{}</li>", ((_tree(v, depth + 1),) for v in value)
            ),
        )
    return _scalar(value, key)


@register.simple_tag
def data_sections(payload):
    """The export's top-level parts, as (heading, html), for one section each on the page."""
    if not isinstance(payload, dict):
        return []
    return [
        (label(key), _tree(value, 1))
        for key, value in payload.items()
        if key not in ("format", "generated_at")
    ]


@register.simple_tag
def data_tree(value):
    """Render JSON-like data as nested, escaped lists (no user HTML is ever trusted)."""
    return _tree(value)


@register.simple_tag(takes_context=True)
def customer_side_panel(context, customer):
    """What staff should know about `customer` before answering them (staff only).

    Used where staff answer a question, reply to a review and follow up a "No".
    """
    request = context.get("request")
    if request is None or customer is None or not is_staff_member(request.user):
        return ""
    # Staff-only, and fresher than any cached copy of the page may be.
    never_cache_this(request)
    data = selectors_customer.customer_side_panel(
        customer=customer, viewer=request.user
    )
    return render_to_string(
        "portal/admin/customer_side_panel.html", data, request=request
    )
