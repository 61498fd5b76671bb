"""What search engines read: robots.txt, the sitemap and each page's canonical URL.

robots.txt keeps crawlers out of the places that are per person (account,
admin, API writes) or endless (search results, sorted and filtered copies of a
list) and points them at the sitemap; the sitemap is Wagtail's own, over the
live, public pages of this site.

The canonical URL tells a crawler which address a page's content belongs to,
so sorted copies and links carrying tracking tags count as one page. It keeps
only the query parameters that choose *what* is shown (a search's words, a
filter, the page of a list beyond the first) and drops those that only order
it or say where a visitor came from.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .site_url import absolute_url

DISALLOWED = ("/admin/", "/account/", "/api/", "/search/", "/documents/")

# Parameters that change which items a page shows, in the order the canonical
# URL writes them. Everything else (sort, utm_*, fbclid, next, thanks...) is
# dropped: a sorted list holds the same items as the default order. `page`
# stays beyond the first page: page 3 of a list is different content, and
# pointing it at page 1 would hide its items from crawlers (Google's advice
# for paginated lists); page=1 or a page that is not a number is dropped.
CANONICAL_PARAMS = ("q", "type", "product", "tag", "status", "period", "page")


def canonical_url(request, page_number: int | None = None) -> str:
    """Return the absolute canonical URL of the page `request` asked for.

    On the one public base URL (portal.site_url), whatever host the request
    came in on, with only the content-choosing parameters of CANONICAL_PARAMS.
    `page_number` is the page a paginated view actually shows (the paginator
    turns ?page=999 into the last page), used instead of the raw parameter.
    """
    kept = []
    for name in CANONICAL_PARAMS:
        value = request.GET.get(name, "").strip()
        if name == "page":
            if page_number is not None:
                value = str(page_number)
            if not (value.isdecimal() and int(value) > 1):
                continue
        if value:
            kept.append((name, value))
    query = f"?{urlencode(kept)}" if kept else ""
    return absolute_url(request.path + query)


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
