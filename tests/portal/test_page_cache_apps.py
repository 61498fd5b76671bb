"""Cached portal pages show what the apps add, and every app's write refreshes them.

The home, product and profile pages carry panels from community, reviews and
satisfaction; each panel declares its scope, so a write in that app makes the
cached page stale at once (see portal.cache).
"""

import pytest

from tests.factories.community import make_question
from tests.factories.reviews import write_review
from tests.factories.satisfaction import answer, record

pytestmark = pytest.mark.django_db


def hit(client, url):
    client.get(url)
    response = client.get(url)
    assert response.get("X-Page-Cache") == "hit", url
    return response


def test_a_new_question_appears_on_the_cached_home_and_product_pages(
    client, product, django_capture_on_commit_callbacks
):
    hit(client, "/")
    hit(client, product.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_question(
            title="Why does my Router X blink orange at night?", product=product
        )
    assert (
        "Why does my Router X blink orange at night?"
        in client.get("/").content.decode()
    )
    assert (
        "Why does my Router X blink orange at night?"
        in client.get(product.url).content.decode()
    )


def test_a_new_review_appears_on_the_cached_product_page(
    client, product, django_capture_on_commit_callbacks
):
    hit(client, product.url)
    with django_capture_on_commit_callbacks(execute=True):
        write_review(product, rating=2, title="Drops the connection every evening")
    assert (
        "Drops the connection every evening" in client.get(product.url).content.decode()
    )


def test_a_survey_answer_refreshes_the_cached_home_meter(
    client, site_tree, customer, settings, django_capture_on_commit_callbacks
):
    settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0
    before = hit(client, "/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        interaction = record(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        answer(interaction, satisfied=True, by=customer)
    after = client.get("/")
    assert after.get("X-Page-Cache") == "miss"
    assert after.content.decode() != before


@pytest.mark.parametrize("url", ["/satisfaction/", "/satisfaction/meter.json"])
def test_the_meter_is_served_from_the_cache_until_an_answer_changes_it(
    client, site_tree, customer, settings, django_capture_on_commit_callbacks, url
):
    settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0
    hit(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        interaction = record(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        answer(interaction, satisfied=True, by=customer)
    assert client.get(url).get("X-Page-Cache") == "miss"
    hit(client, url)
