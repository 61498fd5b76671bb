"""Staff pages in the Wagtail admin: find a customer, and everything we know about them.

The customer page shows their profile, account age, what each app adds
(products they own…) through `candor_customer_admin_sections`, and the
timeline with its private parts (survey comments, flags, moderation, notes).
Staff add private notes here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors_customer, services_customer, timeline
from .forms_customer import CustomerNoteForm, TimelineFilterForm
from .permissions import is_staff_member

PAGE_SIZE = 25


class StaffOnly(WagtailAdminTemplateMixin, View):
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("customer_admin:index"), "label": _("Customers")},
            {"url": "", "label": self.get_page_title()},
        ]


class CustomerIndexView(StaffOnly):
    page_title = gettext_lazy("Customers")
    template_name = "portal/admin/customer_index.html"

    def get(self, request):
        q = request.GET.get("q", "")[:200]
        page_obj = Paginator(selectors_customer.customer_search(q), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return self.render_to_response(self.get_context_data(page_obj=page_obj, q=q))


class CustomerView(StaffOnly):
    """One customer: who they are, what they own, and the whole timeline, private parts included."""

    template_name = "portal/admin/customer.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.customer = selectors_customer.customer_get(kwargs["pk"])

    def get_page_title(self):
        profile = getattr(self.customer, "profile", None)
        return getattr(profile, "display_name", "") or self.customer.username

    def get(self, request, pk, note_form=None):
        form = TimelineFilterForm(request.GET or None, private=True)
        status = 200
        page = None
        next_query = None
        if request.GET and not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data if request.GET else {}
            product = data.get("product")
            page = selectors_customer.timeline_for_viewer(
                viewer=request.user,
                customer=self.customer,
                kinds=[data["kind"]] if data.get("kind") else (),
                product_id=product.pk if product else None,
                before=form.before_cursor if request.GET else None,
            )
            if page.next_before is not None:
                params = request.GET.copy()
                params["before"] = timeline.cursor_encode(page.next_before)
                next_query = params.urlencode()
        first = timeline.first_activity(self.customer)
        customer_since = min(filter(None, [self.customer.date_joined, first]))
        sections = [
            fn(request, self.customer)
            for fn in hooks.get_hooks("candor_customer_admin_sections")
        ]
        context = self.get_context_data(
            customer=self.customer,
            account_age_days=(timezone.now() - customer_since).days,
            customer_since=customer_since,
            sections=[s for s in sections if s],
            form=form,
            page=page,
            next_query=next_query,
            first_page=not request.GET.get("before"),
            note_form=note_form or CustomerNoteForm(),
        )
        return self.render_to_response(
            context, status=400 if note_form is not None else status
        )

    def post(self, request, pk):
        form = CustomerNoteForm(request.POST)
        if form.is_valid():
            try:
                services_customer.customer_note_add(
                    customer=self.customer,
                    author=request.user,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Note saved. Only staff can read it."))
                return redirect("customer_admin:detail", pk=self.customer.pk)
        request.GET = request.GET.copy()
        request.GET.clear()
        return self.get(request, pk, note_form=form)
