"""Every URL × anonymous, customer, other customer and staff answers as the matrix says.

The expected cells live in tests/security/permissions/<app>.csv (see
tests/security/matrix.py). A URL pattern without a row fails
`test_every_url_pattern_has_a_row`; a row whose pattern is gone fails too.
"""

import copy
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from portal import cache as page_cache
from tests.security import matrix
from tests.security.worlds import build_world, make_people

ROWS = matrix.rows()
SEEN = {"403": 0, "described": 0, "api_errors": 0}  # the checks below ran on something
DESCRIBED_BY = re.compile(r'aria-describedby="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')


def page_problems(response, role, row_id) -> list[str]:
    """What a user would hit on an HTML answer (issue 18): a refusal that is not
    the site's own 403 page, or a form field described by an element that is not
    there; or an API error that is not JSON. Walking every cell checks every form
    the site serves, and every API error, for every role."""
    content_type = response.get("Content-Type", "")
    if row_id.split(" ", 1)[1].startswith("/api/") and response.status_code >= 400:
        SEEN["api_errors"] += 1
        if not content_type.startswith("application/json"):
            return [f"{row_id} as {role}: an API error as {content_type}, not JSON"]
    if "text/html" not in content_type:
        return []
    html = response.content.decode()
    problems = []
    if response.status_code == 403 and '<nav class="site-nav"' not in html:
        problems.append(f"{row_id} as {role}: a bare 403, not the site's page")
    ids = set(ID.findall(html))
    SEEN["403"] += response.status_code == 403
    SEEN["described"] += len(DESCRIBED_BY.findall(html))
    for value in DESCRIBED_BY.findall(html):
        for target in value.split():
            if target not in ids:
                problems.append(f"{row_id} as {role}: aria-describedby #{target} missing")
    return problems


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    patterns = set(matrix.walk())
    covered = {(row.route, row.name) for row in ROWS}
    missing = sorted(patterns - covered)
    stale = sorted(covered - patterns)
    assert not missing, "URL patterns without a permission-matrix row:\n" + "\n".join(
        f"{route},{name}" for route, name in missing
    )
    assert not stale, f"Rows for patterns that no longer exist: {stale}"


@pytest.fixture
def people(db):
    return make_people()


def client_for(role, people):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


# The owner goes last, so a POST that changes their object (revoking their
# token) is refused to the others first.
ORDER = ("anonymous", "other_customer", "staff", "customer")


@pytest.mark.django_db
def test_every_cell_of_the_matrix_matches(people):
    """One world, every row in its own rolled-back savepoint (fast, and isolated)."""
    # Sign everyone in before the world exists: a log-in changes last_login,
    # which would void the password-reset token the world makes.
    clients = {role: client_for(role, people) for role in ORDER}
    world = build_world(people)
    cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
    mismatches, problems = [], []
    for row in ROWS:
        cache.clear()
        page_cache.clear_local()
        for role, client in clients.items():  # undo a log-out in the previous row
            client.cookies = copy.deepcopy(cookies[role])
        path = row.path.format(**world)
        with transaction.atomic():
            got = {}
            for role in ORDER:
                response = clients[role].generic(row.method, path)
                got[role] = response.status_code
                problems.extend(page_problems(response, role, f"{row.method} {path}"))
            transaction.set_rollback(True)
        expected = {role: row.expected[role] for role in ORDER}
        if got != expected:
            mismatches.append(f"{row.method} {path}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)
    assert not problems, "\n".join(problems)
    assert SEEN["403"] >= 20 and SEEN["described"] >= 50, SEEN  # it looked
    assert SEEN["api_errors"] >= 100, SEEN
    assert len(ROWS) * len(ORDER) >= 4 * 40  # the matrix is not quietly empty
