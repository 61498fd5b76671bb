"""/api/v1/satisfaction/contact-requests/: a member's own requests, asking for a person, open slots.

Creating needs a member's token (the API has no email confirmation step, so
anonymous requests go through the form); the "contact" rate limit applies as
on the form. Times are UTC in ISO 8601; `time_zone` is only how we show them
to the customer.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from portal.api import Error, PageParams, paginate, token_auth
from portal.models import ProductPage

from . import availability, selectors, services

router = Router(tags=["contact requests"])


class ContactRequestIn(Schema):
    message: str = Field(
        ...,
        min_length=1,
        max_length=4000,
        description="What you need help with (Markdown).",
    )
    channel: Literal["email", "callback"] = "email"
    phone: str = Field("", max_length=40, description="Needed for a callback.")
    slot: datetime | None = Field(
        None, description="A callback's start time from GET slots/ (UTC)."
    )
    time_zone: str = Field(
        "UTC",
        max_length=64,
        description='Yours, e.g. "Europe/Lisbon"; emails show times in it.',
    )
    product: str | None = Field(
        None, max_length=255, description="The product's slug, if it is about one."
    )
    context_url: str = Field(
        "", max_length=500, description="The page on this site you came from."
    )
    context_title: str = Field("", max_length=200)


class ContactRequestOut(Schema):
    id: int
    channel: str
    status: str
    message: str
    product: str | None
    promised_at: datetime
    time_zone: str
    first_response_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    url: str

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug if obj.product_id else None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ContactRequestPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ContactRequestOut]


class SlotOut(Schema):
    starts_at: datetime
    left: int


@router.get(
    "/",
    auth=token_auth,
    response={200: ContactRequestPageOut, 401: Error, 404: Error, 422: Error},
)
def contact_request_list(request, params: Query[PageParams]):
    """Your own contact requests, newest first."""
    return paginate(selectors.contact_list_for_customer(user=request.user), params)


@router.post(
    "/",
    auth=token_auth,
    response={201: ContactRequestOut, 401: Error, 403: Error, 422: Error, 429: Error},
)
def contact_request_create(request, payload: ContactRequestIn):
    """Ask for a person: an email reply, or a callback in one of the open slots.

    The same rules as the form: 422 with each field's message on bad input
    (nothing saved), a full slot included.
    """
    product = None
    if payload.product:
        product = ProductPage.objects.live().filter(slug=payload.product).first()
        if product is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"product": ["Unknown product."]})
    contact = services.contact_request_submit(
        customer=request.user,
        channel=payload.channel,
        message=payload.message,
        phone=payload.phone,
        slot_start=availability.parse_slot(payload.slot.isoformat())
        if payload.slot
        else None,
        time_zone=payload.time_zone,
        product=product,
        context_url=payload.context_url,
        context_title=payload.context_title,
    )
    return Status(201, contact)


@router.get("/slots/", response={200: list[SlotOut]})
def slot_list(request):
    """Callback times still free, from the lead time to two weeks ahead (UTC)."""
    return [
        {"starts_at": s.starts_at, "left": s.left} for s in availability.slots_open()
    ]
