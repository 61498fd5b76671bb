"""The API's promises to outside developers, kept in one place.

- Every answer under /api/ with a 4xx or 5xx status carries the JSON error body
  (`portal.api.error_body`), whoever produced it: Ninja's own 405 for a method
  an endpoint does not take (PATCH, say) is plain text, and Django's CSRF 403,
  a 404 outside /api/v1/ or a 500 page are HTML. The middleware rewrites those.
- Every write with a body sends it as JSON (`Content-Type: application/json`):
  a `text/plain` or form-encoded body is refused with 415 instead of being read
  as JSON anyway. Multipart is let through for file uploads (review photos);
  an endpoint that reads a JSON body still refuses it, through `JsonParser`.
- The OpenAPI schema validates: the anonymous fallback of optional-token reads
  is written as OpenAPI's empty security requirement (`{}`), not as a scheme
  without the `scheme` field that `openapi-spec-validator` refuses.
"""


from django.http import JsonResponse

from .text_guard import GuardedParser

API_PREFIX = "/api/"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
JSON_TYPES = ("application/json",)
UPLOAD_TYPES = ("multipart/form-data",)
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
NOT_JSON_MESSAGE = "Send the request body as JSON, with Content-Type: application/json."


def error_body(status: int, code: str, message: str, details=None) -> dict:
    """The one shape of every API error (also used by the 503 outside Ninja)."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": message,
            "details": details or [],
        }
    }


class UnsupportedMediaType(Exception):
    """A body that is not JSON reached an endpoint that reads a JSON body."""


def is_json(content_type: str) -> bool:
    return content_type in JSON_TYPES or content_type.endswith("+json")


class JsonParser(GuardedParser):
    """Ninja's parser, only for bodies that say they are JSON (and, from
    GuardedParser, refusing a lone surrogate anywhere in them)."""

    def parse_body(self, request):
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


def _has_body(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


def error_json(status: int, message: str, code: str | None = None) -> JsonResponse:
    return JsonResponse(
        error_body(status, code or CODES.get(status, "error"), message), status=status
    )


def _message(request, response) -> str:
    if response.status_code == 405:
        allowed = ", ".join(
            m.strip() for m in sorted(response.get("Allow", "").split(",")) if m.strip()
        )
        return f"This endpoint does not accept {request.method}." + (
            f" It accepts {allowed}." if allowed else ""
        )
    if response.status_code == 404:
        return "There is no API endpoint at this address."
    if response.status_code == 403:
        return "You may not do this."
    if response.status_code >= 500:
        return "Something went wrong on our side; the error is logged."
    return getattr(response, "reason_phrase", "") or "The request failed."


class ApiContractMiddleware:
    """JSON errors and JSON bodies for every request under /api/ (see module docstring)."""

    KEEP = ("Allow", "Retry-After", "Cache-Control")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        content_type = request.content_type or ""
        if (
            request.method in WRITES
            and _has_body(request)
            and not is_json(content_type)
            and content_type not in UPLOAD_TYPES
        ):
            return error_json(415, NOT_JSON_MESSAGE)
        response = self.get_response(request)
        if response.status_code >= 400 and not is_json(
            response.get("Content-Type", "").split(";")[0].strip()
        ):
            replacement = error_json(response.status_code, _message(request, response))
            for header in self.KEEP:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


def openapi_schema_fixed(schema: dict) -> dict:
    """Write the anonymous fallback of optional-token operations as `{}`."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    anonymous = [
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and "scheme" not in scheme
    ]
    for name in anonymous:
        del schemes[name]
    if anonymous:
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                security = (
                    operation.get("security") if isinstance(operation, dict) else None
                )
                if security:
                    operation["security"] = [
                        {} if set(req) & set(anonymous) else req for req in security
                    ]
    return schema
