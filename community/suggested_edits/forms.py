"""The suggest forms: the edit form's fields, prefilled, plus why the edit helps.

Input validation only; `services.suggested_edit_submit` holds the rules.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from community.forms import AnswerForm, QuestionForm

from .services import REASON_MAX


def _reason_field():
    return forms.CharField(
        label=_("What does your edit improve?"),
        max_length=REASON_MAX,
        required=False,  # the service says what is missing, in one place
        help_text=_("For example: clearer title, fixed a broken link, added the model number."),
    )


def _field(form_class, name, **changes):
    field = copy.deepcopy(form_class.base_fields[name])
    for attr, value in changes.items():
        setattr(field, attr, value)
    return field


class SuggestQuestionEditForm(forms.Form):
    title = _field(QuestionForm, "title", label=_("Title"), help_text="")
    body = _field(QuestionForm, "body")
    tags = _field(QuestionForm, "tags")
    reason = _reason_field()

    apply_service_error = QuestionForm.apply_service_error


class SuggestAnswerEditForm(forms.Form):
    body = _field(AnswerForm, "body", label=_("Answer"))
    reason = _reason_field()

    apply_service_error = QuestionForm.apply_service_error


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, the suggester reads it)"), max_length=REASON_MAX, required=False
    )
