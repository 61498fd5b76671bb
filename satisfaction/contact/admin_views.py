"""Staff handle contact requests in the Wagtail admin: the queue and one request's page.

The queue is sorted by the promised time; the request page claims, replies,
logs calls, moves a callback and closes, each one POST to one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..permissions import can_manage_satisfaction
from . import availability, selectors, services
from .forms import CallLogForm, CloseForm, MoveForm, StaffReplyForm

PAGE_SIZE = 25


class StaffView(WagtailAdminTemplateMixin, View):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_satisfaction(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("satisfaction_admin:contacts"),
                "label": _("Contact requests"),
            },
            {"url": "", "label": self.get_page_title()},
        ]


class ContactQueueView(StaffView):
    """Every open request, soonest promise first; overdue ones are flagged."""

    page_title = gettext_lazy("Contact requests")
    template_name = "satisfaction/admin/contact_queue.html"

    def get(self, request):
        view = request.GET.get("view", "open")
        if view not in selectors.QUEUE_VIEWS:
            view = "open"
        page_obj = Paginator(
            selectors.contact_queue(view=view, viewer=request.user), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        counts = selectors.contact_queue_counts(viewer=request.user)
        views = [
            ("open", _("Open"), counts["open"]),
            ("mine", _("Claimed by me"), counts["mine"]),
            ("unclaimed", _("Not claimed"), counts["unclaimed"]),
            ("overdue", _("Overdue"), counts["overdue"]),
            ("unconfirmed", _("Email not confirmed"), counts["unconfirmed"]),
            ("closed", _("Closed"), None),
        ]
        return self.render_to_response(
            self.get_context_data(page_obj=page_obj, view=view, views=views)
        )


class ContactView(StaffView):
    page_title = gettext_lazy("Contact request")
    template_name = "satisfaction/admin/contact.html"
    actions = {
        "claim": None,
        "reply": StaffReplyForm,
        "call": CallLogForm,
        "move": MoveForm,
        "close": CloseForm,
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contact = get_object_or_404(
            selectors.contact_queue(view="all").select_related("interaction"),
            pk=kwargs["pk"],
        )

    def _forms(self, bound=None, action=""):
        slots = availability.slots_open() if self.contact.channel == "callback" else []
        forms = {
            "reply": StaffReplyForm(prefix="reply"),
            "call": CallLogForm(prefix="call"),
            "move": MoveForm(prefix="move", slots=slots),
            "close": CloseForm(prefix="close"),
        }
        if bound is not None and action in forms:
            kwargs = {"slots": slots} if action == "move" else {}
            forms[action] = type(forms[action])(bound, prefix=action, **kwargs)
        return forms

    def get(self, request, pk, forms=None, status=200):
        return self.render_to_response(
            self.get_context_data(
                contact=self.contact,
                thread=selectors.contact_thread(self.contact),
                forms=forms or self._forms(),
                promised_local=services.local_time(self.contact),
            ),
            status=status,
        )

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action not in self.actions:
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
        forms = self._forms(request.POST, action)
        form = forms.get(action)
        if form is not None and not form.is_valid():
            return self.get(request, pk, forms=forms, status=400)
        data = form.cleaned_data if form is not None else {}
        try:
            if action == "claim":
                services.contact_request_claim(contact=self.contact, by=request.user)
                done = _("You have claimed this request.")
            elif action == "reply":
                services.contact_reply(
                    contact=self.contact, by=request.user, body=data["body"]
                )
                done = _("Reply sent to the customer.")
            elif action == "call":
                services.contact_call_log(
                    contact=self.contact,
                    by=request.user,
                    reached=data["reached"],
                    note=data["note"],
                )
                done = _("Call logged.")
            elif action == "move":
                services.contact_callback_move(
                    contact=self.contact,
                    by=request.user,
                    slot_start=data["slot"],
                    reason=data["reason"],
                )
                done = _("Callback moved; the customer has been told.")
            else:
                services.contact_request_close(
                    contact=self.contact, by=request.user, outcome=data["outcome"]
                )
                done = _("Request closed; the customer gets the satisfaction survey.")
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
                return self.get(request, pk, forms=forms, status=400)
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, done)
        return redirect(request.path)
