"""Benchmark a product page with 10,000 reviews against the minimal view.

    .venv/bin/python bench/reviews_product_page.py [--seconds 5] [--reviews 10000]

Serves the demo site with granian (production settings; DATABASE_URL and
REDIS_URL are honoured, SQLite in var/ otherwise), gives one product
`--reviews` published reviews (bulk, by as many customers, once), and prints
requests/s and p50/p99 for its page (default sort, a sorted and filtered view,
a deep page, signed in) as ratios to `/healthz/` measured the same way in the
same run, with the queries each page makes next to a product with 10 reviews.
"""

import argparse
from datetime import timedelta

from common import (
    bench_env,
    prepare_site,
    report,
    serve,
    session_cookie_for,
    setup_django,
    wrk,
)

BIG = "router-x"
SMALL = "smart-plug-p1"


def give_reviews(slug: str, target: int) -> None:
    """Top the product up to `target` published reviews, in bulk, then rebuild its summary."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.markdown import render_markdown
    from portal.models import ProductPage, Profile
    from reviews.models import Review
    from reviews.services import rating_summary_rebuild
    from reviews.stats import wilson_lower_bound

    product = ProductPage.objects.get(slug=slug)
    missing = target - Review.objects.published().filter(product=product).count()
    if missing > 0:
        User = get_user_model()
        start = User.objects.filter(username__startswith="bench-").count()
        users = [
            User(
                username=f"bench-{start + i}",
                email=f"bench-{start + i}@example.com",
                password="!",
            )
            for i in range(missing)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        users = list(
            User.objects.filter(username__startswith="bench-").order_by("-pk")[:missing]
        )
        Profile.objects.bulk_create(
            [Profile(user=u, display_name=f"Bench customer {u.pk}") for u in users],
            batch_size=2000,
        )
        body = "Works as described. **Setup** took a few minutes; the app is clear."
        html = render_markdown(body)
        now = timezone.now()
        Review.objects.bulk_create(
            [
                Review(
                    product=product,
                    author=user,
                    rating=(5, 4, 5, 3, 4, 1, 2, 5)[i % 8],
                    title=f"Bench review {i}",
                    body=body,
                    body_html=html,
                    created_at=now - timedelta(minutes=i * 17),
                    helpful_yes=i % 9,
                    helpful_no=i % 4,
                    helpful_score=wilson_lower_bound(i % 9, i % 9 + i % 4),
                )
                for i, user in enumerate(users)
            ],
            batch_size=2000,
        )
    rating_summary_rebuild(product_ids=[product.pk])


def rendered_queries(path: str, product, *, client=None) -> int:
    """Queries to *render* `path` (not to serve it from the page cache): the page
    cache and the product's cached reviews panel are invalidated before the count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal import cache as page_cache
    from reviews.cache import panel_invalidate

    client = client or Client(HTTP_HOST="127.0.0.1")
    client.get(path)  # warm per-process caches (site root, content types)
    page_cache.invalidate(page_cache.SITE)
    panel_invalidate(product.pk)
    page_cache.clear_local()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(ctx)


def member_client(email: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=email))
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--reviews", type=int, default=10_000)
    args = parser.parse_args()

    env = bench_env()
    prepare_site(env)
    setup_django(env)
    give_reviews(BIG, args.reviews)

    from portal.models import ProductPage
    from reviews.models import Review

    big = ProductPage.objects.get(slug=BIG)
    small = ProductPage.objects.get(slug=SMALL)
    pages = [
        ("product, most helpful", "{}"),
        ("product, newest 4-star", "{}?review_sort=newest&review_stars=4"),
        ("product, lowest, page 200", "{}?review_sort=lowest&review_page=200"),
    ]
    count_big = Review.objects.published().filter(product=big).count()
    count_small = Review.objects.published().filter(product=small).count()
    queries = {
        name: rendered_queries(path.format(big.url), big) for name, path in pages
    }
    small_queries = {
        name: rendered_queries(path.format(small.url), small) for name, path in pages
    }
    member = member_client("ana@example.com")
    signed_in_queries = rendered_queries(big.url, big, client=member)
    cookie = session_cookie_for("ana@example.com")

    with serve(env) as base:

        def load(path, **kw):
            return wrk(
                base + path, seconds=args.seconds, connections=args.connections, **kw
            )

        load("/healthz/")  # warm-up
        reference = load("/healthz/")
        rows = []
        # Each page is warmed (1 s, not reported) like the reference: its first
        # render in each worker is not the steady state being compared.
        for name, path in pages:
            wrk(base + path.format(big.url), seconds=1, connections=args.connections)
            rows.append((name, load(path.format(big.url)), queries[name]))
        member_headers = {"Cookie": cookie}
        wrk(
            base + big.url,
            seconds=1,
            connections=args.connections,
            headers=member_headers,
        )
        rows.append(
            (
                "product, signed in",
                load(big.url, headers=member_headers),
                signed_in_queries,
            )
        )
    report(
        f"Product page with {count_big:,} reviews, granian wsgi, 2 workers, "
        f"{args.connections} connections, {args.seconds}s each",
        rows,
        reference,
    )
    print(
        "\nAs ratios to the minimal view (requests/s: higher is better; p99: lower is better):"
    )
    for name, load_, _queries in rows:
        print(
            f"  {name:<30} req/s x{load_.requests_per_second / reference.requests_per_second:.4f}"
            f"   p99 x{load_.p99_ms / reference.p99_ms:.1f}"
        )
    print(
        f"\nQueries to render each page (page cache and reviews panel invalidated first) "
        f"with {count_small} reviews (product {SMALL}) vs {count_big:,} (product {BIG}):"
    )
    for name, _path in pages:
        print(f"  {name:<30} {small_queries[name]:>3} vs {queries[name]:>3}")


if __name__ == "__main__":
    main()
