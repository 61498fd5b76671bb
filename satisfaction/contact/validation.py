"""Checks on what a customer sends when asking for a person (used by the submit service)."""

import re
import zoneinfo
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import ContactChannel

PHONE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")
TIME_ZONES = frozenset(zoneinfo.available_timezones()) | {"UTC"}


def clean_context_url(value: str) -> str:
    """Only a path on this site: the page the customer came from, never a link elsewhere."""
    value = (value or "").strip()[:500]
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value


def submission_check(
    *,
    message: str,
    email: str,
    channel: str,
    time_zone: str,
    phone: str,
    slot_start: datetime | None,
) -> None:
    """Raise one ValidationError naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    if not message:
        errors["message"] = ["Say what you need help with."]
    elif len(message) > 4000:
        errors["message"] = ["Keep it under 4000 characters."]
    if not email:
        errors["email"] = ["Give the email address we should answer."]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter a valid email address."]
    if channel not in ContactChannel.values:
        errors["channel"] = ["Choose how we should reach you."]
    if time_zone not in TIME_ZONES:
        errors["time_zone"] = ["Choose your time zone from the list."]
    if channel == ContactChannel.CALLBACK:
        if not PHONE.match(phone):
            errors["phone"] = [
                "Give the phone number we should call, digits with an optional +."
            ]
        if slot_start is None:
            errors["slot"] = ["Choose a time for the call."]
    if errors:
        raise ValidationError(errors)
