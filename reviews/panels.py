"""What reviews add to portal pages through hooks (registered in wagtail_hooks.py).

The product panel reads the summary row instead of counting reviews, fetches one
page of reviews with their joins, and asks satisfaction about the page's authors
in one query, so its cost is the same for 10 reviews or 10,000.
"""

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal import cache as page_cache
from portal.site_url import page_absolute_url

from . import adjusted, permissions, selectors
from . import cache as panel_cache

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
MAX_PAGE = 10_000


def _page_number(value) -> int:
    try:
        return max(1, min(MAX_PAGE, int(value)))
    except (TypeError, ValueError):
        return 1


def annotate_for_viewer(reviews: list, user, *, product_id: int) -> None:
    """Attach what the review template shows per viewer: labels, their vote, actions.

    Two queries for the whole page: satisfaction's contact summaries and the
    viewer's votes.
    """
    contact = selectors.review_contact_labels(
        product_id=product_id,
        customer_ids=[r.author_id for r in reviews if r.is_published],
    )
    votes = selectors.review_votes_by(
        user=user, review_ids=[review.pk for review in reviews]
    )
    for review in reviews:
        review.contact = contact.get(review.author_id)
        review.my_vote = votes.get(review.pk)
        review.can_vote = permissions.can_vote_on_review(user, review)
        review.can_report = permissions.can_report_review(user, review)
        review.can_reply = permissions.can_reply_to_review(user, review)
        review.can_edit = permissions.can_edit_review(user, review)


def aggregate_rating_json_ld(product, summary, request) -> str:
    """schema.org Product + AggregateRating, only when there is at least one review."""
    if not summary.review_count:
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.summary,
        "url": page_absolute_url(product),
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": f"{summary.rating_sum / summary.review_count:.2f}",
            "reviewCount": summary.review_count,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))


def _summary_for(request, product):
    """The product's rating summary, read once per request.

    The rating line under the title and the reviews panel both show it; keeping
    it on the request means the line costs the product page no extra query.
    """
    memo = getattr(request, "_reviews_summaries", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._reviews_summaries = memo
    if product.pk not in memo:
        memo[product.pk] = selectors.rating_summary_get(product=product)
    return memo[product.pk]


def product_title_rating(request, product) -> str:
    """The stars under a product's title: adjusted score and review count, linking to
    #reviews, so a shopper sees the rating in the first screen on a phone."""
    page_cache.depends_on(request, panel_cache.SCOPE)
    summary = _summary_for(request, product)
    return render_to_string(
        "reviews/panels/product_title_rating.html",
        {
            "summary": summary,
            "adjusted": adjusted.adjusted_average(summary, adjusted.prior_get()),
        },
        request=request,
    )


def product_reviews_panel(request, product) -> str:
    """The reviews section of a product page: summary, notes, transparency, the list.

    Anonymous visitors share a cached copy (see reviews.cache); members get theirs
    rendered, with their own vote, review and actions.
    """
    page_cache.depends_on(request, panel_cache.SCOPE)
    if request.user.is_authenticated:
        return _render_product_reviews(request, product)
    parts = (
        request.get_host(),
        request.GET.get("review_sort", "")[:20],
        request.GET.get("review_stars", "")[:5],
        request.GET.get("review_page", "")[:8],
        *selectors.ReviewFilters.parse(request.GET).key(),
    )
    html = panel_cache.panel_get_or_render(
        product.pk, parts, lambda: _render_product_reviews(request, product)
    )
    return mark_safe(html)  # rendered by our own template, escaped there


def _render_product_reviews(request, product) -> str:
    sort = selectors.parse_sort(request.GET.get("review_sort"))
    stars = selectors.parse_stars(request.GET.get("review_stars"))
    filters = selectors.ReviewFilters.parse(request.GET)
    page_size = settings.CANDOR_REVIEW_PAGE_SIZE
    summary = _summary_for(request, product)
    total = selectors.review_count_filtered(
        product=product, stars=stars, filters=filters, summary=summary
    )
    pages = max(1, -(-total // page_size))
    number = min(_page_number(request.GET.get("review_page")), pages)
    start = (number - 1) * page_size
    reviews = []
    if total:
        reviews = list(
            selectors.review_list_for_product(
                product=product, sort=sort, stars=stars, filters=filters
            )[start : start + page_size]
        )
    user = request.user
    annotate_for_viewer(reviews, user, product_id=product.pk)
    counts = summary.star_counts()
    prior = adjusted.prior_get()
    context = {
        "product": product,
        "summary": summary,
        "adjusted": adjusted.adjusted_average(summary, prior),
        "star_rows": [(n, counts[n]) for n in counts],
        "reviews": reviews,
        "sort": sort,
        "sort_choices": [
            ("helpful", "Most helpful"),
            ("newest", "Newest"),
            ("highest", "Highest rating"),
            ("lowest", "Lowest rating"),
        ],
        "stars": stars,
        "filters": filters,
        "filter_counts": (
            selectors.review_filter_counts(product=product)
            if summary.review_count
            else {}
        ),
        "total": total,
        "page_number": number,
        "pages": pages,
        "hidden": selectors.review_hidden_counts(product=product, summary=summary),
        "response": selectors.review_response_stats(product=product, summary=summary),
        "notes": list(selectors.product_note_list_recent(product=product)),
        "own_review": selectors.review_get_own(product=product, user=user),
        "can_write": permissions.can_write_review(user),
        "json_ld": aggregate_rating_json_ld(product, summary, request),
    }
    return render_to_string(
        "reviews/panels/product_reviews.html", context, request=request
    )


def method_review_score_section(request) -> str:
    """The method page's section on the adjusted product score, with today's m and C."""
    page_cache.depends_on(request, panel_cache.SCOPE)
    return render_to_string(
        "reviews/panels/method_review_score.html",
        {"prior": adjusted.prior_get()},
        request=request,
    )


def product_card_ratings(request, products) -> dict:
    """{product pk: HTML} for product cards (home, products): the adjusted score with n.

    One query for every card on the list, plus the cached site-wide mean.
    """
    page_cache.depends_on(request, panel_cache.SCOPE)
    summaries = selectors.rating_summary_list(product_ids=[p.pk for p in products])
    if not summaries:
        return {}
    prior = adjusted.prior_get()
    return {
        summary.product_id: render_to_string(
            "reviews/panels/product_card_rating.html",
            {"summary": summary, "adjusted": adjusted.adjusted_average(summary, prior)},
            request=request,
        )
        for summary in summaries
    }


def home_top_reviews_panel(request) -> str:
    page_cache.depends_on(request, panel_cache.SCOPE)
    reviews = list(selectors.review_list_top())
    if not reviews:
        return ""
    return render_to_string(
        "reviews/panels/home_top_reviews.html", {"reviews": reviews}, request=request
    )


def account_reviews_panel(request) -> str:
    reviews = list(selectors.review_list_by_author(user=request.user))
    owned = list(selectors.ownership_list_for(user=request.user))
    return render_to_string(
        "reviews/panels/account_reviews.html",
        {"reviews": reviews, "owned": owned},
        request=request,
    )


def profile_reviews_section(request, member) -> str:
    page_cache.depends_on(request, panel_cache.SCOPE)
    reviews = list(selectors.review_list_published_by_author(user=member))
    if not reviews:
        return ""
    return render_to_string(
        "reviews/panels/profile_reviews.html",
        {"reviews": reviews, "member": member},
        request=request,
    )


def styleguide_stars_section(request) -> str:
    """The styleguide's stars and review labels, in the markup review cards use."""
    return render_to_string("reviews/styleguide/stars.html", {"ratings": (5, 3, 1)}, request=request)
