"""Reading known-problem status for pages and the API."""

from django.core.cache import cache
from django.db.models import F, Prefetch

from community.caching import figures_version
from portal.selectors import product_list_live

from .models import KnownProblem, KnownProblemChange, KnownProblemStatus

KNOWN_PROBLEMS_PER_PAGE = 20
# The public list's orders; "affected" is the default: the problems most customers
# share come first, the most recently changed first among equals.
KNOWN_PROBLEM_SORTS = {
    "affected": ("-customers_affected", "-changed_at", "-pk"),
    "recent": ("-changed_at", "-pk"),
}
COUNT_CACHE_SECONDS = 300


def known_problem_of(question):
    """The question's status with its history (newest first), or None: two queries."""
    return (
        KnownProblem.objects.filter(question_id=question.pk)
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=KnownProblemChange.objects.select_related("author__profile"),
            )
        )
        .first()
    )


def customers_affected(question) -> int:
    """Everyone who said "me too", and the asker."""
    return question.me_too_count + 1


# `customers_affected` in SQL, so lists can sort on it; the two must agree.
_CUSTOMERS_AFFECTED = F("question__me_too_count") + 1


def known_problem_list_visible(*, sort: str = "affected", product=None, status: str = ""):
    """Known problems on visible questions, for the public list and the API.

    One query per page of rows: each row carries its question and product and a
    `customers_affected` figure. `status` narrows to one status, `product` to one
    product page; an unknown `sort` falls back to "affected".
    """
    problems = (
        KnownProblem.objects.filter(question__is_hidden=False)
        .select_related("question__product")
        .annotate(customers_affected=_CUSTOMERS_AFFECTED)
    )
    if status in KnownProblemStatus.values:
        problems = problems.filter(status=status)
    if product is not None:
        problems = problems.filter(question__product=product)
    return problems.order_by(
        *KNOWN_PROBLEM_SORTS.get(sort, KNOWN_PROBLEM_SORTS["affected"])
    )


def known_problem_detail_visible(*, question_id: int):
    """A visible question's status as a list row, with its history (newest first),
    or None when it has none or the question is hidden: two queries."""
    return (
        known_problem_list_visible()
        .filter(question_id=question_id)
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=KnownProblemChange.objects.select_related("author__profile"),
            )
        )
        .first()
    )


def product_from_param(value: str):
    """A live product named by its page id or its slug (as links and the API give
    it), or None when there is no such product."""
    value = (value or "").strip()[:100]
    if not value:
        return None
    products = product_list_live()
    if value.isascii() and value.isdigit():
        pk = int(value)
        return products.filter(pk=pk).first() if pk < 2**31 else None
    return products.filter(slug=value).first()


def known_problem_count_for_product(*, product) -> int:
    """How many known problems the product's visible questions have, for the line on
    its page. Cached with the community's figures (renewed by every community
    write, a status change or a hidden question included), so the product page
    costs no query for it once warm."""
    key = f"community:known-problems:{product.pk}:{figures_version()}"
    count = cache.get(key)
    if count is None:
        count = known_problem_list_visible(product=product).count()
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return count
