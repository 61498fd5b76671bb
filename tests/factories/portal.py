"""Pages for tests: a small site tree and helpers to add products and articles."""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from portal.models import (
    ArticlePage,
    HomePage,
    KnowledgeBaseIndexPage,
    ProductIndexPage,
    ProductPage,
)


def make_page(parent: Page, page: Page) -> Page:
    """Add `page` under `parent` and publish it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def png_bytes(width=64, height=48, colour=(200, 30, 30), fmt="PNG") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(out, format=fmt)
    return out.getvalue()


def make_image(title="Test image"):
    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(png_bytes()), name="test.png")
    )
    image.save()
    return image


def ensure_tree_roots() -> Page:
    """Return the root page, recreating what Wagtail's data migrations made if a
    transactional test flushed it (root page, default locale, root collection)."""
    Locale.objects.get_or_create(language_code="en")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    return root


def make_site_tree():
    """Root → home → products index + knowledge-base index, served as the default site."""
    root = ensure_tree_roots()
    home = HomePage(
        title="Candor test community",
        slug="candor-home",
        tagline="Customers helping customers.",
    )
    make_page(root, home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Candor test",
        },
    )
    products = make_page(home, ProductIndexPage(title="Products", slug="products"))
    kb = make_page(home, KnowledgeBaseIndexPage(title="Help articles", slug="help"))
    return home, products, kb


def make_product(
    index: ProductIndexPage,
    title="Router X",
    *,
    slug=None,
    summary="A fast router.",
    tags=(),
    image=None,
):
    product = ProductPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=summary,
        image=image,
    )
    product.tags.add(*tags)
    return make_page(index, product)


def make_article(
    kb: KnowledgeBaseIndexPage,
    title="Set up the router",
    *,
    slug=None,
    summary="How to set it up.",
    text="Plug it in and open the app.",
    tags=(),
    products=(),
):
    article = ArticlePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=summary,
        body=[
            ("heading", {"text": "Steps", "level": "h2"}),
            ("paragraph", RichText(f"<p>{text}</p>")),
        ],
    )
    article.tags.add(*tags)
    article.related_products = list(products)
    return make_page(kb, article)
