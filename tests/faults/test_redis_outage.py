"""Redis killed while the site serves requests: pages keep coming, no write is lost,
and the cache works again by itself when Redis is back."""

import threading
import time

import pytest

from portal.models import ArticleFeedback
from satisfaction.models import SurveyResponse
from satisfaction.tokens import survey_token_make
from tests.factories.portal import make_article, make_site_tree
from tests.factories.satisfaction import record
from tests.factories.users import PASSWORD, UserFactory
from tests.faults.servers import (
    Browser,
    app_process,
    database_url_for_processes,
    verify_counters,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_and_writes_survive_a_redis_outage_and_the_cache_recovers(
    redis_server, tmp_path
):
    _home, _products, kb = make_site_tree()
    article = make_article(kb, "Pair the hub")
    UserFactory(username="ana", email="ana@example.com")
    surveys = [
        f"/satisfaction/survey/{survey_token_make(record().invitation)}/"
        for _ in range(60)
    ]
    database_url = database_url_for_processes(tmp_path)
    with app_process(
        database_url=database_url,
        redis_url=redis_server.url,
        DJANGO_RATE_LIMITS="0",
    ) as base:
        page = base + article.url
        member = Browser()
        assert (
            member.post_form(
                base + "/account/login/",
                base + "/account/login/",
                {"username": "ana", "password": PASSWORD},
            )
            == 302
        )
        Browser().get(page)
        assert Browser().get(page)[2].get("x-page-cache") == "hit"

        reads, writes, stop = [], [], threading.Event()

        def reader():
            while not stop.is_set():
                reads.append(Browser().get(page)[0])
                reads.append(member.get(base + "/account/")[0])

        def writer():
            while not stop.is_set():
                writes.append(
                    Browser().post_form(page, page + "helpful/", {"helpful": "yes"})
                )

        answered = []

        def surveyor():
            for n, link in enumerate(surveys):
                if stop.is_set():
                    break
                choice = "yes" if n % 3 else "no"
                answered.append(
                    Browser().post_form(base + link, base + link, {"answer": choice})
                )

        threads = [
            threading.Thread(target=f) for f in (reader, reader, writer, surveyor)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        redis_server.kill()
        during = len(reads)
        time.sleep(2.0)
        during = len(reads) - during
        redis_server.start()
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join()

        assert during > 0, "nothing was served while Redis was down"
        assert set(reads) == {200}, f"reads answered {sorted(set(reads))}"
        # The member stayed signed in throughout (sessions live in the database).
        assert set(writes) == {302}, f"writes answered {sorted(set(writes))}"
        assert answered and set(answered) == {302}, sorted(set(answered))
        # Recovered: the page is cached again once Redis is back.
        Browser().get(page)
        assert Browser().get(page)[2].get("x-page-cache") == "hit"
        shown = Browser().get(page)[1]
    accepted = len(writes)
    assert f"{accepted} of {accepted} found this helpful" in shown
    if database_url.startswith("postgres"):
        assert ArticleFeedback.objects.filter(article=article).count() == accepted
        assert SurveyResponse.objects.count() == len(answered)
    # Every answer made during the outage is in the meter's tallies.
    assert "meter tallies: exact" in verify_counters(database_url)
