"""Input validation for the reputation pages; saving goes through community.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import TAGS_MAX


class RetagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        max_length=300,
        required=False,
        help_text=_("Up to %(n)d tags, separated by commas.") % {"n": TAGS_MAX},
    )

    def clean_tags(self):
        try:
            return services.clean_tag_names(self.cleaned_data["tags"])
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("tags", error.messages)) from error


class WithdrawBadgeForm(forms.Form):
    reason = forms.CharField(label=_("Why (logged, and told to the member)"), max_length=500)
    tell_member = forms.BooleanField(
        label=_("Tell the member (account page, and email unless they turned community email off)"),
        required=False,
        initial=True,
    )


class AllowBadgeForm(forms.Form):
    reason = forms.CharField(label=_("Why (logged)"), max_length=500)
