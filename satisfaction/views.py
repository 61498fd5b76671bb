"""Public pages: the survey, the meter, its method, raw data, hash chain, badge and live stream.

Every view parses input and calls one service or selector. The survey's GET
shows the question and records nothing (mail scanners open every link); only a
POST with a CSRF token answers.
"""

import csv
import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from portal.cache import cache_anonymous
from portal.site_url import base_url

from . import ledger, live, selectors, services
from .forms import SurveyForm
from .models import Channel, ExclusionRule, NotSurveyed
from .permissions import survey_refusal
from .tokens import InvalidLink, survey_invitation_from_token

# ---------------------------------------------------------------- the survey


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    """The emailed link: a signed token names the invitation."""
    try:
        invitation = survey_invitation_from_token(token)
    except InvalidLink:
        return render(request, "satisfaction/survey_invalid.html", status=404)
    return _survey_page(request, invitation)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def interaction_survey(request, pk):
    """The same survey reached from the customer's account page instead of the email."""
    invitation = selectors.invitation_get_for_customer(user=request.user, interaction_id=pk)
    if invitation is None:
        raise Http404
    return _survey_page(request, invitation)


def _safe_next(request) -> str:
    """Where to go back after answering (e.g. "My support"), if it is on this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _survey_page(request, invitation):
    interaction = invitation.interaction
    answered = selectors.response_get_for_interaction(interaction.pk)
    if answered is not None:
        status = 409 if request.method == "POST" else 200
        # Right after the answer (the redirect carries ?thanks=1) the page thanks; a later
        # visit says when it was answered.
        context = {"response": answered, "interaction": interaction, "just_answered": request.method == "GET" and "thanks" in request.GET}
        return render(request, "satisfaction/survey_answered.html", context, status=status)
    if invitation.is_expired:
        return render(request, "satisfaction/survey_expired.html", {"invitation": invitation}, status=410)
    refusal = survey_refusal(request.user, interaction)
    if refusal:
        return render(request, "satisfaction/survey_refused.html", {"refusal": refusal, "interaction": interaction}, status=403)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                invitation=invitation,
                satisfied=form.cleaned_data["answer"] == "yes",
                comment=form.cleaned_data["comment"],
                show_on_reviews=form.cleaned_data["show_on_reviews"],
                by=request.user,
            )
        except services.AlreadyAnswered:
            return _survey_page(request, invitation)
        except services.SurveyExpired:
            return render(request, "satisfaction/survey_expired.html", {"invitation": invitation}, status=410)
        except PermissionDenied as refusal:
            return render(request, "satisfaction/survey_refused.html", {"refusal": str(refusal), "interaction": interaction}, status=403)
        messages.success(request, _("Thank you! Your answer now counts on our public satisfaction meter."))
        return redirect(_safe_next(request) or f"{request.path}?thanks=1")
    return render(
        request,
        "satisfaction/survey.html",
        {"form": form, "interaction": interaction, "invitation": invitation, "preselect": request.GET.get("answer", "")},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- the meter


def _meter_context(request) -> dict:
    snapshot = selectors.meter_snapshot_cached()
    return {
        "snapshot": snapshot,
        "meter_text": selectors.meter_text(snapshot),
        **live.client_settings(),
    }


@require_GET
@cache_anonymous(live.SCOPE)  # every answer and exclusion invalidates it (live.meter_changed)
def meter(request):
    """The public meter; complete without JavaScript, updated live with it."""
    return render(request, "satisfaction/meter.html", _meter_context(request))


@require_GET
@cache_anonymous(live.SCOPE)
def meter_json(request):
    """The snapshot the page shows, for the polling fallback and anyone's scripts."""
    response = JsonResponse(selectors.meter_snapshot_cached())
    patch_cache_control(response, public=True, max_age=5)
    return response


@require_GET
def trend_fragment(request):
    """The trend chart alone, for the live element to swap in after an answer."""
    from .templatetags.satisfaction_tags import trend_svg

    response = HttpResponse(trend_svg(selectors.meter_snapshot_cached()["weekly"]), content_type="text/html; charset=utf-8")
    patch_cache_control(response, public=True, max_age=2)
    return response


@require_GET
def method(request):
    """How the figures are made, with the exclusion rules and how many each excluded."""
    snapshot = selectors.meter_snapshot_cached()
    return render(
        request,
        "satisfaction/method.html",
        {
            "snapshot": snapshot,
            "channels": Channel.choices,
            "rules": snapshot["excluded"]["by_rule"],
            "not_surveyed": selectors.not_surveyed_counts(),
            "survey_days": settings.CANDOR_SATISFACTION_SURVEY_DAYS,
            "min_answers": settings.CANDOR_SATISFACTION_MIN_ANSWERS,
            "not_surveyed_rules": NotSurveyed.choices,
        },
    )


@require_GET
def live_stream(request):
    """Server-sent events: the whole snapshot on each answer, for a bounded time.

    Under WSGI each open stream holds a worker thread, so the stream ends after
    CANDOR_SATISFACTION_SSE_SECONDS and EventSource reconnects (after `retry`).
    Production can route this path to `satisfaction.live_asgi` instead, which
    holds thousands of streams in one process without threads.
    """
    seconds = settings.CANDOR_SATISFACTION_SSE_SECONDS

    def events():
        yield "retry: 1000\n\n"
        with live.subscribe() as subscription:
            snapshot = json.dumps(selectors.meter_snapshot_cached(), separators=(",", ":"))
            # Hundreds of open streams must not each keep a database connection.
            connections.close_all()
            yield f"event: meter\ndata: {snapshot}\n\n"
            deadline = time.monotonic() + seconds
            while (remaining := deadline - time.monotonic()) > 0:
                message = subscription.get(timeout=min(10.0, remaining))
                yield f"event: meter\ndata: {message}\n\n" if message else ": ping\n\n"

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


# ---------------------------------------------------------------- raw data and chain

RAW_COLUMNS = ["id", "day", "invited_day", "product_id", "product", "channel", "answer", "excluded_reason"]


class _Echo:
    def write(self, value):
        return value


def _raw_rows():
    products = selectors.product_names()
    for public_id, day, invited_day, product_pk, channel, satisfied, rule in selectors.raw_answer_rows().iterator(chunk_size=5000):
        yield [
            public_id,
            day.isoformat(),
            invited_day.isoformat(),
            product_pk or "",
            products.get(product_pk, "") if product_pk else "",
            channel,
            "yes" if satisfied else "no",
            rule or "",
        ]


def _download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=60)
    return response


@require_GET
def data(request):
    """The raw-data page: downloads, their columns and the daily hash chain."""
    entries = ledger.chain_entries()
    return render(
        request,
        "satisfaction/data.html",
        {"chain": entries[-14:][::-1], "chain_days": len(entries), "columns": RAW_COLUMNS, "rules": ExclusionRule.choices},
    )


@require_GET
def answers_csv(request):
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(RAW_COLUMNS)
        for row in _raw_rows():
            yield writer.writerow(row)

    return _download(StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8"), "satisfaction-answers.csv")


@require_GET
def answers_json(request):
    """{"answers": [...], "invitations": [...]}, streamed so a million rows need little memory."""

    def chunks():
        yield '{"columns":' + json.dumps(RAW_COLUMNS) + ',"answers":['
        first = True
        for row in _raw_rows():
            yield ("" if first else ",") + json.dumps(dict(zip(RAW_COLUMNS, row, strict=True)))
            first = False
        yield '],"invitations":['
        yield ",".join(json.dumps({"day": day.isoformat(), "sent": sent}) for day, sent in selectors.invitation_rows())
        yield "]}"

    return _download(StreamingHttpResponse(chunks(), content_type="application/json"), "satisfaction-answers.json")


@require_GET
def invitations_csv(request):
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["day", "sent"])
        for day, sent in selectors.invitation_rows():
            yield writer.writerow([day.isoformat(), sent])

    return _download(StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8"), "satisfaction-invitations.csv")


@require_GET
def chain_json(request):
    return _download(JsonResponse({"genesis": ledger.GENESIS, "days": ledger.chain_entries()}), "satisfaction-chain.json")


@require_GET
def chain_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(["day", "answers", "previous", "digest"])
    for entry in ledger.chain_entries():
        writer.writerow([entry["day"], entry["answers"], entry["previous"], entry["digest"]])
    return _download(response, "satisfaction-chain.csv")


# ---------------------------------------------------------------- badge


@require_GET
def badge_svg(request):
    """The embeddable badge: cached by browsers and proxies, and built from the cached snapshot."""
    snapshot = selectors.meter_snapshot_cached()
    window = snapshot["windows"][0]
    response = render(request, "satisfaction/badge.svg", {"window": window}, content_type="image/svg+xml")
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    patch_cache_control(response, public=True, max_age=settings.CANDOR_SATISFACTION_BADGE_SECONDS)
    return response


@require_GET
def badge(request):
    """The badge with the HTML snippet to copy into a website or an email signature."""
    snapshot = selectors.meter_snapshot_cached()
    base = base_url()
    return render(request, "satisfaction/badge.html", {"window": snapshot["windows"][0], "base": base})


@xframe_options_exempt
@require_GET
def badge_embed(request):
    """A tiny HTML page for an <iframe>: the badge linking to the meter."""
    snapshot = selectors.meter_snapshot_cached()
    response = render(request, "satisfaction/badge_embed.html", {"window": snapshot["windows"][0]})
    # Its own policy: any site may frame it (the site-wide one says frame-ancestors
    # 'none'), and the page needs nothing but its image and its inline style.
    response["Content-Security-Policy"] = settings.CANDOR_CSP_BADGE_EMBED
    patch_cache_control(response, public=True, max_age=settings.CANDOR_SATISFACTION_BADGE_SECONDS)
    return response
