"""Concurrent searches leave exact search-gap counts (real threads, own connections).

The first search of the day inserts the row and every other one raises it with
F(): two processes inserting at once must not lose a count nor answer 500.
"""

import pytest
from wagtail.contrib.search_promotions.models import QueryDailyHits

from portal.models import SearchGap
from portal.search import analytics
from tests.concurrency import errors_of, race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 30


def test_concurrent_zero_result_searches_count_every_one():
    outcomes = race(
        [lambda: analytics.log_search("Zebra  stripes", found=False)] * THREADS
    )
    assert errors_of(outcomes) == []
    gap = SearchGap.objects.get()
    assert (gap.query_string, gap.no_result_hits, gap.asked_hits) == (
        "zebra stripes",
        THREADS,
        0,
    )
    assert QueryDailyHits.objects.get().hits == THREADS


def test_concurrent_asks_after_searching_count_every_one():
    half = THREADS // 2
    outcomes = race(
        [lambda: analytics.log_asked_after_search("router firmware")] * half
        + [lambda: analytics.log_search("router firmware", found=False)] * half
    )
    assert errors_of(outcomes) == []
    gap = SearchGap.objects.get()
    assert (gap.no_result_hits, gap.asked_hits) == (half, half)
