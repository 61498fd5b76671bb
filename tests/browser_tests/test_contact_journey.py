"""A visitor in Tokyo asks for a callback: times in their zone, a booked slot, a confirmed request."""

import re
import zoneinfo

import pytest

from satisfaction.contact.models import ContactRequest, ContactStatus
from tests.factories.contact import first_slot, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_books_a_callback_in_their_own_time_zone(
    live_server, browser_page, site_tree, settings
):
    settings.CANDOR_CONTACT_MIN_SECONDS = 0
    open_every_day(capacity=1)
    slot = first_slot()
    page = browser_page(width=390, timezone_id="Asia/Tokyo")
    page.goto(f"{live_server.url}/contact/?from=/search/&title=router")
    page.wait_for_url(re.compile(r"tz=Asia%2FTokyo|tz=Asia/Tokyo"))
    tokyo = slot.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert page.locator("[data-contact-time-zone]").input_value() == "Asia/Tokyo"
    page.get_by_label("What do you need help with?").fill(
        "The router drops every hour."
    )
    page.get_by_label("Call me back at a time I choose").check()
    page.get_by_label(re.compile("Your email address")).fill("kenji@example.jp")
    page.get_by_label("Phone number for the callback").fill("+81 3 0000 0000")
    label = page.locator("#id_slot option").nth(1).inner_text()
    assert f"{tokyo:%H:%M}" in label
    page.locator("#id_slot").select_option(index=1)
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile("/contact/sent/"))
    contact = ContactRequest.objects.get()
    assert (contact.status, contact.time_zone, contact.promised_at) == (
        ContactStatus.UNCONFIRMED,
        "Asia/Tokyo",
        slot,
    )
    assert page.console_errors == []
