"""At phone width: a customer reviews with a photo, another finds it helpful, staff reply,
and the reviewer is asked, and answers, the satisfaction question."""

import io
import os
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from reviews.models import Review, ReviewVote
from tests.browser import assert_no_horizontal_scroll, expect_signed_in
from tests.factories.users import PASSWORD, StaffFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.goto(base_url + "/account/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_signed_in(page)


def test_review_helpful_vote_staff_reply_and_satisfaction_question_on_a_phone(
    live_server, browser_page, site_tree, tmp_path
):
    from tests.factories.portal import make_product

    product = make_product(
        site_tree["products"], "Doorbell Cam D3", summary="A video doorbell."
    )
    UserFactory(
        username="ana", email="ana@example.com", profile__display_name="Ana Souza"
    )
    UserFactory(username="ben", profile__display_name="Ben Okafor")
    StaffFactory(username="sam", profile__display_name="Sam Rivera")
    photo = tmp_path / "doorbell.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (120, 60, 200)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    url = live_server.url

    # Ana writes a two-star review with a photo.
    ana = browser_page(width=375)
    log_in(ana, url, "ana")
    ana.goto(url + product.url)
    ana.get_by_role("link", name="Write a review").click()
    ana.get_by_label("2 stars").check()
    ana.get_by_label("Title").fill("Battery drains in two days")
    ana.get_by_label("Your review").fill(
        "Since the update the battery **drains** fast."
    )
    ana.get_by_label("Photos").set_input_files(str(photo))
    ana.get_by_role("button", name="Publish review").click()
    expect(ana.get_by_text("Thank you! Your review is published.")).to_be_visible()
    review = Review.objects.get()
    card = ana.locator(f"#review-{review.pk}")
    expect(
        card.get_by_role("heading", name="Battery drains in two days")
    ).to_be_visible()
    expect(card.get_by_role("img", name="Photo 1 with this review")).to_be_visible()
    stored = review.photos.get()
    assert (
        stored.thumbnail.storage.exists(stored.thumbnail.name) and stored.width == 1200
    )
    expect(ana.locator("#reviews").get_by_text("1 review", exact=True)).to_be_visible()
    expect(ana.locator(".title-rating")).to_contain_text("out of 5, 1 review")

    # Ben finds it helpful (the custom element answers without leaving the page).
    ben = browser_page(width=375)
    log_in(ben, url, "ben")
    ben.goto(url + product.url)
    ben.locator(f"#review-{review.pk}").get_by_role("button", name="Yes").click()
    expect(ben.get_by_text("1 of 1 person found this helpful.")).to_be_visible()
    expect(
        ben.locator(f"#review-{review.pk}").get_by_role("button", name="Yes")
    ).to_have_attribute("aria-pressed", "true")
    assert ReviewVote.objects.filter(review=review, helpful=True).count() == 1

    # Sam replies for the company.
    sam = browser_page(width=375)
    log_in(sam, url, "sam")
    sam.goto(url + product.url)
    sam.get_by_role("link", name="Reply as staff").click()
    sam.get_by_label("Public reply").fill(
        "Sorry, Ana: firmware 2.4.1 fixes the drain and installs on its own."
    )
    sam.get_by_role("button", name="Publish reply").click()
    expect(sam.get_by_text("Your reply is published.")).to_be_visible()
    expect(sam.get_by_text("firmware 2.4.1 fixes the drain")).to_be_visible()

    # Ana is asked the satisfaction question, by email and on her account page.
    invitation = next(m for m in mail.outbox if m.to == ["ana@example.com"])
    survey_link = re.search(r"https?://\S+/satisfaction/\S+", invitation.body).group(0)
    ana.goto(url + "/account/")
    expect(ana.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
    ana.goto(url + urlparse(survey_link).path)
    expect(
        ana.get_by_role("heading", name="Are you satisfied with the response you got?")
    ).to_be_visible()
    ana.get_by_label(
        "Show on my reviews of this product whether I was satisfied"
    ).check()
    ana.get_by_role("radio", name="Yes").check()
    ana.get_by_role("button", name="Send my answer").click()
    expect(ana.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    ana.goto(url + product.url)
    expect(
        ana.get_by_text("Contacted support · said they were satisfied")
    ).to_be_visible()

    for page in (ana, ben, sam):
        assert_no_horizontal_scroll(page)
        assert page.console_errors == []
