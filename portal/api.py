"""Candor's JSON API root at /api/v1/, on django-ninja, with an OpenAPI schema at /api/v1/docs.

Every error, whatever raised it, has one body: {"error": {"status", "code",
"message", "details"}}. Write endpoints authenticate with a bearer token
(`token_auth`). Domain apps add routers through `settings.CANDOR_API_ROUTERS`
(dotted paths), so this module imports none of them.
"""

import math
import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_string
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.throttling import BaseThrottle
from wagtail.api.v3.auth import BearerTokenAuth

from . import ratelimit, selectors, services
from .api_contract import (
    NOT_JSON_MESSAGE,
    JsonParser,
    UnsupportedMediaType,
    error_body,
    openapi_schema_fixed,
)
from .cache import depends_on
from .site_url import absolute_url, page_absolute_url
from .text_guard import MESSAGE as LONE_SURROGATE
from .text_guard import LoneSurrogate, field_path


class RateLimitThrottle(BaseThrottle):
    """Every API operation counts against the "api" limits (writes also "api_write").

    Anonymous clients are counted by address, token holders by account
    (portal.ratelimit). Ninja answers with `_throttled` below and sets
    Retry-After from `wait()`; the wait is kept per thread, since one throttle
    object serves every request.
    """

    _SAFE = {"GET", "HEAD", "OPTIONS"}

    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        try:
            ratelimit.enforce(request, "api")
            if request.method not in self._SAFE:
                ratelimit.enforce(request, "api_write")
                # The same per-action limits and daily caps as the site's forms.
                action = ratelimit.limited_action(request)
                if action:
                    match = request.resolver_match
                    ratelimit.check_action(
                        request, action, match.kwargs if match else {}
                    )
        except ratelimit.RateLimited as exc:
            self._local.wait = exc.retry_after
            request._candor_refusal = exc  # its reason, for `_throttled`
            return False
        return True

    def wait(self):
        return getattr(self._local, "wait", None)


# `Authorization: Bearer <token>` with a token made on the account page; Wagtail's
# own token model and check, so staff can also manage tokens in the admin.
token_auth = BearerTokenAuth()


class CandorAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Ninja's schema, made valid OpenAPI (`api_contract.openapi_schema_fixed`)."""
        return openapi_schema_fixed(super().get_openapi_schema(**kwargs))


api = CandorAPI(
    title="Candor API",
    version="1",
    description="Products, knowledge base, community, reviews and the public satisfaction meter.",
    urls_namespace="candor_api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[RateLimitThrottle()],
    parser=JsonParser(),
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, error_body(status, code, message, details), status=status
    )


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    details = [
        {"field": field_path(err.get("loc", [])), "message": err.get("msg", "")}
        for err in exc.errors
    ]
    return error_response(request, 422, "invalid", "The request is not valid.", details)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc):
    if hasattr(exc, "message_dict"):
        details = [
            {"field": f, "message": m}
            for f, msgs in exc.message_dict.items()
            for m in msgs
        ]
    else:
        details = [{"field": None, "message": m} for m in exc.messages]
    return error_response(
        request,
        422,
        "invalid",
        details[0]["message"] if details else "Invalid.",
        details,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(
        request,
        401,
        "unauthorized",
        "Send a valid token: Authorization: Bearer <token>.",
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, LoneSurrogate):  # the parser refused the body
        details = [{"field": exc.__cause__.field or None, "message": LONE_SURROGATE}]
        return error_response(request, 422, "invalid", str(LONE_SURROGATE), details)
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return error_response(request, 415, "unsupported_media_type", NOT_JSON_MESSAGE)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return error_response(
            request, 400, "bad_request", "The request body is not valid JSON."
        )
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "rate_limited",
    }
    return error_response(
        request, exc.status_code, codes.get(exc.status_code, "error"), str(exc)
    )


@api.exception_handler(ratelimit.RateLimited)
def _rate_limited(request, exc):
    """A daily cap or limit raised inside an endpoint (apps' services)."""
    response = error_response(request, 429, "rate_limited", ratelimit.api_message(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc):
    """The per-request limits checked before the endpoint runs (RateLimitThrottle)."""
    refused = getattr(request, "_candor_refusal", None)
    if refused is None:
        refused = ratelimit.RateLimited("api", math.ceil(exc.wait or 1))
    return error_response(request, 429, "rate_limited", ratelimit.api_message(refused))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(request, 403, "forbidden", str(exc) or "You may not do this.")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(
        settings.CANDOR_API_PAGE_SIZE, ge=1, le=settings.CANDOR_API_MAX_PAGE_SIZE
    )


def paginate(queryset, params: PageParams, *, count: int | None = None) -> dict:
    """Slice `queryset` for `params`; a page past the end is a 404, not an empty 200."""
    total = queryset.count() if count is None else count
    pages = max(1, math.ceil(total / params.page_size))
    if params.page > pages:
        raise HttpError(404, f"Page {params.page} does not exist; there are {pages}.")
    start = (params.page - 1) * params.page_size
    return {
        "count": total,
        "page": params.page,
        "pages": pages,
        "results": list(queryset[start : start + params.page_size]),
    }


class ErrorDetail(Schema):
    field: str | None
    message: str


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[ErrorDetail]


class Error(Schema):
    error: ErrorBody


class ProductOut(Schema):
    id: int
    slug: str
    name: str = Field(..., alias="title")
    summary: str
    url: str
    tags: list[str]

    @staticmethod
    def resolve_url(obj):
        return page_absolute_url(obj)

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]


class ArticleOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    url: str
    tags: list[str]
    last_reviewed: str | None = None
    first_published_at: str | None = None

    @staticmethod
    def resolve_url(obj):
        return page_absolute_url(obj)

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_last_reviewed(obj):
        return obj.last_reviewed.isoformat() if obj.last_reviewed else None

    @staticmethod
    def resolve_first_published_at(obj):
        return obj.first_published_at.isoformat() if obj.first_published_at else None


class ArticleDetailOut(ArticleOut):
    body_html: str
    products: list[str]
    helpful: int
    feedback_total: int

    @staticmethod
    def resolve_body_html(obj):
        return str(obj.body)

    @staticmethod
    def resolve_products(obj):
        return [p.slug for p in obj.related_products.all()]


class ProductPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ProductOut]


class ArticlePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ArticleOut]


class MeOut(Schema):
    username: str
    display_name: str
    is_staff: bool


portal_router = Router(tags=["portal"])
ERRORS = {404: Error, 422: Error}


@portal_router.get("/", include_in_schema=False)
def api_root(request):
    """Where to start: the schema, the docs and the collections."""
    depends_on(request)
    base = absolute_url("/api/v1/")
    return {
        "name": "Candor API",
        "version": "1",
        "docs": base + "docs",
        "openapi": base + "openapi.json",
        "collections": {
            path.strip("/").split("/")[0]: base + path.lstrip("/")
            for path in sorted(api.get_openapi_schema()["paths"])
            if path.count("{") == 0 and path != "/api/v1/"
            for path in [path.removeprefix("/api/v1")]
        },
    }


@portal_router.get("/products/", response={200: ProductPageOut, **ERRORS})
def product_list(request, params: Query[PageParams]):
    """Live products in menu order."""
    depends_on(request)
    return paginate(selectors.product_list_live().prefetch_related("tags"), params)


@portal_router.get("/products/{slug}/", response={200: ProductOut, **ERRORS})
def product_detail(request, slug: str):
    depends_on(request)
    return get_object_or_404(
        selectors.product_list_live().prefetch_related("tags"), slug=slug
    )


@portal_router.get("/articles/", response={200: ArticlePageOut, **ERRORS})
def article_list(
    request, params: Query[PageParams], tag: str | None = Query(None, max_length=100)
):
    """Live knowledge-base articles, newest first."""
    depends_on(request)
    return paginate(
        selectors.article_list_latest(tag=tag).prefetch_related("tags"), params
    )


@portal_router.get(
    "/articles/{int:article_id}/", response={200: ArticleDetailOut, **ERRORS}
)
def article_detail(request, article_id: int = Path(..., ge=1, le=2**63 - 1)):
    depends_on(request, f"page:{article_id}")
    article = get_object_or_404(
        selectors.article_list_latest().prefetch_related("tags", "related_products"),
        pk=article_id,
    )
    summary = selectors.article_feedback_counts(article)
    article.helpful = summary["helpful"]
    article.feedback_total = summary["total"]
    return article


@portal_router.get("/me/", auth=token_auth, response={200: MeOut, 401: Error})
def me(request):
    """Who the token belongs to: the simplest check that a token works."""
    depends_on(request)
    profile = services.profile_get_or_create(user=request.user)
    return {
        "username": request.user.username,
        "display_name": profile.display_name,
        "is_staff": request.user.is_staff,
    }


api.add_router("/", portal_router)


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer with the JSON error body, not an HTML page."""
    return error_response(
        request, 404, "not_found", "There is no API endpoint at this address."
    )


for prefix, router_path in getattr(settings, "CANDOR_API_ROUTERS", []):
    api.add_router(prefix, import_string(router_path))

__all__ = [
    "api",
    "error_body",
    "error_response",
    "paginate",
    "PageParams",
    "token_auth",
    "Error",
]
