"""Staff set a question's known-problem status from the question page (works without JS)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors

from .services import known_problem_set_status


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
