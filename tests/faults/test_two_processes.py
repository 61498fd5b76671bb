"""Two app processes behind one database and one Redis: a write on one is seen on the
other (the page cache's generations are shared), and counts stay exact."""

import re
import threading
import time

import pytest

from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_site_tree
from tests.faults.servers import (
    Browser,
    app_process,
    database_url_for_processes,
    verify_counters,
)

pytestmark = pytest.mark.django_db(transaction=True)


def helpful_count(html: str) -> int:
    match = re.search(r"(\d+) of (\d+) found this helpful", html)
    return int(match.group(2)) if match else 0


def wait_for(check, seconds=3.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_a_vote_on_one_process_shows_on_the_other_and_counts_stay_exact(
    redis_server, tmp_path
):
    _home, _products, kb = make_site_tree()
    article = make_article(kb, "Pair the hub")
    database_url = database_url_for_processes(tmp_path)
    with (
        app_process(
            database_url=database_url,
            redis_url=redis_server.url,
            DJANGO_RATE_LIMITS="0",
        ) as a,
        app_process(
            database_url=database_url,
            redis_url=redis_server.url,
            DJANGO_RATE_LIMITS="0",
        ) as b,
    ):
        page_a, page_b = a + article.url, b + article.url
        # Both processes now hold the page in their caches.
        for base_page in (page_a, page_b):
            Browser().get(base_page)
            status, html, headers = Browser().get(base_page)
            assert headers.get("x-page-cache") == "hit"
            assert helpful_count(html) == 0

        assert (
            Browser().post_form(page_a, page_a + "helpful/", {"helpful": "yes"}) == 302
        )
        seen = wait_for(lambda: helpful_count(Browser().get(page_b)[1]) == 1)
        assert seen, "process B still serves the page from before the vote"

        # Concurrent votes on both processes: every accepted vote is counted once.
        statuses = []

        def vote(page):
            statuses.append(
                Browser().post_form(page, page + "helpful/", {"helpful": "yes"})
            )

        threads = [
            threading.Thread(target=vote, args=(page_a if n % 2 else page_b,))
            for n in range(16)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses.count(302) == 16
        expected = 17
        assert wait_for(lambda: helpful_count(Browser().get(page_a)[1]) == expected)
        assert wait_for(lambda: helpful_count(Browser().get(page_b)[1]) == expected)
    if database_url.startswith("postgres"):
        assert ArticleFeedback.objects.filter(article=article).count() == expected


class EventStream:
    """A server-sent events client: reads `event: meter` messages from a stream."""

    def __init__(self, url: str):
        import urllib.request

        self.response = urllib.request.urlopen(url, timeout=10)

    def next_meter(self, seconds=10.0) -> dict | None:
        import json

        deadline = time.monotonic() + seconds
        event = None
        while time.monotonic() < deadline:
            line = self.response.readline().decode().rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "meter":
                return json.loads(line.split(":", 1)[1])
        return None

    def close(self):
        self.response.close()


def test_the_live_meter_on_one_process_hears_answers_recorded_on_the_other(
    redis_server, tmp_path
):
    """An answer recorded by WSGI process A reaches an SSE client of the live
    ASGI process B through Redis; answers sent concurrently to A and C are all
    counted, and every process's meter shows the same exact n."""
    from satisfaction.models import SurveyResponse
    from satisfaction.tokens import survey_token_make
    from tests.factories.satisfaction import record

    make_site_tree()
    links = [
        f"/satisfaction/survey/{survey_token_make(record().invitation)}/"
        for _ in range(9)
    ]
    database_url = database_url_for_processes(tmp_path)
    common = {
        "database_url": database_url,
        "redis_url": redis_server.url,
        "DJANGO_RATE_LIMITS": "0",
    }
    with (
        app_process(**common) as a,
        app_process(**common) as c,
        app_process(
            **common, interface="asgi", app="satisfaction.live_asgi:application"
        ) as live,
    ):
        stream = EventStream(live + "/satisfaction/live/")
        try:
            assert (
                Browser().post_form(a + links[0], a + links[0], {"answer": "yes"})
                == 302
            )
            snapshot = stream.next_meter()
            while snapshot is not None and snapshot["last"]["n"] < 1:
                snapshot = stream.next_meter()  # the latest kept before the answer
            assert snapshot is not None, "the live process never heard the answer"
            assert snapshot["last"]["n"] == 1

            # Eight more answers, on A and C at once.
            statuses = []

            def answer(base, link):
                statuses.append(
                    Browser().post_form(base + link, base + link, {"answer": "no"})
                )

            threads = [
                threading.Thread(target=answer, args=(a if n % 2 else c, link))
                for n, link in enumerate(links[1:])
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert statuses == [302] * 8
            while snapshot is not None and snapshot["last"]["n"] < 9:
                snapshot = stream.next_meter()
            assert snapshot is not None and snapshot["last"]["n"] == 9
            assert snapshot["last"]["satisfied"] == 1
        finally:
            stream.close()

        import json

        for base in (a, c):
            meter = json.loads(Browser().get(base + "/satisfaction/meter.json")[1])
            assert meter["last"]["n"] == 9, base
    if database_url.startswith("postgres"):
        assert SurveyResponse.objects.count() == 9
    # The meter's tallies, written by two processes at once, equal a recount.
    assert "meter tallies: exact" in verify_counters(database_url)
