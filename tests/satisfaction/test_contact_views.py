"""The customer's side of "Talk to a person": entry points, the form, the links, the thread."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satisfaction.contact.forms import STARTED_SALT, started_token
from satisfaction.contact.models import CallbackSlot, ContactRequest, ContactStatus
from satisfaction.contact.services import contact_reply
from tests.factories.community import make_question
from tests.factories.contact import first_slot, open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.CANDOR_CONTACT_MIN_SECONDS = 0


def form_data(**overrides):
    data = {
        "message": "The router drops every hour.",
        "channel": "email",
        "email": "",
        "name": "",
        "phone": "",
        "time_zone": "Europe/Lisbon",
        "slot": "",
        "context_url": "/kb/set-up-router-x/",
        "context_title": "Set up Router X",
        "product": "",
        "started": started_token(),
        "website": "",
    }
    data.update(overrides)
    return data


def contact_link(html: str) -> str:
    match = re.search(r'href="(/contact/\?[^"]+)"', html)
    assert match, "no Talk to a person link"
    return match.group(1).replace("&amp;", "&")


def test_the_product_question_and_empty_search_pages_offer_a_person_with_their_context(
    client, product
):
    question = make_question(
        product=product, title="Why does the router drop the connection?"
    )
    for url, title in (
        (product.url, "Router X"),
        (question.get_absolute_url(), question.title),
        ("/search/?q=zzqxv", "zzqxv"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        query = parse_qs(urlsplit(contact_link(response.content.decode())).query)
        assert query["from"][0].startswith(urlsplit(url).path), url
        assert query["title"] == [title], url
    assert "Talk to a person" not in client.get("/search/?q=router").content.decode()


def test_an_article_offers_a_person_after_no(client, article):
    assert "Talk to a person" not in client.get(article.url).content.decode()
    client.post(article.url + "helpful/", {"helpful": "no"})
    html = client.get(article.url).content.decode()
    query = parse_qs(urlsplit(contact_link(html)).query)
    assert query["product"] == ["router-x"]


def test_the_form_shows_the_context_and_callback_times_in_the_customers_zone(client):
    open_every_day()
    slot = first_slot()
    response = client.get("/contact/?from=/kb/x/&title=Set+up&tz=Asia/Tokyo")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/kb/x/"' in html and "Set up" in html
    tokyo = slot.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}" in html
    assert "Times are shown in Asia/Tokyo" in html


def test_a_signed_in_customer_sends_a_request_and_lands_on_its_thread(
    customer_client, customer, product
):
    response = customer_client.post("/contact/", form_data(product=product.slug))
    contact = ContactRequest.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/contact/requests/{contact.pk}/"
    )
    assert (contact.customer, contact.status, contact.product) == (
        customer,
        ContactStatus.OPEN,
        product,
    )
    assert (
        contact.context_title == "Set up Router X"
        and contact.time_zone == "Europe/Lisbon"
    )
    page = customer_client.get(response["Location"]).content.decode()
    assert "The router drops every hour." in page and "Europe/Lisbon" in page


def test_an_anonymous_request_is_confirmed_by_its_emailed_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", form_data(email="erin@example.org"))
    assert response["Location"] == "/contact/sent/"
    link = re.search(
        r"http://testserver(/contact/confirm/\S+)", mailoutbox[-1].body
    ).group(1)
    assert client.get(link).status_code == 200  # a GET (mail scanners) confirms nothing
    assert ContactRequest.objects.get().status == ContactStatus.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        thread = client.post(link)
    assert ContactRequest.objects.get().status == ContactStatus.OPEN
    assert thread["Location"].startswith("/contact/thread/")
    assert "We got your request" in mailoutbox[-1].subject
    assert client.get("/contact/confirm/1-forged.abc/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"email": ""}, "Give the email address"),
        ({"email": "erin@example.org", "message": ""}, "This field is required"),
        (
            {"email": "erin@example.org", "channel": "callback", "phone": "abc"},
            "phone number",
        ),
        (
            {"email": "erin@example.org", "website": "http://spam.example"},
            "could not accept",
        ),
        ({"email": "erin@example.org", "started": "forged"}, "too old or was changed"),
    ],
)
def test_bad_or_robotic_input_is_refused_with_a_message_and_saves_nothing(
    client, overrides, text
):
    open_every_day()
    response = client.post("/contact/", form_data(**overrides))
    assert response.status_code == 400
    assert text in response.content.decode()
    assert ContactRequest.objects.count() == 0 and CallbackSlot.objects.count() == 0


def test_a_form_sent_faster_than_a_person_types_is_refused(client, settings):
    settings.CANDOR_CONTACT_MIN_SECONDS = 3
    response = client.post(
        "/contact/", form_data(email="erin@example.org", started=started_token())
    )
    assert response.status_code == 400 and "very quick" in response.content.decode()
    earlier = signing.dumps(int(time.time()) - 10, salt=STARTED_SALT)
    assert (
        client.post(
            "/contact/", form_data(email="erin@example.org", started=earlier)
        ).status_code
        == 302
    )


def test_a_callback_request_through_the_form_books_the_slot(customer_client):
    open_every_day(capacity=1)
    slot = first_slot()
    data = form_data(
        channel="callback",
        phone="+351 21 000 0000",
        slot=slot.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    assert customer_client.post("/contact/", data).status_code == 302
    again = customer_client.post("/contact/", {**data, "started": started_token()})
    assert again.status_code == 400
    assert (
        "choose one of the times listed" in again.content.decode()
        or "Select a valid choice" in again.content.decode()
    )
    assert CallbackSlot.objects.get().booked == 1


def test_choosing_the_community_goes_to_the_ask_form_with_the_words(client, product):
    response = client.post(
        "/contact/", form_data(channel="community", product=product.slug)
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/community/ask/?title=The+router+drops")
    assert "product=router-x" in response["Location"]
    assert ContactRequest.objects.count() == 0


def test_contact_requests_are_rate_limited_per_address(client, settings):
    settings.CANDOR_RATE_LIMITS_ENABLED = True
    settings.CANDOR_RATE_LIMITS = {
        **settings.CANDOR_RATE_LIMITS,
        "contact": {"ip": ["2/h"]},
    }
    for n in range(2):
        assert (
            client.post("/contact/", form_data(email=f"p{n}@example.org")).status_code
            == 302
        )
    response = client.post("/contact/", form_data(email="p3@example.org"))
    assert response.status_code == 429
    assert ContactRequest.objects.count() == 2


def test_the_customer_replies_through_the_signed_link_and_others_cannot_read_the_thread(
    client,
    customer,
    other_customer,
    staff_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(customer)
    client.post("/contact/", form_data())
    contact = ContactRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        contact_reply(contact=contact, by=staff_user, body="Try channel 6.")
    link = re.search(
        r"http://testserver(/contact/thread/\S+)", mailoutbox[-1].body
    ).group(1)
    client.logout()
    page = client.get(link).content.decode()
    assert "Try channel 6." in page
    assert client.post(link, {"body": ""}).status_code == 400
    assert client.post(link, {"body": "Still drops."}).status_code == 302
    assert contact.messages.filter(kind="customer").count() == 2
    client.force_login(other_customer)
    assert client.get(f"/contact/requests/{contact.pk}/").status_code == 404


def test_the_form_and_thread_cost_the_same_queries_with_many_requests(
    customer_client, customer
):
    open_every_day()

    def count(url):
        customer_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert customer_client.get(url).status_code == 200
        return len(queries)

    customer_client.post("/contact/", form_data())
    contact = ContactRequest.objects.get()
    small = count("/contact/"), count(f"/contact/requests/{contact.pk}/")
    for n in range(30):
        customer_client.post(
            "/contact/", form_data(started=started_token(), message=f"Another {n}")
        )
        contact.messages.create(kind="customer", body=f"more {n}")
    assert (count("/contact/"), count(f"/contact/requests/{contact.pk}/")) == small


def test_the_meter_page_shows_the_public_figures_per_channel(
    client, customer, staff_user
):
    from datetime import timedelta

    import time_machine

    from satisfaction.contact.services import contact_request_submit

    contact = contact_request_submit(customer=customer, channel="email", message="Help")
    with time_machine.travel(contact.confirmed_at + timedelta(hours=2, minutes=5)):
        contact_reply(contact=contact, by=staff_user, body="Hello")
    html = client.get("/satisfaction/").content.decode()
    assert "When you ask for a person" in html
    assert "2 h 5 min" in html
    assert "No callbacks due yet" in html


def test_the_customer_cancels_a_callback_and_its_slot_is_free_again(
    customer_client, customer
):
    open_every_day(capacity=1)
    slot = first_slot()
    data = form_data(
        channel="callback",
        phone="+351 21 000 0000",
        slot=slot.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    thread = customer_client.post("/contact/", data)["Location"]
    assert customer_client.post(thread, {"action": "cancel"}).status_code == 302
    contact = ContactRequest.objects.get()
    assert contact.status == ContactStatus.CLOSED and contact.interaction is None
    assert CallbackSlot.objects.get().booked == 0
    again = customer_client.post(thread, {"action": "cancel"}, follow=True)
    assert "closed already" in again.content.decode()
    assert "Send my reply" not in again.content.decode()
