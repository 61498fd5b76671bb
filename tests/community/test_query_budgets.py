"""Community pages have query budgets that do not grow with the data (10 → 1,000 rows)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import services
from community.models import Answer, Comment, Question, QuestionTag, Vote
from portal import cache as page_cache
from portal.markdown import render_markdown
from portal.models import Profile
from tests.factories.community import make_answer, make_question

pytestmark = pytest.mark.django_db

# Signed-in members cost 3 more queries on every page (their user, and Wagtail's
# permission checks for the user bar); the counts below are for a member.
BUDGETS = {
    "question_list": 12,
    "question_list_by_tag": 12,
    "question_page": 18,  # the viewer's reputation, for the privilege buttons
    "question_page_2": 17,
    "api_question_list": 4,
    "api_question_detail": 6,
    "home": 17,
    "product": 22,
    "profile": 14,
    "notifications": 12,
}


def _members(n: int, prefix: str) -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com")
            for i in range(n)
        ]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"Member {prefix}{i}")
            for i, u in enumerate(users)
        ]
    )
    return users


def _grow(question, product, n: int, prefix: str) -> None:
    """Add `n` answers (each with a comment and a vote), and `n` more questions."""
    authors = _members(n, prefix)
    answers = Answer.objects.bulk_create(
        [
            Answer(
                question=question,
                author=a,
                body=f"Answer {i}",
                body_html=render_markdown(f"Answer {i}"),
            )
            for i, a in enumerate(authors)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(answer=a, author=authors[0], body="ok", body_html="<p>ok</p>")
            for a in answers
        ]
    )
    Vote.objects.bulk_create(
        [Vote(user=authors[-1], answer=a, value=1) for a in answers[:-1]]
    )
    Question.objects.filter(pk=question.pk).update(answer_count=len(answers))
    questions = Question.objects.bulk_create(
        [
            Question(
                author=a,
                title=f"Bulk question {prefix}{i} about routers",
                slug="bulk",
                body="Body text here.",
                body_html="<p>Body text here.</p>",
                product=product,
            )
            for i, a in enumerate(authors)
        ]
    )
    tag_id = question.tagged_items.first().tag_id
    QuestionTag.objects.bulk_create(
        [QuestionTag(content_object=q, tag_id=tag_id) for q in questions]
    )


def _count(client, url) -> int:
    client.get(
        url
    )  # warm caches that are meant to be warm (unread count, speed figures)
    # ...but not the anonymous page cache: the budget is for rendering the page.
    page_cache.invalidate(page_cache.SITE)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


def _urls(question, product, customer):
    return {
        "question_list": "/community/",
        "question_list_by_tag": "/community/tags/wifi/",
        "question_page": question.get_absolute_url(),
        "question_page_2": question.get_absolute_url() + "?page=2&sort=newest",
        "api_question_list": "/api/v1/community/questions/",
        "api_question_detail": f"/api/v1/community/questions/{question.pk}/",
        "home": "/",
        "product": product.url,
        "profile": f"/people/{customer.username}/",
        "notifications": "/community/notifications/",
    }


@pytest.mark.parametrize("signed_in", [False, True])
def test_community_pages_stay_within_budget_from_10_to_1000_answers(
    client, site_tree, product, customer, other_customer, staff_user, signed_in
):
    question = make_question(customer, product=product, tags=["wifi"])
    accepted = make_answer(question, other_customer)
    services.answer_accept(answer=accepted, by=customer)
    services.answer_mark_official(
        answer=make_answer(question, staff_user), by=staff_user
    )
    services.comment_add(
        author=other_customer, question=question, body="Same problem here."
    )
    client.force_login(customer)
    urls = _urls(question, product, customer)
    if not signed_in:
        client.logout()
        urls.pop("notifications")

    _grow(question, product, 40, "s")  # two pages of 30 answers are needed for page 2
    small = {name: _count(client, url) for name, url in urls.items()}
    _grow(question, product, 1000, "l")
    large = {name: _count(client, url) for name, url in urls.items()}

    for name, count in small.items():
        assert count <= BUDGETS[name], (name, count)
    assert large == small
