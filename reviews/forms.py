"""Input validation for review pages; saving goes through reviews.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    BODY_MAX,
    NOTE_MAX,
    PHOTOS_MAX,
    REPLY_MAX,
    TITLE_MAX,
    ModerationReason,
)
from .photos import photo_process

RATING_CHOICES = [
    (n, _("%(n)d star") % {"n": n} if n == 1 else _("%(n)d stars") % {"n": n})
    for n in range(1, 6)
]
RATING_ERROR = _("Choose from 1 to 5 stars.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input; each is checked and re-encoded by reviews.photos."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        uploads = [single(upload, initial) for upload in uploads if upload]
        if len(uploads) > PHOTOS_MAX:
            raise ValidationError(_("Add at most %(n)d photos.") % {"n": PHOTOS_MAX})
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(photo_process(upload))
            except ValidationError as error:
                name = getattr(upload, "name", "") or _("a file")
                errors.extend(f"{name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return processed


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR},
    )
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, help_text=_("Sum it up in a few words.")
    )
    body = forms.CharField(
        label=_("Your review"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What did you like or not? Markdown works: **bold**, *italic*, lists. %(n)s characters at most."
        )
        % {"n": f"{BODY_MAX:,}"},
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "Up to %(n)d JPEG, PNG or WebP photos, 8 MB each. We remove location data."
        )
        % {"n": PHOTOS_MAX},
    )

    def __init__(self, *args, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = list(existing_photos)
        if self.existing_photos:
            self.fields["remove_photos"] = forms.MultipleChoiceField(
                label=_("Remove photos"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (str(photo.pk), _("Photo %(n)d") % {"n": photo.position + 1})
                    for photo in self.existing_photos
                ],
            )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Enter a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        kept = len(self.existing_photos) - len(cleaned.get("remove_photos") or [])
        if kept + len(cleaned.get("photos") or []) > PHOTOS_MAX:
            self.add_error(
                "photos",
                _("A review can have at most %(n)d photos.") % {"n": PHOTOS_MAX},
            )
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Public reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Shown under the review as the company's reply. The reviewer is asked if it helped."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=ModerationReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything staff should know"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    note = forms.CharField(
        label=_("Why should your review be shown again?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "You can appeal once. You may also edit your review first, for example to remove personal data."
        ),
    )


class HelpfulForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
