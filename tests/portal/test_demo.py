"""The demo command loads a believable site and running it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from portal.models import ArticlePage, ProductPage

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Page.objects.count(),
        ProductPage.objects.live().count(),
        ArticlePage.objects.live().count(),
        get_user_model().objects.count(),
        get_image_model().objects.count(),
    )


def test_demo_loads_products_articles_and_accounts_and_is_idempotent(client, capsys):
    call_command("portal_demo")
    out = capsys.readouterr().out
    first = snapshot()
    assert first[1] >= 6 and first[2] >= 20
    assert all(p.image_id for p in ProductPage.objects.all())
    assert "candor-customer-demo" in out and "candor-staff-demo" in out
    call_command("portal_demo")
    assert snapshot() == first
    assert client.get("/").status_code == 200
    assert "Router X" in client.get("/products/").content.decode()
    assert client.login(username="ana@example.com", password="candor-customer-demo")
    assert client.get("/admin/").status_code == 403
    assert client.login(username="sam@candor.test", password="candor-staff-demo")
    assert client.get("/admin/").status_code == 200
