"""The page cache's stampede guard: when a cached page goes stale, one thread of a
process renders it and the others take its copy; pages that are not cacheable
are never made to wait for each other."""

import threading
import time

from django.http import HttpResponse
from django.test import RequestFactory

from portal import cache as page_cache

RENDER_SECONDS = 0.3


class CountingView:
    """A view that takes a while and counts its renders and how many overlap."""

    def __init__(self, *, cacheable: bool):
        self.cacheable = cacheable
        self.renders = 0
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        if self.cacheable:
            page_cache.depends_on(request, "renders-test")
        with self.lock:
            self.renders += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(RENDER_SECONDS)
        with self.lock:
            self.running -= 1
        return HttpResponse(f"render {self.renders}")


def at_once(middleware, path: str, count: int) -> list:
    responses = [None] * count

    def get(n):
        responses[n] = middleware(RequestFactory().get(path))

    threads = [threading.Thread(target=get, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_a_stale_page_is_rendered_once_while_the_other_requests_wait_for_it():
    view = CountingView(cacheable=True)
    middleware = page_cache.AnonymousPageCacheMiddleware(view)
    path = f"/renders-test/{time.monotonic_ns()}/"
    assert middleware(RequestFactory().get(path))["X-Page-Cache"] == "miss"
    page_cache.invalidate("renders-test")  # a write: the copy is stale

    responses = at_once(middleware, path, 4)

    assert view.renders == 2  # the first visit, then one for the four
    assert sorted(r["X-Page-Cache"] for r in responses) == ["hit", "hit", "hit", "miss"]
    assert {r.content for r in responses} == {b"render 2"}


def test_requests_for_a_page_that_is_not_cached_never_wait_for_each_other():
    view = CountingView(cacheable=False)
    middleware = page_cache.AnonymousPageCacheMiddleware(view)
    path = f"/renders-test/{time.monotonic_ns()}/"
    middleware(RequestFactory().get(path))

    responses = at_once(middleware, path, 4)

    assert view.renders == 5
    assert view.most_at_once == 4
    assert all(r.status_code == 200 and "X-Page-Cache" not in r for r in responses)
