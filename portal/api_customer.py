"""The customer API under /api/v1/customers/: my timeline, my data export; staff read a customer's timeline.

Everything needs a token (`token_auth`); nothing here is cached. The rule of
who reads which timeline is `portal.selectors_customer.timeline_for_viewer`:
a customer reads their own (never the private kinds), staff read anyone's,
anyone else gets 404.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from . import selectors_customer, services_customer, timeline
from .api import Error, error_response, token_auth
from .cache import never_cache_this
from .models import DataExport, ProductPage
from .permissions import is_staff_member

router = Router(tags=["customers"], auth=token_auth)
ERRORS = {401: Error, 403: Error, 404: Error, 422: Error}


class EntryOut(Schema):
    kind: str
    at: datetime
    key: str
    title: str
    url: str
    product_id: int | None
    product: str
    needs_you: str
    private: bool
    details: dict


class TimelineOut(Schema):
    results: list[EntryOut]
    needs_you: list[EntryOut]
    next_before: str | None = Field(
        None,
        description="Pass as `before` for the next (older) page; null on the last page.",
    )


class TimelineParams(Schema):
    kind: str | None = Field(
        None, max_length=64, description="One entry kind, e.g. community.question."
    )
    product: int | None = Field(None, ge=1, le=2**63 - 1, description="A product's id.")
    before: str | None = Field(
        None, max_length=100, description="The cursor from `next_before`."
    )


class ExportStatusOut(Schema):
    id: int
    requested_at: datetime
    ready: bool


def _timeline(request, customer, params: TimelineParams):
    never_cache_this(request)
    private = is_staff_member(request.user)
    if params.kind and params.kind not in dict(timeline.kind_choices(private=private)):
        return error_response(
            request, 422, "invalid_kind", f"Unknown kind: {params.kind}."
        )
    if params.product and not ProductPage.objects.filter(pk=params.product).exists():
        return error_response(request, 422, "invalid_product", "No such product.")
    try:
        before = timeline.cursor_decode(params.before) if params.before else None
    except ValueError:
        return error_response(
            request, 422, "invalid_cursor", "Not a cursor from next_before."
        )
    page = selectors_customer.timeline_for_viewer(
        viewer=request.user,
        customer=customer,
        kinds=[params.kind] if params.kind else (),
        product_id=params.product,
        before=before,
        since=selectors_customer.support_visit_previous(user=customer),
    )
    return {
        "results": [e.as_json() for e in page.entries],
        "needs_you": [e.as_json() for e in page.needs_you] if before is None else [],
        "next_before": timeline.cursor_encode(page.next_before),
    }


@router.get("/me/timeline/", response={200: TimelineOut, **ERRORS})
def my_timeline(request, params: Query[TimelineParams]):
    """My own timeline, newest first, with what waits for me (first page only)."""
    return _timeline(request, request.user, params)


@router.get("/{int:customer_id}/timeline/", response={200: TimelineOut, **ERRORS})
def customer_timeline(request, customer_id: int, params: Query[TimelineParams]):
    """A customer's timeline: staff see the private kinds too; a customer only their own."""
    customer = get_user_model().objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return _timeline(request, customer, params)


@router.post("/me/export/", response={202: ExportStatusOut, **ERRORS})
def my_export_request(request):
    """Ask for a copy of my data; it is built in the background and announced by email."""
    never_cache_this(request)
    export = services_customer.data_export_request(user=request.user)
    return Status(
        202, {"id": export.pk, "requested_at": export.requested_at, "ready": False}
    )


@router.get("/me/export/", response={200: dict, 202: ExportStatusOut, **ERRORS})
def my_export(request):
    """My latest data export: 200 with everything stored about me, 202 while it is built."""
    never_cache_this(request)
    export = (
        DataExport.objects.filter(user=request.user).order_by("-requested_at").first()
    )
    if export is None:
        raise Http404
    if export.ready_at is None:
        return Status(
            202, {"id": export.pk, "requested_at": export.requested_at, "ready": False}
        )
    return export.payload
