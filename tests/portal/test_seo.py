"""robots.txt, the sitemap, canonical links and the staff user bar: what crawlers and
staff get."""

import html as html_lib
import re

import pytest

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


# Canonical links (issue 19) ------------------------------------------------------

BASE = "https://support.example.com"
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')


def _canonical(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    found = _CANONICAL.findall(response.content.decode())
    assert len(found) == 1, (url, found)
    return html_lib.unescape(found[0])


@pytest.fixture
def public_base(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"


def test_main_pages_have_one_absolute_canonical_without_sort_or_tracking(
    client, public_base, product, article, customer
):
    question = make_question(customer, product=product)
    tracking = "sort=newest&utm_source=mail&fbclid=abc"
    pages = {
        "/": f"{BASE}/",
        question.get_absolute_url(): f"{BASE}{question.get_absolute_url()}",
        product.url: f"{BASE}{product.url}",
        article.url: f"{BASE}{article.url}",
        "/satisfaction/": f"{BASE}/satisfaction/",
    }
    for url, expected in pages.items():
        assert _canonical(client, f"{url}?{tracking}") == expected, url
    # A search's words and filters choose what is shown: they stay, in one order.
    assert (
        _canonical(client, f"/search/?sort=x&tag=wifi&q=router+lights&{tracking}")
        == f"{BASE}/search/?q=router+lights&tag=wifi"
    )


def test_canonical_uses_the_public_base_url_whatever_the_host(
    client, public_base, site_tree
):
    assert _canonical(client, "/", HTTP_HOST="localhost") == f"{BASE}/"


def test_canonical_keeps_the_page_of_a_list_beyond_the_first(
    client, public_base, customer
):
    from community.selectors import QUESTIONS_PER_PAGE

    for n in range(QUESTIONS_PER_PAGE + 1):
        make_question(customer, title=f"Question number {n} about routers")
    assert _canonical(client, "/community/?page=1&sort=votes") == f"{BASE}/community/"
    assert (
        _canonical(client, "/community/?sort=votes&page=2")
        == f"{BASE}/community/?page=2"
    )
    # The paginator shows the last page for a page past the end: so does the link.
    assert (
        _canonical(client, "/community/?page=999") == f"{BASE}/community/?page=2"
    )
    assert _canonical(client, "/community/?page=abc") == f"{BASE}/community/"


def test_error_pages_have_no_canonical(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()
