"""Reads for the portal's pages: querysets with their joins already applied."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from wagtail.images import get_image_model

from .models import ArticleFeedback, ArticlePage, ProductPage

PRODUCT_CARD_RENDITION = "fill-480x270"


def product_list_live(*, renditions: tuple[str, ...] = ()):
    """Return live products in menu order, with their images (and `renditions`) loaded.

    Prefetching the renditions a template will ask for keeps a product list at a
    fixed number of queries however many products there are.
    """
    products = ProductPage.objects.live().public().order_by("path")
    if renditions:
        images = get_image_model().objects.prefetch_renditions(*renditions)
        return products.prefetch_related(Prefetch("image", queryset=images))
    return products.select_related("image")


def article_list_latest(*, tag: str | None = None):
    """Return live articles, most recently published first, optionally for one tag."""
    articles = (
        ArticlePage.objects.live().public().order_by("-first_published_at", "-pk")
    )
    if tag:
        articles = articles.filter(tags__name__iexact=tag)
    return articles


def article_list_for_product(product: ProductPage):
    """Return live articles about `product`."""
    return article_list_latest().filter(related_products=product)


def article_feedback_counts(article: ArticlePage) -> dict:
    """Return how many readers answered and how many found `article` helpful."""
    return ArticleFeedback.objects.filter(article=article).aggregate(
        total=Count("pk"), helpful=Count("pk", filter=Q(helpful=True))
    )


def article_feedback_summary(article: ArticlePage, request) -> dict:
    """Return "N of M found this helpful" and what this reader answered, if anything."""
    counts = article_feedback_counts(article)
    row = None
    if request.user.is_authenticated:
        row = (
            ArticleFeedback.objects.filter(article=article, user=request.user)
            .values_list("helpful", "missing")
            .first()
        )
    elif request.session.session_key:
        row = (
            ArticleFeedback.objects.filter(
                article=article, user=None, session_key=request.session.session_key
            )
            .values_list("helpful", "missing")
            .first()
        )
    mine, missing = row if row else (None, "")
    return {
        "total": counts["total"],
        "helpful": counts["helpful"],
        "mine": mine,
        "missing": missing,
    }


def profile_get_public(*, username: str):
    """Return the active user with `username` and their profile, or None."""
    User = get_user_model()
    return (
        User.objects.select_related("profile")
        .filter(username=username, is_active=True)
        .first()
    )


def product_search_queryset():
    """Products the site search may show."""
    return ProductPage.objects.live().public()


def article_search_queryset():
    """Articles the site search may show."""
    return ArticlePage.objects.live().public()
