"""The product page in the order a shopper reads it (issue 19): title, the rating under it,
key facts, reviews, then questions, speed of help, top helpers and help articles."""

import re

import pytest

from community import services as community_services
from tests.factories.community import make_answer, make_question
from tests.factories.reviews import bulk_reviews, write_review

pytestmark = pytest.mark.django_db


def _positions(html: str, *markers: str) -> list[int]:
    found = [html.find(marker) for marker in markers]
    assert all(p >= 0 for p in found), dict(zip(markers, found, strict=True))
    return found


def test_the_rating_sits_under_the_title_and_reviews_come_before_questions(
    client, product, customer, other_customer
):
    for rating in (5, 4, 4, 1):
        write_review(product, rating=rating)
    question = make_question(customer, product=product, title="Lights blink orange")
    community_services.answer_accept(
        answer=make_answer(question, other_customer), by=customer
    )
    html = client.get(product.url).content.decode()
    positions = _positions(
        html,
        "<h1>Router X</h1>",
        'class="title-rating"',
        'class="lead"',
        'id="reviews-heading"',
        'id="product-questions"',
        'id="speed-of-help"',
        'id="product-top-members"',
        'id="product-articles"',
    )
    assert positions == sorted(positions)
    # Directly under the title: nothing but whitespace and the line's stylesheet between.
    between = html[positions[0] + len("<h1>Router X</h1>") : positions[1]]
    assert re.fullmatch(r"\s*<link[^>]*>\s*<p\s", between), between
    line = html[positions[1] : html.index("</p>", positions[1])]
    assert 'href="#reviews"' in line
    # The comma belongs to the first part: a bare ", " between the flex items would be
    # spaced like an item of its own and read "4.2 out of 5 , 4 reviews".
    assert re.search(r"<strong>[\d.]+</strong> out of 5,</span> <span>4 reviews</span>", line)


def test_the_title_line_shows_the_adjusted_score_with_thousands_separators(
    client, product
):
    bulk_reviews(product, 1234, ratings=(5, 4))
    html = client.get(product.url).content.decode()
    line = html[html.index('class="title-rating"') :]
    line = line[: line.index("</p>")]
    assert "1,234 reviews" in line and "(adjusted score)" in line
    assert re.search(r'<span class="stars" aria-hidden="true">★★★★[★☆]</span>', line)
    assert "1,234 reviews" in html[html.index('id="reviews-heading"') :]


def test_a_product_without_reviews_says_so_under_the_title(client, product):
    html = client.get(product.url).content.decode()
    line = html[html.index('class="title-rating"') :]
    assert line[: line.index("</p>")].endswith('<a href="#reviews">No reviews yet</a>')
