"""Community pages through the HTTP client: what each visitor sees, and bad input."""

import json
import re

import pytest
from django.urls import reverse

from community import services
from community.models import (
    Answer,
    AskAttempt,
    Comment,
    Flag,
    Notification,
    Question,
    Vote,
)
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- lists


def test_the_question_list_shows_visible_questions_with_counts(
    client, site_tree, customer, other_customer
):
    question = make_question(
        customer, title="How do I reset Router X to factory settings?"
    )
    services.me_too_add(question=question, user=other_customer)
    hidden = make_question(
        other_customer, title="Buy cheap followers at example dot com"
    )
    hidden.is_hidden = True
    hidden.save()
    html = client.get("/community/").content.decode()
    assert "How do I reset Router X to factory settings?" in html
    assert "cheap followers" not in html
    assert re.search(r"<strong>1</strong>\s*me too", html)


def test_lists_filter_by_unanswered_tag_product_and_status(
    client, site_tree, product, customer, other_customer
):
    answered = make_question(
        customer,
        title="Which channel is best for Router X?",
        tags=["wifi"],
        product=product,
    )
    make_answer(answered, other_customer)
    make_question(
        customer, title="Does the thermostat support heat pumps?", tags=["heating"]
    )
    unanswered = client.get("/community/?sort=unanswered").content.decode()
    assert "heat pumps" in unanswered and "Which channel" not in unanswered
    by_tag = client.get("/community/tags/wifi/").content.decode()
    assert "Which channel" in by_tag and "heat pumps" not in by_tag
    by_product = client.get(f"/community/?product={product.slug}").content.decode()
    assert "Which channel" in by_product and "heat pumps" not in by_product
    by_status = client.get("/community/?status=answered").content.decode()
    assert "Which channel" in by_status and "heat pumps" not in by_status
    assert client.get("/community/tags/no-such-tag/").status_code == 404


def test_most_me_too_sorts_by_the_count(client, site_tree, customer):
    quiet = make_question(customer, title="A quiet question about the hub")
    loud = make_question(customer, title="A loud question about the hub")
    for _ in range(3):
        services.me_too_add(question=loud, user=UserFactory())
    html = client.get("/community/?sort=metoo").content.decode()
    assert html.index(loud.title) < html.index(quiet.title)


def test_the_list_paginates(client, site_tree, customer):
    for n in range(25):
        make_question(customer, title=f"Numbered question {n:02d} about the router")
    first = client.get("/community/").content.decode()
    second = client.get("/community/?page=2").content.decode()
    assert "Numbered question 24" in first and "Numbered question 04" not in first
    assert "Numbered question 04" in second
    assert "Page 2 of 2" in second


# --------------------------------------------------------------------------- the question page


def test_the_question_page_pins_the_accepted_and_official_answers(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer)
    accepted = make_answer(
        question, other_customer, body="Community fix: move the router higher."
    )
    voted = make_answer(question, UserFactory(), body="Popular answer with many votes.")
    for _ in range(3):
        services.vote_cast(user=UserFactory(), answer=voted, value=1)
    official = make_answer(
        question, staff_user, body="Official fix from the support team."
    )
    services.answer_accept(answer=accepted, by=customer)
    services.answer_mark_official(answer=official, by=staff_user)
    html = client.get(question.get_absolute_url()).content.decode()
    html = html[html.index('id="answers-heading"') :]
    assert (
        html.index("Community fix")
        < html.index("Official fix")
        < html.index("Popular answer")
    )
    assert "✓ Accepted answer" in html
    assert "Official answer" in html
    assert 'class="badge-staff">Staff<' in html
    assert "3 answers" in html


def test_answers_sort_by_score_newest_and_oldest(client, site_tree, customer):
    question = make_question(customer)
    old = make_answer(question, UserFactory(), body="The oldest answer here.")
    new = make_answer(question, UserFactory(), body="The newest answer here.")
    services.vote_cast(user=UserFactory(), answer=old, value=-1)
    assert new.score == 0
    by_score = (
        client.get(question.get_absolute_url())
        .content.decode()
        .split('id="answers-heading"')[1]
    )
    assert by_score.index("newest answer") < by_score.index("oldest answer")
    by_oldest = (
        client.get(question.get_absolute_url() + "?sort=oldest")
        .content.decode()
        .split('id="answers-heading"')[1]
    )
    assert by_oldest.index("oldest answer") < by_oldest.index("newest answer")


def test_the_question_page_carries_qapage_json_ld(
    client, site_tree, customer, other_customer
):
    question = make_question(
        customer, title="Does Router X support </script> in SSIDs?"
    )
    answer = make_answer(question, other_customer)
    services.answer_accept(answer=answer, by=customer)
    html = client.get(question.get_absolute_url()).content.decode()
    raw = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ).group(1)
    assert "</script" not in raw.lower()
    data = json.loads(raw)
    assert data["@type"] == "QAPage"
    assert data["mainEntity"]["name"] == question.title
    assert data["mainEntity"]["acceptedAnswer"]["text"].startswith("Restart it")


def test_a_wrong_slug_redirects_to_the_canonical_address(client, site_tree, customer):
    question = make_question(customer)
    response = client.get(f"/community/questions/{question.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()


def test_hidden_questions_are_404_for_others_and_shown_with_a_note_to_their_author(
    client, site_tree, customer, staff_user
):
    question = make_question(customer)
    services.post_hide(post=question, by=staff_user, reason="spam")
    assert client.get(question.get_absolute_url()).status_code == 404
    _login(client, UserFactory())
    assert client.get(question.get_absolute_url()).status_code == 404
    _login(client, customer)
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert "Moderators hid this question" in response.content.decode()


# --------------------------------------------------------------------------- asking


def test_the_ask_page_needs_a_login(client, site_tree):
    response = client.get("/community/ask/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_asking_without_suggestions_posts_at_once(client, site_tree, customer):
    _login(client, customer)
    response = client.post(
        "/community/ask/",
        {
            "title": "Zigbee pairing fails with unusual sensor",
            "body": "Pairing stops at 90 percent every time.",
            "tags": "zigbee, hub",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert sorted(question.tags.names()) == ["hub", "zigbee"]
    assert AskAttempt.objects.count() == 0


def test_without_javascript_a_confirm_step_shows_suggestions_first(
    client, site_tree, customer, article
):
    solved = make_question(UserFactory(), title="Set up Router X from scratch")
    services.answer_accept(answer=make_answer(solved, UserFactory()), by=solved.author)
    open_one = make_question(UserFactory(), title="Set up Router X guest network")
    _login(client, customer)
    data = {
        "title": "How do I set up Router X?",
        "body": "I just unboxed it and the light is blue.",
        "tags": "setup",
    }
    response = client.post("/community/ask/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This answered my question" in html and "Post my question anyway" in html
    assert "Set up Router X" in html  # the article
    assert html.index(solved.title) < html.index(open_one.title)  # solved first
    assert Question.objects.filter(author=customer).count() == 0

    response = client.post(
        "/community/ask/",
        {
            **data,
            "confirmed": "1",
            "questions_suggested": "2",
            "articles_suggested": "1",
        },
    )
    assert response.status_code == 302
    attempt = AskAttempt.objects.get()
    assert (
        attempt.outcome,
        attempt.questions_suggested,
        attempt.articles_suggested,
    ) == ("posted", 2, 1)


def test_this_answered_my_question_is_counted_and_posts_nothing(
    client, site_tree, customer
):
    _login(client, customer)
    response = client.post(
        "/community/ask/answered/",
        {
            "title": "How do I set up Router X?",
            "questions_suggested": "3",
            "helpful_url": "/community/questions/1/x/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/community/questions/1/x/"
    attempt = AskAttempt.objects.get()
    assert attempt.outcome == AskAttempt.Outcome.DEFLECTED
    assert Question.objects.count() == 0
    response = client.post(
        "/community/ask/answered/",
        {"title": "x", "helpful_url": "https://evil.example/"},
    )
    assert response["Location"] == "/community/"


def test_the_suggestion_endpoint_returns_questions_solved_first_and_articles(
    client, site_tree, article
):
    solved = make_question(UserFactory(), title="Set up Router X from scratch")
    services.answer_accept(answer=make_answer(solved, UserFactory()), by=solved.author)
    make_question(UserFactory(), title="Set up Router X port forwarding")
    data = client.get("/community/ask/suggest/", {"q": "set up router"}).json()
    assert data["questions"][0]["title"] == solved.title
    assert data["questions"][0]["status"] == "solved"
    assert [a["title"] for a in data["articles"]] == ["Set up Router X"]
    assert client.get("/community/ask/suggest/", {"q": "ab"}).json() == {
        "query": "ab",
        "questions": [],
        "articles": [],
    }


def test_a_hidden_question_is_no_longer_suggested_even_from_the_cache(
    client, site_tree, staff_user
):
    spam = make_question(UserFactory(), title="Set up Router X with cheap pills")
    data = client.get("/community/ask/suggest/", {"q": "set up router"}).json()
    assert [q["title"] for q in data["questions"]] == [spam.title]
    services.post_hide(post=spam, by=staff_user, reason="Spam")
    data = client.get("/community/ask/suggest/", {"q": "set up router"}).json()
    assert data["questions"] == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "This field is required."),
        ({"body": "x" * 50_000}, "at most 20000 characters"),
        ({"tags": ", ".join(f"t{n}" for n in range(40))}, "at most 5 tags"),
        ({"tags": "t" * 200}, "at most 40 characters"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_input_on_the_ask_form_re_renders_with_a_400(
    client, site_tree, customer, data, message
):
    _login(client, customer)
    response = client.post(
        "/community/ask/",
        {
            "title": "How do I reset the router?",
            "body": "It keeps dropping.",
            **data,
            "confirmed": "1",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Question.objects.count() == 0


def test_html_and_script_in_a_question_are_shown_as_text(client, site_tree, customer):
    _login(client, customer)
    client.post(
        "/community/ask/",
        {
            "title": "Router <script>alert(1)</script> question",
            "confirmed": "1",
            "body": "<script>alert('x')</script> and <b onclick=x>bold</b>",
        },
    )
    question = Question.objects.get()
    html = client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "onclick=x>" not in html


# --------------------------------------------------------------------------- answering and small actions


def test_answering_from_the_page_then_the_form_is_gone(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    _login(client, other_customer)
    response = client.post(
        f"/community/questions/{question.pk}/answer/",
        {"body": "Turn it off and on again, then wait."},
    )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    html = client.get(question.get_absolute_url()).content.decode()
    assert "You have answered this question." in html
    assert "Post your answer" not in html


def test_a_second_answer_or_an_empty_one_re_renders_with_a_400(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    make_answer(question, other_customer)
    _login(client, other_customer)
    response = client.post(
        f"/community/questions/{question.pk}/answer/",
        {"body": "Another answer from me here."},
    )
    assert response.status_code == 400
    assert "edit your answer instead" in response.content.decode()
    response = client.post(f"/community/questions/{question.pk}/answer/", {"body": ""})
    assert response.status_code == 400
    assert Answer.objects.count() == 1


def test_voting_from_the_page_and_refusals(client, site_tree, customer, other_customer):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    _login(client, customer)
    assert (
        client.post(f"/community/answer/{answer.pk}/vote/", {"value": "up"}).status_code
        == 302
    )
    answer.refresh_from_db()
    assert answer.score == 1
    response = client.post(f"/community/question/{question.pk}/vote/", {"value": "up"})
    assert response.status_code == 403
    assert "your own post" in response.content.decode()
    assert (
        client.post(
            f"/community/answer/{answer.pk}/vote/", {"value": "sideways"}
        ).status_code
        == 400
    )
    assert (
        client.post("/community/answer/999999/vote/", {"value": "up"}).status_code
        == 404
    )
    assert (
        client.post(f"/community/thing/{answer.pk}/vote/", {"value": "up"}).status_code
        == 404
    )
    assert client.get(f"/community/answer/{answer.pk}/vote/").status_code == 405
    assert Vote.objects.count() == 1


def test_votes_on_hidden_posts_are_404_and_change_nothing(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    services.post_hide(post=answer, by=staff_user, reason="spam")
    _login(client, customer)
    assert (
        client.post(f"/community/answer/{answer.pk}/vote/", {"value": "up"}).status_code
        == 404
    )
    assert Vote.objects.count() == 0


def test_accepting_someone_elses_question_is_refused(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    _login(client, UserFactory())
    response = client.post(f"/community/answers/{answer.pk}/accept/")
    assert response.status_code == 403
    assert "Only the person who asked" in response.content.decode()
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_accepting_from_the_page(client, site_tree, customer, other_customer):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    _login(client, customer)
    html = client.get(question.get_absolute_url()).content.decode()
    # Quiet: a small ghost button on every answer, never the page's loud primary one.
    assert re.search(
        r'<button type="submit" class="button button-small button-ghost">\s*Accept this answer',
        html,
    )
    response = client.post(f"/community/answers/{answer.pk}/accept/")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.SOLVED
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Accept this answer" not in html
    assert f'id="answer-{answer.pk}" class="answer is-accepted' in html
    assert "✓ Accepted answer" in html and "Withdraw acceptance" in html


def test_me_too_follow_comment_and_flag_from_the_page(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    _login(client, other_customer)
    client.post(f"/community/questions/{question.pk}/me-too/", {"action": "add"})
    question.refresh_from_db()
    assert question.me_too_count == 1
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Me too ✓" in html
    assert re.search(r"<strong>1</strong>\s*person has this question too", html)
    client.post(
        f"/community/question/{question.pk}/comment/",
        {"body": "Same with firmware 2.4 here."},
    )
    assert Comment.objects.get().body == "Same with firmware 2.4 here."
    response = client.post(
        f"/community/question/{question.pk}/comment/", {"body": "x" * 700}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1
    assert client.get(f"/community/question/{question.pk}/flag/").status_code == 200
    response = client.post(
        f"/community/question/{question.pk}/flag/", {"reason": "staff", "note": ""}
    )
    assert response.status_code == 400
    client.post(f"/community/question/{question.pk}/flag/", {"reason": "spam"})
    assert Flag.objects.get().reason == "spam"


def test_following_a_tag_and_a_product_from_their_pages_brings_new_questions(
    client, site_tree, product, customer, other_customer
):
    make_question(customer, tags=["wifi"])
    _login(client, other_customer)
    tag_page = client.get("/community/tags/wifi/").content.decode()
    assert "Follow this tag" in tag_page
    response = client.post(
        "/community/follow/tag/wifi/",
        {"following": "1", "next": "/community/tags/wifi/"},
    )
    assert (
        response.status_code == 302 and response["Location"] == "/community/tags/wifi/"
    )
    assert "Following" in client.get("/community/tags/wifi/").content.decode()
    assert (
        "Follow questions about this product"
        in client.get(product.url).content.decode()
    )
    client.post(f"/community/follow/product/{product.pk}/", {"following": "1"})
    assert (
        client.post(
            "/community/follow/tag/no-such-tag/", {"following": "1"}
        ).status_code
        == 404
    )

    asked = make_question(customer, tags=["wifi"], product=product)
    told = Notification.objects.filter(
        recipient=other_customer, kind=Notification.Kind.NEW_QUESTION
    )
    assert [n.question_id for n in told] == [asked.pk]  # one notice, though both match
    assert asked.title in client.get("/community/notifications/").content.decode()

    client.post("/community/follow/tag/wifi/", {"following": "0"})
    client.post(f"/community/follow/product/{product.pk}/", {"following": "0"})
    make_question(customer, tags=["wifi"], product=product)
    assert told.count() == 1


def test_followers_are_told_of_an_acceptance_by_email_after_commit(
    site_tree, customer, other_customer, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(customer)
    answer = make_answer(question, UserFactory())
    services.me_too_add(user=other_customer, question=question)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.answer_accept(answer=answer, by=customer)
    assert not mailoutbox  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(
        recipient=other_customer, kind=Notification.Kind.ACCEPTED
    ).exists()
    assert any(
        m.to == [other_customer.email] and "An answer was accepted" in m.subject
        for m in mailoutbox
    )


def test_editing_keeps_a_public_history_with_a_diff(client, site_tree, customer):
    question = make_question(customer, body="The light is orange.\nIt blinks.")
    _login(client, customer)
    response = client.post(
        f"/community/questions/{question.pk}/edit/",
        {
            "title": question.title,
            "body": "The light is orange.\nIt blinks fast.",
            "tags": "wifi",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(f"/community/questions/{question.pk}/history/").content.decode()
    assert "Version 2" in html and "Version 1" in html
    assert "It blinks fast." in html and "<del>" in html
    _login(client, UserFactory())  # below the edit privilege: a suggestion, not an edit
    response = client.get(f"/community/questions/{question.pk}/edit/")
    assert response.status_code == 200
    assert "What does your edit improve?" in response.content.decode()


def test_notifications_list_open_and_unsubscribe(
    client, site_tree, customer, other_customer
):
    question = make_question(customer)
    make_answer(question, other_customer)
    notification = Notification.objects.get(recipient=customer)
    _login(client, customer)
    html = client.get("/").content.decode()
    assert '<unread-count url="/community/notifications/unread/"' in html
    assert client.get("/community/notifications/unread/").json() == {"unread": 1}
    assert "New answer" in client.get("/community/notifications/").content.decode()
    response = client.post(f"/community/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get("/community/notifications/unread/").json() == {"unread": 0}
    client.logout()
    assert client.get("/community/notifications/unread/").json() == {"unread": 0}
    token = services.unsubscribe_token(user=customer)
    page = client.get(f"/community/unsubscribe/{token}/")
    assert (
        page.status_code == 200
        and "Stop all community emails?" in page.content.decode()
    )
    assert (
        services.notification_preference_get(user=customer).email_mode == "each"
    )  # a GET changes nothing
    client.post(f"/community/unsubscribe/{token}/")
    assert services.notification_preference_get(user=customer).email_mode == "none"
    assert client.get("/community/unsubscribe/bogus/").status_code == 400


def test_emails_carry_one_click_unsubscribe_that_a_mail_client_can_post(
    site_tree, customer, other_customer, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    question = make_question(customer)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, other_customer)
    (message,) = [m for m in mailoutbox if m.to == [customer.email]]
    header = message.extra_headers["List-Unsubscribe"]
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    url = re.fullmatch(r"<http://testserver(/community/unsubscribe/[^/]+/)>", header)[1]
    assert url in message.body
    # What Gmail or Apple Mail send: a POST with no cookie and no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert services.notification_preference_get(user=customer).email_mode == "none"
    assert mail_client.post("/community/unsubscribe/forged/").status_code == 400


# --------------------------------------------------------------------------- panels


def test_home_product_and_profile_panels(
    client, site_tree, product, customer, other_customer
):
    question = make_question(
        customer, title="Does Router X support WPA3 for every band?", product=product
    )
    make_answer(question, other_customer)
    assert question.title in client.get("/").content.decode()
    product_html = client.get(product.url).content.decode()
    assert question.title in product_html
    assert "Speed of help" in product_html
    assert "Moderators have hidden no posts about this product." in product_html
    profile_html = client.get(
        reverse("portal:profile", kwargs={"username": customer.username})
    ).content.decode()
    assert question.title in profile_html


def test_the_product_figures_follow_a_hide_and_an_answer_at_once(
    client, site_tree, product, customer, other_customer, staff_user
):
    """The speed-of-help and hidden-post figures are cached, but every write renews them."""
    question = make_question(customer, product=product)
    spam = make_question(other_customer, product=product)
    html = client.get(product.url).content.decode()
    assert "Moderators have hidden no posts about this product." in html
    assert "Based on the 2 questions asked" in html
    services.post_hide(post=spam, by=staff_user, reason="Advertising")
    html = client.get(product.url).content.decode()
    assert "Moderators have hidden 1 question and 0 answers about this product." in html
    assert "Based on the 1 question asked" in html
    assert "Median time to a first answer</dt><dd>–</dd>" in html
    make_answer(question, other_customer)
    html = client.get(product.url).content.decode()
    assert "Median time to a first answer</dt><dd>–</dd>" not in html


def test_product_links_in_lists_resolve_the_site_root_once_per_request(
    client, site_tree, product, customer, monkeypatch
):
    """Each product link looked the site's root paths up in the shared cache (a Redis
    round trip per question card); `pageurl` keeps them on the request."""
    from wagtail.models import Site

    for n in range(6):
        make_question(
            customer, title=f"Router question number {n} here", product=product
        )
    calls = []
    original = Site.get_site_root_paths

    def counting():
        calls.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counting))
    question = Question.objects.first()
    for url in ("/community/", question.get_absolute_url()):
        calls.clear()
        assert client.get(url).status_code == 200
        assert len(calls) <= 2, (url, len(calls))


def test_the_header_links_to_the_community(client, site_tree):
    assert 'href="/community/"' in client.get("/").content.decode()


# --------------------------------------------------------------------------- anonymous page cache


def test_anonymous_pages_are_served_from_the_cache_until_something_changes(
    client,
    site_tree,
    customer,
    other_customer,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    question = make_question(customer)
    answer = make_answer(question, other_customer)
    client.get(question.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(question.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=customer, answer=answer, value=1)
    html = client.get(question.get_absolute_url()).content.decode()
    assert re.search(
        r'<span class="vote-score"[^>]*><span class="visually-hidden">Score </span>1</span>',
        html,
    )


def test_members_and_visitors_with_a_session_never_get_a_cached_page(
    client, site_tree, customer
):
    client.get("/community/")
    client.force_login(customer)
    html = client.get("/community/").content.decode()
    assert "Log out" in html  # rendered for the member, not the cached anonymous page


def test_a_suspended_member_is_signed_out_of_their_open_session(
    client, site_tree, customer, staff_user
):
    client.force_login(customer)
    assert client.get("/community/ask/").status_code == 200
    services.member_suspend(member=customer, by=staff_user, reason="Spam account")
    response = client.get("/community/ask/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_notifications_about_hidden_questions_leave_the_list(
    client, site_tree, customer, other_customer, staff_user
):
    question = make_question(
        other_customer, title="A question that moderators will hide"
    )
    services.me_too_add(question=question, user=customer)
    make_answer(question, UserFactory())
    client.force_login(customer)
    assert question.title in client.get("/community/notifications/").content.decode()
    services.post_hide(post=question, by=staff_user, reason="spam")
    assert (
        question.title not in client.get("/community/notifications/").content.decode()
    )
