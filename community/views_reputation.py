"""Reputation and badge pages: how it works, the catalogue, verification, credentials, leaderboards.

Each view parses its input, calls selectors (or one service) and renders;
public pages are the same for every visitor and carry a short cache lifetime.
They are in the page cache under the "community" scope, which every ledger
write, award, withdrawal and new badge moves (community.badges.member_pages_changed).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from taggit.models import Tag

from portal.selectors import product_list_live

from . import (
    badge_signing,
    badges,
    credentials,
    permissions,
    selectors,
    selectors_reputation,
    services,
)
from .badgify_recipes import GENERAL_RECIPES
from .caching import anonymous_page_cache
from .models import BadgeInfo, ReputationEvent
from .services_reputation import POINTS

PUBLIC_CACHE = cache_control(public=True, max_age=60)
AWARDS_PER_PAGE = 30
EVENTS_PER_PAGE = 50
TOPIC_BADGES_PER_PAGE = 60
TAGS_CACHE_SECONDS = 300


@PUBLIC_CACHE
@anonymous_page_cache
def reputation_help(request):
    """How reputation works: the points, the daily limit, privileges and badge rules."""
    Kind = ReputationEvent.Kind
    points = [(Kind(kind).label, value) for kind, value in POINTS.items()]
    privileges = [
        (label, settings.CANDOR_REPUTATION_PRIVILEGES[name]) for name, label in permissions.PRIVILEGES.items()
    ]
    thresholds = [
        (dict(BadgeInfo.Tier.choices)[tier], score, answers)
        for tier, (score, answers) in settings.CANDOR_EXPERT_THRESHOLDS.items()
    ]
    return render(
        request,
        "community/reputation_help.html",
        {
            "points": points,
            "daily_limit": settings.CANDOR_REPUTATION_DAILY_VOTE_LIMIT,
            "privileges": privileges,
            "thresholds": thresholds,
            "accepted_bonus": settings.CANDOR_EXPERT_ACCEPTED_BONUS,
            "confirmed_bonus": settings.CANDOR_EXPERT_CONFIRMED_BONUS,
        },
    )


@PUBLIC_CACHE
@anonymous_page_cache
def badge_list(request):
    """The badge catalogue: general ladders, then topic expert badges (paginated by topic)."""
    catalogue = selectors_reputation.badge_catalogue()
    general = list(catalogue.filter(info__product__isnull=True, info__tag__isnull=True))
    topics = catalogue.exclude(info__product__isnull=True, info__tag__isnull=True).order_by(
        "info__sort_order", "name", "info__tier"
    )
    page_obj = Paginator(topics, TOPIC_BADGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/badge_list.html",
        {"general": general, "page_obj": page_obj, "general_count": len(GENERAL_RECIPES)},
    )


@PUBLIC_CACHE
@anonymous_page_cache
def badge_detail(request, slug):
    """One badge: picture, description, criteria and who earned it lately."""
    badge = selectors_reputation.badge_get(slug=slug)
    page_obj = Paginator(selectors_reputation.badge_recent_awards(badge=badge), AWARDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/badge_detail.html", {"badge": badge, "info": badge.info, "page_obj": page_obj})


def _award_context(award) -> dict:
    from .badgify_recipes import recipe_for_badge

    recipe = recipe_for_badge(award.badge)
    evidence = recipe.evidence(award.user, before=award.awarded_at) if recipe else []
    organisation = credentials.organisation_name()
    return {
        "award": award,
        "badge": award.badge,
        "info": award.badge.info,
        "member": award.user,
        "title": badges.badge_title(tier=award.badge.info.tier, name=award.badge.name),
        "evidence": evidence,
        "urls": credentials.award_urls(award),
        "linkedin_url": credentials.linkedin_add_url(award, organisation=organisation),
        "organisation": organisation,
        "issuer_did": badge_signing.issuer_did(),
    }


def _withdrawn(request, pk, *, as_json=False):
    """410 for an award staff withdrew (so a verifier learns it no longer holds), else None."""
    withdrawal = selectors_reputation.award_withdrawal_get(award_id=pk)
    if withdrawal is None:
        return None
    if as_json:
        return JsonResponse(
            {"error": "withdrawn", "detail": _("This badge was withdrawn by the moderators."),
             "withdrawn_at": withdrawal.created_at.isoformat()},
            status=410,
        )
    return render(request, "community/badge_withdrawn.html", {"withdrawal": withdrawal}, status=410)


@PUBLIC_CACHE
@anonymous_page_cache
def award_detail(request, pk):
    """The public verification page of one award: who, what, when, criteria, evidence."""
    try:
        award = selectors_reputation.award_get_public(pk=pk)
    except Http404:
        if (gone := _withdrawn(request, pk)) is not None:
            return gone
        raise
    return render(request, "community/badge_award.html", _award_context(award))


def _credential_or_gone(request, pk):
    """(the award's Open Badges 3.0 credential, None), or (None, the 410 of a withdrawn award)."""
    try:
        award = selectors_reputation.award_get_public(pk=pk)
    except Http404:
        if (gone := _withdrawn(request, pk, as_json=True)) is not None:
            return None, gone
        raise
    context = _award_context(award)
    body = credentials.award_credential(award, evidence=context["evidence"], organisation=context["organisation"])
    return body, None


@PUBLIC_CACHE
@anonymous_page_cache
def award_credential(request, pk):
    """The award as an Open Badges 3.0 credential (JSON)."""
    body, gone = _credential_or_gone(request, pk)
    if gone is not None:
        return gone
    response = JsonResponse(body, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@PUBLIC_CACHE
@anonymous_page_cache
def award_credential_jwt(request, pk):
    """The same credential signed: a JWT-VC (compact JWS, EdDSA) for wallets and validators."""
    body, gone = _credential_or_gone(request, pk)
    if gone is not None:
        return gone
    response = HttpResponse(badge_signing.sign(body), content_type=badge_signing.MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _popular_tags() -> list:
    """The tag links beside the leaderboard: an aggregate over every question, so cached."""
    tags = cache.get("community:leaderboard:tags")
    if tags is None:
        tags = [{"pk": t.pk, "name": t.name} for t in selectors.tag_list_popular(limit=20)]
        cache.set("community:leaderboard:tags", tags, TAGS_CACHE_SECONDS)
    return tags


def _period(request) -> str:
    period = request.GET.get("period", "month")
    return period if period in selectors_reputation.LEADERBOARD_PERIODS else "month"


@PUBLIC_CACHE
@anonymous_page_cache
def leaderboard(request, product_slug=None, tag=None):
    """Top members by reputation earned in a product, a tag, or everywhere: week, month, all time."""
    product = topic_tag = None
    if product_slug is not None:
        product = product_list_live().filter(slug=product_slug).first()
        if product is None:
            raise Http404
    if tag is not None:
        topic_tag = Tag.objects.filter(name__iexact=tag).first()
        if topic_tag is None:
            raise Http404
    period = _period(request)
    rows = selectors_reputation.leaderboard(product=product, tag=topic_tag, period=period)
    return render(
        request,
        "community/reputation_leaderboard.html",
        {
            "rows": rows,
            "product": product,
            "tag": topic_tag,
            "period": period,
            "periods": [("week", _("This week")), ("month", _("This month")), ("all", _("All time"))],
            "products": list(product_list_live().values("pk", "title", "slug")[:50]),
            "tags": _popular_tags(),
        },
    )


@anonymous_page_cache
def reputation_events(request, username):
    """A member's whole reputation ledger, newest first: every point accounted for."""
    member = get_user_model().objects.select_related("profile").filter(username=username, is_active=True).first()
    if member is None:
        raise Http404
    page_obj = Paginator(selectors_reputation.reputation_event_list_for(user=member), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/reputation_events.html", {"member": member, "page_obj": page_obj})


@login_required
@require_POST
def award_notices_read(request):
    badges.award_notices_mark_read(user=request.user)
    messages.success(request, _("Badge notices marked as read."))
    return redirect("portal:account")


@login_required
def question_retag(request, pk):
    """Change a question's tags (the retag privilege); a GET shows the form."""
    from .forms_reputation import RetagForm

    question = selectors.question_get_visible(pk=pk)
    if not permissions.can_retag(request.user, question):
        return render(
            request,
            "community/action_refused.html",
            {"message": services._privilege_refusal("retag"), "back": question.get_absolute_url()},
            status=403,
        )
    if request.method == "POST":
        form = RetagForm(request.POST)
        if form.is_valid():
            try:
                services.question_retag(question=question, by=request.user, tags=form.cleaned_data["tags"])
            except ValidationError as error:
                form.add_error("tags", error.messages[0] if error.messages else _("Check the tags."))
            except PermissionDenied as error:
                return render(request, "community/action_refused.html", {"message": str(error)}, status=403)
            else:
                messages.success(request, _("Tags changed."))
                return redirect(question.get_absolute_url())
        return render(request, "community/question_retag.html", {"form": form, "question": question}, status=400)
    form = RetagForm(initial={"tags": ", ".join(sorted(question.tags.names()))})
    return render(request, "community/question_retag.html", {"form": form, "question": question})
