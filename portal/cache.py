"""The anonymous page cache: whole responses for visitors who are not signed in.

How it stays correct
--------------------
Every cached page depends on *scopes*: ``"site"`` always (page tree, branding,
navigation, profiles), plus what the view declares (``"page:12"``,
``"question:7"``, ``"questions"``…). Each scope has a generation token in the
shared cache. A page is stored together with the tokens its scopes had when the
view started reading (``depends_on`` reads them *before* the data), and is
served only while all of them are unchanged. A write calls
``invalidate(*scopes)``, which replaces the tokens after the transaction
commits, so the next request renders afresh on every app process.

Reading the token before the data and bumping it after the commit means a
render that raced a write is stored under the old token and never served.

Frequent small writes (votes, answers) use ``invalidate_soon``: at most one
bump per scope per ``CANDOR_PAGE_CACHE_COALESCE_SECONDS`` and process, the
last one after the window's last write, so pages are at most that late. And a
stale page is rendered by one thread per process while the others wait for
its copy (``_Renders``).

What is cached
--------------
Only GET requests without a messages cookie, only views that opt in (``depends_on`` in the view or page, the
``cache_anonymous`` decorator, or ``CachedPageMixin`` on a Wagtail page), only
200 responses that set no cookie and left no message.

Anonymous visitors without a session share one copy per URL. A visitor with a
session (a signed-in member, or a reader who answered "Was this helpful?") gets
their *own* copy, keyed by their session cookie: they never see the anonymous
page or anyone else's (an API client with a token likewise, keyed by its token), and a signed-in member's copies also depend on the scope
``"user:<id>"``, bumped when their account changes or they log out. Staff are
never cached (the Wagtail user bar, previews). Anything a page shows for one
member (their vote, a notification count) must be covered by a scope their
write or the notifying write invalidates.

Per-request values are never stored: the CSP nonce and the CSRF token are
rendered as placeholders and swapped for fresh values on every response (see
``csrf_token_placeholder`` and ``portal.csp``), so a cached page has a new
nonce and a working form token for each visitor.

Speed: each app process keeps its recently served pages in memory. A copy
checked against the scope tokens in Redis less than
``CANDOR_PAGE_CACHE_RECHECK_SECONDS`` ago (0.25 s) is served without asking
Redis; older copies are rechecked with one MGET. A write drops the affected
copies of its own process at once, so other processes see it within that
quarter second. Other processes fill their memory from the shared entry in
Redis. Redis down: nothing reaches the shared cache (the backend fails open)
and each process falls back on its own memory: a copy confirmed
current less than ``CANDOR_PAGE_CACHE_OUTAGE_SECONDS`` (5 s) ago is still
served, and a page rendered meanwhile is kept in this process alone for that
long (an *outage copy*), so a Redis outage costs one render per page per
process every few seconds instead of a render per request. A write drops the
copies of its own process at once as always; other processes may show a page
from before it for at most those 5 s, the price of serving through the
outage. Outage copies are never served once Redis answers again. A write that
cannot reach Redis keeps its new tokens and sends them at this process's next
request, so the pages stored before it are not served once Redis answers again
(if the process ends first, those pages live at most
``CANDOR_PAGE_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

SITE = "site"
_GEN = "pc:gen:"
_PAGE = "pc:page:"
_STATE = "_candor_page_cache"


# Writes --------------------------------------------------------------------------


def invalidate(*scopes: str) -> None:
    """Make every cached page that depends on one of `scopes` stale, after commit.

    Call it from the service that made the write. The tokens change twice: at
    once, so the rest of this request (and a test inside one transaction) sees
    fresh pages, and again after commit, which is what guarantees that a page
    rendered from pre-commit data by another request is never served.
    """
    scopes = tuple(dict.fromkeys(scopes))
    if scopes:
        _bump(scopes)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(scopes), robust=True)


def invalidate_soon(*scopes: str) -> None:
    """`invalidate` for frequent small writes (votes): at most one bump per scope
    every ``CANDOR_PAGE_CACHE_COALESCE_SECONDS`` in this process.

    The first write after a quiet spell bumps as soon as it commits; writes
    within the window are all covered by one bump at its end. So every page
    shows the write within that time, and a burst of votes costs each page one
    render per window instead of one per vote. Invalidate what the writer must
    see at once (their own ``user:<id>`` pages) with `invalidate`.
    """
    scopes = tuple(dict.fromkeys(scopes))
    seconds = settings.CANDOR_PAGE_CACHE_COALESCE_SECONDS
    if not scopes or seconds <= 0:
        invalidate(*scopes)
        return

    def after_commit():
        _coalescer.bump(scopes, seconds)

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(after_commit, robust=True)
    else:
        after_commit()


class _Coalescer:
    def __init__(self):
        self._last: dict[str, float] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()

    def bump(self, scopes, seconds: float) -> None:
        now = time.monotonic()
        due, later, wait = [], [], 0.0
        with self._lock:
            for scope in scopes:
                if scope in self._pending:
                    continue  # the bump already scheduled comes after this commit
                last = self._last.get(scope)
                if last is None or now - last >= seconds:
                    self._last[scope] = now
                    due.append(scope)
                else:
                    self._pending.add(scope)
                    later.append(scope)
                    wait = max(wait, last + seconds - now)
        if due:
            _bump(tuple(due))
        if later:
            timer = threading.Timer(wait, self._flush, args=(tuple(later),))
            timer.daemon = True
            timer.start()

    def clear(self) -> None:
        with self._lock:
            self._last.clear()

    def _flush(self, scopes) -> None:
        with self._lock:
            for scope in scopes:
                self._pending.discard(scope)
                self._last[scope] = time.monotonic()
        _bump(scopes)


_coalescer = _Coalescer()


# Writes this process has made: a page rendered while Redis was away is kept as an
# outage copy only if no write of this process landed during its render.
_writes = 0

# Scopes whose new token did not reach the shared cache (Redis away or too slow):
# the pages stored there before the write would look current once it answers
# again, so this process sends the bump again at its next request.
_unsent: set[str] = set()
_unsent_lock = threading.Lock()


def _bump(scopes) -> None:
    """New tokens for `scopes` (and any still unsent); drop this process's copies of `scopes`."""
    global _writes
    if scopes:
        _writes += 1
    with _unsent_lock:
        every = tuple(dict.fromkeys((*_unsent, *scopes)))
        _unsent.clear()
    tokens = {_GEN + scope: secrets.token_hex(8) for scope in every}
    # No expiry: a token that vanished would make the old generation look current.
    failed = cache.set_many(tokens, timeout=None)
    # Only the new write's scopes: copies of resent scopes were dropped at their
    # write, and what was rendered since shows it.
    _local.forget_scopes(scopes)
    if failed:
        with _unsent_lock:
            _unsent.update(key.removeprefix(_GEN) for key in failed)


def _send_unsent() -> None:
    # Cheap: only after a write met an unreachable Redis, and not while it still is.
    if _unsent and not _shared_cache_down():
        _bump(())


# Reads: what a view declares ---------------------------------------------------


@dataclass
class _RequestState:
    gens: dict = field(default_factory=dict)
    declared: bool = False
    usable: bool = True
    outage: bool = False  # Redis was away: the page may only be kept as an outage copy
    writes_before: int = 0  # this process's writes when the render began reading


def _shared_cache_down() -> bool:
    """Whether the shared cache (Redis) is known to be unreachable right now."""
    available = getattr(cache, "available", None)
    return available is not None and not available()


def _current_tokens(scopes) -> dict | None:
    """Return {scope: token}, creating tokens for scopes never seen; None if Redis is away."""
    keys = [_GEN + s for s in scopes]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=None)
        found.update(cache.get_many(missing))
    if len(found) != len(keys):
        return None
    return {s: found[_GEN + s] for s in scopes}


def depends_on(request, *scopes: str) -> None:
    """Declare that this response may be cached for anonymous visitors and shows `scopes`.

    Call it before reading the data. On requests that cannot be cached
    (signed in, POST…) it does nothing, so views may call it unconditionally.
    """
    state = getattr(request, _STATE, None)
    if state is None or not state.usable:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if user.is_staff or user.is_superuser:
            state.usable = False  # the Wagtail user bar, previews, staff links
            return
        scopes = (f"user:{user.pk}", *scopes)
    new = [s for s in (SITE, *scopes) if s not in state.gens]
    if new:
        tokens = _current_tokens(new)
        if tokens is None:
            if not _shared_cache_down():
                state.usable = False
                return
            if not state.outage:
                state.outage, state.writes_before = True, _writes
            tokens = dict.fromkeys(new)  # the scopes' names, for this process's writes
        state.gens.update(tokens)
    state.declared = True


def never_cache_this(request) -> None:
    """Keep this response out of the cache (something in it is for this visitor only)."""
    state = getattr(request, _STATE, None)
    if state is not None:
        state.usable = False


def cache_anonymous(*scopes: str):
    """Decorate a function view so anonymous GETs are cached under `scopes`.

    Scopes may name the view's URL kwargs: ``@cache_anonymous("questions",
    "question:{pk}")``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            depends_on(request, *(s.format(**kwargs) for s in scopes))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class CachedPageMixin:
    """For Wagtail pages: anonymous views are cached under ``cache_scopes()``."""

    def cache_scopes(self, request) -> list[str]:
        return [f"page:{self.pk}"]

    def serve(self, request, *args, **kwargs):
        if request.method == "GET":
            depends_on(request, *self.cache_scopes(request))
        return super().serve(request, *args, **kwargs)


# CSRF tokens in cached pages ---------------------------------------------------


def _placeholder(name: str) -> str:
    # Derived from the secret key: a visitor cannot learn it, so user text can
    # never contain it and have a real token or nonce put in its place.
    return f"{name}-{salted_hmac('candor.placeholder', name).hexdigest()[:24]}"


class _Placeholders:
    @cached_property
    def csrf(self) -> bytes:
        return _placeholder("csrf").encode()

    @cached_property
    def csp(self) -> bytes:
        return _placeholder("cspnonce").encode()


placeholders = _Placeholders()


def csrf_token_placeholder(request) -> dict:
    """Context processor: on cacheable requests, render the CSRF token as a placeholder.

    The cache middleware replaces it with a fresh token for each visitor (and
    Django's CSRF middleware sets the matching cookie), so cached forms work.
    """
    state = getattr(request, _STATE, None)
    if state is None:
        return {}

    def value():
        request._candor_csrf_placeholder = True
        return placeholders.csrf.decode()

    return {"csrf_token": SimpleLazyObject(value)}


# Process-local copies ------------------------------------------------------------


@dataclass
class _Entry:
    gens: dict
    status: int
    headers: list
    body: bytes
    uses_csrf: bool
    expires: float  # wall clock, so every process agrees
    checked: float = 0.0  # this process's monotonic clock: last check against Redis
    outage: bool = False  # rendered while Redis was away: this process only, briefly


class _LocalPages:
    """An LRU of pages this process served recently, revalidated on every use."""

    def __init__(self):
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.CANDOR_PAGE_CACHE_LOCAL_ENTRIES
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def drop(self, key):
        with self._lock:
            self._entries.pop(key, None)

    def forget_scopes(self, scopes):
        with self._lock:
            for key in [
                k for k, e in self._entries.items() if any(s in e.gens for s in scopes)
            ]:
                del self._entries[key]

    def clear(self):
        with self._lock:
            self._entries.clear()


_local = _LocalPages()


def clear_local() -> None:
    """Forget this process's copies (tests use it to act as a second process)."""
    _local.clear()
    _renders.clear()
    _coalescer.clear()


# The middleware ---------------------------------------------------------------------


def _eligible(request) -> bool:
    if request.method != "GET" or not settings.CANDOR_PAGE_CACHE_SECONDS:
        return False
    if "messages" in request.COOKIES:
        return False
    path = request.path_info
    return not path.startswith(tuple(settings.CANDOR_PAGE_CACHE_SKIP_PREFIXES))


def _key(request) -> str:
    # A session or an API token gets its own copies (see the module docstring).
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    token = request.META.get("HTTP_AUTHORIZATION", "")
    # Maintenance mode shows a banner: its pages and the normal ones never mix.
    mode = "ro" if settings.CANDOR_READ_ONLY else ""
    raw = f"{request.get_host()}|{request.get_full_path()}|{session}|{token}|{mode}"
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _valid(entry: _Entry | None) -> bool:
    if entry is None or entry.expires < time.time():
        return False
    age = time.monotonic() - entry.checked
    if entry.outage:
        return age < settings.CANDOR_PAGE_CACHE_OUTAGE_SECONDS and _shared_cache_down()
    if age < settings.CANDOR_PAGE_CACHE_RECHECK_SECONDS:
        return True
    keys = [_GEN + s for s in entry.gens]
    current = cache.get_many(keys)
    if all(current.get(_GEN + s) == token for s, token in entry.gens.items()):
        entry.checked = time.monotonic()
        return True
    # Redis away: what was current a moment ago is served a little longer.
    return age < settings.CANDOR_PAGE_CACHE_OUTAGE_SECONDS and _shared_cache_down()


def _response_from(entry: _Entry) -> HttpResponse:
    response = HttpResponse(entry.body, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _cacheable(request, response, state: _RequestState) -> bool:
    if not (state.declared and state.usable) or response.status_code != 200:
        return False
    if state.outage and _writes != state.writes_before:
        return False  # a write landed mid-render, and no token can tell
    if response.streaming or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the view put a real token somewhere: it belongs to this visitor
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and storage.added_new)


_SKIP_HEADERS = {"set-cookie", "content-length", "x-page-cache"}


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of opted-in views from the cache; see the module docstring.

    Sits after the session and CSRF middleware (so the fresh token's cookie is
    set) and before authentication (a hit never touches the user or session).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _send_unsent()
        if not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        entry = _lookup(key)
        leading = False
        if entry is None:
            leading, running = _renders.begin(key)
            if running is not None:
                # The same page is being rendered by another thread: its copy
                # will do (if it is still current when it lands).
                running.wait(_RENDER_WAIT_SECONDS)
                entry = _lookup(key)
        if entry is not None:
            response = _response_from(entry)
            if entry.uses_csrf:
                _fill_csrf(request, response)
            return response
        try:
            return self._render(request, key)
        finally:
            if leading:
                _renders.end(key)

    def _render(self, request, key):
        state = _RequestState()
        setattr(request, _STATE, state)
        response = self.get_response(request)
        uses_csrf = getattr(request, "_candor_csrf_placeholder", False)
        cacheable = _cacheable(request, response, state)
        _renders.note(key, cacheable)
        if cacheable:
            entry = _Entry(
                gens=state.gens,
                status=response.status_code,
                headers=[
                    (k, v)
                    for k, v in response.headers.items()
                    if k.lower() not in _SKIP_HEADERS
                ],
                body=response.content,
                uses_csrf=uses_csrf,
                expires=time.time() + settings.CANDOR_PAGE_CACHE_SECONDS,
            )
            if state.outage:
                # Kept here alone and briefly; served only while Redis stays away.
                entry.outage, entry.checked = True, time.monotonic()
            else:
                # Never trust a fresh copy without a check: a write may have
                # landed while this page was rendering.
                cache.set(_PAGE + key, entry, timeout=settings.CANDOR_PAGE_CACHE_SECONDS)
            _local.put(key, entry)
            response["X-Page-Cache"] = "miss"
        if uses_csrf:
            _fill_csrf(request, response)
        return response


def _lookup(key: str) -> _Entry | None:
    """A current copy of page `key`: this process's, else the shared one."""
    entry = _local.get(key)
    if _valid(entry):
        return entry
    if entry is not None:
        _local.drop(key)
    entry = None if _shared_cache_down() else cache.get(_PAGE + key)
    if not isinstance(entry, _Entry):
        return None
    entry.checked = 0.0  # another process's clock: check now
    if not _valid(entry):
        return None
    _local.put(key, entry)
    return entry


# A thread waits this long, at most, for another's render of the same page.
_RENDER_WAIT_SECONDS = 2.0


class _Renders:
    """One render at a time per page and process (a stampede guard).

    When a cached page goes stale (a write, its time is up, an outage copy
    expires) every request for it would render it at once. The first request
    for a page known to be cacheable renders it; the others wait for that
    render and take its copy, checked like any other. Pages never seen
    cacheable are not coordinated, so an uncacheable page is never serialised.
    """

    def __init__(self):
        self._running: dict[str, threading.Event] = {}
        self._cacheable: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, key) -> tuple[bool, threading.Event | None]:
        """(this request leads the render, the running render to wait for)."""
        with self._lock:
            running = self._running.get(key)
            if running is not None:
                return False, running
            if key not in self._cacheable:
                return False, None
            self._running[key] = threading.Event()
            return True, None

    def end(self, key) -> None:
        with self._lock:
            running = self._running.pop(key, None)
        if running is not None:
            running.set()

    def clear(self) -> None:
        with self._lock:
            self._cacheable.clear()

    def note(self, key, cacheable: bool) -> None:
        with self._lock:
            if cacheable:
                self._cacheable[key] = None
                self._cacheable.move_to_end(key)
                while len(self._cacheable) > 10 * settings.CANDOR_PAGE_CACHE_LOCAL_ENTRIES:
                    self._cacheable.popitem(last=False)
            else:
                self._cacheable.pop(key, None)


_renders = _Renders()


def _fill_csrf(request, response) -> None:
    if response.streaming:
        return
    response.content = response.content.replace(
        placeholders.csrf, get_token(request).encode()
    )
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def scope_generation(scope: str) -> str | None:
    """The current token of `scope`, or None when the shared cache is away.

    For fragment caches that must expire exactly when pages showing `scope`
    do: put the token in the fragment's key (a new token, a new key).
    """
    tokens = _current_tokens([scope])
    return tokens[scope] if tokens else None
