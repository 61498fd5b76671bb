"""One base URL for every absolute link the site gives out.

Emails, credentials and survey links used ``WAGTAILADMIN_BASE_URL`` while the
API's product links came from Wagtail's Site record (``http://localhost/...``
in a fresh install) and JSON-LD from the request's Host header. Everything that
leaves the page as an absolute URL now comes from here.
"""

from urllib.parse import urlsplit

from django.conf import settings


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` ("/products/x/") on the public base URL; a full URL keeps only its path."""
    if not path:
        return ""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    return base_url() + (path if path.startswith("/") else f"/{path}")


def page_absolute_url(page) -> str:
    """A Wagtail page's public URL on the base URL (not its Site record's host)."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return absolute_url(parts[2])
