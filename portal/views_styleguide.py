"""The design system's one page, `/styleguide/`: every component rendered from its real template.

Portal's own parts (buttons, notices, form fields, pagination, cards, tables) are
shown here from `templates/includes/`; the domain apps add their parts (medals,
stars) through the `candor_styleguide_sections` hook, so portal imports none of them.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .cache import cache_anonymous

COLOUR_TOKENS = (
    "brand", "ink", "muted", "line", "line-strong", "paper", "wash", "good", "good-wash",
    "bad", "bad-wash", "warn", "warn-wash", "info-wash", "star", "focus",
)


class SampleForm(forms.Form):
    """Only for showing the form field include: the styleguide never receives it."""

    name = forms.CharField(label=_("Display name"), help_text=_("Shown next to your questions and answers."))
    email = forms.EmailField(label=_("Email"), required=False)
    product = forms.ChoiceField(label=_("Product"), choices=[("router-x", "Router X"), ("mesh", "Mesh Node M2")])
    follow = forms.BooleanField(label=_("Email me when someone answers"), required=False)


class Notice:
    """A sample message in the shape `includes/messages.html` reads (tags, and text as str)."""

    def __init__(self, tags, text):
        self.tags, self.text = tags, text

    def __str__(self):
        return str(self.text)


@require_GET
@cache_anonymous()
def styleguide(request):
    invalid = SampleForm(data={"name": "", "email": "not-an-address", "product": "router-x"})
    invalid.is_valid()
    notices = [
        Notice(tags, text)
        for tags, text in (
            ("info", _("Your question is posted.")),
            ("success", _("Answer accepted.")),
            ("warning", _("This question was closed as a duplicate.")),
            ("error", _("The image is too large: the limit is 5 MB.")),
        )
    ]
    return render(
        request,
        "portal/styleguide.html",
        {
            "form": SampleForm(),
            "invalid_form": invalid,
            "notices": notices,
            "sample_page": Paginator(range(60), 10).page(3),
            "colour_tokens": COLOUR_TOKENS,
            "text_tokens": ("xs", "sm", "base", "md", "lg", "xl", "2xl"),
            "space_tokens": range(1, 8),
        },
    )
