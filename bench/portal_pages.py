"""Benchmark the portal's pages: home, product, article and search.

    .venv/bin/python bench/portal_pages.py [--seconds 5] [--interface wsgi|asgi]

Serves the demo site with granian (production settings; DATABASE_URL and
REDIS_URL are honoured, SQLite in var/ otherwise) and prints requests/s and
p50/p99 for each page as a ratio to the minimal view `/healthz/` measured the
same way in the same run, plus the queries each page makes.
"""

import argparse

from common import (
    bench_env,
    count_queries,
    prepare_site,
    report,
    serve,
    session_cookie_for,
    setup_django,
    wrk,
)

PAGES = [
    ("home", "/"),
    ("product", "/products/router-x/"),
    ("article", "/help/set-up-router-x-in-ten-minutes/"),
    ("search 'router'", "/search/?q=router"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--interface", choices=["wsgi", "asgi"], default="wsgi")
    args = parser.parse_args()

    env = bench_env()
    prepare_site(env)
    setup_django(env)
    queries = {path: count_queries(path) for _name, path in PAGES}
    cookie = session_cookie_for("ana@example.com")

    with serve(env, interface=args.interface) as base:

        def load(path, **kw):
            return wrk(
                base + path, seconds=args.seconds, connections=args.connections, **kw
            )

        load("/healthz/", headers=None)  # warm-up
        reference = load("/healthz/")
        rows = [
            (f"{name} (anonymous)", load(path), queries[path]) for name, path in PAGES
        ]
        rows += [
            (f"{name} (signed in)", load(path, headers={"Cookie": cookie}), None)
            for name, path in PAGES[:2]
        ]
    report(
        f"Portal pages, granian {args.interface}, 2 workers, {args.connections} connections, {args.seconds}s each",
        rows,
        reference,
    )


if __name__ == "__main__":
    main()
