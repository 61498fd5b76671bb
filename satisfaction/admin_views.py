"""Staff pages in the Wagtail admin: follow-ups on "No" answers, recording an interaction,
and applying a published exclusion rule. Answers can be read here, never edited or deleted."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.models import ProductPage

from . import selectors, services
from .forms import ExclusionForm, FollowUpForm, InteractionForm
from .models import FollowUp, FollowUpStatus, SurveyResponse
from .permissions import can_manage_satisfaction

PAGE_SIZE = 25


class StaffView(WagtailAdminTemplateMixin, View):
    header_icon = "heart"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_satisfaction(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("satisfaction_admin:follow_ups"), "label": _("Satisfaction")}, {"url": "", "label": self.get_page_title()}]

    def render(self, http_status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=http_status)


class FollowUpListView(StaffView):
    """Every "No" answer, open ones first by default; contacting the customer is one click."""

    page_title = gettext_lazy("Follow-ups on \u201cNo\u201d answers")
    template_name = "satisfaction/admin/follow_up_list.html"

    def get(self, request):
        status = request.GET.get("status", FollowUpStatus.OPEN)
        if status not in FollowUpStatus.values and status != "all":
            status = FollowUpStatus.OPEN
        page_obj = Paginator(selectors.follow_up_list(status="" if status == "all" else status), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        counts = selectors.follow_up_counts()
        return self.render(
            page_obj=page_obj,
            status=status,
            statuses=[(value, label, counts.get(value, 0)) for value, label in FollowUpStatus.choices],
        )

    def post(self, request):
        """The one-click status buttons on each row."""
        follow_up = get_object_or_404(FollowUp, pk=request.POST.get("follow_up"))
        try:
            services.follow_up_update(follow_up=follow_up, status=request.POST.get("status", ""), by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Follow-up marked %(status)s.") % {"status": follow_up.get_status_display().lower()})
        return redirect(request.get_full_path())


class FollowUpView(StaffView):
    page_title = gettext_lazy("Follow-up")
    template_name = "satisfaction/admin/follow_up.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.follow_up = get_object_or_404(selectors.follow_up_list(), pk=kwargs["pk"])

    def get(self, request, pk):
        form = FollowUpForm(initial={"status": self.follow_up.status, "note": self.follow_up.note})
        return self.render(follow_up=self.follow_up, form=form)

    def post(self, request, pk):
        form = FollowUpForm(request.POST)
        if form.is_valid():
            services.follow_up_update(
                follow_up=self.follow_up, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=request.user
            )
            messages.success(request, _("Follow-up saved."))
            return redirect("satisfaction_admin:follow_ups")
        return self.render(http_status=400, follow_up=self.follow_up, form=form)


class InteractionRecordView(StaffView):
    """Record a phone call, chat or email so its customer gets the survey."""

    page_title = gettext_lazy("Record a support interaction")
    template_name = "satisfaction/admin/interaction_form.html"

    def products(self):
        return ProductPage.objects.live().order_by("title").only("pk", "title")

    def get(self, request):
        return self.render(form=InteractionForm(products=self.products()))

    def post(self, request):
        products = list(self.products())
        form = InteractionForm(request.POST, products=products)
        if form.is_valid():
            data = form.cleaned_data
            product = next((p for p in products if p.pk == data["product"]), None)
            reference = data["reference"].strip() or uuid.uuid4().hex
            try:
                interaction, created = services.interaction_record_get_or_create(
                    channel=data["channel"],
                    source="admin",
                    source_ref=reference,
                    customer_email=data["customer_email"],
                    product=product,
                    handled_by=request.user,
                    occurred_at=data["occurred_at"],
                    summary=data["summary"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if not created:
                    messages.warning(request, _("This reference was already recorded; nothing new was created."))
                elif interaction.not_surveyed:
                    messages.success(request, _("Interaction recorded. It is not surveyed: %(why)s.") % {"why": interaction.get_not_surveyed_display()})
                else:
                    messages.success(request, _("Interaction recorded; the customer is invited to answer the survey."))
                return redirect("satisfaction_admin:interaction_record")
        return self.render(http_status=400, form=form)


class AnswerListView(StaffView):
    """Read-only list of answers; the only action is applying a published exclusion rule."""

    page_title = gettext_lazy("Survey answers")
    template_name = "satisfaction/admin/answer_list.html"

    def get(self, request):
        query = request.GET.get("id", "")[:32]
        page_obj = Paginator(selectors.response_list_for_admin(public_id=query), PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render(page_obj=page_obj, query=query)


class AnswerExcludeView(StaffView):
    page_title = gettext_lazy("Exclude an answer under a published rule")
    template_name = "satisfaction/admin/answer_exclude.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.response = get_object_or_404(SurveyResponse.objects.select_related("interaction", "exclusion"), pk=kwargs["pk"])

    def get(self, request, pk):
        return self.render(answer=self.response, form=ExclusionForm())

    def post(self, request, pk):
        form = ExclusionForm(request.POST)
        if form.is_valid():
            try:
                services.response_exclude(
                    response=self.response, rule=form.cleaned_data["rule"], reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The answer is excluded; the exclusion is logged and counted publicly."))
                return redirect("satisfaction_admin:answers")
        return self.render(http_status=400, answer=self.response, form=form)
