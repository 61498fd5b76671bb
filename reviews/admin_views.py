"""The staff side of reviews in the Wagtail admin.

- Reviews: a read-only listing (nobody can edit a customer's words) with a
  moderation page per review: hide by reason code, restore, dismiss reports,
  decide an appeal. Every action is a reviews.services call.
- Verified customers, public product notes, trend alerts and reports: in
  reviews.admin_listings; the read-only policy and mixin in reviews.admin_readonly.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton

from . import selectors, services
from .admin_listings import (
    OwnershipViewSet,
    ProductNoteViewSet,
    ReportViewSet,
    TrendAlertViewSet,
)
from .admin_readonly import ReadOnlyViewSetMixin
from .models import (
    ModerationReason,
    Review,
    ReviewAppeal,
    ReviewReport,
)

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
        reports = list(
            review.reports.select_related("reporter").order_by("-created_at")
        )
        context.update(
            review=review,
            reports=reports,
            open_reports=sum(r.status == ReviewReport.Status.OPEN for r in reports),
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


class ReviewFilterSet(WagtailFilterSet):
    """The listing's filters, with "negative" stars and "no staff reply" for the start page's
    "negative reviews without a reply" link (selectors.NEGATIVE_UNREPLIED_QUERY)."""

    stars = django_filters.ChoiceFilter(
        label=gettext_lazy("Stars"),
        choices=[
            ("negative", gettext_lazy("Negative (1-2 stars)")),
            *[(str(n), str(n)) for n in range(1, 6)],
        ],
        method="filter_stars",
    )
    replied = django_filters.ChoiceFilter(
        label=gettext_lazy("Staff reply"),
        choices=[
            ("yes", gettext_lazy("Replied")),
            ("no", gettext_lazy("No reply yet")),
        ],
        method="filter_replied",
    )

    class Meta:
        model = Review
        fields = ["status", "hidden_reason", "product"]

    def filter_stars(self, queryset, name, value):
        if value == "negative":
            return queryset.filter(rating__lte=selectors.NEGATIVE_MAX_STARS)
        return queryset.filter(rating=int(value))

    def filter_replied(self, queryset, name, value):
        return queryset.filter(reply__isnull=(value == "no"))


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
    filterset_class = ReviewFilterSet
    search_fields = ["title", "body"]
    ordering = ["-created_at"]

    def get_extra_urlpatterns(self):
        return [path("moderate/<int:pk>/", self.moderate_view, name="moderate")]

    @property
    def moderate_view(self):
        return self.construct_view(ReviewModerateView)


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
