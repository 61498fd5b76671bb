"""Read replicas: reads go to a replica, writes and a writing request's reads to the primary.

The settings read DATABASE_REPLICA_URLS when they load, so this runs Django in
a subprocess with two SQLite files standing in for a primary and its replica.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from portal.db_router import PinPrimaryMiddleware, PrimaryReplicaRouter, pin_primary
from portal.models import Profile

router = PrimaryReplicaRouter()
seen = {}
def view(request):
    seen[request.method] = router.db_for_read(Profile)
    return HttpResponse()
middleware = PinPrimaryMiddleware(view)
middleware(RequestFactory().get("/"))
middleware(RequestFactory().post("/"))
with pin_primary():
    pinned = router.db_for_read(Profile)
print(json.dumps({
    "aliases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
    "read": router.db_for_read(Profile),
    "write": router.db_for_write(Profile),
    "pinned": pinned,
    "get": seen["GET"],
    "post": seen["POST"],
    "migrate_replica": router.allow_migrate("replica_1", "portal"),
    "migrate_default": router.allow_migrate("default", "portal"),
}))
"""


def test_reads_use_the_replica_and_writing_requests_stay_on_the_primary(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["aliases"] == ["default", "replica_1"]
    assert facts["routers"] == ["portal.db_router.PrimaryReplicaRouter"]
    assert facts["read"] == "replica_1" and facts["get"] == "replica_1"
    assert facts["write"] == "default"
    assert facts["pinned"] == "default" and facts["post"] == "default"
    assert facts["migrate_replica"] is False and facts["migrate_default"] is True


def test_without_replicas_everything_uses_the_one_database(settings):
    from portal.db_router import PrimaryReplicaRouter
    from portal.models import Profile

    assert PrimaryReplicaRouter().db_for_read(Profile) == "default"
