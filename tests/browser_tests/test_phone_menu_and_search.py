"""The header menu and the search page at 375x667 and 1280x800 (issue 19): a folded menu
on phones that opens without JavaScript, links shown on desktop, the first result on the
first phone screen, and the next steps on an empty search."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_horizontal_scroll
from tests.factories.portal import make_article, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_the_phone_menu_is_folded_and_opens_with_or_without_javascript(
    live_server, browser_page, site_tree, javascript
):
    page = browser_page(width=375, height=667, java_script_enabled=javascript)
    page.goto(live_server.url + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64
    toggle = page.locator(".site-menu > summary")
    expect(toggle).to_have_text("Menu")
    expect(page.get_by_role("link", name="Log in")).to_be_hidden()

    toggle.click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Products").click()
    expect(page).to_have_url(live_server.url + "/products/")
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []


def test_desktop_shows_the_links_without_a_menu_button(
    live_server, browser_page, site_tree
):
    page = browser_page(width=1280, height=800)
    page.goto(live_server.url + "/")
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    for name in ("Products", "Community", "Log in", "Sign up"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(
        page.get_by_role("combobox", name="Search products, answers and help articles")
    ).to_be_visible()
    # Each link is in the page once: no hidden copy for screen readers.
    assert page.get_by_role("link", name="Log in").count() == 1


@pytest.mark.parametrize("width,height", [(375, 667), (1280, 800)])
def test_search_puts_the_first_result_on_the_first_screen(
    live_server, browser_page, site_tree, width, height
):
    router = make_product(site_tree["products"], "Router X", tags=["wifi", "setup"])
    for n in range(6):
        make_article(
            site_tree["kb"], f"Router X guide {n}", tags=["wifi"], products=[router]
        )
    page = browser_page(width=width, height=height)
    page.goto(live_server.url + "/search/?q=router")
    first = page.locator(".result").first
    box = first.bounding_box()
    assert box["y"] + 40 <= height, box
    filters = page.get_by_role("link", name="Articles (6)")
    if width < 640:
        expect(filters).to_be_hidden()
        page.locator(".search-filters > summary").click()
    expect(filters).to_be_visible()
    filters.click()
    expect(page.get_by_role("heading", name="6 results for “router”")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_an_empty_search_offers_to_ask_or_talk_to_a_person(
    live_server, browser_page, site_tree, width
):
    page = browser_page(width=width, height=800)
    page.goto(live_server.url + "/search/?q=zzqxv")
    expect(page.get_by_role("heading", name="No results for “zzqxv”")).to_be_visible()
    expect(page.get_by_role("link", name="Talk to a person")).to_be_visible()
    ask = page.get_by_role("link", name="Ask the community")
    expect(ask).to_be_visible()
    ask.click()
    # Asking needs an account: the log-in page keeps where the visitor was going.
    expect(page).to_have_url(
        live_server.url
        + "/account/login/?next=/community/ask/%3Ftitle%3Dzzqxv%26searched%3Dzzqxv"
    )
    assert page.console_errors == []
