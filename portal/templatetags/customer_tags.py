"""Template tags for the customer pages: the readable data export and the staff side panel."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from .. import selectors_customer
from ..cache import never_cache_this
from ..permissions import is_staff_member

register = template.Library()
MAX_DEPTH = 8


def _tree(value, depth=0):
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
                ((k, _tree(v, depth + 1)) for k, v in value.items()),
            ),
        )
    if isinstance(value, list):
        if not value:
            return format_html("<em>{}</em>", "none")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "", "<li>{}</li>", ((_tree(v, depth + 1),) for v in value)
            ),
        )
    if value is None or value == "":
        return format_html("<em>{}</em>", "—")
    return format_html("{}", str(value))


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
