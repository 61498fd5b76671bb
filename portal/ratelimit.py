"""Rate limits: short windows per user and per IP in the cache, daily caps from rows.

Short windows (``"6/m"``, ``"50/10s"``) are fixed-window counters in Redis,
shared by every app process and bumped atomically (INCR + EXPIRE NX). If Redis
is down they fail open: the request goes through and a warning is logged, since
refusing every login during a cache outage would be worse than a few extra
attempts. Daily caps that must hold even then (answers a day, votes a day) are
counted from the database rows themselves with ``daily_cap(queryset, …)``.

Limits live in ``settings.CANDOR_RATE_LIMITS``::

    {"login": {"ip": ["6/m", "30/h"]}, "api": {"ip": [...], "user": [...]}, ...}

``"ip"`` rules count anonymous requests by client address, ``"user"`` rules
count signed-in members by account, ``"account"`` rules count a key the caller
passes (the username being logged in to, the email being reset). Staff are
exempt unless the action is listed in ``CANDOR_RATE_LIMITS_STAFF``.

Going over a limit raises ``RateLimited``; ``RateLimitMiddleware`` turns it
into a 429 page and portal.api into a 429 JSON error, both with
``Retry-After``. Apps use ``enforce(request, "action")`` in a view,
``@rate_limit("action")`` on a view, or ``daily_cap(...)`` in a service.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ratelimit_page
from .permissions import is_staff_member
from .ratelimit_page import wait_in_words

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text.replace(" ", ""))
        if not match:
            raise ValueError(f"Bad rate {text!r}: write it like '6/m' or '50/10s'.")
        count, multiple, unit = match.groups()
        return cls(int(count), int(multiple or 1) * _UNITS[unit])


class RateLimited(Exception):
    """Too many requests for `action`; try again in `retry_after` seconds.

    `reason` says why when it is not simply "too often" (a new member's first-day cap);
    `kind` is the rule that was hit ("user", "new_user", "ip", "account").
    """

    def __init__(
        self, action: str, retry_after: float, reason: str = "", kind: str = ""
    ):
        self.action = action
        self.retry_after = max(1, math.ceil(retry_after))
        self.reason = reason
        self.kind = kind
        super().__init__(self.message)

    @property
    def message(self) -> str:
        wait = _("Please try again %(when)s.") % {
            "when": wait_in_words(self.retry_after)
        }
        return f"{self.reason or _('You are doing that too often.')} {wait}"


def now() -> float:
    return time.time()


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our own proxies saw.

    X-Forwarded-For is read only when ``CANDOR_TRUSTED_PROXIES`` (the number of
    proxies in front of the app) is set, and then from the right, so a client
    cannot choose its own key by sending the header.
    """
    proxies = settings.CANDOR_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            a.strip()
            for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if a.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _counter(name: str, rate: Rate) -> tuple[int | None, float]:
    """Count one hit on `name` in the current window; return (count, seconds left)."""
    moment = now()
    window = int(moment // rate.seconds)
    left = (window + 1) * rate.seconds - moment
    key = f"rl:{name}:{rate.seconds}:{window}"
    if hasattr(cache, "count_hit"):
        return cache.count_hit(key, rate.seconds + 1), left
    cache.add(key, 0, rate.seconds + 1)
    try:
        return cache.incr(key), left
    except ValueError:  # expired between add and incr
        cache.add(key, 1, rate.seconds + 1)
        return 1, left


def _over(name: str, rate: Rate) -> float:
    """Seconds left in the window if `name` is already over `rate`, without counting."""
    moment = now()
    window = int(moment // rate.seconds)
    count = cache.get(f"rl:{name}:{rate.seconds}:{window}") or 0
    return (window + 1) * rate.seconds - moment if count >= rate.limit else 0.0


def _hash(value: str) -> str:
    return hashlib.blake2b(value.lower().encode(), digest_size=12).hexdigest()


def _rules(action: str) -> dict:
    if not settings.CANDOR_RATE_LIMITS_ENABLED:
        return {}
    return settings.CANDOR_RATE_LIMITS.get(action, {})


def _subjects(request, action: str, account: str | None) -> list[tuple[str, str]]:
    """(kind, key) pairs this request counts under; none for exempt staff."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    if (
        signed_in
        and is_staff_member(user)
        and action not in settings.CANDOR_RATE_LIMITS_STAFF
    ):
        return []
    subjects = []
    if signed_in:
        subjects += [("user", f"u{user.pk}")]
        if is_new_member(user):
            subjects += [("new_user", f"u{user.pk}")]
    else:
        subjects += [("ip", _hash(client_ip(request)))]
    if account:
        subjects += [("account", _hash(account))]
    return subjects


def is_new_member(user) -> bool:
    """In their first ``CANDOR_NEW_MEMBER_HOURS``: tighter limits (Discourse's sandbox)."""
    joined = getattr(user, "date_joined", None)
    period = timedelta(hours=settings.CANDOR_NEW_MEMBER_HOURS)
    return joined is not None and timezone.now() - joined < period


def enforce(request, action: str, *, account: str | None = None) -> None:
    """Count this request against `action`'s limits; raise RateLimited when over one."""
    rules = _rules(action)
    if not rules:
        return
    worst, worst_kind = 0.0, ""
    for kind, subject in _subjects(request, action, account):
        for text in rules.get(kind, []):
            rate = Rate.parse(text)
            count, left = _counter(f"{action}:{kind}:{subject}", rate)
            if count is None:
                logger.warning("Rate limit %s not checked: the cache is down.", action)
                continue
            if count > rate.limit and left > worst:
                worst, worst_kind = left, kind
    if worst:
        raise RateLimited(action, worst, kind=worst_kind)


def peek(request, action: str, *, account: str | None = None) -> None:
    """Raise RateLimited if this request would be over `action`'s limits; count nothing.

    With `enforce` called after a write succeeded, only successful writes count:
    a form sent back with a typo does not use up the window.
    """
    rules = _rules(action)
    worst, worst_kind = 0.0, ""
    for kind, subject in _subjects(request, action, account) if rules else []:
        for text in rules.get(kind, []):
            try:
                left = _over(f"{action}:{kind}:{subject}", Rate.parse(text))
            except Exception:  # noqa: BLE001 - a cache outage must not refuse writes
                logger.warning("Rate limit %s not checked: the cache is down.", action)
                continue
            if left > worst:
                worst, worst_kind = left, kind
    if worst:
        raise RateLimited(action, worst, kind=worst_kind)


def check(request, action: str, *, account: str) -> None:
    """Raise RateLimited if `account` has used up `action`'s "account" rules; count nothing.

    For limits on failures (log-in): check before trying, `enforce` after a failure.
    """
    left = max(
        (
            _over(f"{action}:account:{_hash(account)}", Rate.parse(text))
            for text in _rules(action).get("account", [])
        ),
        default=0.0,
    )
    if left:
        raise RateLimited(action, left)


def daily_cap(
    queryset,
    limit: int,
    *,
    action: str,
    field: str = "created_at",
    window: timedelta = timedelta(days=1),
) -> None:
    """Raise RateLimited if `queryset` has `limit` rows created in the last `window`.

    Counted from the database, so it holds across processes and when Redis is
    down. Call it inside the service's transaction before the insert.
    """
    since = timezone.now() - window
    recent = queryset.filter(**{f"{field}__gt": since})
    count = recent.count()
    if count < limit:
        return
    # The cap frees up when the (count - limit + 1)-th oldest row leaves the window.
    oldest = recent.order_by(field).values_list(field, flat=True)[count - limit]
    raise RateLimited(action, (oldest + window - timezone.now()).total_seconds())


def too_many_requests(request, exc: RateLimited):
    """The 429 page for forms and pages (portal.ratelimit_page)."""
    return ratelimit_page.too_many_requests(request, exc)


def rate_limit(action: str, *, methods=("POST",), account_field: str | None = None):
    """Limit a view's `methods` (POST by default) under `action`.

    With `account_field`, the POSTed value of that field (lowercased) is also
    counted under the action's "account" rules.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                account = None
                if account_field:
                    account = str(request.POST.get(account_field, "")).strip()[:254]
                    account = account or None  # nothing to count an account against
                enforce(request, action, account=account)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _daily_rows(action: str) -> list[tuple[str, str]]:
    return settings.CANDOR_DAILY_CAP_ROWS.get(action, [])


def daily_caps(request, action: str) -> None:
    """Raise RateLimited if the member has used up `action`'s cap for the last 24 hours.

    The cap (``CANDOR_DAILY_CAPS[action]``) counts the member's own rows of every
    model listed for the action in ``CANDOR_DAILY_CAP_ROWS`` as
    ``("app.Model", "owner_field")``, each with a ``created_at``: counted from
    the database, so it holds across processes and while Redis is down. Staff
    are exempt unless the action is in ``CANDOR_RATE_LIMITS_STAFF``.
    """
    if not settings.CANDOR_RATE_LIMITS_ENABLED:
        return
    limit = settings.CANDOR_DAILY_CAPS.get(action)
    user = getattr(request, "user", None)
    if limit is None or not (user and user.is_authenticated):
        return
    if is_staff_member(user) and action not in settings.CANDOR_RATE_LIMITS_STAFF:
        return
    from django.apps import apps

    window = timedelta(days=1)
    moment = timezone.now()
    since = moment - window
    first_day = settings.CANDOR_DAILY_CAPS_NEW_MEMBER.get(action)
    sandboxed = first_day is not None and first_day < limit and is_new_member(user)
    if sandboxed:
        limit = first_day
    moments = []
    for label, owner in _daily_rows(action):
        model = apps.get_model(label)
        moments += model._default_manager.filter(
            **{owner: user, "created_at__gt": since}
        ).values_list("created_at", flat=True)[: limit + 1]
    if len(moments) < limit:
        return
    moments.sort(reverse=True)
    # Frees up when the limit-th newest row leaves the window.
    frees_at = moments[limit - 1] + window
    reason = ""
    if sandboxed:
        # ... or when the member's first day is over, whichever comes first.
        frees_at = min(
            frees_at,
            user.date_joined + timedelta(hours=settings.CANDOR_NEW_MEMBER_HOURS),
        )
        reason = _(
            "In their first day new members can do this %(n)d times, "
            "which keeps spam out while we get to know you."
        ) % {"n": limit}
    raise RateLimited(
        action,
        (frees_at - moment).total_seconds(),
        reason,
        kind="new_user" if sandboxed else "user",
    )


def _wants_json(request) -> bool:
    return request.path.startswith(
        "/api/"
    ) or "application/json" in request.headers.get("Accept", "")


def limited_action(request) -> str | None:
    """The action a request counts against, from ``CANDOR_RATE_LIMITED_VIEWS``.

    Keys are URL names (``"community:ask"``) or, for the API, where one path
    serves several operations, ``"METHOD route"``
    (``"POST api/v1/community/questions/"``). Reads are limited only when
    listed in ``CANDOR_RATE_LIMITED_READS`` (every attempt counts).
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if request.method in ("GET", "HEAD", "OPTIONS"):
        # Costly reads (search); answers served from the page cache never get here.
        return settings.CANDOR_RATE_LIMITED_READS.get(match.view_name)
    views = settings.CANDOR_RATE_LIMITED_VIEWS
    return views.get(f"{request.method} {match.route}") or views.get(match.view_name)


def _account_for(action: str, view_kwargs: dict) -> str | None:
    """The survey's own key: its token (or interaction) so one link cannot be hammered."""
    for name in ("token", "pk"):
        if name in view_kwargs and action == "survey":
            return f"{name}:{view_kwargs[name]}"
    return None


def refused_anyway(request, action: str, view_kwargs: dict) -> bool:
    """True when the app's own rule will refuse this write (``CANDOR_RATE_LIMIT_PRECHECKS``).

    A second review of the same product must hear "You have already reviewed",
    not "Please slow down": the app names a cheap check (a dotted path to a
    function of the request and the view's kwargs), and the limit then neither
    applies nor counts, since no write happens.
    """
    path = settings.CANDOR_RATE_LIMIT_PRECHECKS.get(action)
    if not path:
        return False
    from django.utils.module_loading import import_string

    return bool(import_string(path)(request, view_kwargs))


def _seen_before(request, action: str) -> bool:
    """True if this client already read this unit (``CANDOR_RATE_LIMIT_READ_UNITS``) lately.

    The unit of a search is its normalised query: its filter and page clicks
    are the same search and count once. Each client has a short-lived set of
    the units it was counted for (one cache key per unit, added atomically);
    a read with no unit, or with the cache down, counts as usual.
    """
    path = settings.CANDOR_RATE_LIMIT_READ_UNITS.get(action)
    if not path or not _rules(action):
        return False
    from django.utils.module_loading import import_string

    unit = import_string(path)(request)
    subjects = _subjects(request, action, None)
    if not unit or not subjects:
        return False
    key = f"rl-seen:{action}:{subjects[0][1]}:{_hash(unit)}"
    try:
        return not cache.add(key, 1, settings.CANDOR_RATE_LIMIT_SEEN_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not refuse reads
        return False


def check_action(request, action: str, view_kwargs: dict | None = None) -> None:
    """Before a limited write: its short windows (not counted yet), then its daily cap.

    Actions in ``CANDOR_RATE_LIMITS_COUNT_ATTEMPTS`` (the survey: a link must
    not be hammered) count every attempt here; the others are counted by
    `count_action` once the write has succeeded. A write the app refuses anyway
    (`refused_anyway`) is left to the app's own message.
    """
    if refused_anyway(request, action, view_kwargs or {}):
        return
    account = _account_for(action, view_kwargs or {})
    if request.method == "GET" and _seen_before(request, action):
        peek(request, action, account=account)  # a filter or page click: counted already
    elif action in settings.CANDOR_RATE_LIMITS_COUNT_ATTEMPTS or request.method == "GET":
        enforce(request, action, account=account)
    else:
        peek(request, action, account=account)
    daily_caps(request, action)
    request._candor_limited = (action, account)


def not_counted(request) -> None:
    """This answer to a limited write saved nothing (a "Before you post" step):
    `count_action` leaves it out, so only the write itself uses up the limit."""
    request._candor_limited = (None, None)


def count_action(request, response) -> None:
    """After a limited write: count it if it succeeded (a 2xx or 3xx answer)."""
    action, account = getattr(request, "_candor_limited", (None, None))
    if action is None or action in settings.CANDOR_RATE_LIMITS_COUNT_ATTEMPTS:
        return
    if request.method == "GET":
        return  # reads were counted before the view
    if response.status_code >= 400:
        return
    try:
        enforce(request, action, account=account)
    except RateLimited:
        pass  # a concurrent write got there first; this one is done already


class RateLimitMiddleware:
    """Limit the app writes listed in ``CANDOR_RATE_LIMITED_VIEWS`` (short windows
    and daily caps), and turn RateLimited raised anywhere in a view into a 429
    (the HTML page, or the API's JSON error body), with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        count_action(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None  # the API's throttle checks them once the token is known
        action = limited_action(request)
        if action is None:
            return None
        try:
            check_action(request, action, view_kwargs)
        except RateLimited as exc:
            logger.info("Rate limit %s hit on %s", action, request.path[:200])
            return self.refuse(request, exc)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return self.refuse(request, exception)
        return None

    @staticmethod
    def refuse(request, exc: RateLimited):
        if _wants_json(request):
            from django.http import JsonResponse

            from .api import error_body

            response = JsonResponse(
                error_body(429, "rate_limited", api_message(exc)), status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        return too_many_requests(request, exc)


def api_message(exc: RateLimited) -> str:
    """The API's message: the limit, and when it lifts in words (Retry-After has
    the seconds for programs)."""
    wait = _("Try again %(when)s.") % {"when": wait_in_words(exc.retry_after)}
    limit = ratelimit_page.limit_name(exc)
    return f"{exc.reason or _('Too many requests.')} ({limit}) {wait}"
