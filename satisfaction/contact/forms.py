"""Input for "Talk to a person" and the staff actions; validation only, no side effects.

Spam resistance without outside services: a honeypot field people never see,
a signed render time (a form sent within `CANDOR_CONTACT_MIN_SECONDS` of being
shown, or with a forged time, is refused) and the "contact" rate limit.
"""

import time
import zoneinfo

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import availability
from .models import ContactChannel

STARTED_SALT = "satisfaction.contact.started"
COMMUNITY = "community"
TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


def started_token() -> str:
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def slot_label(starts_at, zone_name: str) -> str:
    local = starts_at.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{date_format(local, 'l j F')}, {local:%H:%M}"


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("What do you need help with?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works. The page you came from is attached."),
    )
    channel = forms.ChoiceField(
        label=_("How should we reach you?"),
        choices=[
            (ContactChannel.EMAIL, _("Email me a reply")),
            (ContactChannel.CALLBACK, _("Call me back at a time I choose")),
            (COMMUNITY, _("Ask the community instead")),
        ],
        initial=ContactChannel.EMAIL,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("Your email address"), required=False, max_length=254
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    phone = forms.CharField(
        label=_("Phone number for the callback"), required=False, max_length=40
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=TIME_ZONE_CHOICES,
        widget=forms.Select(attrs={"data-contact-time-zone": ""}),
    )
    slot = forms.ChoiceField(label=_("Time for the callback"), required=False)
    # Hidden context and spam checks.
    context_url = forms.CharField(
        required=False, max_length=500, widget=forms.HiddenInput
    )
    context_title = forms.CharField(
        required=False, max_length=200, widget=forms.HiddenInput
    )
    product = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, slots=(), signed_in=False, zone_name="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.fields["slot"].choices = [("", _("Choose a time"))] + [
            (availability.slot_value(s.starts_at), slot_label(s.starts_at, zone_name))
            for s in slots
        ]
        if signed_in:
            self.fields["email"].help_text = _(
                "Leave empty to use your account's address."
            )
        else:
            self.fields["email"].label = _(
                "Your email address (not needed to ask the community)"
            )
            # Required (and marked so) unless the visitor chose to ask the community.
            email = self.fields["email"]
            email.required = not (
                self.is_bound and self.data.get("channel") == COMMUNITY
            )
            email.error_messages["required"] = _(
                "Give the email address we should answer."
            )
            self.fields["email"].help_text = _(
                "We email you a link to confirm the request."
            )

    def clean_slot(self):
        value = self.cleaned_data.get("slot")
        return availability.parse_slot(value) if value else None

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("We could not accept this form. Please send it again."), code="spam"
            )
        try:
            started = signing.loads(
                data.get("started") or "", salt=STARTED_SALT, max_age=86400
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form is too old or was changed. Please send it again."),
                code="stale",
            ) from None
        if (
            not self.signed_in
            and data.get("channel") != COMMUNITY
            and not data.get("email")
        ):
            if "email" not in self.errors:
                self.add_error("email", _("Give the email address we should answer."))
        if time.time() - started < settings.CANDOR_CONTACT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very quick. Please check your request and send it again."),
                code="too_fast",
            )
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class StaffReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Sent by email from Candor; the customer answers through the link in it."
        ),
    )


class CallLogForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Call outcome"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Reached the customer")), ("no", _("No answer"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    slot = forms.ChoiceField(label=_("New time"))
    reason = forms.CharField(label=_("Why (the customer reads this)"), max_length=500)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        zone = settings.CANDOR_CONTACT_TIME_ZONE
        self.fields["slot"].choices = [
            (
                availability.slot_value(s.starts_at),
                f"{slot_label(s.starts_at, zone)} ({zone}), {s.left} free",
            )
            for s in slots
        ]

    def clean_slot(self):
        return availability.parse_slot(self.cleaned_data["slot"])


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=300)
