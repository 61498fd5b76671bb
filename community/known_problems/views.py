"""Known-problem pages: the public list, and the staff form on the question page
(both work without JS)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community import selectors
from community.caching import anonymous_page_cache
from portal.selectors import product_list_live

from . import selectors as known_problem_selectors
from .models import KnownProblemStatus
from .services import known_problem_set_status

SORT_LABELS = {
    "affected": gettext_lazy("Most customers affected"),
    "recent": gettext_lazy("Recently changed"),
}


@anonymous_page_cache
def known_problem_list(request):
    """Every known problem on a visible question, by customers affected or by
    recent change, filterable by product and status. Unknown parameters are
    ignored and a page past the end shows the last one, as on the question list."""
    sort = request.GET.get("sort", "affected")
    if sort not in SORT_LABELS:
        sort = "affected"
    status = request.GET.get("status", "")
    if status not in KnownProblemStatus.values:
        status = ""
    product = known_problem_selectors.product_from_param(request.GET.get("product", ""))
    problems = known_problem_selectors.known_problem_list_visible(
        sort=sort, product=product, status=status
    )
    page_obj = Paginator(
        problems, known_problem_selectors.KNOWN_PROBLEMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "community/known_problems/list.html",
        {
            "page_obj": page_obj,
            "sort": sort,
            "sorts": SORT_LABELS,
            "status": status,
            "statuses": KnownProblemStatus.choices,
            "product": product,
            "products": product_list_live(),
        },
    )


@login_required
@require_POST
def status_set(request, pk):
    from community.views import _refused

    question = selectors.question_get_visible(pk=pk)
    try:
        known_problem_set_status(
            request.user,
            question,
            request.POST.get("status", ""),
            request.POST.get("note", ""),
            request.POST.get("fixed_in", ""),
        )
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=question.get_absolute_url())
    messages.success(request, _("Known-problem status saved; everyone affected is told."))
    return redirect(question.get_absolute_url() + "#known-problem-title")
