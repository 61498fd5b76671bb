"""After a "No" on "Was this article helpful?", the reader may say what was missing."""

import pytest

from portal.forms import ArticleMissingForm
from portal.models import ArticleFeedback

pytestmark = pytest.mark.django_db


def test_a_no_asks_what_was_missing_and_a_note_is_stored_and_thanked(client, article):
    html = client.get(article.url).content.decode()
    assert "What was missing?" not in html
    client.post(article.url + "helpful/", {"helpful": "no"})
    html = client.get(article.url).content.decode()
    assert "What was missing?" in html and "(optional)" in html
    response = client.post(
        article.url + "helpful/missing/", {"missing": "  Steps for the 5 GHz band.  "}
    )
    assert response.status_code == 302
    assert ArticleFeedback.objects.get().missing == "Steps for the 5 GHz band."
    html = client.get(article.url).content.decode()
    assert "Thank you: we will use your note" in html
    assert "Thank you for telling us what was missing." in html
    assert 'name="missing"' not in html


def test_a_yes_is_not_asked_and_cannot_send_a_note(client, article):
    client.post(article.url + "helpful/", {"helpful": "yes"})
    assert "What was missing?" not in client.get(article.url).content.decode()
    response = client.post(article.url + "helpful/missing/", {"missing": "x"})
    assert response.status_code == 404
    assert ArticleFeedback.objects.get().missing == ""


def test_a_note_without_an_answer_is_404(client, article):
    assert client.post(article.url + "helpful/missing/", {"missing": "x"}).status_code == 404
    assert client.get(article.url + "helpful/missing/").status_code == 405


def test_a_too_long_note_re_renders_with_an_error_and_saves_nothing(
    customer_client, article
):
    customer_client.post(article.url + "helpful/", {"helpful": "no"})
    response = customer_client.post(article.url + "helpful/missing/", {"missing": "x" * 501})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 500 characters" in html and 'id="id_missing_error"' in html
    assert ArticleFeedback.objects.get().missing == ""


def test_the_form_refuses_lone_surrogates():
    form = ArticleMissingForm({"missing": "bad \ud800 text"})
    assert not form.is_valid()
    assert "lone surrogate" in str(form.errors["missing"])
