"""Keep customers out of the Wagtail admin with a clear 403, not a login loop."""

from django.core.exceptions import PermissionDenied

from .permissions import is_staff_member

ADMIN_PREFIX = "/admin/"
# The admin's own login and logout pages stay reachable so staff can sign in there.
ADMIN_OPEN = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class StaffOnlyAdminMiddleware:
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
        from django.http import HttpResponseBadRequest, JsonResponse

        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "status": 400,
                        "code": "bad_request",
                        "message": "The request contains a NUL character.",
                        "details": [],
                    }
                },
                status=400,
            )
        return HttpResponseBadRequest(
            "The request contains a NUL character.", content_type="text/plain"
        )


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
