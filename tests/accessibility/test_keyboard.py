"""The main tasks with the keyboard alone: sign up, search, answer "Was this helpful?".

No clicks: Tab moves focus, Enter and Space act, and every focused control
shows a visible focus ring. Pages run under their real CSP here, so a CSP
violation shows up as a console error and fails the test.
"""

import pytest

from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        name: (el.getAttribute("name") || ""),
        text: (el.innerText || el.value || "").trim().slice(0, 60),
        id: el.id,
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
              || style.boxShadow !== "none",
    };
}"""


def tab_to(page, matches, limit=60):
    """Press Tab until the focused element matches; return its description."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["ring"], f"no visible focus ring on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("could not reach the control with Tab")


@pytest.mark.parametrize("width", [375, 1280])
def test_sign_up_search_and_rate_an_article_with_the_keyboard_only(
    live_server, browser_page, site_tree, width
):
    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    article = make_article(
        site_tree["kb"], "Update Router X firmware", products=[product]
    )
    page = browser_page(width=width)
    page.goto(live_server.url + "/")

    # The skip link comes first and lands on the content.
    focused = tab_to(page, lambda f: True, limit=1)
    assert focused["text"] == "Skip to content"

    # Sign up.
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Sign up")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/signup/")
    tab_to(page, lambda f: f["name"] == "display_name")
    page.keyboard.type("Kai Keys")
    tab_to(page, lambda f: f["name"] == "email", limit=5)
    page.keyboard.type(f"kai-{width}@example.com")
    tab_to(page, lambda f: f["name"] == "password", limit=5)
    page.keyboard.type("a-long-unusual-passphrase")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/")
    assert page.get_by_text("Welcome to the community, Kai Keys!").is_visible()

    # Search from the home page and open the result.
    page.goto(live_server.url + "/")
    tab_to(page, lambda f: f["id"] == "home-q")
    page.keyboard.type("firmware")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=firmware*")
    tab_to(page, lambda f: f["tag"] == "a" and "Update Router X firmware" in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{article.url}")

    # "Was this helpful?" Yes, with the space bar.
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Yes")
    page.keyboard.press("Space")
    page.wait_for_url(f"**{article.url}#feedback")
    assert page.get_by_text("Thank you for your feedback.").is_visible()
    assert ArticleFeedback.objects.filter(article=article, helpful=True).count() == 1
    assert page.console_errors == []
