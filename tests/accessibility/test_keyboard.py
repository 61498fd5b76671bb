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
    const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // The ring sits outside the element (outline-offset), on its parent's background.
    let under = el.parentElement, back = [255, 255, 255];
    while (under) {
        const colour = rgb(getComputedStyle(under).backgroundColor);
        if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) { back = colour.slice(0, 3); break; }
        under = under.parentElement;
    }
    const ring = luminance(rgb(style.outlineColor).slice(0, 3)), ground = luminance(back);
    return {
        contrast: (Math.max(ring, ground) + 0.05) / (Math.min(ring, ground) + 0.05),
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
        # WCAG 2.2 focus appearance: the ring against what it lands on, >= 3:1.
        assert focused["contrast"] >= 3, f"focus ring under 3:1 on {focused}"
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

    # Sign up (on a phone the header links are behind the "Menu" button).
    if width < 640:
        tab_to(page, lambda f: f["tag"] == "summary" and f["text"] == "Menu")
        page.keyboard.press("Enter")
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
    # Chosen and focused look different: the chosen answer is filled, not ringed.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    chosen = page.locator("button.is-chosen")
    assert chosen.inner_text().strip() == "Yes"
    assert chosen.evaluate("el => getComputedStyle(el, '::before').content") == '"✓ "'
    assert chosen.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    assert chosen.evaluate("el => getComputedStyle(el).boxShadow") == "none"
    assert page.console_errors == []


def submit(page, key="Enter"):
    """Press `key` on the focused button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.mark.parametrize("width", [375, 1280])
def test_ask_answer_vote_review_and_answer_a_survey_with_the_keyboard_only(
    live_server, browser_page, site_tree, client, width
):
    from community.models import Answer, Question, Vote
    from reviews.models import Review
    from satisfaction.models import SurveyResponse
    from satisfaction.tokens import survey_token_make
    from tests.factories.community import make_question
    from tests.factories.satisfaction import record
    from tests.factories.users import UserFactory

    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    member = UserFactory(username="kai", profile__display_name="Kai Keys")
    asked = make_question(title="Which antenna mount fits the outdoor unit best?")
    client.force_login(member)
    page = browser_page(width=width)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    # Ask a question.
    page.goto(live_server.url + "/community/ask/")
    tab_to(page, lambda f: f["name"] == "title")
    page.keyboard.type("How do I turn off the status light at night?")
    tab_to(page, lambda f: f["name"] == "body", limit=5)
    page.keyboard.type("It lights up the whole bedroom; the app has no setting for it.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"].startswith("Post my question"))
    submit(page)
    if "/community/ask/" in page.url:  # similar questions were suggested first
        tab_to(page, lambda f: f["tag"] == "button" and "anyway" in f["text"])
        submit(page)
    assert "/community/questions/" in page.url
    assert Question.objects.filter(author=member).count() == 1

    # Answer someone else's question, then vote it up.
    page.goto(live_server.url + asked.get_absolute_url())
    tab_to(page, lambda f: f["tag"] == "textarea" and f["name"] == "body", limit=80)
    page.keyboard.type("The short mount; the long one wobbles in the wind.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Post your answer")
    submit(page)
    assert Answer.objects.filter(author=member, question=asked).exists()
    page.goto(live_server.url + asked.get_absolute_url())
    tab_to(page, lambda f: f["tag"] == "button" and f["name"] == "value")
    submit(page)
    assert Vote.objects.filter(user=member, question=asked, value=1).exists()

    # Write a review: the stars are radio buttons, chosen with the arrow keys.
    page.goto(live_server.url + f"/reviews/write/{product.pk}/")
    tab_to(page, lambda f: f["name"] == "rating")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "title", limit=10)
    page.keyboard.type("Quiet and steady")
    tab_to(page, lambda f: f["name"] == "body", limit=5)
    page.keyboard.type("No drops in two weeks of use.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Publish review")
    submit(page)
    assert "/reviews/write/" not in page.url
    assert Review.objects.filter(author=member, product=product).exists()

    # Answer a survey from its emailed link, signed out.
    link = f"/satisfaction/survey/{survey_token_make(record().invitation)}/"
    survey = browser_page(width=width)
    survey.goto(live_server.url + link)
    # Yes and No are two equal radio choices; the comment comes after the choice.
    tab_to(survey, lambda f: f["tag"] == "input" and f["name"] == "answer")
    survey.keyboard.press("Space")
    tab_to(survey, lambda f: f["tag"] == "button" and f["text"] == "Send my answer")
    submit(survey)
    assert survey.get_by_role("heading", name="Thank you for your answer").is_visible()
    assert SurveyResponse.objects.filter(satisfied=True).count() == 1
    assert page.console_errors == [] and survey.console_errors == []
