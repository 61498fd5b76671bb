"""Input validation for community pages; saving goes through community.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH as SEARCHED_MAX

from portal.models import ProductPage
from portal.selectors import product_list_live

from . import services
from .models import (
    BODY_MAX,
    COMMENT_MAX,
    FLAG_NOTE_MAX,
    TAGS_MAX,
    TITLE_MAX,
    Flag,
    NotificationPreference,
    Question,
)

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, `code`, [links](https://example.com), lists."
)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title

    def to_python(self, value):
        # An id that is not a number, or past the database's integer range, is
        # "not one of the choices" (a 400), never a database error (a 500).
        text = str(value)
        if value not in self.empty_values and (not text.isdigit() or len(text) > 18):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=TITLE_MAX,
        help_text=_("One sentence, as you would ask a friend who knows the product."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you tried, what happened, what you expected. ")
        + MARKDOWN_HELP,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Up to %(n)d, separated by commas, for example: wifi, setup.")
        % {"n": TAGS_MAX},
    )
    product = ProductChoiceField(
        label=_("Product"),
        required=False,
        queryset=ProductPage.objects.none(),
        empty_label=_("Not about one product"),
    )

    # What the member searched for before choosing to ask (the search page's "Ask
    # the community" link), carried through the confirm step so the site can
    # count searches that ended in a question. A hidden field, not the session:
    # it works without JavaScript and ties nothing to the member.
    searched = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: `.public()` reads the view restrictions when it is called.
        self.fields["product"].queryset = product_list_live()

    def clean_searched(self):
        # Never an error the member cannot see or fix: an over-long value is cut.
        return self.cleaned_data.get("searched", "")[:SEARCHED_MAX]

    def clean_tags(self):
        try:
            return services.clean_tag_names(self.cleaned_data.get("tags", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["tags"]) from error

    def apply_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the matching fields."""
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    note = forms.CharField(
        label=_("What did you change?"), required=False, max_length=200
    )

    apply_service_error = QuestionForm.apply_service_error


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Brief: ask for details or suggest an improvement. %(n)d characters at most."
        )
        % {"n": COMMENT_MAX},
    )

    apply_service_error = QuestionForm.apply_service_error


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for staff"),
        required=False,
        max_length=FLAG_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it needs staff attention."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == Flag.Reason.STAFF
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", _("Tell staff what needs their attention."))
        return cleaned


class NotificationPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email me about what I follow"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why close it?"), choices=Question.CloseReason.choices
    )
    duplicate_of = forms.IntegerField(
        label=_("Original question number"),
        required=False,
        min_value=1,
        help_text=_("For duplicates: the number in the original question's address."),
    )
    note = forms.CharField(
        label=_("Note shown on the question"), required=False, max_length=500
    )

    def clean_duplicate_of(self):
        pk = self.cleaned_data.get("duplicate_of")
        if pk is None:
            return None
        question = Question.objects.filter(pk=pk).first()
        if question is None:
            raise ValidationError(_("There is no question %(pk)d.") % {"pk": pk})
        return question


class MergeForm(forms.Form):
    original = forms.IntegerField(label=_("Merge into question number"), min_value=1)
    reason = forms.CharField(label=_("Why (logged)"), required=False, max_length=500)

    def clean_original(self):
        question = Question.objects.filter(pk=self.cleaned_data["original"]).first()
        if question is None:
            raise ValidationError(_("There is no such question."))
        return question


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why (logged)"), max_length=500)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas."),
    )
    reason = forms.CharField(label=_("Why (logged)"), max_length=500)

    def clean_tags(self):
        try:
            return services.clean_tag_names(self.cleaned_data.get("tags", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["tags"]) from error
