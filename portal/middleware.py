"""Request guards: staff-only admin, NUL characters, read-only maintenance, 503s."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .permissions import is_staff_member

ADMIN_PREFIX = "/admin/"
# The admin's own login and logout pages stay reachable so staff can sign in there.
ADMIN_OPEN = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class StaffOnlyAdminMiddleware:
    """Keep customers out of the Wagtail admin with a clear 403, not a login loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(ADMIN_OPEN)
            and request.user.is_authenticated
            and not is_staff_member(request.user)
        ):
            raise PermissionDenied("Customers cannot use the staff admin.")
        return self.get_response(request)


class RejectNulMiddleware:
    """Answer 400 to any request carrying a NUL character in its URL or text body.

    PostgreSQL cannot store NUL in text and raises on it anywhere in a query,
    while SQLite quietly accepts it; Django's form fields refuse it, but query
    strings, URL parts and JSON bodies reach lookups and services unchecked.
    Refusing it at the door gives the same 400 on both databases. File uploads
    (multipart) are not inspected: binary files may contain NUL bytes.
    """

    TEXT_BODIES = ("application/x-www-form-urlencoded", "application/json")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return self._bad_request(request)
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in ("GET", "HEAD") or not request.content_type.startswith(
            self.TEXT_BODIES
        ):
            return False
        try:
            body = request.body
        except Exception:  # noqa: BLE001 - too big: the view refuses it with 400 itself
            return False
        return b"%00" in body or b"\\u0000" in body or b"\x00" in body

    def _bad_request(self, request):
        from django.http import HttpResponseBadRequest

        from .api import error_body

        message = "The request contains a NUL character."
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(400, "bad_request", message), status=400)
        return HttpResponseBadRequest(message, content_type="text/plain")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ReadOnlyMiddleware:
    """Maintenance mode (DJANGO_READ_ONLY=1): every read works, every write gets 503.

    For a database failover, a restore or an upgrade that must not take writes:
    pages, search, the meter and the API keep answering, and any POST, PUT,
    PATCH or DELETE is refused with a page (or the API's JSON error) and
    Retry-After before a view, a session or a rate-limit counter is touched.
    Pages say so in a banner, so nobody types an answer only to lose it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CANDOR_READ_ONLY and request.method not in SAFE_METHODS:
            return unavailable(
                request,
                code="read_only",
                message="Candor is read-only for maintenance; writing is paused.",
                retry_after=settings.CANDOR_READ_ONLY_RETRY_AFTER,
            )
        return self.get_response(request)


def read_only(request) -> dict:
    """Context processor: `read_only` is true in maintenance mode (the banner)."""
    return {"read_only": settings.CANDOR_READ_ONLY}


def unavailable(request, *, code: str, message: str, retry_after: int) -> HttpResponse:
    """A 503 that tells when to retry: JSON under /api/, else a page.

    The page renders without the request, so no context processor touches a
    database that may be away.
    """
    if request.path.startswith("/api/"):
        from .api import error_body

        response = JsonResponse(error_body(503, code, message), status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"read_only": code == "read_only"}), status=503
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than
    ``CANDOR_MAX_REQUEST_BYTES``, before any of it is read.

    Django caps the non-file part of a body (DATA_UPLOAD_MAX_MEMORY_SIZE) but
    not uploaded files, which it streams to a temporary file; this keeps a
    client from filling the disk. The default fits the largest legitimate form
    (a review with five photos of at most 8 MB each). The Wagtail admin (staff
    only) is exempt: its image and document forms check their own limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponse, JsonResponse

        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.CANDOR_MAX_REQUEST_BYTES
        if declared > limit and not request.path_info.startswith(ADMIN_PREFIX):
            message = f"The request is too large (at most {limit // (1024 * 1024)} MB)."
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"error": {"status": 413, "code": "too_large", "message": message, "details": []}},
                    status=413,
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
