"""The product page a shopper sees first (issue 19): the stars under the title in the first
screen on a 375 px phone and on a 1280 px desktop, where the reviews start within ~900 px."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_scroll
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_image, make_product
from tests.factories.reviews import write_review
from tests.factories.users import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(375, 667), (1280, 900)])
def test_stars_are_in_the_first_screen_and_reviews_come_before_questions(
    live_server, browser_page, site_tree, width, height
):
    product = make_product(
        site_tree["products"],
        "Doorbell Cam D3",
        summary="A video doorbell that sees the whole porch, day and night.",
        tags=["doorbell", "video"],
        image=make_image("Doorbell"),
    )
    for rating in (5, 4, 4, 5, 2):
        write_review(product, rating=rating, body="Clear picture, quick alerts.")
    asker = UserFactory()
    question = make_question(asker, product=product, title="Night vision is grainy")
    make_answer(question, UserFactory())

    page = browser_page(width=width, height=height)
    page.goto(live_server.url + product.url)
    line = page.locator(".title-rating")
    expect(line).to_contain_text("out of 5, 5 reviews")
    box = line.bounding_box()
    assert box["y"] + box["height"] <= height, (width, box)
    reviews_top = page.locator("#reviews").bounding_box()["y"]
    questions_top = page.locator("#product-questions").bounding_box()["y"]
    assert reviews_top < questions_top
    if width >= 1280:
        assert reviews_top <= 900, reviews_top
    line.get_by_role("link").click()
    expect(page).to_have_url(live_server.url + product.url + "#reviews")
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []
