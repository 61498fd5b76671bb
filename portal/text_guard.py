"""One guard against lone surrogates in user text, for the API and every form.

A JSON string may spell a lone UTF-16 surrogate (``"\\ud800"``); Python decodes
it to a ``str`` that cannot be encoded to UTF-8, so the first database write,
email or page render raised ``UnicodeEncodeError`` and answered 500. Form bodies
are decoded by Django with replacement characters, so they cannot carry one
over HTTP, but forms are also filled from other code (commands, the API, tests):
the same validator sits on every form ``CharField`` (`install`, from
PortalConfig.ready), and the API's parser (`GuardedParser`) refuses a body
carrying one with a 422 naming the field before any endpoint runs.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

_SURROGATE = re.compile("[\ud800-\udfff]")
MESSAGE = _(
    "This text contains a character that is not valid Unicode (a lone surrogate)."
)


class LoneSurrogate(ValueError):
    """A request body holds a lone surrogate at `field` (a dotted path)."""

    def __init__(self, field: str):
        self.field = field
        super().__init__(f"{field}: {MESSAGE}")


def has_lone_surrogate(text: str) -> bool:
    return bool(_SURROGATE.search(text))


def find_lone_surrogate(data, path: str = "") -> str | None:
    """Return the dotted path of the first string (or key) in `data` with a lone
    surrogate ("title", "tags.2"), ``""`` for a bare top-level string, or None."""
    if isinstance(data, str):
        return path if has_lone_surrogate(data) else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        here = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and has_lone_surrogate(key):
            return path or here
        found = find_lone_surrogate(value, here)
        if found is not None:
            return found
    return None


def field_path(loc) -> str | None:
    """A pydantic error location as the client names the field, like
    `find_lone_surrogate`: ("body", "payload", "tags", 1) is "tags.1".

    The first item is where it came from (body, query, path); in a JSON body the
    second is only the endpoint's parameter name, which the client never sees.
    """
    loc = list(loc)
    parts = loc[2:] if loc and loc[0] == "body" and len(loc) > 2 else loc[1:]
    return ".".join(str(p) for p in parts) or None


def validate_no_lone_surrogates(value) -> None:
    """Django validator: refuse text that cannot be stored, mailed or shown."""
    if isinstance(value, str) and has_lone_surrogate(value):
        raise ValidationError(MESSAGE, code="lone_surrogate")


class GuardedParser(Parser):
    """Ninja's JSON parser, refusing a body with a lone surrogate anywhere.

    Ninja wraps a parser error in ``HttpError(400)``; portal.api's handler reads
    the `LoneSurrogate` cause and answers 422 with the field named.
    """

    def parse_body(self, request):
        data = json.loads(request.body)
        field = find_lone_surrogate(data)
        if field is not None:
            raise LoneSurrogate(field)
        return data


def _with_subclasses(cls):
    yield cls
    for sub in cls.__subclasses__():
        yield from _with_subclasses(sub)


def install() -> None:
    """Put the validator on every form CharField and its subclasses (email, slug,
    URL, regex...), the way Django adds its null-character check to each."""
    for field_class in _with_subclasses(forms.CharField):
        validators = field_class.default_validators
        if validate_no_lone_surrogates not in validators:
            field_class.default_validators = [*validators, validate_no_lone_surrogates]
