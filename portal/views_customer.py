"""The customer's own pages: "My support", download my data, delete my account.

None of them is cached (each shows one member's private data): every view
calls `never_cache_this` and declares no scope.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import ratelimit, selectors_customer, services_customer, timeline
from .cache import never_cache_this
from .forms_customer import AccountDeleteForm, TimelineFilterForm


@login_required
@require_http_methods(["GET", "HEAD"])
def my_support(request):
    """One timeline of everything the customer did with the company, what waits on top."""
    never_cache_this(request)
    form = TimelineFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request, "portal/my_support.html", {"form": form, "page": None}, status=400
        )
    data = form.cleaned_data if request.GET else {}
    before = form.before_cursor if request.GET else None
    if before is None:
        since = services_customer.support_visit_mark(user=request.user)
    else:
        since = selectors_customer.support_visit_previous(user=request.user)
    product = data.get("product")
    page = selectors_customer.timeline_for_viewer(
        viewer=request.user,
        customer=request.user,
        kinds=[data["kind"]] if data.get("kind") else (),
        product_id=product.pk if product else None,
        before=before,
        since=since,
    )
    next_query = None
    if page.next_before is not None:
        params = request.GET.copy()
        params["before"] = timeline.cursor_encode(page.next_before)
        next_query = params.urlencode()
    return render(
        request,
        "portal/my_support.html",
        {
            "form": form,
            "page": page,
            "next_query": next_query,
            "first_page": before is None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_export(request):
    """Ask for a copy of everything stored about me; list the copies ready to download."""
    never_cache_this(request)
    if request.method == "POST":
        services_customer.data_export_request(user=request.user)
        messages.success(
            request,
            _(
                "We are preparing your data. We will email you a link; it also appears below."
            ),
        )
        return redirect("portal:data_export")
    exports = [
        {
            "export": export,
            "token": services_customer.data_export_token(export)
            if export.ready_at
            else "",
        }
        for export in selectors_customer.data_export_list(user=request.user)
    ]
    return render(
        request,
        "portal/data_export.html",
        {"exports": exports, "days": services_customer.export_link_days()},
    )


@login_required
def data_export_download(request, token):
    never_cache_this(request)
    export = services_customer.data_export_from_token(token=token, user=request.user)
    response = HttpResponse(
        json.dumps(export.payload, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="candor-data-{export.ready_at:%Y-%m-%d}.json"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def data_export_page(request, token):
    """The same data as a readable page."""
    never_cache_this(request)
    export = services_customer.data_export_from_token(token=token, user=request.user)
    response = render(
        request,
        "portal/data_export_page.html",
        {"export": export, "payload": export.payload, "token": token},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    """Anonymise my account after I re-enter my password."""
    never_cache_this(request)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # Wrong passwords count as failed log-ins: a borrowed session cannot guess.
        ratelimit.check(request, "login_failure", account=request.user.username)
    if request.method == "POST" and form.is_valid():
        try:
            services_customer.account_delete(
                user=request.user,
                password=form.cleaned_data["password"],
                remove_posts=form.cleaned_data["remove_posts"],
            )
        except ValidationError as error:
            ratelimit.enforce(request, "login_failure", account=request.user.username)
            form.add_error(None, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            logout(request)
            messages.success(
                request, _("Your account is deleted. Thank you for being with us.")
            )
            return redirect("/")
    return render(
        request,
        "portal/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
