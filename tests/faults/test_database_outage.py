"""The database goes away under a running site: requests answer 503 with
Retry-After (never a 500 page), cached pages keep being served, nothing is
half-written, and the site recovers by itself within seconds of its return.

On PostgreSQL the way to the server is cut (every connection closed, new ones
refused, as during a restart) by a proxy between the app and the real test
database. On SQLite the database file is moved away and back.
"""

import json
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from portal.models import ArticleFeedback
from tests.factories.portal import make_article, make_site_tree
from tests.factories.users import PASSWORD, UserFactory
from tests.faults.servers import (
    Browser,
    TcpProxy,
    app_process,
    database_url_for_processes,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Outage:
    """Takes the app processes' database away and brings it back."""

    def __init__(self, database_url: str):
        parsed = urlparse(database_url)
        self.proxy = None
        if parsed.scheme.startswith("postgres"):
            self.proxy = TcpProxy(parsed.hostname, parsed.port or 5432)
            self.proxy.start()
            userinfo = parsed.netloc.rpartition("@")[0]
            address = f"127.0.0.1:{self.proxy.port}"
            netloc = f"{userinfo}@{address}" if userinfo else address
            self.url = parsed._replace(netloc=netloc).geturl()
        else:
            self.url = database_url
            self.file = Path(parsed.path)
            self.away = self.file.with_suffix(".away")

    def begin(self):
        if self.proxy:
            self.proxy.cut()
        else:
            os.replace(self.file, self.away)

    def end(self):
        if self.proxy:
            self.proxy.restore()
        else:
            os.replace(self.away, self.file)  # over the empty file SQLite made


def test_a_database_outage_answers_503_and_the_site_recovers_by_itself(
    redis_server, tmp_path
):
    _home, _products, kb = make_site_tree()
    article = make_article(kb, "Pair the hub")
    UserFactory(username="ana", email="ana@example.com")
    outage = Outage(database_url_for_processes(tmp_path))
    with app_process(
        database_url=outage.url, redis_url=redis_server.url, DJANGO_RATE_LIMITS="0"
    ) as base:
        page = base + article.url
        member = Browser()
        assert member.post_form(
            base + "/account/login/",
            base + "/account/login/",
            {"username": "ana", "password": PASSWORD},
        ) == 302
        assert Browser().post_form(page, page + "helpful/", {"helpful": "yes"}) == 302
        Browser().get(page)
        assert Browser().get(page)[2].get("x-page-cache") == "hit"

        outage.begin()
        # Pages already in the cache are still served, forms and all.
        status, html, headers = Browser().get(page)
        assert (status, headers.get("x-page-cache")) == (200, "hit")
        assert "1 of 1 found this helpful" in html
        # Everything else says "try again soon", for people and for API clients.
        status, html, headers = member.get(base + "/account/")
        assert status == 503, html[-500:]
        assert headers["retry-after"] == "10"
        assert "Back in a moment" in html and "Traceback" not in html
        status, body, headers = Browser().get(base + "/api/v1/community/questions/?outage=1")
        assert status == 503 and headers["retry-after"] == "10"
        assert json.loads(body)["error"]["code"] == "unavailable"
        assert Browser().get(base + "/healthz/ready/")[0] == 503
        # A write during the outage is refused, not half-done.
        assert Browser().post_form(page, page + "helpful/", {"helpful": "yes"}) == 503

        outage.end()
        back = time.monotonic()
        while member.get(base + "/account/")[0] != 200:
            assert time.monotonic() - back < 10, "not recovered 10 s after the database"
            time.sleep(0.1)
        assert Browser().get(base + "/healthz/ready/")[0] == 200
        assert Browser().post_form(page, page + "helpful/", {"helpful": "yes"}) == 302
        assert "2 of 2 found this helpful" in Browser().get(page)[1]
    if outage.proxy:  # the PostgreSQL test database is the one the processes wrote
        outage.proxy.cut()
        assert ArticleFeedback.objects.filter(article=article).count() == 2
