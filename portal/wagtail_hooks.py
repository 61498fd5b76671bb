"""Portal's own hook registrations."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import Profile
from .permissions import is_staff_member


@hooks.register("candor_markdown_fields")
def portal_markdown_fields():
    return [(Profile, "bio", "bio_html")]


@hooks.register("candor_timeline_providers")
def portal_timeline():
    from .timeline import NotesTimeline

    return NotesTimeline()


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_urls")
def register_customer_admin_urls():
    from . import admin_customer

    patterns = [
        path("", admin_customer.CustomerIndexView.as_view(), name="index"),
        path("<int:pk>/", admin_customer.CustomerView.as_view(), name="detail"),
    ]
    return [path("customers/", include((patterns, "customer_admin")))]


@hooks.register("register_admin_menu_item")
def register_customers_menu_item():
    return _StaffMenuItem(
        _("Customers"),
        reverse_lazy("customer_admin:index"),
        icon_name="group",
        order=340,
    )


@hooks.register("construct_homepage_panels")
def add_staff_start_panel(request, panels):
    from .staff_start import StaffStartPanel

    panels.insert(0, StaffStartPanel(request))


@hooks.register("register_admin_urls")
def register_least_helpful_urls():
    from .admin_feedback import LeastHelpfulArticlesView

    return [
        path(
            "reports/least-helpful-articles/",
            LeastHelpfulArticlesView.as_view(),
            name="least_helpful_articles",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_least_helpful_menu_item():
    return _StaffMenuItem(
        _("Least helpful articles"),
        reverse_lazy("least_helpful_articles"),
        icon_name="doc-full",
        order=900,
    )


@hooks.register("register_admin_urls")
def register_search_gaps_urls():
    from .admin_search import SearchGapsReportView

    return [
        path("reports/search-gaps/", SearchGapsReportView.as_view(), name="search_gaps")
    ]


@hooks.register("register_reports_menu_item")
def register_search_gaps_menu_item():
    return _StaffMenuItem(
        _("Search gaps"), reverse_lazy("search_gaps"), icon_name="search", order=910
    )
