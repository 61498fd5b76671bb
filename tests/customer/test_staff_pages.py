"""Staff: the customer page with private parts, notes, the side panel where staff answer,
and the start page on the admin home; every one within a flat query budget."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as community_services
from community.models import Question
from portal.models import CustomerNote
from reviews import services as review_services
from satisfaction.models import FollowUp
from tests.customer.test_timeline import _bulk_history
from tests.factories.community import make_question
from tests.factories.reviews import write_review
from tests.factories.timeline import make_history
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(customer, staff_user, product, other_customer):
    h = make_history(customer=customer, staff=staff_user, product=product)
    community_services.post_flag(
        user=other_customer, post=h["my_answer"], reason="spam"
    )
    review_services.ownership_add(product=product, customer=customer, by=staff_user)
    return h


def url(user):
    return f"/admin/customers/{user.pk}/"


def test_staff_see_profile_products_and_private_parts(staff_client, customer, history):
    response = staff_client.get(url(customer))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Ana Souza",
        customer.email,
        "Products they own",
        "Router X",
        "Nobody called me back",
        "Spam",
        "Customer for",
    ]:
        assert text in html, text
    kinds = {e.kind for e in response.context["page"].entries}
    assert {"community.flag_received", "satisfaction.follow_up"} <= kinds


def test_staff_add_a_private_note_that_the_customer_never_sees(
    staff_client, customer, history, client
):
    response = staff_client.post(
        url(customer), {"body": "Prefers **email**, never phone."}
    )
    assert response.status_code == 302
    note = CustomerNote.objects.get()
    assert note.customer == customer and "<strong>email</strong>" in note.body_html
    assert b"Prefers" in staff_client.get(url(customer)).content
    assert staff_client.post(url(customer), {"body": ""}).status_code == 400
    client.force_login(customer)
    assert b"Prefers" not in client.get("/account/support/").content


def test_customers_and_visitors_cannot_open_the_customer_pages(
    client, customer, other_customer
):
    assert client.get(url(customer)).status_code == 302  # to the admin log-in
    client.force_login(other_customer)
    assert client.get(url(customer)).status_code == 403
    assert client.get("/admin/customers/").status_code == 403
    client.force_login(customer)
    assert client.get(url(customer)).status_code == 403


def test_bad_filters_and_unknown_customers(staff_client, customer):
    assert staff_client.get(url(customer), {"kind": "zzz"}).status_code == 400
    assert staff_client.get("/admin/customers/999999/").status_code == 404
    response = staff_client.get("/admin/customers/", {"q": "ana"})
    assert response.status_code == 200 and b"Ana Souza" in response.content


def test_the_side_panel_shows_where_staff_answer_reply_and_follow_up(
    staff_client, customer, history, product, staff_user
):
    question = make_question(
        customer, title="Can Router X do WPA3 with old laptops?", product=product
    )
    page = staff_client.get(question.get_absolute_url())
    assert b"What we know about Ana Souza" in page.content
    assert b"Nobody called me back" in page.content
    other_review = write_review(product, UserFactory(), rating=1, title="Bad")
    reply_page = staff_client.get(f"/reviews/{history['review'].pk}/reply/")
    assert (
        reply_page.status_code == 200
        and b"What we know about Ana Souza" in reply_page.content
    )
    follow_up = FollowUp.objects.get(response__interaction=history["phone"])
    follow_page = staff_client.get(f"/admin/satisfaction/follow-ups/{follow_up.pk}/")
    assert (
        follow_page.status_code == 200
        and b"What we know about Ana Souza" in follow_page.content
    )
    assert other_review.pk


def test_customers_never_see_the_side_panel(customer_client, customer, product):
    question = make_question(
        UserFactory(),
        title="Is there a dark mode for the Router X app?",
        product=product,
    )
    assert (
        b"What we know about"
        not in customer_client.get(question.get_absolute_url()).content
    )


def test_the_start_page_counts_and_links_every_kind_of_work(
    staff_client, customer, history, product, other_customer
):
    old = make_question(
        other_customer, title="Old unanswered question about Router X?", product=product
    )
    Question.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    write_review(product, other_customer, rating=1, title="Terrible and unanswered")
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    items = {item.label: item.count for item in _start_items(response)}
    assert items["unhappy customers waiting for a follow-up"] == 1
    assert items["flags to review"] == 1
    assert items["questions unanswered for more than 24 hours"] == 1
    assert items["negative reviews without a reply"] == 1
    assert items["products with a rating trend alert"] == 0
    assert (
        "articles to write next (questions the knowledge base did not answer)" in items
    )
    html = response.content.decode()
    assert "Today&#x27;s work" in html or "Today's work" in html
    assert "Terrible and unanswered" in html  # negative first
    # Label then count, so it reads right for 0, 1 or many.
    assert (
        'Negative reviews without a reply: <strong class="candor-start-count">1</strong>'
        in html
    )


def _start_items(response):
    from portal.staff_start import StaffStartPanel

    panel = StaffStartPanel(response.wsgi_request)
    return panel.get_context_data()["items"]


def _count(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx)


STAFF_CUSTOMER_BUDGET = 40
START_PAGE_BUDGET = 60


def test_staff_pages_cost_the_same_for_10_or_10000_entries(
    staff_client, product, staff_user
):
    small, large = UserFactory(), UserFactory()
    _bulk_history(small, product, 10)
    counts = {
        "small": (_count(staff_client, url(small)), _count(staff_client, "/admin/"))
    }
    _bulk_history(large, product, 10_000)
    for n in range(30):  # more of each kind of work on the start page
        make_question(
            UserFactory(),
            title=f"Unanswered question number {n} about it?",
            product=product,
        )
    Question.objects.update(created_at=timezone.now() - timedelta(days=3))
    counts["large"] = (
        _count(staff_client, url(large)),
        _count(staff_client, "/admin/"),
    )
    assert counts["small"] == counts["large"], counts
    assert (
        counts["large"][0] <= STAFF_CUSTOMER_BUDGET
        and counts["large"][1] <= START_PAGE_BUDGET
    ), counts


def test_only_staff_write_notes(customer, other_customer):
    from django.core.exceptions import PermissionDenied, ValidationError

    from portal import services_customer

    with pytest.raises(PermissionDenied):
        services_customer.customer_note_add(
            customer=customer, author=other_customer, body="I know them"
        )
    assert not CustomerNote.objects.exists()
    from tests.factories.users import StaffFactory

    with pytest.raises(ValidationError):
        services_customer.customer_note_add(
            customer=customer, author=StaffFactory(), body="   "
        )


def test_every_registered_kind_shows_for_staff_once_and_public_ones_for_the_owner(
    staff_client, customer, other_customer, staff_user, product, history
):
    """One of every kind, private ones included; each renders with its own template."""
    from portal import services_customer, timeline
    from portal.selectors_customer import timeline_for_viewer
    from satisfaction.contact.services import contact_request_submit

    theirs = write_review(product, other_customer, rating=5, title="Love it")
    review_services.review_report(review=theirs, reporter=customer, reason="spam")
    review_services.review_report(
        review=history["review"], reporter=other_customer, reason="off_topic"
    )
    review_services.review_hide(
        review=history["review"], by=staff_user, reason="off_topic"
    )
    community_services.post_flag(
        user=customer, post=history["peer_answer"], reason="spam"
    )
    community_services.post_hide(
        post=history["my_answer"], by=staff_user, reason="Spam link"
    )
    services_customer.customer_note_add(
        customer=customer, author=staff_user, body="VIP"
    )
    contact_request_submit(customer=customer, channel="email", message="A person, please")
    every = {kind for kind, _label in timeline.kind_choices(private=True)}
    public = {kind for kind, _label in timeline.kind_choices(private=False)}
    staff_view = timeline_for_viewer(viewer=staff_user, customer=customer, limit=100)
    shown = [e.key for e in staff_view.entries + staff_view.needs_you]
    assert {e.kind for e in staff_view.entries + staff_view.needs_you} == every
    assert len(shown) == len(set(shown))
    own = timeline_for_viewer(viewer=customer, customer=customer, limit=100)
    assert {e.kind for e in own.entries + own.needs_you} == public
    response = staff_client.get(url(customer))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Spam link",
        "VIP",
        "Reported a review",
        "Their review was reported",
        "Review moderation",
        "Flagged a post",
        "Follow-up of a",
    ]:
        assert text in html, text


def test_the_customer_page_speaks_about_the_customer_and_counts_years_of_history(
    staff_client, customer, history
):
    """Issue 18: third person for staff; "Customer for" from the earliest activity."""
    from django.contrib.auth import get_user_model

    from satisfaction.models import Interaction

    years_ago = timezone.now() - timedelta(days=3 * 365)
    Interaction.objects.filter(pk=history["phone"].pk).update(occurred_at=years_ago)
    get_user_model().objects.filter(pk=customer.pk).update(date_joined=timezone.now())
    html = staff_client.get(url(customer)).content.decode()
    assert "Customer for</dt><dd>1095 days" in html, html[html.find("Customer for") :][
        :120
    ]
    assert f"since {years_ago:%-d %b %Y}" in html
    for first_person in [
        "You asked",
        "You answered",
        "You reviewed",
        "since the last visit",
    ]:
        assert first_person not in html, first_person
    assert "Asked" in html and "Reviewed" in html
