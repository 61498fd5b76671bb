"""robots.txt, the sitemap and the staff user bar: what crawlers and staff get."""

from tests.factories.community import make_question
from tests.factories.portal import make_article


def test_robots_txt_keeps_crawlers_out_of_personal_and_endless_pages(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/account/", "/api/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_live_public_pages_only(client, site_tree, article):
    draft = make_article(site_tree["kb"], "Unpublished draft article")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<loc>{article.full_url}</loc>" in body
    assert draft.url_path.rstrip("/").rsplit("/", 1)[-1] not in body


def test_staff_get_the_user_bar_on_a_page_they_can_edit(staff_client, article):
    body = staff_client.get(article.url).content.decode()
    assert "wagtail-userbar" in body


def test_no_user_bar_on_community_pages_or_for_customers(
    client, staff_client, customer, article, product
):
    question = make_question(customer, product=product)
    assert "wagtail-userbar" not in staff_client.get(question.get_absolute_url()).content.decode()
    client.force_login(customer)
    assert "wagtail-userbar" not in client.get(article.url).content.decode()
