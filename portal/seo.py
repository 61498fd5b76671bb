"""What search engines read: robots.txt and the sitemap of published pages.

robots.txt keeps crawlers out of the places that are per person (account,
admin, API writes) or endless (search results, sorted and filtered copies of a
list) and points them at the sitemap; the sitemap is Wagtail's own, over the
live, public pages of this site.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DISALLOWED = ("/admin/", "/account/", "/api/", "/search/", "/documents/")


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
