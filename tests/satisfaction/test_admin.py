"""Staff in the Wagtail admin: follow-ups on "No", recording an interaction, exclusions; no edits."""

import pytest
from django.urls import reverse

from satisfaction.models import Exclusion, FollowUp, Interaction, SurveyResponse
from tests.factories.satisfaction import answer, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def unhappy(customer, product, staff_user):
    return answer(
        record(
            customer=customer,
            product=product,
            handled_by=staff_user,
            summary="Wi-Fi drops",
        ),
        satisfied=False,
        comment="Still drops every night.",
    )


def test_the_follow_up_list_shows_open_no_answers_with_a_one_click_email(
    staff_client, unhappy, customer
):
    html = staff_client.get("/admin/satisfaction/").content.decode()
    assert "Still drops every night." in html
    assert f'href="mailto:{customer.email}?subject=' in html
    assert "Wi-Fi drops" in html
    assert "Open (1)" in html


def test_staff_mark_a_follow_up_contacted_then_resolved_in_one_click_each(
    staff_client, unhappy, staff_user
):
    follow_up = unhappy.follow_up
    response = staff_client.post(
        "/admin/satisfaction/?status=open",
        {"follow_up": follow_up.pk, "status": "contacted"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.updated_by) == ("contacted", staff_user)
    staff_client.post(
        "/admin/satisfaction/?status=contacted",
        {"follow_up": follow_up.pk, "status": "resolved"},
    )
    assert FollowUp.objects.get().status == "resolved"
    html = staff_client.get("/admin/satisfaction/?status=resolved").content.decode()
    assert "Still drops every night." in html


def test_staff_keep_a_note_on_a_follow_up(staff_client, unhappy):
    url = f"/admin/satisfaction/follow-ups/{unhappy.follow_up.pk}/"
    assert staff_client.get(url).status_code == 200
    assert (
        staff_client.post(
            url, {"status": "contacted", "note": "Sent a new unit."}
        ).status_code
        == 302
    )
    assert FollowUp.objects.get().note == "Sent a new unit."
    assert staff_client.post(url, {"status": "lost"}).status_code == 400


def test_staff_record_a_phone_call_and_the_customer_is_invited(
    staff_client, staff_user, product, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/satisfaction/record/",
            {
                "channel": "phone",
                "customer_email": "erin@example.org",
                "product": product.pk,
                "summary": "Setup help",
                "reference": "CALL-7",
            },
        )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.channel, interaction.source, interaction.source_ref) == (
        "phone",
        "admin",
        "CALL-7",
    )
    assert (interaction.handled_by, interaction.product) == (staff_user, product)
    assert mailoutbox[-1].to == ["erin@example.org"]
    staff_client.post(
        "/admin/satisfaction/record/",
        {
            "channel": "phone",
            "customer_email": "erin@example.org",
            "reference": "CALL-7",
        },
    )
    assert Interaction.objects.count() == 1


def test_the_record_form_re_renders_with_errors_and_saves_nothing(
    staff_client, site_tree
):
    response = staff_client.post(
        "/admin/satisfaction/record/",
        {
            "channel": "phone",
            "customer_email": "nope",
            "occurred_at": "2999-01-01T10:00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "cannot happen in the future" in html
    assert Interaction.objects.count() == 0


def test_staff_exclude_an_answer_only_under_a_published_rule_with_a_reason(
    staff_client, unhappy, staff_user
):
    url = f"/admin/satisfaction/answers/{unhappy.pk}/exclude/"
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"rule": "spam", "reason": ""}).status_code == 400
    assert (
        staff_client.post(url, {"rule": "i_did_not_like_it", "reason": "x"}).status_code
        == 400
    )
    assert Exclusion.objects.count() == 0
    assert (
        staff_client.post(
            url, {"rule": "test_interaction", "reason": "Sam testing the form"}
        ).status_code
        == 302
    )
    exclusion = Exclusion.objects.get()
    assert (exclusion.rule, exclusion.reason, exclusion.excluded_by) == (
        "test_interaction",
        "Sam testing the form",
        staff_user,
    )
    assert (
        "Excluded: Test interaction"
        in staff_client.get("/admin/satisfaction/answers/").content.decode()
    )


def test_answers_can_be_found_by_public_id_but_never_edited_or_deleted(
    staff_client, unhappy
):
    html = staff_client.get(
        f"/admin/satisfaction/answers/?id={unhappy.public_id}"
    ).content.decode()
    assert unhappy.public_id in html
    for path in (
        f"/admin/satisfaction/answers/{unhappy.pk}/edit/",
        f"/admin/satisfaction/answers/{unhappy.pk}/delete/",
        f"/admin/snippets/satisfaction/surveyresponse/edit/{unhappy.pk}/",
    ):
        assert staff_client.get(path).status_code == 404
        staff_client.post(path, {"satisfied": "on"})
    assert SurveyResponse.objects.get().satisfied is False


def test_customers_cannot_open_the_satisfaction_admin(customer_client, unhappy):
    for path in (
        "/admin/satisfaction/",
        "/admin/satisfaction/record/",
        "/admin/satisfaction/answers/",
        f"/admin/satisfaction/answers/{unhappy.pk}/exclude/",
    ):
        assert customer_client.get(path).status_code == 403
    assert (
        customer_client.post(
            f"/admin/satisfaction/answers/{unhappy.pk}/exclude/",
            {"rule": "spam", "reason": "x"},
        ).status_code
        == 403
    )
    assert Exclusion.objects.count() == 0


def test_the_admin_menu_has_the_satisfaction_section(staff_client):
    html = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Satisfaction" in html
    assert "/admin/satisfaction/record/" in html
