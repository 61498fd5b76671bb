"""The survey link: GET shows and records nothing, POST answers once; clear pages for bad links."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from satisfaction import services
from satisfaction.models import SurveyInvitation, SurveyResponse
from tests.factories.satisfaction import answer, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def interaction(customer, product, staff_user):
    return record(
        customer=customer,
        product=product,
        handled_by=staff_user,
        summary="Router keeps rebooting",
    )


@pytest.fixture
def survey_url(interaction):
    return services.survey_url(interaction.invitation)


def test_the_emailed_link_opens_the_question_with_yes_and_no(
    client, customer, product, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(customer=customer, product=product)
    url = re.search(
        r"http://testserver(/satisfaction/survey/\S+/)", mailoutbox[0].body
    ).group(1)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you satisfied with the response you got?" in html
    assert 'name="answer" value="yes"' in html
    assert 'name="answer" value="no"' in html
    assert "Router X" in html


@pytest.mark.parametrize(
    "query", ["", "?answer=yes", "?answer=no", "?answer=yes&satisfied=1"]
)
def test_opening_the_link_records_nothing_whatever_a_scanner_adds(
    client, survey_url, query
):
    for _ in range(3):
        assert client.get(survey_url + query).status_code == 200
        assert client.head(survey_url + query).status_code == 200
    assert SurveyResponse.objects.count() == 0


def test_a_yes_is_recorded_by_a_post_and_thanked(client, survey_url, interaction):
    response = client.post(
        survey_url, {"answer": "yes", "comment": "Quick and kind."}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    saved = SurveyResponse.objects.get()
    assert (saved.interaction, saved.satisfied, saved.comment) == (
        interaction,
        True,
        "Quick and kind.",
    )
    assert "Thank you!" in html
    assert "<h1>Thank you for your answer</h1>" in html
    assert "You already answered on" not in html
    assert "You said Yes" in html
    # A later visit to the link says when it was answered.
    later = client.get(survey_url).content.decode()
    assert f"You already answered on {timezone.now():%-d %B %Y}" in later


def test_yes_and_no_are_equals_and_the_comment_comes_after_the_choice(
    client, survey_url
):
    html = client.get(survey_url).content.decode()
    yes = re.search(r'<label class="([^"]*)"><input type="radio" name="answer" value="yes"', html)
    no = re.search(r'<label class="([^"]*)"><input type="radio" name="answer" value="no"', html)
    assert yes and no and yes.group(1) == no.group(1)
    assert html.index('value="no"') < html.index('name="comment"')
    assert html.index('name="comment"') < html.index("Send my answer")


def test_the_emailed_choice_is_preselected_but_not_recorded(client, survey_url):
    html = client.get(survey_url + "?answer=no").content.decode()
    assert re.search(r'value="no" required checked', html)
    assert 'value="yes" required checked' not in html
    assert SurveyResponse.objects.count() == 0


def test_the_survey_asks_before_showing_the_answer_on_reviews_and_defaults_to_no(
    client, survey_url
):
    html = client.get(survey_url).content.decode()
    box = re.search(r'<input type="checkbox" name="show_on_reviews"[^>]*>', html)
    assert box is not None and "checked" not in box.group(0)
    assert "Show on my reviews of this product whether I was satisfied" in html
    client.post(survey_url, {"answer": "no"})
    assert SurveyResponse.objects.get().show_on_reviews is False


def test_a_customer_can_agree_to_show_the_answer_on_their_reviews(client, survey_url):
    client.post(survey_url, {"answer": "yes", "show_on_reviews": "on"})
    assert SurveyResponse.objects.get().show_on_reviews is True


def test_a_second_answer_gets_you_already_answered_on_the_date(client, survey_url):
    client.post(survey_url, {"answer": "no"})
    response = Client().post(survey_url, {"answer": "yes"})
    assert response.status_code == 409
    assert (
        f"You already answered on {timezone.now():%-d %B %Y}"
        in response.content.decode()
    )
    assert SurveyResponse.objects.get().satisfied is False


def test_an_answer_must_be_yes_or_no(client, survey_url):
    response = client.post(survey_url, {"answer": "maybe"})
    assert response.status_code == 400
    assert "Choose Yes or No." in response.content.decode()
    assert client.post(survey_url, {}).status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_answering_needs_the_csrf_token(survey_url):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(survey_url, {"answer": "yes"}).status_code == 403
    page = strict.get(survey_url)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    ).group(1)
    assert (
        strict.post(
            survey_url, {"answer": "yes", "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: t[: len(t) // 2],  # cut by a mail program
        lambda t: (
            f"{int(t.split('-', 1)[0]) + 1}-" + t.split("-", 1)[1]
        ),  # another invitation's number
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_link_gets_a_clear_page_and_records_nothing(
    client, survey_url, mangle
):
    token = survey_url.rstrip("/").rsplit("/", 1)[1]
    bad = f"/satisfaction/survey/{mangle(token)}/"
    for response in (client.get(bad), client.post(bad, {"answer": "yes"})):
        assert response.status_code == 404
        assert "This survey link is not valid" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_an_expired_link_gets_a_clear_page_and_records_nothing(
    client, survey_url, interaction
):
    SurveyInvitation.objects.filter(pk=interaction.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    for response in (
        client.get(survey_url),
        client.post(survey_url, {"answer": "yes"}),
    ):
        assert response.status_code == 410
        assert "This survey link has expired" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_the_link_expires_after_28_days(client, survey_url, interaction):
    invitation = interaction.invitation
    assert invitation.expires_at == invitation.sent_at + timedelta(days=28)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(survey_url).status_code == 200


def test_staff_cannot_answer_for_a_customer_even_with_the_link(
    staff_client, survey_url
):
    response = staff_client.get(survey_url)
    assert response.status_code == 403
    assert "Staff members cannot answer" in response.content.decode()
    assert staff_client.post(survey_url, {"answer": "yes"}).status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_the_member_who_handled_it_cannot_answer(client, customer, other_customer):
    interaction = record(
        customer_email="asker@example.com",
        handled_by=other_customer,
        channel=services.Channel.COMMUNITY_ACCEPTED_ANSWER,
    )
    client.force_login(other_customer)
    url = services.survey_url(interaction.invitation)
    assert client.post(url, {"answer": "yes"}).status_code == 403
    assert "You handled this interaction" in client.get(url).content.decode()
    assert SurveyResponse.objects.count() == 0


def test_the_account_page_lists_surveys_waiting_for_an_answer(
    customer_client, customer, product
):
    waiting = record(customer=customer, product=product, summary="Pairing failed")
    done = record(customer=customer, summary="Already answered")
    answer(done)
    expired = record(customer=customer, summary="Too old")
    SurveyInvitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    html = customer_client.get("/account/").content.decode()
    assert "Waiting for your answer" in html
    assert "Pairing failed" in html
    assert f"/satisfaction/interactions/{waiting.pk}/survey/" in html
    assert "Already answered" not in html
    assert "Too old" not in html


def test_the_account_page_has_no_survey_panel_when_nothing_waits(customer_client):
    assert (
        "Waiting for your answer"
        not in customer_client.get("/account/").content.decode()
    )


def test_a_customer_answers_from_the_account_page(customer_client, customer):
    interaction = record(customer=customer)
    url = f"/satisfaction/interactions/{interaction.pk}/survey/"
    assert customer_client.get(url).status_code == 200
    assert customer_client.post(url, {"answer": "yes"}).status_code == 302
    assert SurveyResponse.objects.get().answered_by == customer


def test_another_customers_survey_is_not_found_from_the_account_page(
    client, customer, other_customer
):
    interaction = record(customer=customer)
    client.force_login(other_customer)
    assert (
        client.get(f"/satisfaction/interactions/{interaction.pk}/survey/").status_code
        == 404
    )
    assert (
        client.post(
            f"/satisfaction/interactions/{interaction.pk}/survey/", {"answer": "no"}
        ).status_code
        == 404
    )


def test_the_account_page_route_needs_a_login(client, customer):
    interaction = record(customer=customer)
    response = client.get(f"/satisfaction/interactions/{interaction.pk}/survey/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
