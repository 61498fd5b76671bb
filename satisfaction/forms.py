"""Input validation for the survey, the staff forms and the admin; no side effects."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, ExclusionRule, FollowUpStatus


class SurveyForm(forms.Form):
    # Two equal radio choices (the template draws them alike): a filled Yes beside an
    # outlined No would nudge towards Yes, and the meter promises an honest count.
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Anything you want to tell us? Only our staff will read it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    show_on_reviews = forms.BooleanField(
        label=_("Show on my reviews of this product whether I was satisfied"),
        required=False,
        initial=False,
        help_text=_("Left unticked, your reviews say only that you contacted support."),
    )


class InteractionForm(forms.Form):
    """The staff form in the admin: one phone call, chat or email with a customer."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    customer_email = forms.EmailField(label=_("Customer's email"), help_text=_("The survey goes to this address."))
    product = forms.TypedChoiceField(label=_("Product"), required=False, coerce=int, empty_value=None)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now. Times are UTC."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    summary = forms.CharField(label=_("Summary"), required=False, max_length=300)
    reference = forms.CharField(
        label=_("Ticket or call reference"),
        required=False,
        max_length=150,
        help_text=_("Recording the same reference twice creates one interaction."),
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("No particular product"))] + [(p.pk, p.title) for p in products]

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value and value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The interaction cannot happen in the future."))
        return value


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("Note for the team"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ExclusionForm(forms.Form):
    rule = forms.ChoiceField(label=_("Published rule"), choices=ExclusionRule.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why this rule applies"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Logged with your name. The exclusion is counted publicly on the method page."),
    )
