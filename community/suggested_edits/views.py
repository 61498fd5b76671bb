"""Suggested-edit pages: the suggest form, the review queue, one suggestion, approve, reject.

Thin views: each reads through `selectors` or calls one function of
`services`; a refusal from the service is shown as the community's refusal
page and changes nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.models import Question

from . import selectors, services
from .diff import suggestion_diff
from .forms import RejectForm, SuggestAnswerEditForm, SuggestQuestionEditForm

QUEUE_PAGE_SIZE = 20


def _refused(request, error, *, back: str):
    status = 403 if isinstance(error, PermissionDenied) else 400
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return render(
        request,
        "community/action_refused.html",
        {"message": text or _("You may not do this."), "back": back},
        status=status,
    )


def suggest(request, post):
    """The edit page for a member who may not edit `post` but may suggest an edit.

    Called by community.views.question_edit / answer_edit after their own check,
    so the edit URL stays the one link members know.
    """
    is_question = isinstance(post, Question)
    question = post if is_question else post.question
    waiting = selectors.suggestion_pending_by(user=request.user, post=post)
    if waiting is not None:
        # One suggestion per post waits at a time: say where it is, no form to refuse.
        return render(
            request,
            "community/suggested_edits/suggest_waiting.html",
            {"suggestion": waiting, "post": post, "question": question, "is_question": is_question},
            status=409 if request.method == "POST" else 200,
        )
    form_class = SuggestQuestionEditForm if is_question else SuggestAnswerEditForm
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.suggested_edit_submit(
                    post=post,
                    by=request.user,
                    title=data.get("title", ""),
                    body=data["body"],
                    tags=data.get("tags") if is_question else None,
                    reason=data["reason"],
                )
            except ValidationError as error:
                form.apply_service_error(error)
            except PermissionDenied as error:
                return _refused(request, error, back=post.get_absolute_url())
            else:
                messages.success(request, _("Thanks: your suggested edit waits for review."))
                return redirect(post.get_absolute_url())
        status = 400
    elif is_question:
        form = form_class(
            initial={
                "title": post.title,
                "body": post.body,
                "tags": ", ".join(item.tag.name for item in post.tagged_items.all()),
            }
        )
    else:
        form = form_class(initial={"body": post.body})
    return render(
        request,
        "community/suggested_edits/suggest_form.html",
        {
            "form": form,
            "post": post,
            "question": question,
            "is_question": is_question,
            "edit_reputation": settings.CANDOR_REPUTATION_PRIVILEGES["edit_others"],
        },
        status=status,
    )


@login_required
@require_GET
def suggested_edit_queue(request):
    """Pending suggestions the member may review (newest first), and their own."""
    page_obj = Paginator(
        selectors.suggestion_list_for_reviewer(user=request.user), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [(suggestion, suggestion_diff(suggestion)) for suggestion in page_obj.object_list]
    return render(
        request,
        "community/suggested_edits/queue.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "mine": list(selectors.suggestion_list_by_member(user=request.user)),
            "reject_form": RejectForm(),
        },
    )


def _get(request, pk):
    suggestion = selectors.suggestion_get_for_viewer(pk=pk, user=request.user)
    if suggestion is None:
        raise Http404
    return suggestion


@login_required
@require_GET
def suggested_edit_detail(request, pk):
    """One suggestion with its diff; the review buttons while it waits."""
    suggestion = _get(request, pk)
    return render(
        request,
        "community/suggested_edits/detail.html",
        {
            "suggestion": suggestion,
            "diff": suggestion_diff(suggestion) if suggestion.is_pending else [],
            "can_review": suggestion.is_pending and services.can_review_suggestion(request.user, suggestion),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def suggested_edit_approve(request, pk):
    suggestion = _get(request, pk)
    try:
        services.suggested_edit_approve(suggestion=suggestion, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=reverse("community:suggested_edit_queue"))
    messages.success(request, _("Approved: the edit is live and the suggester earned reputation."))
    return redirect("community:suggested_edit_queue")


@login_required
@require_POST
def suggested_edit_reject(request, pk):
    suggestion = _get(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            ValidationError(" ".join(form.errors.get("reason", [])) or _("Check the reason.")),
            back=reverse("community:suggested_edit_detail", args=[suggestion.pk]),
        )
    try:
        services.suggested_edit_reject(suggestion=suggestion, by=request.user, reason=form.cleaned_data["reason"])
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error, back=reverse("community:suggested_edit_queue"))
    messages.success(request, _("Rejected: the post is unchanged and the suggester is told."))
    return redirect("community:suggested_edit_queue")
