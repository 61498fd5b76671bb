"""Issue 17's small defects in the community's pages: durations, badge names read by
screen readers, suggestions without duplicate titles."""

import pytest

from community.templatetags.community_tags import hours_human


@pytest.mark.parametrize(
    "hours, shown",
    [
        (None, "–"),
        (0.2, "12 minutes"),
        (0.999, "1 hour"),  # 60 minutes is an hour
        (1.0, "1 hour"),
        (3.24, "3.2 hours"),
        (9.96, "10 hours"),  # was "10.0 hours" beside "11 hours"
        (10.0, "10 hours"),
        (11.2, "11 hours"),
        (47.9, "2 days"),
        (60, "2.5 days"),
    ],
)
def test_durations_read_alike_without_a_trailing_point_zero(hours, shown):
    assert hours_human(hours) == shown


@pytest.mark.django_db
def test_topic_badge_names_say_their_tier_once_to_screen_readers(
    client, product, settings, django_capture_on_commit_callbacks
):
    from django.utils.html import strip_tags

    from tests.community.test_badges_views import _expert

    settings.CANDOR_EXPERT_THRESHOLDS = {
        "bronze": (20, 2),
        "silver": (40, 3),
        "gold": (100, 5),
    }
    with django_capture_on_commit_callbacks(execute=True):
        _expert(product)
    html = client.get("/community/badges/").content.decode()
    text = " ".join(strip_tags(html).split())  # what a screen reader reads
    assert "Bronze: Expert in Router X" in text
    assert "Bronze: Bronze:" not in text


@pytest.mark.django_db
def test_suggestions_list_each_title_once_solved_first(client, site_tree):
    from community import services
    from tests.factories.community import make_answer, make_question
    from tests.factories.users import UserFactory

    title = "Router X drops the guest network every evening"
    make_question(UserFactory(), title=title)
    solved = make_question(UserFactory(), title=title + " ")
    services.answer_accept(answer=make_answer(solved, UserFactory()), by=solved.author)
    make_question(UserFactory(), title=title.upper())
    data = client.get("/community/ask/suggest/", {"q": "guest network drops"}).json()
    titles = [" ".join(q["title"].casefold().split()) for q in data["questions"]]
    assert titles.count(title.casefold()) == 1
    assert data["questions"][0]["url"] == solved.get_absolute_url()
