"""Read-only maintenance (DJANGO_READ_ONLY=1): every write in the permission
matrix gets 503 with Retry-After for every role and changes no table; every
read answers exactly as the matrix says; pages carry a banner."""

import copy
import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from portal import cache as page_cache
from tests.security import matrix
from tests.security.worlds import build_world, make_people, row_counts

ROWS = matrix.rows()
ROLES = matrix.ROLES


@pytest.mark.django_db
def test_in_read_only_mode_every_write_is_refused_and_every_read_works(settings):
    people = make_people()
    clients = {role: Client() for role in ROLES}
    for role in ROLES[1:]:
        clients[role].force_login(people[role])
    cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
    world = build_world(people)
    settings.CANDOR_READ_ONLY = True
    writes = [row for row in ROWS if row.method not in ("GET", "HEAD")]
    reads = [row for row in ROWS if row.method == "GET"]
    assert len(writes) >= 40 and len(reads) >= 40  # the matrix is not quietly empty

    mismatches = []
    # Writes are refused before any view runs: one count of every table before
    # and after all of them shows that none changed anything.
    with transaction.atomic():
        before = row_counts()
        for row in writes:
            path = row.path.format(**world)
            for role in ROLES:
                clients[role].cookies = copy.deepcopy(cookies[role])
                response = clients[role].generic(row.method, path)
                if response.status_code != 503 or response["Retry-After"] != "300":
                    mismatches.append(
                        f"{row.method} {path} as {role}: {response.status_code}, "
                        "expected 503 with Retry-After: 300"
                    )
        changed = {t: n for t, n in row_counts().items() if before.get(t) != n}
        transaction.set_rollback(True)
    assert not changed, f"writes changed tables in read-only mode: {changed}"
    # Reads answer exactly as the permission matrix says (each row rolled back).
    for row in reads:
        cache.clear()
        page_cache.clear_local()
        path = row.path.format(**world)
        for role in ROLES:
            clients[role].cookies = copy.deepcopy(cookies[role])
        with transaction.atomic():
            got = {role: clients[role].get(path).status_code for role in ROLES}
            transaction.set_rollback(True)
        if got != row.expected:
            mismatches.append(f"GET {path}: {got}, expected {row.expected}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_read_only_pages_say_so_and_refusals_explain(client, site_tree, settings):
    settings.CANDOR_READ_ONLY = True
    home = client.get("/")
    assert home.status_code == 200
    assert "read-only for maintenance" in home.content.decode()
    refused = client.post("/account/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 503
    assert "Read-only for maintenance" in refused.content.decode()
    api = client.post("/api/v1/community/questions/", {}, content_type="application/json")
    assert api.status_code == 503
    assert json.loads(api.content)["error"]["code"] == "read_only"

    settings.CANDOR_READ_ONLY = False
    assert "read-only" not in client.get("/").content.decode()
