"""Input validation for "My support", the data export and account deletion; no side effects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import timeline
from .models import ProductPage


class TimelineFilterForm(forms.Form):
    """Filter by kind and product; `before` is the cursor of the next page."""

    kind = forms.ChoiceField(label=_("Show"), required=False)
    product = forms.ModelChoiceField(
        label=_("Product"),
        required=False,
        queryset=ProductPage.objects.none(),
        empty_label=_("All products"),
    )
    before = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, private=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + timeline.kind_choices(
            private=private
        )
        self.fields["product"].queryset = (
            ProductPage.objects.live().order_by("title").only("pk", "title")
        )

    def clean_before(self):
        value = self.cleaned_data.get("before")
        if not value:
            return None
        try:
            return timeline.cursor_decode(value)
        except ValueError:
            raise forms.ValidationError(_("This page link is broken.")) from None

    @property
    def before_cursor(self):
        return self.cleaned_data.get("before")


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
