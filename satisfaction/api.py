"""The satisfaction API under /api/v1/satisfaction/: record interactions, read the meter and raw data.

An outside helpdesk POSTs each closed ticket to /interactions/ with a staff
member's token; the same reference twice gives back the first interaction.
Reads are public, like the meter page they mirror.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from portal.api import Error, PageParams, error_response, paginate, token_auth
from portal.models import ProductPage

from . import ledger, selectors, services
from .models import Channel, SurveyResponse
from .permissions import can_manage_satisfaction

router = Router(tags=["satisfaction"])

OUTSIDE_CHANNELS = Literal["helpdesk", "email", "chat", "phone"]


class InteractionIn(Schema):
    source: str = Field(..., min_length=1, max_length=64, description='Your system, e.g. "helpdesk:zendesk".')
    source_ref: str = Field(..., min_length=1, max_length=200, description="The ticket's id in your system.")
    customer_email: str = Field(..., min_length=1, max_length=254, description="The survey goes to this address.")
    channel: OUTSIDE_CHANNELS = "helpdesk"
    product: str | None = Field(None, max_length=255, description="The product's slug, if the ticket was about one.")
    occurred_at: datetime | None = Field(None, description="ISO 8601 with a time zone; not in the future. Default: now.")
    summary: str = Field("", max_length=300)


class InteractionOut(Schema):
    id: int
    source: str
    source_ref: str
    channel: str
    product: str | None
    occurred_at: datetime
    surveyed: bool
    created: bool


class FigureOut(Schema):
    n: int
    satisfied: int
    enough: bool
    percent: float | None
    percent_whole: int | None
    low: float | None
    high: float | None


class ResponseRateOut(Schema):
    invitations: int
    answered: int
    percent: float | None
    percent_whole: int | None


class WindowOut(FigureOut):
    days: int
    from_: str = Field(..., alias="from")
    to: str
    response_rate: ResponseRateOut


class LastOut(Schema):
    n: int
    satisfied: int
    answers: list[bool]


class BreakdownOut(Schema):
    name: str
    windows: dict[str, FigureOut]


class ProductBreakdownOut(BreakdownOut):
    product_id: int | None


class ChannelBreakdownOut(BreakdownOut):
    channel: str


class WeekOut(FigureOut):
    week_start: str
    week_end: str


class ExcludedRuleOut(Schema):
    rule: str
    label: str
    count: int


class ExcludedOut(Schema):
    total: int
    by_rule: list[ExcludedRuleOut]


class MeterOut(Schema):
    generated_at: str
    version: str
    today: str
    min_answers: int
    last: LastOut
    windows: list[WindowOut]
    by_product: list[ProductBreakdownOut]
    by_channel: list[ChannelBreakdownOut]
    weekly: list[WeekOut]
    excluded: ExcludedOut


class AnswerOut(Schema):
    id: str
    day: date
    invited_day: date
    product_id: int | None
    product: str
    channel: str
    answer: Literal["yes", "no"]
    excluded_reason: str


class AnswerPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[AnswerOut]


class ChainDayOut(Schema):
    day: str
    answers: int
    previous: str
    digest: str


def _interaction_out(interaction, created: bool) -> dict:
    return {
        "id": interaction.pk,
        "source": interaction.source,
        "source_ref": interaction.source_ref,
        "channel": interaction.channel,
        "product": interaction.product.slug if interaction.product_id else None,
        "occurred_at": interaction.occurred_at,
        "surveyed": not interaction.not_surveyed,
        "created": created,
    }


@router.post(
    "/interactions/",
    auth=token_auth,
    response={200: InteractionOut, 201: InteractionOut, 401: Error, 403: Error, 422: Error},
)
def interaction_create(request, payload: InteractionIn):
    """Record one outside-helpdesk interaction and invite its customer to the survey.

    Idempotent on (source, source_ref): 201 the first time, 200 with the same
    interaction afterwards. Needs a staff member's token.
    """
    if not can_manage_satisfaction(request.user):
        return error_response(request, 403, "forbidden", "Only a staff member's token can record interactions.")
    product = None
    if payload.product:
        product = ProductPage.objects.live().filter(slug=payload.product).first()
        if product is None:
            return error_response(
                request, 422, "unknown_product", f"No product has the slug {payload.product!r}.",
                [{"field": "product", "message": "Unknown product."}],
            )
    try:
        interaction, created = services.interaction_record_get_or_create(
            channel=Channel(payload.channel),
            source=payload.source,
            source_ref=payload.source_ref,
            customer_email=payload.customer_email,
            product=product,
            occurred_at=payload.occurred_at,
            summary=payload.summary,
        )
    except ValidationError:
        raise  # the shared handler answers 422 with each field's message
    return Status(201 if created else 200, _interaction_out(interaction, created))


@router.get("/meter/", response={200: MeterOut}, by_alias=True)
def meter(request):
    """The meter's figures, exactly as the public page shows them."""
    return selectors.meter_snapshot_cached()


@router.get("/answers/", response={200: AnswerPageOut, 404: Error, 422: Error})
def answers(request, params: Query[PageParams]):
    """Every answer, counted and excluded, anonymous, in the order they were given."""
    rows = SurveyResponse.objects.order_by("answered_at", "id").values_list(
        "public_id", "day", "invited_day", "product_pk", "channel", "satisfied", "exclusion__rule"
    )
    page = paginate(rows, params, count=selectors.raw_answer_count())
    slugs = selectors.product_names()
    page["results"] = [
        {
            "id": public_id,
            "day": day,
            "invited_day": invited_day,
            "product_id": product_pk,
            "product": slugs.get(product_pk, "") if product_pk else "",
            "channel": channel,
            "answer": "yes" if satisfied else "no",
            "excluded_reason": rule or "",
        }
        for public_id, day, invited_day, product_pk, channel, satisfied, rule in page["results"]
    ]
    return page


@router.get("/chain/", response={200: list[ChainDayOut]})
def chain(request):
    """The daily SHA-256 hash chain over the raw answers (see the method page)."""
    return ledger.chain_entries()
