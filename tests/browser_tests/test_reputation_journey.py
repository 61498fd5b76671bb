"""At phone and desktop width: a member answers, earns a badge, finds it on their account and
public profile, opens its verification page with the LinkedIn and Open Badges links, and
appears on the product's leaderboard once the answer is accepted."""

import pytest
from playwright.sync_api import expect

from community import services
from community.models import Answer
from tests.browser import assert_no_horizontal_scroll, expect_signed_in, open_menu
from tests.factories.community import make_question
from tests.factories.portal import make_product
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, email):
    page.goto(base + "/account/login/")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_signed_in(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_member_earns_a_badge_and_shares_it_from_account_profile_and_leaderboard(
    live_server, browser_page, site_tree, width
):
    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    question = make_question(
        UserFactory(username="nadia"), title="Router X drops the guest network every night", product=product
    )
    helper = UserFactory(username="omar", email="omar@example.com", profile__display_name="Omar Diallo")
    page = browser_page(width=width)
    base = live_server.url

    # The member answers: "First answer" is awarded right after the answer commits.
    _log_in(page, base, helper.email)
    page.goto(base + question.get_absolute_url())
    page.get_by_label("Your answer").fill(
        "Turn off the nightly channel scan under Wireless, then restart the router once."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    services.answer_accept(answer=Answer.objects.get(author=helper), by=question.author)

    # The account page lists the new badge; its verification page offers LinkedIn and Open Badges.
    open_menu(page)
    page.get_by_role("link", name="My account").click()
    badges = page.locator("#account-badges").locator("..")
    expect(badges.get_by_text("You earned")).to_be_visible()
    badges.get_by_role("link", name="Bronze: First answer").click()
    expect(page.get_by_role("heading", level=1, name="Bronze: First answer")).to_be_visible()
    expect(page.get_by_text("Awarded to Omar Diallo")).to_be_visible()
    linkedin = page.get_by_role("link", name="Add to LinkedIn profile")
    expect(linkedin).to_be_visible()
    assert linkedin.get_attribute("href").startswith("https://www.linkedin.com/profile/add?")
    credential = page.get_by_role("link", name="Open Badges 3.0 credential (JSON)")
    expect(credential).to_be_visible()
    if width == 375:
        assert_no_horizontal_scroll(page)
    body = page.request.get(base + credential.get_attribute("href")).json()
    assert "OpenBadgeCredential" in body["type"] and body["credentialSubject"]["achievement"]["name"]

    # The public profile shows it among the badges, with reputation from the acceptance.
    page.get_by_role("link", name="Omar Diallo").first.click()
    expect(page.get_by_role("heading", level=1, name="Omar Diallo")).to_be_visible()
    section = page.locator("section", has=page.locator("#member-badges"))
    expect(section.get_by_role("link", name="Verify First answer", exact=False)).to_be_visible()
    if width == 375:
        assert_no_horizontal_scroll(page)

    # The product's leaderboard ranks the member.
    page.goto(base + "/community/leaderboard/")
    page.get_by_role("link", name="Router X").first.click()
    expect(page.get_by_role("heading", level=1, name="Top members in Router X")).to_be_visible()
    ranking = page.locator("table.leaderboard")
    expect(ranking.get_by_role("link", name="Omar Diallo")).to_be_visible()
    expect(ranking.get_by_text("+15")).to_be_visible()
    if width == 375:
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []
