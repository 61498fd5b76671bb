"""A chooser of customers (active, non-staff accounts) for the verified-customer form.

The plain select listed every account, staff and deleted ones included; this is
Wagtail's chooser modal with a search by name, username or email, and the form
field refuses anyone else even if their id is posted by hand.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet


def customer_queryset():
    """Accounts a product can be put on: active customers, never staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .select_related("profile")
        .order_by("username")
    )


class CustomerFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=gettext_lazy("Search by name, username or email"), required=False
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(
                Q(email__icontains=query)
                | Q(username__icontains=query)
                | Q(profile__display_name__icontains=query)
            )
        return objects


class CustomerChooseMixin:
    filter_form_class = CustomerFilterForm

    def get_object_list(self):
        return customer_queryset()


class CustomerChooseView(CustomerChooseMixin, chooser_views.ChooseView):
    pass


class CustomerChooseResultsView(CustomerChooseMixin, chooser_views.ChooseResultsView):
    pass


class CustomerChooserViewSet(ChooserViewSet):
    model = get_user_model()
    name = "review_customer_chooser"
    url_prefix = "reviews/choose-customer"
    icon = "user"
    choose_one_text = gettext_lazy("Choose a customer")
    choose_another_text = gettext_lazy("Choose another customer")
    choose_view_class = CustomerChooseView
    choose_results_view_class = CustomerChooseResultsView
    register_widget = False  # only this form; other user fields keep their widgets
    creation_form_class = None


customer_chooser_viewset = CustomerChooserViewSet()
