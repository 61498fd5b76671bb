"""Review pages: each view parses input, calls one service or selector and answers.

Listing, sorting and filtering happen on the product page itself (see
reviews.panels); these views write, edit, vote, report, reply and appeal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.selectors import product_list_live

from . import panels, permissions, selectors, services
from .forms import AppealForm, HelpfulForm, ReplyForm, ReportForm, ReviewForm
from .models import Review


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _anchor(review: Review) -> str:
    return f"{review.product.url}#review-{review.pk}"


def _landing_after_write(review: Review) -> str:
    """The product page sorted newest, so the new review is on the first page and
    `#review-N` finds it (the default sort, most helpful, puts it last)."""
    return f"{review.product.url}?review_sort=newest#review-{review.pk}"


def _review_or_404(request, pk: int) -> Review:
    review = selectors.review_get_for_display(pk=pk)
    if review is None or not permissions.can_view_review(request.user, review):
        raise Http404
    return review


def _render_form(request, template, context, form):
    return render(
        request, template, {**context, "form": form}, status=400 if form.errors else 200
    )


@login_required
def review_write(request, product_id):
    """Write a review of a product; it is published at once."""
    product = get_object_or_404(product_list_live(), pk=product_id)
    own = selectors.review_get_own(product=product, user=request.user)
    if own is not None:
        messages.info(
            request,
            _("You have already reviewed %(product)s; you can edit your review.")
            % {"product": product.title},
        )
        return redirect("reviews:review_edit", pk=own.pk)
    if not permissions.can_write_review(request.user):
        raise PermissionDenied(_("Staff cannot review products."))
    form = ReviewForm(request.POST, request.FILES) if request.method == "POST" else ReviewForm()
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_submit(
                product=product,
                author=request.user,
                rating=form.cleaned_data["rating"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you! Your review is published."))
            return redirect(_landing_after_write(review))
    return _render_form(request, "reviews/review_form.html", {"product": product}, form)


@login_required
def review_edit(request, pk):
    review = _review_or_404(request, pk)
    if not permissions.can_edit_review(request.user, review):
        raise PermissionDenied(_("Only the author can edit a review."))
    photos = list(review.photos.all())
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES, existing_photos=photos)
        if form.is_valid():
            try:
                services.review_edit(
                    review=review,
                    by=request.user,
                    rating=form.cleaned_data["rating"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    add_photos=form.cleaned_data["photos"],
                    remove_photo_ids=form.cleaned_data.get("remove_photos") or [],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your review is updated; readers can see it was edited.")
                )
                # The review's own page shows it whatever its place in the sort.
                return redirect(f"{review.get_absolute_url()}#review-{review.pk}")
    else:
        form = ReviewForm(
            initial={
                "rating": review.rating,
                "title": review.title,
                "body": review.body,
            },
            existing_photos=photos,
        )
    return _render_form(
        request,
        "reviews/review_form.html",
        {"product": review.product, "review": review, "photos": photos},
        form,
    )


@login_required
def review_delete(request, pk):
    review = _review_or_404(request, pk)
    if not permissions.can_edit_review(request.user, review):
        raise PermissionDenied(_("Only the author can delete a review."))
    if request.method == "POST":
        product_url = review.product.url
        services.review_delete(review=review, by=request.user)
        messages.success(request, _("Your review is deleted."))
        return redirect(product_url + "#reviews")
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


def review_detail(request, pk):
    """One review with its earlier versions and the reply; hidden ones for author and staff."""
    review = _review_or_404(request, pk)
    panels.annotate_for_viewer([review], request.user, product_id=review.product_id)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "product": review.product,
            "revisions": review.revisions.all(),
            "can_appeal": permissions.can_appeal_review(request.user, review),
        },
    )


@login_required
@require_POST
def review_helpful(request, pk):
    """Answer "Was this review helpful?"; JSON for the enhancing script, else a redirect."""
    review = get_object_or_404(
        Review.objects.select_related("product"), pk=pk, status=Review.Status.PUBLISHED
    )
    form = HelpfulForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"error": _("Answer yes or no.")}, status=400)
        raise Http404
    try:
        services.review_vote(
            review=review,
            voter=request.user,
            helpful=form.cleaned_data["helpful"] == "yes",
        )
    except PermissionDenied as error:
        if wants_json:
            return JsonResponse({"error": str(error)}, status=403)
        messages.error(request, str(error))
        return redirect(_next_url(request, _anchor(review)))
    review.refresh_from_db(fields=["helpful_yes", "helpful_no"])
    if wants_json:
        return JsonResponse(
            {
                "yes": review.helpful_yes,
                "total": review.helpful_total,
                "mine": form.cleaned_data["helpful"],
            }
        )
    messages.success(request, _("Thanks for your feedback on this review."))
    return redirect(_next_url(request, _anchor(review)))


@login_required
def review_report(request, pk):
    review = get_object_or_404(
        Review.objects.select_related("product"), pk=pk, status=Review.Status.PUBLISHED
    )
    if not permissions.can_report_review(request.user, review):
        raise PermissionDenied(_("You cannot report this review."))
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report(
                review=review, reporter=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Staff will look at this review."))
            return redirect(_anchor(review))
    return _render_form(request, "reviews/review_report.html", {"review": review}, form)


@login_required
def review_reply(request, pk):
    """Staff post or edit the company's public reply."""
    review = _review_or_404(request, pk)
    if not permissions.can_reply_to_review(request.user, review):
        raise PermissionDenied(_("Only staff can reply to reviews."))
    existing = getattr(review, "reply", None)
    form = ReplyForm(
        request.POST if request.method == "POST" else None, initial={"body": existing.body if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_reply(
                review=review, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply is published."))
            return redirect(_anchor(review))
    return _render_form(
        request,
        "reviews/review_reply.html",
        {"review": review, "existing": existing},
        form,
    )


@login_required
def review_appeal(request, pk):
    review = _review_or_404(request, pk)
    if not permissions.can_appeal_review(request.user, review):
        raise PermissionDenied(_("You cannot appeal this review."))
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_appeal(
                review=review, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your appeal is sent. Staff will answer by email.")
            )
            return redirect(review.get_absolute_url())
    return _render_form(request, "reviews/review_appeal.html", {"review": review}, form)
