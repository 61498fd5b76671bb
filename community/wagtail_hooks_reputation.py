"""How reputation and badges plug into the portal: profile section, account and product panels, demo.

Imported by community/wagtail_hooks.py (Wagtail discovers hooks only there).
Each hook calls selectors and renders a template.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from wagtail import hooks

from . import selectors_reputation as selectors
from .badges import profile_fragment_key
from .caching import depends_on_community

# Kept until the member's generation or the community scope moves (see badges.profile_fragment_key).
PROFILE_SECTION_SECONDS = 600


AWARDS_SHOWN = 48


def profile_section_context(user) -> dict:
    """Everything the public profile shows about reputation and badges.

    A fixed number of queries, each bounded: the badges shown are the first
    AWARDS_SHOWN (gold first, then newest) with the count of each tier, topic
    scores the ten best products and tags, top answers five, and the history
    a year of days (its starting total comes from the kept balance).
    """
    summary = selectors.award_summary_for(user=user)
    awards = list(selectors.award_list_for(user=user)[:AWARDS_SHOWN]) if summary["total"] else []
    topic_scores = selectors.member_topic_scores(user=user)
    figures = selectors.member_answer_figures(user=user)
    grouped = {
        tier: [a for a in awards if getattr(getattr(a.badge, "info", None), "tier", "bronze") == tier]
        for tier in ("gold", "silver", "bronze")
    }
    return {
        "member": user,
        "history": selectors.reputation_history(user=user),
        "awards": awards,
        "award_total": summary["total"],
        "grouped": [(tier, items, summary["tiers"][tier]) for tier, items in grouped.items() if items],
        "topic_scores": topic_scores,
        "figures": figures,
        "top_answers": list(selectors.member_top_answers(user=user)),
        "progress": selectors.badge_progress(
            user=user,
            topic_scores=topic_scores,
            figures=figures,
            awarded_slugs=summary["slugs"],
        ),
    }


# First on the profile, right under the name: badges, then the reputation chart.
@hooks.register("candor_profile_sections", order=10)
def reputation_profile_section(request, user):
    """Reputation history, badges, top answers, topic scores and customer confirmations.

    The same for every visitor, so it is cached per member until something it
    shows changes (see `badges.profile_fragment_key`).
    """
    depends_on_community(request)
    key = profile_fragment_key(user.pk)
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(
            "community/panels/reputation_profile.html", profile_section_context(user)
        )
        if key:
            cache.set(key, html, PROFILE_SECTION_SECONDS)
    return html


@hooks.register("candor_account_panels")
def reputation_account_panel(request):
    from .models import AwardNotice, AwardWithdrawal

    notices = list(
        AwardNotice.objects.filter(user=request.user, read_at__isnull=True)
        .select_related("award__badge__info")
        .order_by("-created_at")[:10]
    )
    withdrawals = list(
        AwardWithdrawal.objects.filter(user=request.user, member_told=True, read_at__isnull=True)
        .select_related("badge__info")
        .order_by("-created_at")[:10]
    )
    return render_to_string(
        "community/panels/reputation_account.html",
        {"notices": notices, "withdrawals": withdrawals, "member": request.user},
        request=request,
    )


# After reviews (10) and questions (20).
@hooks.register("candor_product_panels", order=30)
def reputation_product_panel(request, page):
    depends_on_community(request)
    rows = selectors.leaderboard(product=page, period="month", size=5)
    return render_to_string(
        "community/panels/reputation_product.html",
        {"rows": rows, "product": page},
        request=request,
    )


@hooks.register("candor_demo_loaders", order=30)
def reputation_demo(context):
    from .demo_reputation import load_reputation_demo

    load_reputation_demo(context)
