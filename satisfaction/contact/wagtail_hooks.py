"""Contact requests in the Wagtail admin: queue URLs, availability snippets, start-page items.

Imported by satisfaction/wagtail_hooks.py (Wagtail looks for hooks at the app's
top level only).
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..permissions import can_manage_satisfaction
from . import admin_views, selectors
from .links import contact_url
from .models import CallbackHours, ContactHoliday

admin_patterns = [
    path("contact/", admin_views.ContactQueueView.as_view(), name="contacts"),
    path("contact/<int:pk>/", admin_views.ContactView.as_view(), name="contact"),
]


class CallbackHoursViewSet(SnippetViewSet):
    model = CallbackHours
    icon = "time"
    menu_label = _("Callback hours")
    list_display = ["weekday", "opens", "closes", "capacity"]


class ContactHolidayViewSet(SnippetViewSet):
    model = ContactHoliday
    icon = "date"
    menu_label = _("Holidays")
    list_display = ["day", "name"]


class AvailabilityGroup(SnippetViewSetGroup):
    menu_label = _("Callback availability")
    menu_icon = "time"
    menu_order = 360
    items = (CallbackHoursViewSet, ContactHolidayViewSet)


register_snippet(AvailabilityGroup)


@hooks.register("candor_staff_start_items")
def contact_start_items(request):
    """Requests due within the hour and overdue ones, with the first few of each."""
    from django.utils.translation import gettext as gettext

    from portal.staff_start import StartItem

    if not can_manage_satisfaction(request.user):
        return []
    now = timezone.now()
    queue = reverse("satisfaction_admin:contacts")
    items = []
    for label, qs, view, order in (
        (
            gettext("contact requests overdue"),
            selectors.contact_queue(view="overdue"),
            "overdue",
            5,
        ),
        (
            gettext("contact requests due within the hour"),
            selectors.contact_due_soon(now=now),
            "open",
            6,
        ),
    ):
        rows = list(qs.select_related(None).order_by("promised_at", "pk")[:5])
        count = len(rows) if len(rows) < 5 else qs.count()
        items.append(
            StartItem(
                label=label,
                count=count,
                url=f"{queue}?view={view}",
                order=order,
                details=[
                    (
                        f"#{c.pk} {c.get_channel_display()} · {c.promised_at:%H:%M} UTC",
                        reverse("satisfaction_admin:contact", args=[c.pk]),
                    )
                    for c in rows
                ],
            )
        )
    return items


@hooks.register("candor_timeline_providers")
def contact_timeline():
    from .timeline import ContactTimeline

    return ContactTimeline()


@hooks.register("candor_demo_loaders", order=45)
def load_contact_demo(context):
    """Callback hours (weekdays 8:00–20:00, Saturday 10:00–14:00, two calls a slot), so the
    demo's "Talk to a person" form offers times; nothing if hours exist already."""
    from datetime import time

    from .models import CallbackHours

    if CallbackHours.objects.exists():
        return
    CallbackHours.objects.bulk_create(
        [
            CallbackHours(weekday=day, opens=time(8), closes=time(20), capacity=2)
            for day in range(5)
        ]
        + [CallbackHours(weekday=5, opens=time(10), closes=time(14), capacity=2)]
    )


@hooks.register("candor_search_empty_actions", order=20)
def contact_search_empty_action(request, query):
    """Offer "Talk to a person" when a search finds nothing, after asking the community
    (self-service first, a person close by), with the search as the request's title."""
    return format_html(
        '<li><a class="button button-secondary" href="{}">{}</a> <span class="help">{}</span></li>',
        contact_url(request, title=query),
        _("Talk to a person"),
        _("Our support team answers you directly."),
    )
