"""Members' everyday writes and the page cache: a burst of votes or answers
re-renders each public page once per window (CANDOR_PAGE_CACHE_COALESCE_SECONDS),
never later; the writer sees their own write at once."""

import re
import time

import pytest
from django.test import Client

from community import services
from tests.factories.community import make_answer, make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

WINDOW = 3.0  # wide enough for a slow machine's renders inside it


def scores(response) -> list[int]:
    """The scores on a question page: the question's, then each answer's."""
    return [
        int(n) for n in re.findall(r"Score </span>(-?\d+)", response.content.decode())
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def window(settings):
    settings.CANDOR_PAGE_CACHE_COALESCE_SECONDS = WINDOW


@pytest.fixture
def answered(window):
    """(question page URL, its one answer)."""
    question = make_question()
    return question.get_absolute_url(), make_answer(question)


def test_votes_reach_public_pages_within_the_window_and_the_voter_at_once(
    answered, django_capture_on_commit_callbacks
):
    url, answer = answered
    first, second = UserFactory(), UserFactory()
    reader, voter = Client(), signed_in(second)
    reader.get(url)
    voter.get(url)
    assert reader.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=first, answer=answer, value=1)
    # The first vote after a quiet spell shows at once.
    fresh = reader.get(url)
    assert fresh["X-Page-Cache"] == "miss" and scores(fresh)[1] == 1
    assert reader.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=second, answer=answer, value=1)
    # The voter's own page shows their vote at once...
    own = voter.get(url)
    assert own["X-Page-Cache"] == "miss" and scores(own)[1] == 2
    assert 'aria-pressed="true"' in own.content.decode()
    # ...the public one within the window, not later.
    assert scores(reader.get(url))[1] == 1
    time.sleep(WINDOW + 0.2)
    later = reader.get(url)
    assert later["X-Page-Cache"] == "miss" and scores(later)[1] == 2


def test_a_burst_of_votes_costs_each_public_page_one_render_per_window(
    answered, django_capture_on_commit_callbacks
):
    url, answer = answered
    reader = Client()
    reader.get(url)
    renders = 0
    started = time.monotonic()
    for voter in UserFactory.create_batch(8):
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_cast(user=voter, answer=answer, value=1)
        response = reader.get(url)
        renders += response["X-Page-Cache"] == "miss"
        time.sleep(0.05)
    windows = (time.monotonic() - started) / WINDOW
    assert renders <= windows + 1 < 8
    time.sleep(WINDOW + 0.2)
    assert scores(reader.get(url))[1] == 8  # the last vote shows once the window ends


def test_an_answer_shows_to_its_author_at_once_and_to_readers_within_the_window(
    window, django_capture_on_commit_callbacks
):
    question = make_question()
    url = question.get_absolute_url()
    author = UserFactory()
    # Earlier writes: the author's first answer (it earns a badge, a rare event
    # that expires pages at once), and the burst's first answer, shown at once.
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(make_question(), author)
        make_answer(question)
    reader, own = Client(), signed_in(author)
    reader.get(url)
    own.get(url)
    assert reader.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, author, body="Hold the reset button for ten seconds.")
    assert "Hold the reset button" in own.get(url).content.decode()
    assert "Hold the reset button" not in reader.get(url).content.decode()
    time.sleep(WINDOW + 0.2)
    assert "Hold the reset button" in reader.get(url).content.decode()
