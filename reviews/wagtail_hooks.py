"""How reviews plug into portal and the Wagtail admin: hooks only, no portal edits."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import panels
from .admin_views import (
    ReadOnlyPermissionPolicy,
    ReviewsAdminGroup,
    ReviewsDashboardPanel,
)
from .models import Review, ReviewReport, TrendAlert

for _model in (Review, ReviewReport, TrendAlert):
    register_permission_policy(
        _model, ReadOnlyPermissionPolicy(_model), exact_class=True
    )


@hooks.register("register_admin_viewset")
def register_reviews_admin():
    return ReviewsAdminGroup()


@hooks.register("construct_homepage_panels")
def add_reviews_dashboard_panel(request, panels_list):
    panels_list.append(ReviewsDashboardPanel(request))


@hooks.register("candor_product_panels")
def product_reviews(request, page):
    return panels.product_reviews_panel(request, page)


@hooks.register("candor_home_panels")
def home_top_reviews(request):
    return panels.home_top_reviews_panel(request)


@hooks.register("candor_account_panels")
def account_reviews(request):
    return panels.account_reviews_panel(request)


@hooks.register("candor_profile_sections")
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
