"""Known problems in the API, under /api/v1/community/ (issue 17, API coverage):
the public list (as on /community/known-problems/) and one question's status
with its history. Reads only: staff set a status on the site.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from portal.api import Error, PageParams, paginate
from portal.site_url import absolute_url

from . import selectors

router = Router(tags=["community: known problems"])
READ_ERRORS = {404: Error, 422: Error}


class KnownProblemProductOut(Schema):
    id: int
    title: str


class KnownProblemOut(Schema):
    question_id: int
    title: str
    url: str
    product: KnownProblemProductOut | None
    status: str
    status_label: str
    note: str
    fixed_in: str
    customers_affected: int
    changed_at: datetime

    @staticmethod
    def resolve_title(obj):
        return obj.question.title

    @staticmethod
    def resolve_url(obj):
        return absolute_url(obj.question.get_absolute_url())

    @staticmethod
    def resolve_product(obj):
        product = obj.question.product
        return {"id": product.pk, "title": product.title} if product else None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())


class KnownProblemPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[KnownProblemOut]


class KnownProblemFilters(Schema):
    sort: str = Field(
        "affected",
        pattern="^(affected|recent)$",
        description="affected (most customers first) or recent (last changed first).",
    )
    product: str | None = Field(
        None, max_length=100, description="A product's page id or slug."
    )
    status: str | None = Field(
        None,
        pattern="^(investigating|planned|fixed|wont_fix)$",
        description="investigating, planned, fixed or wont_fix.",
    )


class KnownProblemChangeOut(Schema):
    status: str
    status_label: str
    note: str
    fixed_in: str
    created_at: datetime
    author: str | None = Field(..., description="The staff member's display name.")

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_author(obj):
        if obj.author is None:
            return None
        profile = getattr(obj.author, "profile", None)
        return getattr(profile, "display_name", "") or obj.author.username


class KnownProblemDetailOut(KnownProblemOut):
    history: list[KnownProblemChangeOut] = Field(
        ..., description="Every status change, newest first."
    )

    @staticmethod
    def resolve_history(obj):
        return list(obj.changes.all())


@router.get("/known-problems/", response={200: KnownProblemPageOut, **READ_ERRORS})
def known_problem_list(
    request, params: Query[PageParams], filters: Query[KnownProblemFilters]
):
    """Known problems on visible questions, most customers affected first by
    default; filter by product (page id or slug) and status."""
    product = None
    if filters.product:
        product = selectors.product_from_param(filters.product)
        if product is None:
            raise ValidationError({"product": "No such product."})
    problems = selectors.known_problem_list_visible(
        sort=filters.sort, product=product, status=filters.status or ""
    )
    return paginate(problems, params)


@router.get(
    "/questions/{int:question_id}/known-problem/",
    response={200: KnownProblemDetailOut, **READ_ERRORS},
)
def known_problem_detail(request, question_id: int):
    """A visible question's known-problem status with its history; 404 when it has
    none or the question is hidden."""
    problem = selectors.known_problem_detail_visible(question_id=question_id)
    if problem is None:
        raise Http404
    return problem
