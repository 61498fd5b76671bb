"""Redis slow or cut off while it keeps its data (a proxy between the site and
a real redis-server holds or drops the traffic).

Slow (2 s per reply): pages and writes still succeed, each request takes at most
1 s longer than with a healthy Redis (socket timeouts and the cache's circuit
breaker bound the wait), and the cache works again when the delay goes away.

Cut: a write made meanwhile could not send its page-cache invalidation; when
Redis answers again, the pages stored before the write are not served.
"""

import time

import pytest
from django.test import Client

from portal import cache as page_cache
from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_site_tree
from tests.faults.servers import (
    Browser,
    TcpProxy,
    app_process,
    database_url_for_processes,
)

pytestmark = pytest.mark.django_db(transaction=True)


def timed(call):
    """(status, seconds) of one request; `call` may time itself and return both."""
    started = time.monotonic()
    result = call()
    if isinstance(result, tuple):
        return result
    return result, time.monotonic() - started


def test_a_slow_redis_costs_each_request_at_most_a_second(redis_server, tmp_path):
    _home, _products, kb = make_site_tree()
    article = make_article(kb, "Pair the hub")
    database_url = database_url_for_processes(tmp_path)
    proxy = TcpProxy("127.0.0.1", redis_server.port)
    proxy.start()
    with app_process(
        database_url=database_url,
        redis_url=f"redis://127.0.0.1:{proxy.port}/0",
        DJANGO_RATE_LIMITS="1",  # limits on: they use Redis on every write
    ) as base:
        page = base + article.url
        fresh = base + "/search/?q=hub"

        def read():
            return Browser().get(page)[0]

        def read_uncached():
            return Browser().get(fresh + f"&n={time.monotonic_ns()}")[0]

        def write():
            # One request: the GET that hands out the form's token is not timed
            # (it is a read, and may pay its own bounded wait).
            browser = Browser()
            token = browser.csrf_token(page)
            started = time.monotonic()
            status = browser.post(page, page + "helpful/", {"helpful": "yes"}, token)
            return status, time.monotonic() - started

        baseline = {}
        for name, call in (("read", read), ("uncached", read_uncached), ("write", write)):
            call()  # warm: connections, first render
            baseline[name] = max(timed(call)[1] for _ in range(3))
        read()  # the writes made it stale
        assert Browser().get(page)[2].get("x-page-cache") == "hit"

        proxy.delay = 2.0
        slow = {"read": [], "uncached": [], "write": []}
        for _ in range(4):
            for name, call in (("read", read), ("uncached", read_uncached), ("write", write)):
                status, seconds = timed(call)
                assert status in (200, 302), (name, status)
                slow[name].append(seconds)
        for name, times in slow.items():
            assert max(times) < baseline[name] + 1.0, (name, baseline[name], times)

        proxy.delay = 0.0
        deadline = time.monotonic() + 10
        while Browser().get(page)[2].get("x-page-cache") != "hit":
            assert time.monotonic() < deadline, "the cache did not come back"
            time.sleep(0.2)
        shown = Browser().get(page)[1]
    proxy.cut()
    writes = 1 + 3 + 4  # warm-up, baseline, while slow
    assert f"{writes} of {writes} found this helpful" in shown
    if database_url.startswith("postgres"):
        assert ArticleFeedback.objects.filter(article=article).count() == writes


def test_a_write_that_could_not_reach_redis_still_expires_the_pages_before_it(
    client, redis_server, settings
):
    _home, _products, kb = make_site_tree()
    article = make_article(kb, "Pair the hub")
    proxy = TcpProxy("127.0.0.1", redis_server.port)
    proxy.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/0",
            "OPTIONS": {
                "socket_connect_timeout": 0.2,
                "socket_timeout": 0.2,
                "RETRY_AFTER": 0.1,
            },
        }
    }
    page_cache.clear_local()
    client.get(article.url)
    assert page_cache_state(client.get(article.url)) == ("hit", "0 of 0")

    proxy.cut()  # Redis keeps the page and its tokens; the site cannot reach them
    reader = Client()  # another visitor (with a session after voting)
    assert reader.post(article.url + "helpful/", {"helpful": "yes"}).status_code == 302
    assert ArticleFeedback.objects.filter(article=article).count() == 1
    proxy.restore()
    time.sleep(0.15)  # the cache's circuit breaker tries Redis again

    assert page_cache_state(client.get(article.url)) == ("miss", "1 of 1")
    assert page_cache_state(client.get(article.url)) == ("hit", "1 of 1")
    proxy.cut()


def page_cache_state(response):
    import re

    found = re.search(r"(\d+ of \d+) found this helpful", response.content.decode())
    return response.get("X-Page-Cache"), found.group(1) if found else "0 of 0"
