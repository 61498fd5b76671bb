"""Staff write, preview and publish knowledge-base articles in the Wagtail admin."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from portal.models import ArticlePage, Branding

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "Pair the hub",
        "slug": "pair-the-hub",
        "summary": "How to pair devices.",
        "body": streamfield(
            [
                ("heading", {"text": "Steps", "level": "h2"}),
                ("paragraph", rich_text("<p>Hold the button for five seconds.</p>")),
                (
                    "callout",
                    {"kind": "tip", "text": rich_text("<p>Keep the hub close.</p>")},
                ),
                ("code", {"language": "shell", "code": "pair --now"}),
            ]
        ),
        "tags": "hub, setup",
        "last_reviewed": "2026-11-01",
    }
    related = overrides.pop("related_products", [])
    data.update(overrides)
    form = nested_form_data(data)
    form["related_products"] = related  # a multiple-choice field: keep it a plain list
    return form


def test_staff_can_create_and_publish_an_article(staff_client, site_tree, product):
    kb = site_tree["kb"]
    url = f"/admin/pages/add/portal/articlepage/{kb.pk}/"
    assert staff_client.get(url).status_code == 200
    data = article_form(related_products=[product.pk])
    data["action-publish"] = "action-publish"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="pair-the-hub")
    assert article.live
    assert [p.pk for p in article.related_products.all()] == [product.pk]
    html = staff_client.get(article.url).content.decode()
    assert "Hold the button for five seconds." in html
    assert "Keep the hub close." in html


def test_staff_can_save_a_draft_that_the_public_does_not_see(
    staff_client, client, site_tree
):
    kb = site_tree["kb"]
    response = staff_client.post(
        f"/admin/pages/add/portal/articlepage/{kb.pk}/", article_form(slug="draft-one")
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="draft-one")
    assert not article.live
    from django.test import Client

    assert Client().get("/help/draft-one/").status_code == 404


def test_staff_can_schedule_an_article(staff_client, site_tree):
    kb = site_tree["kb"]
    data = article_form(slug="later", go_live_at="2099-01-01 09:00")
    data["action-publish"] = "action-publish"
    staff_client.post(f"/admin/pages/add/portal/articlepage/{kb.pk}/", data)
    article = ArticlePage.objects.get(slug="later")
    assert not article.live
    assert article.get_latest_revision().approved_go_live_at is not None


def test_staff_can_preview_an_article(staff_client, site_tree):
    kb = site_tree["kb"]
    response = staff_client.post(
        f"/admin/pages/add/portal/articlepage/{kb.pk}/preview/",
        article_form(slug="preview-me"),
    )
    assert response.status_code == 200
    assert response.json()["is_valid"] is True


def test_branding_refuses_a_colour_without_enough_contrast(site_tree):
    from django.core.exceptions import ValidationError

    branding = Branding(
        site=site_tree["home"].get_site(), company_name="Acme", primary_colour="#ffff00"
    )
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "too light" in str(error.value)
    branding.primary_colour = "#1d4ed8"
    branding.full_clean()


def test_branding_is_shown_on_every_page(client, site_tree):
    branding = Branding.for_site(site_tree["home"].get_site())
    branding.company_name = "Acme Networks"
    branding.primary_colour = "#7c2d12"
    branding.save()
    html = client.get("/").content.decode()
    assert "Acme Networks" in html
    assert "--brand:#7c2d12" in html


def test_the_staff_role_grants_what_staff_need_and_nothing_to_customers(
    staff_user, customer
):
    assert staff_user.has_perm("wagtailadmin.access_admin")
    assert staff_user.has_perm("portal.change_branding")
    assert not customer.has_perm("wagtailadmin.access_admin")


def test_the_admin_asks_no_third_party_for_staff_avatars(staff_client, site_tree):
    """No Gravatar: it would send a hash of the staff member's email to another company."""
    page = staff_client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
