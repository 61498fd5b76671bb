"""Input validation for account pages; saving goes through portal.services."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .emails import email_send_on_commit
from .images import reencode_image
from .validators import validate_visible_text


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown next to what you write."),
        validators=[validate_visible_text],
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "An account with this email already exists. Log in or reset your password."
                )
            )
        return email

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Enter a display name."))
        return name

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = get_user_model()(
                email=cleaned.get("email", ""), username=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=60, validators=[validate_visible_text]
    )
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Markdown: **bold**, *italic*, [links](https://example.com). 2,000 characters at most."
        ),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image, 5 MB at most."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Enter a display name."))
        return name

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        size = settings.CANDOR_AVATAR_SIZE
        return reencode_image(
            upload,
            max_bytes=settings.CANDOR_AVATAR_MAX_BYTES,
            max_pixels=settings.CANDOR_AVATAR_MAX_PIXELS,
            fit=(size, size),
            square=True,
            name_stem="avatar",
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=60,
        help_text=_("For example: helpdesk sync."),
        validators=[validate_visible_text],
    )


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, mailing through the after-commit task like every other email."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        email_send_on_commit(
            to=[to_email],
            subject=subject,
            template=email_template_name,
            context=context,
        )


class ArticleMissingForm(forms.Form):
    """After a "No" on "Was this article helpful?": what was missing (optional)."""

    missing = forms.CharField(
        label=_("What was missing?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, up to 500 characters. Only our staff read it."),
    )
