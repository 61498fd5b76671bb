"""Reviews in the JSON API, under /api/v1/reviews/ (see settings.CANDOR_API_ROUTERS).

Reads are public; writes need `Authorization: Bearer <token>`. Every write is a
reviews.services call, and errors use the shared body from portal.api.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from wagtail.api.v3.auth import AllowAnonymous

from portal.api import Error, PageParams, paginate, token_auth
from portal.selectors import product_list_live

from . import adjusted, permissions, selectors, services
from .models import BODY_MAX, NOTE_MAX, REPLY_MAX, TITLE_MAX, ModerationReason, Review
from .photos import photo_process

router = Router(tags=["reviews"])
# Reads are public; a token, when sent, lets authors and staff see hidden reviews.
optional_auth = [token_auth, AllowAnonymous()]
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class PhotoOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj):
        return obj.image.url

    @staticmethod
    def resolve_thumbnail_url(obj):
        return obj.thumbnail.url


class ReplyOut(Schema):
    body: str
    body_html: str
    author: str | None = None
    created_at: datetime
    edited_at: datetime | None = None

    @staticmethod
    def resolve_author(obj):
        if obj.author is None:
            return None
        profile = getattr(obj.author, "profile", None)
        return profile.display_name if profile else obj.author.username


class ContactOut(Schema):
    contacted: bool
    satisfied: bool | None = Field(
        None,
        description="The customer's latest counted survey answer, only if they agreed "
        "on the survey page to show it on their reviews; otherwise null.",
    )


class ReviewOut(Schema):
    id: int
    product: str
    author: str
    author_username: str
    rating: int
    title: str
    body: str
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None = None
    verified_customer: bool
    contacted_support: ContactOut | None = None
    helpful_yes: int
    helpful_total: int
    helpful_score: float
    photos: list[PhotoOut]
    reply: ReplyOut | None = None
    url: str

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug

    @staticmethod
    def resolve_author(obj):
        profile = getattr(obj.author, "profile", None)
        return profile.display_name if profile else obj.author.username

    @staticmethod
    def resolve_author_username(obj):
        return obj.author.username

    @staticmethod
    def resolve_verified_customer(obj):
        return bool(getattr(obj, "is_verified", False))

    @staticmethod
    def resolve_contacted_support(obj):
        return getattr(obj, "contact", None)

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())

    @staticmethod
    def resolve_reply(obj):
        return getattr(obj, "reply", None)

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class ReviewPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ReviewOut]


class SummaryOut(Schema):
    product: str
    count: int
    average: float | None
    adjusted_average: float | None = Field(
        ...,
        description="Bayesian average (C*m + sum of stars) / (m + n), one decimal; "
        "see /satisfaction/method/#review-score.",
    )
    adjusted_prior_mean: float | None = Field(
        ..., description="C: the site-wide mean of published review stars."
    )
    adjusted_prior_weight: int = Field(
        ..., description="m: how many reviews at C each product starts with."
    )
    stars: dict[str, int]
    hidden: int
    hidden_by_reason: dict[str, int]
    negative_reviews: int
    negative_with_reply: int
    median_reply_seconds: float | None


class ReviewIn(Schema):
    rating: int = Field(..., ge=1, le=5, strict=True, description="1 to 5 stars.")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    body: str = Field(..., min_length=1, max_length=BODY_MAX, description="Markdown.")


class HelpfulIn(Schema):
    helpful: bool = Field(..., strict=True)  # 1 or "yes" is not a boolean


class HelpfulOut(Schema):
    helpful_yes: int
    helpful_total: int
    mine: bool


class ReportIn(Schema):
    reason: str = Field(
        ..., description="One of: " + ", ".join(ModerationReason.values)
    )
    note: str = Field("", max_length=NOTE_MAX)


class ReportOut(Schema):
    id: int
    reason: str
    status: str


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=REPLY_MAX)


class OwnershipIn(Schema):
    product: str = Field(..., description="Product slug.")
    customer: str = Field(..., description="The customer's username or email.")


class OwnershipOut(Schema):
    product: str
    customer: str
    source: str
    created_at: datetime

    @staticmethod
    def resolve_product(obj):
        return obj.product.slug

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.username


def _product(slug: str):
    return get_object_or_404(product_list_live(), slug=slug)


def _review_for(request, review_id: int) -> Review:
    review = selectors.review_get_for_display(pk=review_id)
    if review is None or not permissions.can_view_review(request.user, review):
        raise_not_found()
    return review


def raise_not_found():
    from django.http import Http404

    raise Http404


def _customer(identifier: str):
    user = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username=identifier) | Q(email__iexact=identifier))
        .order_by("pk")
        .first()
    )
    if user is None:
        raise_not_found()
    return user


def _decorate(reviews: list[Review], product_id: int) -> list[Review]:
    contact = selectors.review_contact_labels(
        product_id=product_id,
        customer_ids=[r.author_id for r in reviews if r.is_published],
    )
    for review in reviews:
        review.contact = contact.get(review.author_id)
    return reviews


@router.get("/products/{slug}/", response={200: ReviewPageOut, **ERRORS})
def review_list(
    request,
    slug: str,
    params: Query[PageParams],
    sort: str = Query(
        "helpful", description="helpful (Wilson lower bound), newest, highest or lowest"
    ),
    stars: int | None = Query(
        None, ge=1, le=5, description="Only reviews with this many stars."
    ),
    verified: bool = Query(False, description="Only verified customers' reviews."),
    photos: bool = Query(False, description="Only reviews with photos."),
    q: str = Query("", max_length=100, description="Words in the title or body."),
):
    """A product's published reviews, sorted and filtered like its page."""
    product = _product(slug)
    summary = selectors.rating_summary_get(product=product)
    filters = selectors.ReviewFilters(
        verified=verified, photos=photos, words=" ".join(q.split())
    )
    queryset = selectors.review_list_for_product(
        product=product, sort=sort, stars=stars, filters=filters
    )
    count = selectors.review_count_filtered(
        product=product, stars=stars, filters=filters, summary=summary
    )
    page = paginate(queryset, params, count=count)
    page["results"] = _decorate(page["results"], product.pk)
    return page


@router.get("/products/{slug}/summary/", response={200: SummaryOut, **ERRORS})
def review_summary(request, slug: str):
    """Average, count, stars, hidden counts by reason, and staff reply figures."""
    product = _product(slug)
    summary = selectors.rating_summary_get(product=product)
    hidden = selectors.review_hidden_counts(product=product, summary=summary)
    response = selectors.review_response_stats(product=product, summary=summary)
    prior = adjusted.prior_get()
    return {
        "product": product.slug,
        "count": summary.review_count,
        "average": summary.average,
        "adjusted_average": adjusted.adjusted_average(summary, prior),
        "adjusted_prior_mean": prior.mean_rounded,
        "adjusted_prior_weight": prior.weight,
        "stars": {str(n): count for n, count in summary.star_counts().items()},
        "hidden": hidden.total,
        "hidden_by_reason": hidden.by_code,
        "negative_reviews": response.negative,
        "negative_with_reply": response.replied,
        "median_reply_seconds": response.median_seconds,
    }


@router.post("/products/{slug}/", auth=token_auth, response={201: ReviewOut, **ERRORS})
def review_create(request, slug: str, payload: ReviewIn):
    """Write a review (published at once). Add photos with POST /reviews/{id}/photos/."""
    product = _product(slug)
    review = services.review_submit(
        product=product, author=request.user, **payload.dict()
    )
    return Status(
        201, _decorate([selectors.review_get_for_display(pk=review.pk)], product.pk)[0]
    )


@router.get(
    "/{int:review_id}/", auth=optional_auth, response={200: ReviewOut, **ERRORS}
)
def review_detail(request, review_id: int):
    review = _review_for(request, review_id)
    return _decorate([review], review.product_id)[0]


@router.put("/{int:review_id}/", auth=token_auth, response={200: ReviewOut, **ERRORS})
def review_update(request, review_id: int, payload: ReviewIn):
    """Edit your review; the earlier version is kept."""
    review = _review_for(request, review_id)
    services.review_edit(review=review, by=request.user, **payload.dict())
    return _decorate(
        [selectors.review_get_for_display(pk=review.pk)], review.product_id
    )[0]


@router.delete("/{int:review_id}/", auth=token_auth, response={204: None, **ERRORS})
def review_remove(request, review_id: int):
    review = _review_for(request, review_id)
    services.review_delete(review=review, by=request.user)
    return Status(204, None)


@router.post(
    "/{int:review_id}/photos/", auth=token_auth, response={201: ReviewOut, **ERRORS}
)
def review_photo_add(request, review_id: int, photo: File[UploadedFile]):
    """Add one JPEG, PNG or WebP photo (multipart field `photo`); five at most."""
    review = _review_for(request, review_id)
    if not permissions.can_edit_review(request.user, review):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the author can add photos.")
    try:
        processed = photo_process(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    services.review_edit(
        review=review,
        by=request.user,
        rating=review.rating,
        title=review.title,
        body=review.body,
        add_photos=[processed],
    )
    return Status(
        201,
        _decorate([selectors.review_get_for_display(pk=review.pk)], review.product_id)[
            0
        ],
    )


@router.post(
    "/{int:review_id}/helpful/", auth=token_auth, response={200: HelpfulOut, **ERRORS}
)
def review_helpful(request, review_id: int, payload: HelpfulIn):
    """Say whether a review helped you; one vote per person, not on your own review."""
    review = _review_for(request, review_id)
    services.review_vote(review=review, voter=request.user, helpful=payload.helpful)
    review.refresh_from_db(fields=["helpful_yes", "helpful_no"])
    return {
        "helpful_yes": review.helpful_yes,
        "helpful_total": review.helpful_total,
        "mine": payload.helpful,
    }


@router.post(
    "/{int:review_id}/report/", auth=token_auth, response={201: ReportOut, **ERRORS}
)
def review_report(request, review_id: int, payload: ReportIn):
    review = _review_for(request, review_id)
    report = services.review_report(
        review=review, reporter=request.user, reason=payload.reason, note=payload.note
    )
    return Status(201, report)


@router.put(
    "/{int:review_id}/reply/", auth=token_auth, response={200: ReplyOut, **ERRORS}
)
def review_reply(request, review_id: int, payload: ReplyIn):
    """Staff: post or edit the company's public reply (the first one asks the reviewer
    the satisfaction question)."""
    review = _review_for(request, review_id)
    return services.review_reply(review=review, by=request.user, body=payload.body)


@router.post("/ownerships/", auth=token_auth, response={201: OwnershipOut, **ERRORS})
def ownership_create(request, payload: OwnershipIn):
    """Staff or an order system: put a product on a customer's account (idempotent)."""
    product = _product(payload.product)
    customer = _customer(payload.customer)
    from .models import ProductOwnership

    ownership = services.ownership_add(
        product=product,
        customer=customer,
        by=request.user,
        source=ProductOwnership.Source.API,
    )
    return Status(201, ownership)


@router.delete(
    "/ownerships/{slug}/{customer}/", auth=token_auth, response={204: None, **ERRORS}
)
def ownership_delete(request, slug: str, customer: str):
    product = _product(slug)
    user = _customer(customer)
    if not services.ownership_remove(product=product, customer=user, by=request.user):
        raise_not_found()
    return Status(204, None)
