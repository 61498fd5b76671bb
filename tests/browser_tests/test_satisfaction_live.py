"""A customer answers Yes from the emailed link; a meter open in another browser updates live."""

import os
import re

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from satisfaction.models import SurveyResponse
from tests.browser import assert_no_horizontal_scroll
from tests.factories.satisfaction import answer, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_yes_from_the_email_link_updates_an_open_meter_without_reload(
    live_server, browser_page, site_tree, product, customer, mailoutbox, settings
):
    settings.CANDOR_SATISFACTION_SSE_SECONDS = (
        6  # streams end and reconnect during the test
    )
    settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0.25  # as in production
    for i in range(11):
        answer(record(product=product), satisfied=i != 3)
    mailoutbox.clear()
    record(customer=customer, product=product, summary="Router keeps rebooting")
    link = re.search(
        r"http://testserver(/satisfaction/survey/\S+/)", mailoutbox[0].body
    ).group(1)

    meter = browser_page(width=375)
    meter.goto(live_server.url + "/satisfaction/")
    meter.wait_for_selector(
        "satisfaction-meter[data-updated]"
    )  # the event stream is connected
    meter.evaluate("window.notReloaded = true")
    last_text = meter.locator("[data-bind=last-text]")
    assert last_text.inner_text() == "10 of the last 11 customers were satisfied"
    assert meter.locator(".sat-icons .sat-icon").count() == 11

    survey = browser_page(width=1280)
    survey.goto(live_server.url + link)
    assert survey.get_by_role(
        "heading", name="Are you satisfied with the response you got?"
    ).is_visible()
    assert SurveyResponse.objects.count() == 11  # opening the link recorded nothing
    survey.get_by_role("radio", name="Yes").check()
    survey.get_by_role("button", name="Send my answer").click()
    expect(survey.get_by_text("Thank you!")).to_be_visible()

    expect(last_text).to_have_text(
        "11 of the last 12 customers were satisfied", timeout=2500
    )
    assert meter.locator(".sat-icons .sat-icon").count() == 12
    assert (
        meter.locator(".sat-icons .sat-icon").first.get_attribute("class")
        == "sat-icon sat-yes"
    )
    expect(meter.locator(".sat-window[data-window='30'] .sat-pct")).to_have_text("92 %")
    assert meter.evaluate("window.notReloaded") is True
    assert SurveyResponse.objects.get(interaction__customer=customer).satisfied is True
    assert meter.console_errors == [] and survey.console_errors == []
    assert_no_horizontal_scroll(meter)


def test_the_meter_falls_back_to_polling_without_event_streams(
    live_server, browser_page, site_tree, settings
):
    settings.CANDOR_SATISFACTION_POLL_SECONDS = 5
    settings.CANDOR_SATISFACTION_LIVE_URL = (
        "/satisfaction/no-stream-here/"  # a 404: the stream cannot open
    )
    for _ in range(10):
        answer(record(), satisfied=True)
    page = browser_page()
    page.goto(live_server.url + "/satisfaction/")
    text = page.locator("[data-bind=last-text]")
    assert text.inner_text() == "10 of the last 10 customers were satisfied"
    answer(record(), satisfied=False)
    from satisfaction import live

    live.refresh_and_publish()
    from playwright.sync_api import expect

    expect(text).to_have_text(
        "10 of the last 11 customers were satisfied", timeout=8000
    )
