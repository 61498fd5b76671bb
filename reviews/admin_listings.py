"""The reviews admin's other listings: verified customers, public product notes
(saves go through reviews.services), trend alerts and reports (read-only)."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .admin_chooser import customer_chooser_viewset, customer_queryset
from .admin_readonly import ReadOnlyViewSetMixin
from .models import ProductNote, ProductOwnership, ReviewReport, TrendAlert
from .templatetags.reviews_tags import p_value

# --- verified customers and product notes --------------------------------------------


class OwnershipCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.ownership_add(
            product=data["product"], customer=data["customer"], by=self.request.user
        )


class OwnershipForm(WagtailAdminModelForm):
    """Only customers can be chosen (the chooser lists them; this refuses the rest)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customer_queryset()


class OwnershipViewSet(ModelViewSet):
    model = ProductOwnership
    name = "review_ownership"
    url_prefix = "reviews/verified-customers"
    menu_label = gettext_lazy("Verified customers")
    icon = "user"
    add_view_class = OwnershipCreateView
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("product"),
            FieldPanel("customer", widget=customer_chooser_viewset.widget_class),
        ],
        base_form_class=OwnershipForm,
    )
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


class RoundedColumn(Column):
    """A mean as people read it (1.92), not as the float stores it (1.9230769230769231)."""

    def get_value(self, instance):
        return floatformat(getattr(instance, self.accessor), 2)


class PValueColumn(Column):
    def get_value(self, instance):
        return p_value(getattr(instance, self.accessor))


class TrendAlertInspectView(generic.InspectView):
    """The same rounding on the alert's own page."""

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name)
        if field_name == "p_value":
            return p_value(value)
        if (
            field_name in ("t_statistic",)
            or field_name.endswith("mean")
            or field_name == "mean_90_days"
        ):
            return floatformat(value, 2)
        return super().get_field_display_value(field_name, field)


class TrendAlertViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = TrendAlert
    name = "review_trends"
    url_prefix = "reviews/trend-alerts"
    menu_label = gettext_lazy("Trend alerts")
    icon = "warning"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = TrendAlertInspectView
    list_display = [
        "product",
        DateColumn("opened_at", label=gettext_lazy("Opened")),
        DateColumn("closed_at", label=gettext_lazy("Closed")),
        RoundedColumn("recent_mean", label=gettext_lazy("30-day mean")),
        Column("recent_n", label=gettext_lazy("30-day n")),
        RoundedColumn("mean_90_days", label=gettext_lazy("90-day mean")),
        PValueColumn("p_value", label=gettext_lazy("p")),
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
