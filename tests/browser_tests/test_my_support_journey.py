"""At phone width, a customer sees their waiting survey, answered question and replied review
on My support, answers the survey from there, and downloads their data."""

import json
import os

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from satisfaction.models import SurveyResponse
from tests.browser import assert_no_horizontal_scroll
from tests.factories.timeline import make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_support_at_phone_width(
    live_server,
    browser_page,
    site_tree,
    product,
    customer,
    staff_user,
    client,
    tmp_path,
):
    make_history(customer=customer, staff=staff_user, product=product)
    answered_before = SurveyResponse.objects.filter(
        interaction__customer=customer
    ).count()
    client.force_login(customer)
    page = browser_page(width=375)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + "/account/")
    page.get_by_role(
        "link", name="My support: everything you did with us, and what needs you"
    ).click()
    expect(page.get_by_role("heading", name="My support", exact=True)).to_be_visible()

    needs = page.locator("section.needs-you")
    expect(needs.get_by_role("heading", name="Needs you")).to_be_visible()
    # The answered question (with an answer to accept), the replied review, the waiting survey.
    expect(
        needs.get_by_role(
            "link", name="Why does my Router X lose Wi-Fi at night?"
        ).first
    ).to_be_visible()
    expect(needs.get_by_text("Sorry! Night mode is the cause.")).to_be_visible()
    surveys = needs.locator("form.timeline-survey")
    expect(surveys.first).to_be_visible()
    assert surveys.count() == 2  # the staff answer and the reply to the review
    assert_no_horizontal_scroll(page)

    surveys.first.get_by_label(
        "Anything you want to tell us? Only our staff will read it."
    ).fill("Quick and clear, thanks")
    surveys.first.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("Thank you! Your answer now counts")).to_be_visible()
    expect(page.get_by_role("heading", name="My support", exact=True)).to_be_visible()
    assert page.locator("section.needs-you form.timeline-survey").count() == 1
    assert (
        SurveyResponse.objects.filter(interaction__customer=customer).count()
        == answered_before + 1
    )
    expect(page.get_by_text("You answered: Yes, satisfied").first).to_be_visible()

    page.get_by_role("link", name="Download my data").first.click()
    expect(page.get_by_role("heading", name="Download my data")).to_be_visible()
    page.get_by_role("button", name="Prepare my data").click()
    download_link = page.get_by_role("link", name="Download (JSON)")
    expect(download_link).to_be_visible()
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "data.json"
    info.value.save_as(path)
    data = json.loads(path.read_text())
    assert any(
        q["title"] == "Why does my Router X lose Wi-Fi at night?"
        for q in data["community_questions"]
    )
    assert any(
        r["survey_comment"] == "Quick and clear, thanks"
        for r in data["support_interactions"]
    )
    assert page.console_errors == []
