"""Two app processes behind one database and one Redis: a write on one is seen on the
other (the page cache's generations are shared), and counts stay exact."""

import re
import threading
import time

import pytest

from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_site_tree
from tests.faults.servers import Browser, app_process, database_url_for_processes

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
