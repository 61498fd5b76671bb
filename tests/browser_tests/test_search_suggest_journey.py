"""Suggestions as you type (issue 15), in a real browser at phone width: the header
search box is a combobox over the site search, and the ask title the same module."""

import re

import pytest
from playwright.sync_api import expect

from community import services
from tests.browser import assert_no_horizontal_scroll, expect_signed_in, open_menu
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_article, make_product
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_suggestions_by_keyboard_and_the_ask_title_shows_similar_questions(
    live_server, browser_page, site_tree
):
    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    article = make_article(
        site_tree["kb"],
        "Update Router X firmware",
        summary="Install the latest firmware safely.",
        products=[product],
    )
    earlier = make_question(UserFactory(), title="Router X firmware update fails at 90%")
    services.answer_accept(
        answer=make_answer(earlier, UserFactory()), by=earlier.author
    )
    member = UserFactory(email="lena@example.com")

    page = browser_page(width=375)
    page.goto(live_server.url + "/")
    open_menu(page)  # on a phone the header search box is in the folded menu
    box = page.get_by_role("combobox", name="Search products, answers and help articles")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("firmw", delay=40)
    listbox = page.get_by_role("listbox")
    suggestion = listbox.get_by_role("option", name=re.compile("Update Router X firmware"))
    expect(suggestion).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert_no_horizontal_scroll(page)
    options = [o.get_attribute("id") for o in listbox.get_by_role("option").all()]
    article_id = suggestion.get_attribute("id")

    # Escape closes the list; arrow down opens it again on the first suggestion.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == "firmw"
    # Arrow down to the article (its rank among the options differs by backend).
    for _step in range(options.index(article_id) + 1):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", article_id)
    expect(suggestion).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(live_server.url + article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Update Router X firmware")

    # Without choosing a suggestion, Enter is the ordinary search.
    open_menu(page)
    box = page.get_by_role("combobox", name="Search products, answers and help articles")
    box.fill("firmware")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=firmware"))
    expect(page.get_by_text("Update Router X firmware").first).to_be_visible()

    # The ask title: the same module lists similar questions and help articles.
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email or username").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_signed_in(page)
    page.goto(live_server.url + "/community/ask/")
    title = page.get_by_role("combobox", name="Your question")
    title.press_sequentially("Router X firmware update", delay=30)
    similar = page.get_by_role("listbox")
    expect(similar.get_by_role("group", name="Questions like yours")).to_be_visible()
    expect(
        similar.get_by_role("option", name=re.compile(re.escape(earlier.title)))
    ).to_be_visible()
    expect(
        similar.get_by_role("option", name=re.compile("Update Router X firmware"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Post my question anyway")).to_be_visible()
    expect(
        page.get_by_role("button", name="A suggestion answered my question")
    ).to_be_visible()
    assert page.locator('[name="confirmed"]').input_value() == "1"
    assert page.locator('[name="questions_suggested"]').input_value() == "1"
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []
