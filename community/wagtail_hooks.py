"""How the community plugs into the portal: panels, navigation, admin and demo data.

Each hook is thin: it calls a selector and renders a template; portal never
imports this app.
"""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from . import selectors, selectors_reputation
from .admin_views import CommunityAdminGroup
from .caching import depends_on_community
from .known_problems.selectors import known_problem_count_for_product
from .suggested_edits.selectors import suggestion_pending_count_for


@hooks.register("register_admin_viewset")
def register_community_admin():
    return CommunityAdminGroup()


@hooks.register("candor_nav_links")
def community_nav_link(request):
    """The header links. The unread count is fetched by a small script, so the
    header costs no query on any page and pages stay cacheable."""
    link = format_html(
        '<li><a href="{}">{}</a></li>',
        reverse("community:question_list"),
        _("Community"),
    )
    if request is not None and request.user.is_authenticated:
        link += format_html(
            '<li><a href="{}">{}<unread-count url="{}" label="{}"></unread-count></a>'
            '<script type="module" src="{}"></script></li>',
            reverse("community:notifications"),
            _("Notifications"),
            reverse("community:notifications_unread"),
            _("unread"),
            static("community/js/unread-count.js"),
        )
    return link


@hooks.register("candor_account_panels")
def suggested_edits_account_panel(request):
    """The review queue from the account page, with how many suggestions wait (one COUNT)."""
    return render_to_string(
        "community/suggested_edits/account_panel.html",
        {"waiting": suggestion_pending_count_for(user=request.user)},
        request=request,
    )


@hooks.register("candor_search_empty_actions", order=10)
def community_search_empty_action(request, query):
    """Offer "Ask the community" when a search finds nothing: the ask form with the search
    as its title, and `searched` so search analytics can count questions asked after
    a search. A plain link, the same for every visitor, so the page stays cacheable."""
    url = (
        reverse("community:ask") + "?" + urlencode({"title": query, "searched": query})
    )
    return format_html(
        '<li><a class="button" href="{}">{}</a> <span class="help">{}</span></li>',
        url,
        _("Ask the community"),
        _("Customers who use it and our staff answer in public."),
    )


@hooks.register("candor_home_panels")
def community_home_panel(request):
    depends_on_community(request)
    return render_to_string(
        "community/panels/home.html",
        {"questions": list(selectors.question_list_recent(limit=6))},
        request=request,
    )


# After reviews (order 10): questions and speed of help, then top helpers (30).
@hooks.register("candor_product_panels", order=20)
def community_product_panel(request, page):
    depends_on_community(request)
    following = None
    if request is not None and request.user.is_authenticated:
        following = (
            page.pk
            in selectors.followed_tags_and_products(user=request.user)["products"]
        )
    return render_to_string(
        "community/panels/product.html",
        {
            "product": page,
            "questions": list(
                selectors.question_list_for_product(product=page, limit=5)
            ),
            "speed": selectors.product_speed_of_help(product=page),
            "known_problems": known_problem_count_for_product(product=page),
            "following": following,
        },
        request=request,
    )


# Badges and reputation (order 10) first, then the member's questions and answers.
@hooks.register("candor_profile_sections", order=20)
def community_profile_section(request, user):
    depends_on_community(request)
    viewer = request.user if request is not None else None
    return render_to_string(
        "community/panels/profile.html",
        {
            "member": user,
            "questions": list(
                selectors.question_list_by_member(member=user, viewer=viewer)
            ),
            "answers": list(
                selectors.answer_list_by_member(member=user, viewer=viewer)
            ),
            "counts": selectors.member_counts(member=user),
        },
        request=request,
    )


@hooks.register("candor_markdown_fields")
def community_markdown_fields():
    from .models import Answer, Comment, Question

    return [
        (Question, "body", "body_html"),
        (Answer, "body", "body_html"),
        (Comment, "body", "body_html"),
    ]


@hooks.register("candor_demo_loaders", order=20)
def community_demo(context):
    from .demo import load_community_demo

    load_community_demo(context)


# Reputation and badges register their hooks in their own module.
from . import wagtail_hooks_reputation  # noqa: E402, F401


@hooks.register("candor_timeline_providers")
def community_timeline():
    from .timeline import CommunityTimeline

    return CommunityTimeline()


@hooks.register("candor_account_exporters")
def community_account_export(user):
    from .account_data import account_export

    return account_export(user)


@hooks.register("candor_account_erasers")
def community_account_erase(*, user, remove_posts):
    from .account_data import account_erase

    account_erase(user=user, remove_posts=remove_posts)


@hooks.register("candor_staff_start_items")
def community_start_items(request):
    """Flags to review, questions unanswered for more than 24 h, articles to write next."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from portal.staff_start import StartItem

    from . import permissions, selectors
    from .models import Flag

    if not permissions.can_moderate(request.user):
        return []
    day_ago = timezone.now() - timedelta(hours=24)
    return [
        StartItem(
            label=_("flags to review"),
            count=Flag.objects.filter(state=Flag.State.OPEN).count(),
            url=reverse("community_moderation:index"),
            order=20,
            key="flags",
            part_label=_("flagged community posts"),
        ),
        StartItem(
            label=_("questions unanswered for more than 24 hours"),
            count=selectors.question_list_unanswered_by_age()
            .filter(created_at__lt=day_ago)
            .count(),
            url=reverse("community_unanswered:index"),
            order=30,
        ),
        StartItem(
            label=_(
                "articles to write next (questions the knowledge base did not answer)"
            ),
            count=selectors.articles_to_write_next().count(),
            url=reverse("community_articles_next:index"),
            order=60,
        ),
    ]


@hooks.register("candor_counter_checks")
def community_counter_checks():
    from .services import post_counters_rebuild
    from .services_reputation import reputation_rebuild

    def reputation(*, fix):
        return [
            f"{d.username} (#{d.user_id}): profile {d.profile_total}, balance "
            f"{d.balance_points}; the ledger says {d.expected_total} (points {d.ledger_points})"
            for d in reputation_rebuild(fix=fix)
        ]

    return [
        ("post scores and counts", post_counters_rebuild),
        ("reputation", reputation),
    ]


@hooks.register("candor_styleguide_sections")
def community_styleguide_medals(request):
    """The styleguide's medals: one real badge of each tier, drawn by the badge include."""
    depends_on_community(request)
    return render_to_string(
        "community/styleguide/medals.html",
        {"badges": selectors_reputation.badge_list_one_per_tier()},
        request=request,
    )
