"""A question page's QAPage JSON-LD, checked against schema.org's QAPage structure as
Google's Q&A rich results require it: the official answer is listed (answerCount
counts it) and the text is plain text, not HTML-escaped (issue 17)."""

import json
import re
from datetime import datetime

import pytest

from community import services
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _answer_ok(answer: dict, where: str) -> None:
    assert answer["@type"] == "Answer", where
    assert isinstance(answer["text"], str) and answer["text"].strip(), where
    assert not re.search(r"&(lt|gt|amp|quot|#\d+);", answer["text"]), where
    assert answer["author"]["@type"] in {"Person", "Organization"}, where
    assert answer["author"]["name"], where
    assert answer["url"].startswith(("http://", "https://")), where
    datetime.fromisoformat(answer["dateCreated"])
    assert isinstance(answer["upvoteCount"], int), where


def assert_valid_qapage(data: dict) -> dict:
    """schema.org/QAPage with Google's required and recommended Question/Answer fields."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"]
    assert isinstance(question["answerCount"], int) and question["answerCount"] >= 0
    datetime.fromisoformat(question["dateCreated"])
    assert question["author"]["name"]
    listed = [question["acceptedAnswer"]] if "acceptedAnswer" in question else []
    listed += question.get("suggestedAnswer", [])
    if question["answerCount"]:
        assert listed, "answers counted but none listed"
    assert len(listed) <= question["answerCount"]
    urls = [a["url"] for a in listed]
    assert len(urls) == len(set(urls)), "an answer is listed twice"
    for n, answer in enumerate(listed):
        _answer_ok(answer, f"answer {n}")
    return question


def _json_ld(client, question) -> dict:
    html = client.get(question.get_absolute_url()).content.decode()
    return json.loads(_SCRIPT.search(html).group(1))


def test_the_official_answer_is_in_the_json_ld_and_text_is_not_html_escaped(
    client, site_tree, customer, staff_user
):
    question = make_question(
        customer,
        title="Why does <script> show up in my router's name?",
        body="The admin page shows <script>alert(1)</script> & more as its name.",
    )
    official = make_answer(
        question, staff_user, body="That is a <b> bug; update to 2.1 & it is gone."
    )
    other = make_answer(question, UserFactory(), body="Rename it in the app instead.")
    services.answer_mark_official(answer=official, by=staff_user)
    entity = assert_valid_qapage(_json_ld(client, question))
    assert entity["answerCount"] == 2
    texts = [a["text"] for a in entity["suggestedAnswer"]]
    assert "That is a <b> bug; update to 2.1 & it is gone." in texts
    assert "Rename it in the app instead." in texts
    assert "<script>alert(1)</script> & more" in entity["text"]
    services.answer_accept(answer=other, by=customer)
    entity = assert_valid_qapage(_json_ld(client, question))
    assert entity["acceptedAnswer"]["text"] == "Rename it in the app instead."
    assert [a["text"] for a in entity["suggestedAnswer"]] == [texts[0]]


def test_the_json_ld_cannot_close_its_script_element(client, site_tree, customer):
    question = make_question(
        customer, title="Ends with </script><b>bold</b> in the title, sadly"
    )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "</script><b>" not in html
    assert assert_valid_qapage(_json_ld(client, question))["name"].startswith("Ends")
