"""One base URL (WAGTAILADMIN_BASE_URL) for every absolute URL: the API's product and
article links, the API root, JSON-LD and the meter badge snippet, as in emails
(issue 17: the API said http://localhost/... while emails used the base URL)."""

import json
import re

import pytest

from tests.factories.community import make_answer, make_question
from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db

BASE = "https://support.example.com"


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"


def _urls(data) -> list[str]:
    found = re.findall(r'"(https?://[^"]+)"', json.dumps(data))
    assert found
    return found


def test_the_api_gives_product_and_article_links_on_the_base_url(
    client, product, article
):
    products = client.get("/api/v1/products/").json()["results"]
    assert products[0]["url"] == f"{BASE}{product.url}"
    detail = client.get(f"/api/v1/products/{product.slug}/").json()
    assert detail["url"] == f"{BASE}{product.url}"
    articles = client.get("/api/v1/articles/").json()["results"]
    assert articles[0]["url"].startswith(BASE + "/")
    root = client.get("/api/v1/").json()
    assert all(u.startswith(BASE + "/") for u in _urls(root))


def test_json_ld_and_the_badge_snippet_use_the_base_url(client, product, customer):
    question = make_question(customer)
    make_answer(question)
    html = client.get(question.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert all(u.startswith(BASE + "/") for u in _urls(data) if "schema.org" not in u)
    write_review(product)
    html = client.get(product.url).content.decode()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(ld[1])["url"] == f"{BASE}{product.url}"
    html = client.get("/satisfaction/badge/").content.decode()
    assert f"{BASE}/satisfaction/badge.svg" in html
    assert "http://testserver" not in html
