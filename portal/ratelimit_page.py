"""The 429 page in words: which limit applies, when it lifts, and the way back.

"Try again in 80019 seconds" told a member neither what they had done too much
of nor when they could go on; the page now names the limit ("Questions: the
new-member limit"), says when it lifts the way people say it ("in 2 hours 13
minutes", "tomorrow at 09:14") and links back to the page or search the visitor
came from (only on this site).
"""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

LIMIT_NAMES = {
    "login": gettext_lazy("Log-in attempts"),
    "login_failure": gettext_lazy("Failed log-ins to this account"),
    "signup": gettext_lazy("Sign-ups from your address"),
    "signup_account": gettext_lazy("New accounts from your address"),
    "password_reset": gettext_lazy("Password reset emails"),
    "article_feedback": gettext_lazy("Article feedback"),
    "api": gettext_lazy("API requests"),
    "api_write": gettext_lazy("API writes"),
    "ask": gettext_lazy("Questions"),
    "answer": gettext_lazy("Answers"),
    "comment": gettext_lazy("Comments"),
    "vote": gettext_lazy("Votes"),
    "flag": gettext_lazy("Flags and reports"),
    "review": gettext_lazy("Reviews"),
    "review_reply": gettext_lazy("Replies to reviews"),
    "survey": gettext_lazy("Survey answers"),
    "search": gettext_lazy("Searches"),
    "search_suggest": gettext_lazy("Search suggestions"),
}


def _count(n: int, one: str, many: str) -> str:
    return ngettext(one, many, n) % {"n": n}


def wait_in_words(seconds: int, *, now=None) -> str:
    """When a wait of `seconds` ends, as people say it.

    Under a minute in seconds, under an hour in minutes, under 12 hours in hours
    and minutes; longer waits by the clock ("tomorrow at 09:14"), in the site's
    time zone.
    """
    seconds = max(1, int(seconds))
    if seconds < 60:
        return _count(seconds, "in %(n)d second", "in %(n)d seconds")
    minutes = -(-seconds // 60)  # rounded up: never promise too early
    if minutes < 60:
        return _count(minutes, "in %(n)d minute", "in %(n)d minutes")
    hours, minutes = divmod(minutes, 60)
    if hours < 12:
        words = _count(hours, "in %(n)d hour", "in %(n)d hours")
        if minutes:
            words += " " + _count(minutes, "%(n)d minute", "%(n)d minutes")
        return words
    now = timezone.localtime(now)
    lifts = now + timedelta(seconds=seconds)
    if lifts.second or lifts.microsecond:  # the next whole minute: never too early
        lifts = lifts.replace(second=0, microsecond=0) + timedelta(minutes=1)
    at = time_format(lifts, "H:i")
    days = (lifts.date() - now.date()).days
    if days == 0:
        return _("today at %(time)s") % {"time": at}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": at}
    return _("on %(date)s at %(time)s") % {"date": lifts.strftime("%-d %B"), "time": at}


def limit_name(exc) -> str:
    """The limit in a few words: "Questions", or "Questions: the new-member limit"."""
    name = str(LIMIT_NAMES.get(exc.action, _("This action")))
    if exc.kind == "new_user":
        return _("%(limit)s: the new-member limit") % {"limit": name}
    return name


def back_link(request) -> str:
    """The page (or search) the visitor came from, if it is on this site; else home."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return referer
    if (
        request.method == "GET"
        and request.path != "/"
        and not request.path.startswith("/api/")
    ):
        return (
            request.get_full_path()
        )  # a search typed or bookmarked: the search itself
    return "/"


def too_many_requests(request, exc):
    """The 429 page for forms and pages, with Retry-After."""
    response = render(
        request,
        "429.html",
        {
            "message": exc.reason or _("You are doing that too often."),
            "limit": limit_name(exc),
            "lifts": wait_in_words(exc.retry_after),
            "retry_after": exc.retry_after,
            "back": back_link(request),
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response
