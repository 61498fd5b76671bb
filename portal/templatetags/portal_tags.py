"""Template tags for the site shell: branding, hook-provided panels, avatars, forms, user bar."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar

from ..permissions import is_staff_member

register = template.Library()


@register.simple_tag(takes_context=True)
def hook_panels(context, hook_name, *args):
    """Render what other apps register for `hook_name` (home panels, account panels…).

    Each hook is a callable taking the request (and `args`) and returning HTML or
    None; this is how portal shows app content without importing the apps.
    """
    request = context.get("request")
    parts = [fn(request, *args) for fn in hooks.get_hooks(hook_name)]
    return format_html_join("", "{}", ((part,) for part in parts if part))


@register.simple_tag(takes_context=True)
def product_card_lines(context, products):
    """{product pk: HTML} other apps add under each product card (reviews: its
    adjusted score with n), from the `candor_product_card_lines` hooks.

    Each hook takes the request and the whole list, so a list of cards costs a
    fixed number of queries. Evaluates `products` once; the template's loop reuses it.
    """
    request = context.get("request")
    products = list(products)
    lines: dict = {}
    for fn in hooks.get_hooks("candor_product_card_lines"):
        for pk, html in (fn(request, products) or {}).items():
            lines[pk] = mark_safe(lines.get(pk, "") + html)  # hook HTML, rendered by templates
    return lines


@register.filter
def card_line(lines, pk):
    """`lines[pk]` or nothing: ``{{ card_lines|card_line:product.pk }}``."""
    return lines.get(pk, "") if lines else ""


@register.inclusion_tag("tags/avatar.html")
def avatar(profile, size=48):
    """A member's avatar, or their initials on the brand colour when there is none."""
    name = getattr(profile, "display_name", "") or "?"
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    return {"profile": profile, "size": size, "initials": initials}


@register.inclusion_tag("includes/form_field.html")
def form_field(field):
    return {"field": field}


@register.simple_tag
def query_replace(request, **kwargs):
    """Return the current query string with `kwargs` replaced (empty values removed)."""
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def brand_style(branding):
    """CSS custom properties for the brand colour (validated as #rrggbb on save)."""
    from ..cache import placeholders

    colour = getattr(branding, "primary_colour", "") or "#1d4ed8"
    return format_html(
        '<style nonce="{}">:root{{--brand:{};}}</style>',
        placeholders.csp.decode(),
        colour,
    )


@register.simple_tag(takes_context=True)
def nav_sections(context):
    """The live product and knowledge-base index pages of this site, for the header.

    Staff may rename or move them in the admin, so their URLs are never hard-coded.
    """
    from wagtail.models import Page, Site

    from ..models import KnowledgeBaseIndexPage, ProductIndexPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .type(ProductIndexPage, KnowledgeBaseIndexPage)
        .order_by("path")
    )
    return [(page.title, page.get_url(request)) for page in pages]


@register.simple_tag
def csp_nonce():
    """The nonce for an inline ``<script>`` or ``<style>``: ``<style nonce="{% csp_nonce %}">``.

    It renders a placeholder that portal.csp replaces with a fresh nonce on
    every response, after the page cache, so cached pages never reuse one.
    """
    from ..cache import placeholders

    return placeholders.csp.decode()


@register.simple_tag(takes_context=True)
def page_userbar(context):
    """Wagtail's user bar, only on a Wagtail page the signed-in staff member may edit.

    The bar brings about 1.2 MB of admin scripts and styles; on a question, a
    review or the meter there is nothing in it for staff to use, so those pages
    stay as light for staff as for customers. Customers never reach the admin
    (portal.permissions), so for them the bar is skipped before the two page
    permission queries Wagtail would make.
    """
    page = get_page_instance(context)
    request = context.get("request")
    if page is None or request is None or not page.pk:
        return ""
    if not is_staff_member(request.user):
        return ""
    if not page.permissions_for_user(request.user).can_edit():
        return ""
    return wagtailuserbar(context)


@register.simple_tag(takes_context=True)
def canonical_link(context):
    """``<link rel="canonical">`` for this page (portal.seo.canonical_url), or nothing
    outside a request (an email, a fragment). A paginated view's ``page_obj``
    gives the page really shown."""
    from ..seo import canonical_url

    request = context.get("request")
    if request is None:
        return ""
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", None)
    return format_html(
        '<link rel="canonical" href="{}">', canonical_url(request, page_number=number)
    )


@register.simple_tag
def inline_stylesheet(name):
    """Static stylesheet `name` inline in a nonce'd ``<style>`` (portal.inline_css),
    so it does not hold up the first paint as a ``<link>`` would."""
    from ..cache import placeholders
    from ..inline_css import stylesheet_text

    return format_html(
        '<style nonce="{}">{}</style>',
        placeholders.csp.decode(),
        mark_safe(stylesheet_text(name)),  # our own static file, checked for "</"
    )
