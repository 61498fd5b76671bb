"""The bad-input corpus: every hostile request gets a 4xx or a form error, never a
5xx, and leaves every table with the same number of rows.

Cases come from tests/security/corpus/<app>.py (one module per app, listed in
APPS); objects their paths need come from tests/security/worlds.py. All cases
run against one world, each inside its own rolled-back savepoint.
"""

import copy
import importlib

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from portal import cache as page_cache
from tests.security.worlds import build_world, make_people, row_counts

APPS = ["portal", "community", "reviews", "satisfaction"]


def all_cases():
    cases = []
    for app in APPS:
        cases += importlib.import_module(f"tests.security.corpus.{app}").cases()
    return cases


def test_the_corpus_has_at_least_200_cases_across_the_apps():
    cases = all_cases()
    assert len(cases) >= 200
    assert len({case.name for case in cases}) == len(cases)  # names are unique


# A search is a read, but it logs its normalised text (no person, no address) in
# Wagtail's query log for staff's search analytics (portal/search/analytics.py),
# and a search that found nothing counts in that day's search gaps.
SEARCH_LOG = {
    "wagtailsearchpromotions_query",
    "wagtailsearchpromotions_querydailyhits",
    "portal_searchgap",
}


@pytest.mark.django_db
def test_every_hostile_request_is_refused_and_changes_nothing():
    people = make_people()
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ("customer", "other_customer", "staff"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(people[role])
    cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
    world = build_world(people)
    failures = []
    for case in all_cases():
        cache.clear()
        page_cache.clear_local()
        client = clients[case.role]
        client.cookies = copy.deepcopy(cookies[case.role])
        path = case.path.format(**world)
        with transaction.atomic():
            before = row_counts()
            kwargs = dict(case.headers)
            if case.token:
                kwargs["HTTP_AUTHORIZATION"] = f"Bearer {world['api_keys'][case.role]}"
            if case.body is not None:
                response = client.generic(
                    case.method,
                    path,
                    case.body,
                    content_type=case.content_type,
                    **kwargs,
                )
            elif case.method == "GET":
                response = client.get(path, **kwargs)
            else:
                response = client.post(path, case.data or {}, **kwargs)
            after = row_counts()
            transaction.set_rollback(True)
        status = response.status_code
        changed = {
            t: (before[t], after[t])
            for t in before
            if before[t] != after.get(t)
            and not (case.expect == "read" and path.startswith("/search/") and t in SEARCH_LOG)
        }
        ok_status = status < 500 if case.expect == "read" else 400 <= status < 500
        if not ok_status or changed:
            failures.append(
                f"{case.name}: {case.method} {path[:80]} -> {status} {changed or ''}"
            )
    assert not failures, f"{len(failures)} cases failed:\n" + "\n".join(failures)
