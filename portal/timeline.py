"""One customer's timeline, composed from the providers every app registers.

`portal` knows no domain app: each app registers a provider with

    @hooks.register("candor_timeline_providers")
    def community_timeline():
        return CommunityTimeline()

A provider has

- `kinds`: `[(kind, label, private)]`, e.g. `("community.question", "Questions", False)`;
  private kinds are only ever asked for when staff read the timeline;
- `entries(query) -> list[Entry]`: for each kind in `query.kinds` it owns, at most
  `query.limit` entries after the cursor (take them with `query.slice(qs, kind, "created_at")`),
  ordered by that time then pk, both descending; one query per kind;
- `needs_you(query) -> list[Entry]`: what waits for the customer (surveys to answer,
  answers to accept, replies not read yet), at most `query.limit`;
- optionally `first_activity(customer) -> datetime | None`: the customer's earliest
  dated row in the app, one query (see `first_activity` below).

The page merges the providers' sorted slices and keeps the newest `limit`; the
next page starts after the last entry shown. The cursor is that entry's
(time, kind, pk), the very order of the page, so entries sharing a timestamp
are neither skipped nor repeated, and every page costs the same number of
queries whether the customer has 10 entries or 10,000.
Every entry kind renders with its own template (`Entry.template`).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from wagtail import hooks

HOOK = "candor_timeline_providers"
NOTE = "portal.note"
PAGE_SIZE = 20


@dataclass
class Entry:
    """One thing that happened between the customer and the company."""

    kind: str
    at: datetime
    # Unique across the timeline: "<name>:<pk>", the pk of the row timed by `at`
    # (the cursor pages by time, kind and that pk), e.g. "question:12".
    key: str
    template: str
    title: str = ""
    url: str = ""
    product_id: int | None = None
    product_title: str = ""
    needs_you: str = ""  # why it waits for the customer, if it does
    private: bool = False  # only staff ever see it
    data: dict = field(default_factory=dict)

    @property
    def pk(self) -> int:
        return int(self.key.rsplit(":", 1)[1])

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, self.kind, self.pk)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(),
            "key": self.key,
            "title": self.title,
            "url": self.url,
            "product_id": self.product_id,
            "product": self.product_title,
            "needs_you": self.needs_you,
            "private": self.private,
            "details": {k: v for k, v in self.data.items() if _jsonable(v)},
        }


def _jsonable(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


@dataclass(frozen=True, order=True)
class Cursor:
    """Where a page ended: the last entry's time, kind and primary key."""

    at: datetime
    kind: str
    pk: int


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"(\d{1,17})~([a-z_]{1,30}\.[a-z_]{1,40})~(\d{1,19})")


def cursor_encode(cursor: Cursor | None) -> str | None:
    """`<microseconds since 1970>~<kind>~<pk>`: opaque to clients, safe in a URL."""
    if cursor is None:
        return None
    micros = (cursor.at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}~{cursor.kind}~{cursor.pk}"


def cursor_decode(value: str) -> Cursor:
    """Read a cursor made by `cursor_encode`; ValueError if it is not one."""
    match = _CURSOR.fullmatch(value or "")
    if match is None:
        raise ValueError("not a timeline cursor")
    micros, kind, pk = match.groups()
    return Cursor(EPOCH + timedelta(microseconds=int(micros)), kind, int(pk))


@dataclass
class Query:
    """What one timeline read asks every provider for."""

    user: object
    private: bool = False
    kinds: frozenset[str] = frozenset()
    product_id: int | None = None
    before: Cursor | None = None
    since: datetime | None = None  # the customer's previous visit: newer is "new"
    limit: int = PAGE_SIZE

    def for_product(self, qs, *fields: str):
        """`qs` narrowed to the asked product (any of `fields` names it); all of it when none is asked."""
        if not self.product_id:
            return qs
        condition = Q()
        for name in fields or ("product_id",):
            condition |= Q(**{name: self.product_id})
        return qs.filter(condition)

    def slice(self, qs, kind: str, field: str = "created_at"):
        """This page's rows of `kind` from `qs`: after the cursor, newest first, at most `limit`."""
        return qs.filter(self.older(kind, field)).order_by(f"-{field}", "-pk")[
            : self.limit
        ]

    def older(self, kind: str, field: str) -> Q:
        """The condition for rows of `kind` (timed by `field`) that come after the cursor."""
        if self.before is None:
            return Q()
        c = self.before
        condition = Q(**{f"{field}__lt": c.at})
        if kind < c.kind:
            condition |= Q(**{field: c.at})
        elif kind == c.kind:
            condition |= Q(**{field: c.at, "pk__lt": c.pk})
        return condition


@dataclass
class Page:
    entries: list[Entry]
    next_before: Cursor | None
    needs_you: list[Entry]


def providers() -> list:
    return [fn() for fn in hooks.get_hooks(HOOK)]


def kind_choices(*, private: bool = False) -> list[tuple[str, str]]:
    """Every kind any provider offers (the public ones unless `private`)."""
    return [
        (kind, label)
        for provider in providers()
        for kind, label, is_private in provider.kinds
        if private or not is_private
    ]


def timeline_page(
    *,
    user,
    private: bool = False,
    kinds=(),
    product_id: int | None = None,
    before: Cursor | None = None,
    since: datetime | None = None,
    limit: int = PAGE_SIZE,
    with_needs_you: bool = True,
) -> Page:
    """Return one page of `user`'s timeline, newest first, and what waits for them.

    The private kinds (staff notes, flags, survey comments…) are read only when
    `private` is true; the caller decides who may ask (see
    `portal.selectors_customer.timeline_for_viewer`).
    """
    allowed = {kind for kind, _label in kind_choices(private=private)}
    wanted = frozenset(kinds) & allowed if kinds else frozenset(allowed)
    query = Query(
        user=user,
        private=private,
        kinds=wanted,
        product_id=product_id,
        before=before,
        since=since,
        limit=limit,
    )
    needs = []
    if with_needs_you:
        for provider in providers():
            needs.extend(e for e in provider.needs_you(query) if e.kind in wanted)
        needs.sort(key=_order, reverse=True)
        needs = needs[:limit]
    # What waits for the customer is shown once, on top, not again in the list.
    waiting = {entry.key for entry in needs}
    # Ask each provider for enough that, once the waiting entries are taken out,
    # one more than a page remains (telling whether a next page exists).
    query.limit = limit + len(waiting) + 1
    slices = []
    for provider in providers():
        own = {kind for kind, _label, _private in provider.kinds}
        if own & wanted:
            entries = [
                e
                for e in provider.entries(query)
                if e.kind in wanted
                and (private or not e.private)
                and e.key not in waiting
            ]
            slices.append(sorted(entries, key=_order, reverse=True))
    merged = list(heapq.merge(*slices, key=_order, reverse=True))
    shown = merged[:limit]
    next_before = shown[-1].cursor if len(merged) > limit else None
    return Page(entries=shown, next_before=next_before, needs_you=needs)


def _order(entry: Entry):
    return (entry.at, entry.kind, entry.pk)


class NotesTimeline:
    """Portal's own provider: the private notes staff keep about the customer."""

    kinds = [(NOTE, "Staff notes", True)]

    def entries(self, query: Query) -> list[Entry]:
        from .models import CustomerNote

        if not query.private or query.product_id or NOTE not in query.kinds:
            return []
        notes = CustomerNote.objects.filter(customer=query.user).select_related(
            "author__profile"
        )
        return [
            Entry(
                kind=NOTE,
                at=note.created_at,
                key=f"note:{note.pk}",
                template="portal/timeline/note.html",
                title="",
                private=True,
                data={
                    "body_html": note.body_html,
                    "author": _display_name(note.author),
                },
            )
            for note in query.slice(notes, NOTE, "created_at")
        ]

    def needs_you(self, query: Query) -> list[Entry]:
        return []


def _display_name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.username


def first_activity(customer) -> datetime | None:
    """The customer's earliest activity in any app (one query per provider that says).

    Imported customers (a helpdesk's history recorded through the API) can have years
    of activity before their account was made, so "Customer for" starts at the
    earlier of this and the join date.
    """
    found = [
        at
        for fn in hooks.get_hooks(HOOK)
        if (provider := fn()) and hasattr(provider, "first_activity")
        if (at := provider.first_activity(customer)) is not None
    ]
    return min(found, default=None)
