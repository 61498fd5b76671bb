"""How reviews plug into portal and the Wagtail admin: hooks only, no portal edits."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import panels
from .admin_readonly import ReadOnlyPermissionPolicy
from .admin_views import ReviewsAdminGroup, ReviewsDashboardPanel
from .models import Review, ReviewReport, TrendAlert

for _model in (Review, ReviewReport, TrendAlert):
    register_permission_policy(
        _model, ReadOnlyPermissionPolicy(_model), exact_class=True
    )


@hooks.register("register_admin_viewset")
def register_reviews_admin():
    return ReviewsAdminGroup()


@hooks.register("register_admin_viewset")
def register_customer_chooser():
    from .admin_chooser import customer_chooser_viewset

    return customer_chooser_viewset


@hooks.register("construct_homepage_panels")
def add_reviews_dashboard_panel(request, panels_list):
    panels_list.append(ReviewsDashboardPanel(request))


# Product pages: reviews come first, before community's Q&A (order 20) and top helpers (30).
@hooks.register("candor_product_panels", order=10)
def product_reviews(request, page):
    return panels.product_reviews_panel(request, page)


@hooks.register("candor_product_title_lines", order=10)
def product_title_rating(request, page):
    return panels.product_title_rating(request, page)


@hooks.register("candor_method_sections")
def method_review_score(request):
    return panels.method_review_score_section(request)


@hooks.register("candor_product_card_lines")
def product_card_rating(request, products):
    return panels.product_card_ratings(request, products)


@hooks.register("candor_home_panels")
def home_top_reviews(request):
    return panels.home_top_reviews_panel(request)


@hooks.register("candor_account_panels")
def account_reviews(request):
    return panels.account_reviews_panel(request)


# After badges (community, order 10) and questions and answers (20).
@hooks.register("candor_profile_sections", order=30)
def profile_reviews(request, member):
    return panels.profile_reviews_section(request, member)


@hooks.register("candor_demo_loaders", order=30)
def load_reviews_demo(context):
    from .demo import load_reviews_demo as load

    load(context)


@hooks.register("candor_timeline_providers")
def reviews_timeline():
    from .timeline import ReviewsTimeline

    return ReviewsTimeline()


@hooks.register("candor_account_exporters")
def reviews_account_export(user):
    from .account_data import account_export

    return account_export(user)


@hooks.register("candor_account_erasers")
def reviews_account_erase(*, user, remove_posts):
    from .account_data import account_erase

    account_erase(user=user, remove_posts=remove_posts)


@hooks.register("candor_customer_admin_sections")
def reviews_customer_section(request, customer):
    """Products on the customer's account (verified customer), for the staff customer page."""
    from django.template.loader import render_to_string

    from .models import ProductOwnership

    owned = list(
        ProductOwnership.objects.filter(customer=customer)
        .select_related("product")
        .order_by("product__title")[:50]
    )
    return render_to_string(
        "reviews/admin/customer_section.html",
        {"owned": owned, "customer": customer},
        request=request,
    )


@hooks.register("candor_staff_start_items")
def reviews_start_items(request):
    """Negative reviews without a reply, open review reports, falling ratings.

    Open reports are "flags to review" like community's flags (the same `key`), so
    the start page counts both kinds on one line.
    """
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from portal.staff_start import StartItem

    from . import selectors
    from .models import ReviewReport, TrendAlert
    from .permissions import can_moderate_reviews

    if not can_moderate_reviews(request.user):
        return []
    unreplied = selectors.review_list_negative_unreplied()
    first = unreplied.select_related("product").order_by("rating", "created_at", "pk")[
        :5
    ]
    return [
        StartItem(
            label=_("flags to review"),
            count=ReviewReport.objects.filter(status=ReviewReport.Status.OPEN).count(),
            url=reverse("review_reports:index") + "?status=open",
            order=21,
            key="flags",
            part_label=_("reported reviews"),
        ),
        StartItem(
            label=_("negative reviews without a reply"),
            count=unreplied.count(),
            url=reverse("review_admin:index")
            + "?"
            + selectors.NEGATIVE_UNREPLIED_QUERY,
            order=40,
            details=[
                (
                    f"{r.rating}★ {r.title} · {r.product.title}",
                    reverse("reviews:review_reply", args=[r.pk]),
                )
                for r in first
            ],
        ),
        StartItem(
            label=_("products with a rating trend alert"),
            count=TrendAlert.objects.filter(closed_at__isnull=True).count(),
            url=reverse("review_trends:index"),
            order=50,
        ),
    ]


@hooks.register("candor_demo_loaders", order=90)
def reviews_support_demo(context):
    """Replies to the demo customers' reviews, for a rich "My support" page."""
    from .demo_support import load_support_demo

    load_support_demo(context)


@hooks.register("candor_counter_checks")
def reviews_counter_checks():
    from .services import rating_summary_rebuild

    def summaries(*, fix):
        return [
            f"product {d['product_id']}: "
            + ", ".join(
                f"{name} {old} → {new}" for name, (old, new) in d["fields"].items()
            )
            for d in rating_summary_rebuild(apply=fix)
        ]

    return [("rating summaries", summaries)]


@hooks.register("candor_styleguide_sections")
def reviews_styleguide_stars(request):
    return panels.styleguide_stars_section(request)
