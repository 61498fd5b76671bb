"""How satisfaction plugs into the portal and the Wagtail admin.

Portal shows the compact meter (home page), the "waiting for your answer" list
(account page) and a header link through its hooks; staff get a Satisfaction
menu in the admin; the demo gets ~600 interactions.
"""

from django.template.loader import render_to_string
from django.urls import include, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from portal import cache as page_cache

from . import admin_views, live, selectors
from .contact import wagtail_hooks as contact_hooks
from .permissions import can_manage_satisfaction

admin_patterns = [
    path("", admin_views.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/", admin_views.FollowUpView.as_view(), name="follow_up"),
    path(
        "record/",
        admin_views.InteractionRecordView.as_view(),
        name="interaction_record",
    ),
    path("answers/", admin_views.AnswerListView.as_view(), name="answers"),
    path(
        "answers/<int:pk>/exclude/",
        admin_views.AnswerExcludeView.as_view(),
        name="answer_exclude",
    ),
    *contact_hooks.admin_patterns,
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("satisfaction/", include((admin_patterns, "satisfaction_admin")))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_satisfaction(request.user)


class StaffSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return can_manage_satisfaction(request.user)


satisfaction_menu = Menu(
    items=[
        StaffMenuItem(
            _("Contact requests"),
            reverse_lazy("satisfaction_admin:contacts"),
            icon_name="mail",
            order=50,
        ),
        StaffMenuItem(
            _("Follow-ups on \u201cNo\u201d"),
            reverse_lazy("satisfaction_admin:follow_ups"),
            icon_name="warning",
            order=100,
        ),
        StaffMenuItem(
            _("Record an interaction"),
            reverse_lazy("satisfaction_admin:interaction_record"),
            icon_name="plus",
            order=200,
        ),
        StaffMenuItem(
            _("Survey answers"),
            reverse_lazy("satisfaction_admin:answers"),
            icon_name="list-ul",
            order=300,
        ),
        StaffMenuItem(
            _("Public meter"),
            reverse_lazy("satisfaction:meter"),
            icon_name="view",
            order=400,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_satisfaction_menu():
    return StaffSubmenu(_("Satisfaction"), satisfaction_menu, name="satisfaction", icon_name="success", order=350)


@hooks.register("candor_home_panels")
def home_meter_panel(request):
    """The compact live meter on the home page."""
    page_cache.depends_on(request, live.SCOPE)
    snapshot = selectors.meter_snapshot_cached()
    return render_to_string(
        "satisfaction/tags/meter_compact.html",
        {
            "snapshot": snapshot,
            "meter_text": selectors.meter_text(snapshot),
            **live.client_settings(),
        },
        request=request,
    )


@hooks.register("candor_account_panels")
def account_waiting_panel(request):
    """Surveys waiting for this customer's answer, with a link to each."""
    if not request.user.is_authenticated:
        return None
    invitations = list(selectors.invitation_list_waiting(user=request.user))
    if not invitations:
        return None
    return render_to_string(
        "satisfaction/tags/account_waiting.html",
        {"invitations": invitations},
        request=request,
    )


@hooks.register("candor_nav_links")
def nav_link(request):
    return format_html(
        '<li><a href="{}">{}</a></li>', reverse("satisfaction:meter"), _("Satisfaction")
    )


@hooks.register("candor_demo_loaders", order=40)
def load_demo(context):
    from .demo import load_satisfaction_demo

    load_satisfaction_demo(context)


@hooks.register("candor_timeline_providers")
def satisfaction_timeline():
    from .timeline import SatisfactionTimeline

    return SatisfactionTimeline()


@hooks.register("candor_account_exporters")
def satisfaction_account_export(user):
    from .account_data import account_export

    return account_export(user)


@hooks.register("candor_account_erasers")
def satisfaction_account_erase(*, user, remove_posts):
    from .account_data import account_erase

    account_erase(user=user, remove_posts=remove_posts)


@hooks.register("candor_staff_start_items")
def satisfaction_start_items(request):
    """Unhappy customers ("No" answers) waiting for a follow-up."""
    from django.utils.translation import gettext as _

    from portal.staff_start import StartItem

    from .models import FollowUp, FollowUpStatus

    if not can_manage_satisfaction(request.user):
        return []
    return [
        StartItem(
            label=_("unhappy customers waiting for a follow-up"),
            count=FollowUp.objects.filter(status=FollowUpStatus.OPEN).count(),
            url=reverse("satisfaction_admin:follow_ups") + "?status=open",
            order=10,
        )
    ]


@hooks.register("candor_counter_checks")
def satisfaction_counter_checks():
    from .ledger import tallies_rebuild

    return [("meter tallies", tallies_rebuild)]
