"""Questions and answers in the site search; the digest command (the demo: tests/test_demo.py)."""

import pytest
from django.core.management import call_command

from community import services
from tests.factories.community import make_answer, make_question

pytestmark = pytest.mark.django_db


def test_questions_and_answers_are_found_by_the_site_search_with_tags_product_and_status(
    client, site_tree, product, customer, other_customer
):
    question = make_question(
        customer,
        title="Zigbee sensor drops off the hub overnight",
        tags=["zigbee"],
        product=product,
    )
    answer = make_answer(
        question, other_customer, body="Move the zigbee repeater closer to the hub."
    )
    services.answer_accept(answer=answer, by=customer)
    html = client.get("/search/?q=zigbee").content.decode()
    assert question.title in html
    assert "Solved · 1 answer" in html
    assert "Accepted answer · Move the zigbee repeater" in html
    assert client.get("/search/?q=zigbee&type=question").status_code == 200
    narrowed = client.get(
        f"/search/?q=zigbee&type=question&product={product.slug}&tag=zigbee"
    ).content.decode()
    assert question.title in narrowed


def test_hidden_posts_are_not_found_by_the_site_search(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer, title="Cheap zigbee sensors at a discount shop")
    make_answer(
        question, other_customer, body="Zigbee discount codes here for everybody."
    )
    services.post_hide(post=question, by=staff_user, reason="spam")
    html = client.get("/search/?q=zigbee").content.decode()
    assert "Cheap zigbee sensors" not in html
    assert "discount codes" not in html


def test_the_digest_command_sends_the_daily_digests(
    customer, other_customer, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=customer, email_mode="daily")
    make_answer(make_question(customer), other_customer)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_send_digests")
    assert "Sent 1 digest(s)." in capsys.readouterr().out
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert "daily community digest" in mailoutbox[0].subject


def test_hidden_posts_leave_the_search_index_and_return_when_restored(
    site_tree, customer, other_customer, staff_user, django_capture_on_commit_callbacks
):
    from wagtail.search.models import IndexEntry

    question = make_question(customer, title="Zigbee question that will be hidden")
    answer = make_answer(question, other_customer)

    def indexed(obj):
        return IndexEntry.objects.filter(
            content_type__model=obj._meta.model_name, object_id=str(obj.pk)
        ).exists()

    assert indexed(question) and indexed(answer)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=question, by=staff_user, reason="spam")
    assert not indexed(question) and not indexed(answer)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_restore(post=question, by=staff_user, reason="fine")
    assert indexed(question) and indexed(answer)
