"""Every URL × anonymous, customer, other customer and staff answers as the matrix says.

The expected cells live in tests/security/permissions/<app>.csv (see
tests/security/matrix.py). A URL pattern without a row fails
`test_every_url_pattern_has_a_row`; a row whose pattern is gone fails too.
"""

import copy

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from portal import cache as page_cache
from tests.security import matrix
from tests.security.worlds import build_world, make_people

ROWS = matrix.rows()


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
    mismatches = []
    for row in ROWS:
        cache.clear()
        page_cache.clear_local()
        for role, client in clients.items():  # undo a log-out in the previous row
            client.cookies = copy.deepcopy(cookies[role])
        path = row.path.format(**world)
        with transaction.atomic():
            got = {
                role: clients[role].generic(row.method, path).status_code
                for role in ORDER
            }
            transaction.set_rollback(True)
        expected = {role: row.expected[role] for role in ORDER}
        if got != expected:
            mismatches.append(f"{row.method} {path}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)
    assert len(ROWS) * len(ORDER) >= 4 * 40  # the matrix is not quietly empty
