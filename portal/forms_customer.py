"""Input validation for "My support", the data export and account deletion; no side effects."""

from datetime import UTC, datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from . import timeline
from .models import ProductPage

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_MIN = 0
CURSOR_MAX = 2**53  # microseconds since 1970: far beyond any real date


class TimelineFilterForm(forms.Form):
    """Filter by kind and product; `before` is the time cursor of the next page."""

    kind = forms.ChoiceField(label=_("Show"), required=False)
    product = forms.ModelChoiceField(
        label=_("Product"),
        required=False,
        queryset=ProductPage.objects.none(),
        empty_label=_("All products"),
    )
    before = forms.IntegerField(
        required=False,
        min_value=CURSOR_MIN,
        max_value=CURSOR_MAX,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, private=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + timeline.kind_choices(
            private=private
        )
        self.fields["product"].queryset = (
            ProductPage.objects.live().order_by("title").only("pk", "title")
        )

    @property
    def before_datetime(self):
        value = self.cleaned_data.get("before")
        if value is None:
            return None
        return EPOCH + timedelta(microseconds=value)

    @staticmethod
    def cursor(moment) -> int | None:
        if moment is None:
            return None
        return (moment - EPOCH) // timedelta(microseconds=1)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remove_posts = forms.BooleanField(
        label=_("Also remove the words of my questions, answers, comments and reviews"),
        help_text=_(
            "They are then shown as removed; their votes and ratings still count, "
            "so no total changes."
        ),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"), required=True
    )


class CustomerNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff read it. Markdown."),
    )
