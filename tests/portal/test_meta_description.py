"""Every main page has a <meta name="description"> from its content: home, meter,
question, product, article (issue 17; Lighthouse SEO)."""

import html as html_lib
import re

import pytest

from tests.factories.community import make_question

pytestmark = pytest.mark.django_db

_META = re.compile(r'<meta name="description" content="([^"]*)">')


def _description(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    found = _META.findall(page.content.decode())
    assert len(found) == 1, (url, found)
    text = html_lib.unescape(found[0])
    assert 10 <= len(text) <= 160, (url, text)
    return text


def test_home_meter_question_product_and_article_describe_themselves(
    client, site_tree, product, article, customer
):
    assert "customers" in _description(client, "/")
    assert "satisfied" in _description(client, "/satisfaction/")
    question = make_question(
        customer,
        body="My router's **guest network** drops every evening & comes back at ten.",
    )
    text = _description(client, question.get_absolute_url())
    assert text.startswith("My router's guest network drops every evening & comes")
    assert _description(client, product.url) == product.summary[:160]
    assert (
        _description(client, article.url)
        == (article.search_description or article.summary)[:160]
    )
