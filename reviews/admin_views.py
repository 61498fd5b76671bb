"""The staff side of reviews in the Wagtail admin.

- Reviews: a read-only listing (nobody can edit a customer's words) with a
  moderation page per review: hide by reason code, restore, dismiss reports,
  decide an appeal. Every action is a reviews.services call.
- Verified customers, public product notes: ordinary create/edit/delete views whose
  saves go through reviews.services.
- Trend alerts and reports: read-only listings.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import selectors, services
from .models import (
    ModerationReason,
    ProductNote,
    ProductOwnership,
    Review,
    ReviewAppeal,
    ReviewReport,
    TrendAlert,
)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes these rows in the admin, not even superusers:
    reviews belong to their authors, alerts and reports to the system."""

    denied = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [a for a in actions if a not in self.denied]
        )


class ReadOnlyViewSetMixin:
    """Only the listing (and inspect) views: no add, edit, copy or delete URLs at all."""

    copy_view_enabled = False

    def get_extra_urlpatterns(self):
        return []

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(
                path("inspect/<int:pk>/", self.inspect_view, name="inspect")
            )
        return [*patterns, *self.get_extra_urlpatterns()]


# --- reviews and their moderation -----------------------------------------------


class ModerationActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("hide", "hide"),
            ("restore", "restore"),
            ("dismiss_reports", "dismiss"),
            ("reject_appeal", "reject"),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", "—"), *ModerationReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the author"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Sent to the author by email and shown to them with the review."
        ),
    )


class ReviewIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("product", "author")
            .annotate(
                open_reports=Count(
                    "reports", filter=Q(reports__status=ReviewReport.Status.OPEN)
                )
            )
        )

    def get_moderate_url(self, instance):
        if self.user_has_permission("moderate"):
            return reverse("review_admin:moderate", args=[instance.pk])
        return None

    def get_inspect_url(self, instance):
        return self.get_moderate_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if url := self.get_moderate_url(instance):
            buttons.append(
                ListingButton(_("Moderate"), url=url, icon_name="openquote", priority=5)
            )
        if instance.is_published:
            buttons.append(
                Button(
                    _("View on site"),
                    url=instance.get_absolute_url(),
                    icon_name="view",
                    priority=15,
                )
            )
        return buttons


class ReviewModerateView(
    PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, TemplateView
):
    """One review with everything a moderator needs, and the moderation actions."""

    model = Review
    permission_required = "moderate"
    template_name = "reviews/admin/moderate.html"
    header_icon = "openquote"
    page_title = gettext_lazy("Moderate a review")

    def dispatch(self, request, *args, **kwargs):
        self.review = get_object_or_404(
            Review.objects.select_related("product", "author__profile"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.review.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("review_admin:index"), "label": _("Reviews")},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.get_page_subtitle(),
            },
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.review
        context.update(
            review=review,
            reports=review.reports.select_related("reporter").order_by("-created_at"),
            appeal=ReviewAppeal.objects.filter(review=review).first(),
            events=review.moderation_events.select_related("actor"),
            reasons=ModerationReason.choices,
            form=kwargs.get("form") or ModerationActionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ModerationActionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action, reason, note = (
            form.cleaned_data[key] for key in ("action", "reason", "note")
        )
        try:
            if action == "hide":
                services.review_hide(
                    review=self.review, by=request.user, reason=reason, note=note
                )
                messages.success(
                    request, _("The review is hidden and its author is told why.")
                )
            elif action == "restore":
                services.review_restore(review=self.review, by=request.user, note=note)
                messages.success(request, _("The review is published again."))
            elif action == "dismiss_reports":
                count = services.review_reports_dismiss(
                    review=self.review, by=request.user, note=note
                )
                messages.success(
                    request, _("%(n)d report(s) dismissed.") % {"n": count}
                )
            else:
                services.review_appeal_reject(
                    review=self.review, by=request.user, note=note
                )
                messages.success(
                    request, _("The appeal is rejected; the author is told.")
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except PermissionDenied:
            raise
        return redirect("review_admin:moderate", pk=self.review.pk)


class StatusColumn(Column):
    def get_value(self, instance):
        if instance.is_published:
            return _("Published")
        return _("Hidden: %(reason)s") % {
            "reason": instance.get_hidden_reason_display()
        }


class ReviewViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Review
    name = "review_admin"
    url_prefix = "reviews/all"
    menu_label = gettext_lazy("Reviews")
    icon = "openquote"
    index_view_class = ReviewIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("product", label=gettext_lazy("Product"), accessor="product"),
        Column("author", label=gettext_lazy("Author"), accessor="author"),
        Column("rating", label=gettext_lazy("Stars"), accessor="rating"),
        StatusColumn("status", label=gettext_lazy("Status")),
        Column(
            "open_reports", label=gettext_lazy("Open reports"), accessor="open_reports"
        ),
        DateColumn("created_at", label=gettext_lazy("Written")),
    ]
    list_filter = ["status", "hidden_reason", "product"]
    search_fields = ["title", "body"]
    ordering = ["-created_at"]

    def get_extra_urlpatterns(self):
        return [path("moderate/<int:pk>/", self.moderate_view, name="moderate")]

    @property
    def moderate_view(self):
        return self.construct_view(ReviewModerateView)


# --- verified customers and product notes --------------------------------------------


class OwnershipCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.ownership_add(
            product=data["product"], customer=data["customer"], by=self.request.user
        )


class OwnershipViewSet(ModelViewSet):
    model = ProductOwnership
    name = "review_ownership"
    url_prefix = "reviews/verified-customers"
    menu_label = gettext_lazy("Verified customers")
    icon = "user"
    add_view_class = OwnershipCreateView
    copy_view_enabled = False
    form_fields = ["product", "customer"]
    list_display = [
        "customer",
        "product",
        "source",
        DateColumn("created_at", label=gettext_lazy("Added")),
    ]
    list_filter = ["product", "source"]
    search_fields = ["customer__username", "customer__email", "product__title"]
    search_backend_name = None


class ProductNoteCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if product := self.request.GET.get("product", "").strip():
            initial["product"] = product
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return services.product_note_post(
            product=data["product"],
            by=self.request.user,
            body=data["body"],
            published_on=data["published_on"],
        )


class ProductNoteEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.product_note_edit(
            note=self.object,
            by=self.request.user,
            body=data["body"],
            published_on=data["published_on"],
            product=data["product"],
        )


class ProductNoteDeleteView(generic.DeleteView):
    def delete_action(self):
        services.product_note_delete(note=self.object, by=self.request.user)


class ProductNoteViewSet(ModelViewSet):
    model = ProductNote
    name = "review_product_notes"
    url_prefix = "reviews/product-notes"
    menu_label = gettext_lazy("Public product notes")
    icon = "doc-full"
    add_view_class = ProductNoteCreateView
    edit_view_class = ProductNoteEditView
    delete_view_class = ProductNoteDeleteView
    copy_view_enabled = False
    form_fields = ["product", "published_on", "body"]
    list_display = ["product", "published_on", "body"]
    list_filter = ["product"]
    search_fields = ["body", "product__title"]
    search_backend_name = None


class TrendAlertViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = TrendAlert
    name = "review_trends"
    url_prefix = "reviews/trend-alerts"
    menu_label = gettext_lazy("Trend alerts")
    icon = "warning"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "product",
        DateColumn("opened_at", label=gettext_lazy("Opened")),
        DateColumn("closed_at", label=gettext_lazy("Closed")),
        Column("recent_mean", label=gettext_lazy("30-day mean")),
        Column("recent_n", label=gettext_lazy("30-day n")),
        Column("mean_90_days", label=gettext_lazy("90-day mean")),
        Column("p_value", label=gettext_lazy("p")),
    ]
    list_filter = ["product"]
    search_backend_name = None


class ReportViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = ReviewReport
    name = "review_reports"
    url_prefix = "reviews/reports"
    menu_label = gettext_lazy("Reports")
    icon = "warning"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "review",
        "reason",
        "status",
        "reporter",
        DateColumn("created_at", label=gettext_lazy("Reported")),
    ]
    list_filter = ["status", "reason"]
    search_backend_name = None


class ReviewsAdminGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Reviews")
    menu_icon = "openquote"
    menu_order = 250
    items = (
        ReviewViewSet,
        ReportViewSet,
        TrendAlertViewSet,
        ProductNoteViewSet,
        OwnershipViewSet,
    )


# --- the admin dashboard panel ---------------------------------------------------------


class ReviewsDashboardPanel(Component):
    """Falling ratings, reported reviews and pending appeals, on the admin home page."""

    name = "reviews_attention"
    order = 90
    template_name = "reviews/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        from .permissions import can_moderate_reviews

        if not can_moderate_reviews(self.request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {
            "alerts": list(selectors.trend_alert_list_open()),
            "counts": selectors.moderation_queue_counts(),
            "note_url": reverse("review_product_notes:add"),
            "reviews_url": reverse("review_admin:index"),
            "reports_url": reverse("review_reports:index"),
        }
