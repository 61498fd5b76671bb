"""My support: one timeline from every app, what needs the customer on top, for them only."""

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services as community_services
from portal import selectors_customer, services_customer
from satisfaction.models import Channel, Interaction
from tests.factories import satisfaction as sat
from tests.factories.timeline import make_history

pytestmark = pytest.mark.django_db
URL = "/account/support/"


@pytest.fixture
def history(customer, staff_user, product):
    return make_history(customer=customer, staff=staff_user, product=product)


def test_every_kind_appears_once_in_order_for_its_owner(customer_client, history):
    response = customer_client.get(URL)
    assert response.status_code == 200
    page = response.context["page"]
    needs = {e.key for e in page.needs_you}
    listed = [e.key for e in page.entries]
    # What needs the customer: the staff answer's survey, the review reply's survey,
    # the unread reply, and an answer to accept on their question.
    staff_answer_interaction = Interaction.objects.get(
        channel=Channel.COMMUNITY_STAFF_ANSWER,
        source_ref=str(history["staff_answer"].pk),
    )
    reply_interaction = Interaction.objects.get(channel=Channel.REVIEW_STAFF_REPLY)
    assert needs == {
        f"interaction:{staff_answer_interaction.pk}",
        f"interaction:{reply_interaction.pk}",
        f"reply:{history['reply'].pk}",
        f"question:{history['question'].pk}",
    }
    assert set(listed) == {
        f"answer:{history['my_answer'].pk}",
        f"award:{history['award'].pk}",
        f"review:{history['review'].pk}",
        f"interaction:{history['phone'].pk}",
    } | {k for k in listed if k.startswith("follow:")}
    assert len([k for k in listed if k.startswith("follow:")]) == 1
    assert len(listed) == len(set(listed)) and not needs & set(listed)  # each once
    times = [e.at for e in page.entries]
    assert times == sorted(times, reverse=True)
    kinds = {e.kind for e in page.entries} | {e.kind for e in page.needs_you}
    assert kinds == {
        "community.question",
        "community.answer",
        "community.follow",
        "community.badge",
        "reviews.review",
        "reviews.reply",
        "satisfaction.interaction",
    }
    html = response.content.decode()
    assert "Why does my Router X lose Wi-Fi at night?" in html
    assert "Sorry! Night mode is the cause." in html
    assert "You answered: No, not satisfied" in html
    assert "Accepted by the asker" in html
    assert "Test Helper" in html


def test_answers_since_the_last_visit_are_new_then_seen(
    customer_client, customer, history, other_customer
):
    page = customer_client.get(URL).context["page"]
    question = next(e for e in page.needs_you if e.kind == "community.question")
    assert question.data["new_answers"] == 2  # first visit: everything is new
    page = customer_client.get(URL).context["page"]
    question = next(e for e in page.needs_you if e.kind == "community.question")
    assert question.data["new_answers"] == 0
    assert not any(
        e.kind == "reviews.reply" for e in page.needs_you
    )  # the reply was read
    from tests.factories.community import make_answer

    make_answer(
        history["question"],
        other_customer,
        body="A third idea: move the router higher.",
    )
    page = customer_client.get(URL).context["page"]
    question = next(e for e in page.needs_you if e.kind == "community.question")
    assert question.data["new_answers"] == 1


def test_private_parts_are_for_staff_only(
    customer, staff_user, other_customer, history
):
    services_customer.customer_note_add(
        customer=customer, author=staff_user, body="Prefers email."
    )
    community_services.post_flag(
        user=other_customer, post=history["my_answer"], reason="spam"
    )
    own = selectors_customer.timeline_for_viewer(viewer=customer, customer=customer)
    staff = selectors_customer.timeline_for_viewer(viewer=staff_user, customer=customer)
    own_kinds = {e.kind for e in own.entries + own.needs_you}
    staff_kinds = {e.kind for e in staff.entries + staff.needs_you}
    assert not any(e.private for e in own.entries + own.needs_you)
    assert {
        "portal.note",
        "community.flag_received",
        "satisfaction.follow_up",
    } <= staff_kinds
    assert not own_kinds & {
        "portal.note",
        "community.flag_received",
        "satisfaction.follow_up",
    }
    with pytest.raises(Http404):
        selectors_customer.timeline_for_viewer(viewer=other_customer, customer=customer)
    # Asking for a private kind by name does not open it to the customer.
    asked = selectors_customer.timeline_for_viewer(
        viewer=customer, customer=customer, kinds=["portal.note"]
    )
    assert asked.entries == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_filter_by_kind_and_product(customer_client, history, product, site_tree):
    from tests.factories.portal import make_product

    other_product = make_product(site_tree["products"], "Switch Y")
    page = customer_client.get(URL, {"kind": "reviews.review"}).context["page"]
    assert [e.kind for e in page.entries] == ["reviews.review"]
    page = customer_client.get(URL, {"product": other_product.pk}).context["page"]
    assert page.entries == [] and page.needs_you == []
    page = customer_client.get(URL, {"product": product.pk}).context["page"]
    assert {e.kind for e in page.entries} >= {
        "reviews.review",
        "satisfaction.interaction",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nope"},
        {"product": "abc"},
        {"before": "-3"},
        {"before": "x" * 50},
        {"product": "999999"},
    ],
)
def test_bad_filters_answer_400_with_the_form(customer_client, params):
    response = customer_client.get(URL, params)
    assert response.status_code == 400
    assert b"Please correct the errors below." in response.content


def test_pages_cover_everything_once(customer_client, customer):
    now = timezone.now()
    for n in range(45):
        sat.record(
            customer=customer,
            channel=Channel.CHAT,
            occurred_at=now - timedelta(minutes=n),
            summary=f"Chat {n}",
        )
    seen, params, pages = [], {}, 0
    while True:
        response = customer_client.get(URL, params)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [e.key for e in page.entries] + (
            [e.key for e in page.needs_you] if not params else []
        )
        pages += 1
        if not response.context["next_query"]:
            break
        params = dict(parse_qsl(response.context["next_query"]))
    assert len(seen) == len(set(seen)), seen
    assert len(seen) == 45, " ".join(sorted(seen))
    assert pages == 2  # 20 waiting on top and 20 listed, then the last 5


def test_the_page_is_never_cached(customer_client, history):
    first = customer_client.get(URL)
    sat.record(
        customer=first.wsgi_request.user,
        channel=Channel.CHAT,
        summary="A brand new chat",
    )
    assert b"A brand new chat" in customer_client.get(URL).content


def _bulk_history(customer, product, n):
    from community.models import Question

    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            channel=Channel.EMAIL,
            source="bulk",
            source_ref=f"{customer.pk}-{i}",
            customer=customer,
            product=product,
            occurred_at=now - timedelta(minutes=i),
            summary=f"Bulk {i}",
        )
        for i in range(n // 2)
    )
    Question.objects.bulk_create(
        Question(
            author=customer,
            title=f"Bulk question {i}",
            slug=f"bulk-{i}",
            body="b",
            body_html="<p>b</p>",
            product=product,
            created_at=now - timedelta(minutes=i, seconds=30),
        )
        for i in range(n - n // 2)
    )


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


MY_SUPPORT_BUDGET = 22


def test_my_support_costs_the_same_for_10_or_10000_entries(client, product):
    from tests.factories.users import UserFactory

    small, large = UserFactory(), UserFactory()
    _bulk_history(small, product, 10)
    _bulk_history(large, product, 10_000)
    counts = {}
    for user in (small, large):
        client.force_login(user)
        counts[user] = (
            _count(client, URL),
            _count(client, URL + "?kind=community.question"),
        )
        before_cursor = client.get(URL).context["next_query"]
        if before_cursor:
            counts[user] += (_count(client, URL + "?" + before_cursor),)
    assert counts[small][:2] == counts[large][:2]
    assert max(counts[large]) <= MY_SUPPORT_BUDGET, counts


def test_a_survey_answered_from_my_support_comes_back_there_and_only_there(
    customer_client, customer
):
    interaction = sat.record(customer=customer, channel=Channel.CHAT, summary="Chat")
    survey = f"/satisfaction/interactions/{interaction.pk}/survey/"
    evil = customer_client.post(
        survey + "?next=https://evil.example/", {"answer": "yes"}
    )
    assert evil.status_code == 302 and evil["Location"] == survey + "?thanks=1"
    other = sat.record(customer=customer, channel=Channel.CHAT, summary="Chat 2")
    response = customer_client.post(
        f"/satisfaction/interactions/{other.pk}/survey/?next={URL}",
        {"answer": "no", "comment": "Too slow"},
    )
    assert response.status_code == 302 and response["Location"] == URL
    page = customer_client.get(URL).context["page"]
    assert not page.needs_you
    states = {e.key: e.data["survey"] for e in page.entries}
    assert states[f"interaction:{other.pk}"] == "no"
    assert states[f"interaction:{interaction.pk}"] == "yes"


def test_entries_sharing_one_timestamp_are_paged_exactly_once(
    customer_client, customer, product
):
    """Bulk imports give many rows the same time: the cursor still pages them all."""
    from community.models import Question

    moment = timezone.now() - timedelta(days=1)
    Interaction.objects.bulk_create(
        Interaction(
            channel=Channel.EMAIL,
            source="tie",
            source_ref=str(i),
            customer=customer,
            occurred_at=moment,
        )
        for i in range(33)
    )
    Question.objects.bulk_create(
        Question(
            author=customer,
            title=f"Tie {i}",
            slug=f"tie-{i}",
            body="b",
            body_html="b",
            created_at=moment,
        )
        for i in range(29)
    )
    seen, params = [], {}
    while True:
        response = customer_client.get(URL, params)
        assert response.status_code == 200
        seen += [e.key for e in response.context["page"].entries]
        if not response.context["next_query"]:
            break
        params = dict(parse_qsl(response.context["next_query"]))
    assert len(seen) == len(set(seen)) == 62
