"""A short cache of whole community pages for anonymous visitors.

Stack Overflow and Discourse serve anonymous readers from a cache; we do the
same for the question list and question pages, with two safety rules:

- only a GET from a visitor with no session or messages cookie is cached or
  served from the cache (anyone signed in, or with a flash message waiting,
  gets a fresh page), and a page that set a CSRF cookie is never stored;
- every key carries a content version that `community.services` bumps after
  each public change (a question, answer, vote, acceptance, hide...), so a
  cached page is never older than the last change, only at most
  `ANONYMOUS_PAGE_SECONDS` old for data outside the community (product titles).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "community:content-version"
ANONYMOUS_PAGE_SECONDS = 30


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def content_changed() -> None:
    """Expire every cached anonymous page once the current transaction commits."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    transaction.on_commit(bump)


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def anonymous_page_cache(view):
    """Serve `view` from the cache to anonymous visitors (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
        key = f"community:page:{content_version()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.cookies
        ):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                ANONYMOUS_PAGE_SECONDS,
            )
        return response

    return wrapper
