"""Oversized requests get 413 at the door, before their body is read."""

import time

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/community/ask/", "/reviews/write/1/", "/api/v1/community/questions/"]
)
def test_a_body_declared_larger_than_the_cap_is_refused_unread(client, settings, path):
    settings.CANDOR_MAX_REQUEST_BYTES = 1024
    started = time.monotonic()
    # The body is small; the declared length is what counts, so nothing is read.
    response = client.post(
        path, b"x" * 10, content_type="application/octet-stream", CONTENT_LENGTH="2048"
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert time.monotonic() - started < 1.0


def test_a_request_under_the_cap_goes_through(client, site_tree):
    assert client.post("/community/ask/", {"title": "x"}).status_code == 302  # to log in


def test_a_one_megabyte_form_body_is_a_400_not_a_500(client, site_tree):
    started = time.monotonic()
    response = client.post("/account/login/", {"username": "x" * 3_000_000, "password": "y"})
    assert response.status_code in (400, 413)
    assert time.monotonic() - started < 1.0


def test_readiness_needs_the_database_and_reports_redis(client, settings):
    response = client.get("/healthz/ready/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response["Cache-Control"] == "no-store"


def test_readiness_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz/ready/")
    assert response.status_code == 503
    assert b'"database": "down"' in response.content
