"""At phone width: a customer asks (seeing a suggestion first), another answers, the asker
accepts, and the asker's account shows the satisfaction question."""

import pytest
from playwright.sync_api import expect

from community import services
from community.models import AskAttempt, Question
from satisfaction.models import Channel, Interaction
from tests.browser import assert_no_horizontal_scroll, expect_signed_in, open_menu
from tests.factories.community import make_answer, make_question
from tests.factories.portal import make_article, make_product
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, email):
    page.goto(base + "/account/login/")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_signed_in(page)


def test_ask_answer_accept_and_the_asker_is_asked_about_satisfaction(
    live_server, browser_page, site_tree
):
    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    make_article(
        site_tree["kb"],
        "Set up Router X guest Wi-Fi",
        summary="Give visitors Wi-Fi safely.",
        products=[product],
    )
    earlier = make_question(
        UserFactory(), title="Router X guest Wi-Fi keeps asking for a password"
    )
    services.answer_accept(
        answer=make_answer(earlier, UserFactory()), by=earlier.author
    )
    asker = UserFactory(
        username="nadia", email="nadia@example.com", profile__display_name="Nadia Nour"
    )
    helper = UserFactory(
        username="omar", email="omar@example.com", profile__display_name="Omar Diallo"
    )

    # The asker types a title and sees suggestions before posting.
    page = browser_page(width=375)
    _log_in(page, live_server.url, asker.email)
    open_menu(page)
    page.get_by_role("link", name="Community", exact=True).click()
    page.get_by_role("link", name="Ask a question").first.click()
    page.get_by_label("Your question").press_sequentially(
        "Router X guest Wi-Fi for visitors", delay=20
    )
    suggestions = page.get_by_role("listbox")
    suggestions.get_by_role("option", name="Set up Router X guest Wi-Fi").wait_for()
    assert suggestions.get_by_role("option", name=earlier.title).is_visible()
    assert page.get_by_role(
        "button", name="A suggestion answered my question"
    ).is_visible()
    page.get_by_label("Details").fill(
        "I want my visitors online without them seeing my devices."
    )
    page.get_by_label("Tags").fill("wifi, guest")
    page.get_by_label("Product (optional)").select_option(label="Router X")
    page.get_by_role("button", name="Post my question anyway").click()
    page.get_by_text("Your question is posted.").wait_for()
    question = Question.objects.get(author=asker)
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Router X guest Wi-Fi for visitors"
    )
    assert (
        AskAttempt.objects.get(question=question).outcome == AskAttempt.Outcome.POSTED
    )
    assert_no_horizontal_scroll(page)

    # Another customer answers.
    other = browser_page(width=375)
    _log_in(other, live_server.url, helper.email)
    other.goto(live_server.url + question.get_absolute_url())
    other.get_by_label("Your answer").fill(
        "Open the app, choose **Guest network** and switch it on."
    )
    other.get_by_role("button", name="Post your answer").click()
    other.get_by_text("Your answer is posted.").wait_for()
    assert other.locator(".answer").get_by_text("Guest network").is_visible()

    # The asker is told (the header badge), and accepts the answer.
    page.reload()
    open_menu(page)
    expect(page.locator("unread-count .nav-count")).to_have_text("1")
    page.get_by_role("button", name="Accept this answer").click()
    page.get_by_text("Answer accepted.").wait_for()
    assert page.get_by_text("✓ Accepted answer").is_visible()
    question.refresh_from_db()
    assert question.status == Question.Status.SOLVED
    assert (
        Interaction.objects.get(customer=asker).channel
        == Channel.COMMUNITY_ACCEPTED_ANSWER
    )
    assert_no_horizontal_scroll(page)

    # The asker's account asks whether they are satisfied.
    open_menu(page)
    page.get_by_role("link", name="My account").click()
    expect(
        page.get_by_text("Are you satisfied with the response you got?").first
    ).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []
    assert other.console_errors == []
