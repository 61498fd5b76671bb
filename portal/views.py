"""Account, profile and search views: each parses input and calls one service or selector."""

import sys

from django import db
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from . import ratelimit, search, selectors, services
from .cache import cache_anonymous, depends_on, never_cache_this
from .forms import ApiTokenForm, LoginForm, PasswordResetForm, ProfileForm, SignUpForm
from .middleware import unavailable
from .search import analytics


@ratelimit.rate_limit("signup")
def signup(request):
    """Create a customer account and sign the new member in."""
    if request.user.is_authenticated:
        return redirect("portal:account")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Accounts per address per day (Discourse's max_new_accounts_per_registration_ip).
        ratelimit.enforce(request, "signup_account")
        try:
            user = services.user_sign_up(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="portal.auth_backends.EmailOrUsernameBackend")
            messages.success(
                request,
                _("Welcome to the community, %(name)s!")
                % {"name": user.profile.display_name},
            )
            return redirect("portal:account")
    return render(
        request,
        "portal/signup.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@method_decorator(ratelimit.rate_limit("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    """Log in; limited per address, and failures per account (guessing passwords)."""

    form_class = LoginForm
    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ratelimit.check(request, "login_failure", account=self._account())
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.enforce(self.request, "login_failure", account=self._account())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _account(self) -> str:
        return str(self.request.POST.get("username", "")).strip()[:254]


@method_decorator(
    ratelimit.rate_limit("password_reset", account_field="email"), name="dispatch"
)
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "portal/password_reset_form.html"
    email_template_name = "portal/email/password_reset.txt"
    subject_template_name = "portal/email/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")
    extra_email_context = {"site_name": settings.WAGTAIL_SITE_NAME}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def render_to_response(self, context, **kwargs):
        # An invalid or used link is a bad request, not a page that worked.
        if not context.get("validlink"):
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@login_required
def account(request, token_form=None):
    """The member's own page: profile, what waits for them (from every app), API tokens."""
    profile = services.profile_get_or_create(user=request.user)
    panels = [fn(request) for fn in hooks.get_hooks("candor_account_panels")]
    return render(
        request,
        "portal/account.html",
        {
            "profile": profile,
            "panels": [panel for panel in panels if panel],
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True).order_by(
                "-created"
            ),
            "token_form": token_form or ApiTokenForm(),
        },
        status=400 if token_form is not None else 200,
    )


@login_required
def profile_edit(request):
    profile = services.profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            services.profile_update(
                profile=profile,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data["avatar"],
                remove_avatar=form.cleaned_data["remove_avatar"],
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("portal:account")
        return render(
            request,
            "portal/profile_form.html",
            {"form": form, "profile": profile},
            status=400,
        )
    form = ProfileForm(
        initial={"display_name": profile.display_name, "bio": profile.bio}
    )
    return render(
        request, "portal/profile_form.html", {"form": form, "profile": profile}
    )


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return account(request, token_form=form)
    token, key = services.api_token_create(
        user=request.user, name=form.cleaned_data["name"]
    )
    messages.success(
        request,
        _("Your new token (copy it now, it is shown only once): %(key)s")
        % {"key": key},
    )
    return redirect("portal:account")


@login_required
@require_POST
def api_token_delete(request, pk):
    if not services.api_token_revoke(user=request.user, token_id=pk):
        raise Http404
    messages.success(request, _("The token is revoked."))
    return redirect("portal:account")


@cache_anonymous("user:{username}")
def profile(request, username):
    """A member's public, shareable profile; other apps add sections through a hook."""
    user = selectors.profile_get_public(username=username)
    if user is None:
        raise Http404
    profile = services.profile_get_or_create(user=user)
    sections = [fn(request, user) for fn in hooks.get_hooks("candor_profile_sections")]
    return render(
        request,
        "portal/profile.html",
        {"member": user, "profile": profile, "sections": [s for s in sections if s]},
    )


def site_search(request):
    """Search products, articles and every type other apps register."""
    depends_on(request, *search.cache_scopes())
    query = request.GET.get("q", "")
    type_key = request.GET.get("type", "")[:30]
    product = request.GET.get("product", "")[:100]
    tag = request.GET.get("tag", "")[:100]
    outcome = search.site_search(query, type_key=type_key, product=product, tag=tag)
    first_look = not (type_key or product or tag or request.GET.get("page"))
    recommended = analytics.recommended(outcome.query) if first_look else []
    if first_look:  # filter and page clicks are the same search: logged once
        analytics.log_search(outcome.query, found=bool(outcome.hits or recommended))
    page_obj = Paginator(outcome.hits, settings.CANDOR_SEARCH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    product_titles = dict(
        selectors.product_list_live()
        .filter(slug__in=[*outcome.product_counts, product])
        .values_list("slug", "title")
    )
    type_labels = {t.key: t.label for t in search.search_types()}
    # Named on the collapsed "Filters" button, so a phone shows what narrows the list.
    applied_filters = [
        str(label)
        for label in (
            type_labels.get(type_key, ""),
            product_titles.get(product, product),
            tag,
        )
        if label
    ]
    return render(
        request,
        "portal/search.html",
        {
            "outcome": outcome,
            "page_obj": page_obj,
            "recommended": recommended,
            "type_facets": [
                (t.key, t.label, outcome.type_counts.get(t.key, 0))
                for t in search.search_types()
            ],
            "type_key": type_key,
            "product": product,
            "tag": tag,
            "applied_filters": applied_filters,
            "product_facets": [
                (slug, product_titles.get(slug, slug), n)
                for slug, n in outcome.product_counts.items()
            ],
        },
    )


# Suggestions need a word's first letters; a long paste is the results page's job.
SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 200


def search_suggest(request):
    """The first few site search results as JSON, for the search box as one types.

    The same engine and order as the results page (`search.suggest`), so the
    first suggestion is the first result. Typing is not searching: nothing is
    logged for the staff's search analytics (a half-typed "firmw" is no query)
    and the requests count against their own generous "search_suggest" limit,
    not the 60 searches a minute (settings CANDOR_RATE_LIMITED_READS).
    Anonymous answers are cached like the results page.
    """
    depends_on(request, *search.cache_scopes())
    query = " ".join(request.GET.get("q", "")[:SUGGEST_MAX_LENGTH].split())
    hits = (
        search.suggest(query, limit=settings.CANDOR_SEARCH_SUGGESTIONS)
        if len(query) >= SUGGEST_MIN_LENGTH
        else []
    )
    return JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "title": hit.title,
                    "url": hit.url,
                    "type": hit.type.key,
                    "type_label": str(hit.type.label_one),
                }
                for hit in hits
            ],
        }
    )


def healthz(request):
    """A minimal view: the load balancer's health check and the benchmarks' reference."""
    return HttpResponse("ok", content_type="text/plain")


def readiness(request):
    """The load balancer's readiness check: 200 while the database answers with its schema.

    Redis is reported but not required: without it the site runs uncached and
    the live meter falls back to polling (README "Faults"). Nothing is cached.
    """
    import json

    from django.core.cache import cache
    from django.db.migrations.recorder import MigrationRecorder

    checks = {}
    try:
        # A real table, not "SELECT 1": an empty or wrong database is not ready.
        MigrationRecorder.Migration.objects.exists()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = "down"
    if settings.REDIS_URL:
        probe = "healthz:probe"
        cache.set(probe, 1, 5)
        checks["redis"] = "ok" if cache.get(probe) == 1 else "down (degraded: uncached)"
    status = 200 if checks["database"] == "ok" else 503
    response = HttpResponse(json.dumps(checks), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 page, or a 503 with Retry-After when the database is away.

    Django calls this handler inside its ``except`` block, so ``sys.exc_info()``
    names the error. A database that is restarting or unreachable raises
    OperationalError or InterfaceError: that is an outage the client should
    retry, not a bug, so it gets 503 (JSON under /api/). The pages render
    without the request, so no context processor touches the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (db.OperationalError, db.InterfaceError)):
        return unavailable(
            request,
            code="unavailable",
            message="The database is briefly unavailable; retry after Retry-After seconds.",
            retry_after=settings.CANDOR_DATABASE_RETRY_AFTER,
        )
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    """A form whose CSRF check failed (an old tab, blocked cookies) gets the site's own
    403 page with what to do, not Django's bare one (settings.CSRF_FAILURE_VIEW)."""
    never_cache_this(request)
    message = _(
        "This form had expired, or your browser did not send this site's cookie. "
        "Go back, reload the page and send it again."
    )
    return render(request, "403.html", {"exception": message}, status=403)
