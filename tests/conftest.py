"""Shared fixtures: a site tree, members and staff, clean mail, caches and media."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from portal import cache as page_cache
from tests.factories.portal import make_article, make_product, make_site_tree
from tests.factories.users import PASSWORD, StaffFactory, UserFactory

pytest_plugins = ["tests.browser"]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(item.fixturenames)
    )


def pytest_collection_modifyitems(config, items):
    """Refuse a module that mixes transactional and ordinary database tests.

    A transactional test ends by flushing the test database, which also removes
    what migrations made (Wagtail's root page, groups and their permissions).
    pytest-django therefore runs transactional tests after the others; under
    pytest-xdist (``--dist loadfile --no-loadscope-reorder``: modules handed out
    in that order) it holds per worker only if each module is all one kind,
    since a module's tests run together on one worker.
    """
    kinds: dict = {}
    for item in items:
        if item.get_closest_marker("django_db") or "db" in item.fixturenames:
            kinds.setdefault(item.path, set()).add(_transactional(item))
    mixed = sorted(str(path) for path, found in kinds.items() if len(found) > 1)
    if mixed:
        raise pytest.UsageError(
            "These modules mix transactional and ordinary database tests; move the "
            "transactional ones to a module of their own:\n" + "\n".join(mixed)
        )


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Fresh media folder and an empty cache for every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    page_cache.clear_local()
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def site_tree(db):
    home, products, kb = make_site_tree()
    return {"home": home, "products": products, "kb": kb}


@pytest.fixture
def product(site_tree):
    return make_product(site_tree["products"], "Router X", tags=["wifi", "setup"])


@pytest.fixture
def article(site_tree, product):
    return make_article(
        site_tree["kb"], "Set up Router X", tags=["setup"], products=[product]
    )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def customer(db):
    return UserFactory(username="ana", profile__display_name="Ana Souza")


@pytest.fixture
def other_customer(db):
    return UserFactory(username="ben", profile__display_name="Ben Okafor")


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="sam", profile__display_name="Sam Rivera")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}; cache: {settings.CACHES['default']['BACKEND']}"
