"""A visitor signs up, logs in, searches, opens an article and says it helped: phone and desktop."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import ArticleFeedback
from tests.browser import assert_no_horizontal_scroll, expect_signed_in, open_menu
from tests.factories.portal import make_article, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_sign_up_log_in_search_read_and_rate_an_article(
    live_server, browser_page, site_tree, width
):
    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    make_article(
        site_tree["kb"],
        "Update Router X firmware",
        text="Open the app and tap Update.",
        products=[product],
    )
    email = f"new-{width}@example.com"

    page = browser_page(width=width)
    page.goto(live_server.url + "/")
    open_menu(page)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Display name").fill("Nadia Nour")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Welcome to the community, Nadia Nour!")).to_be_visible()

    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect_signed_in(page)

    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").first.fill("firmware")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Update Router X firmware").click()
    expect(page.get_by_text("Open the app and tap Update.")).to_be_visible()

    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("1 of 1 found this helpful")).to_be_visible()
    assert page.get_by_text("You said it helped.").is_visible()
    assert ArticleFeedback.objects.filter(user__email=email, helpful=True).count() == 1

    # Nothing on the page is wider than the screen.
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []
    assert re.search(r"/help/update-router-x-firmware/", page.url)
