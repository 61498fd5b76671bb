"""Demo product photos (issue 19): drawn images in Wagtail, served as responsive renditions."""

import re

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from portal.demo import PRODUCTS, load_portal_demo
from portal.models import ProductIndexPage, ProductPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_portal_demo()


def _img_tags(html, cls):
    return [tag for tag in re.findall(r"<img [^>]+>", html) if f'class="{cls}"' in tag]


def test_every_demo_product_has_its_own_photo_and_a_second_run_adds_none(demo):
    products = list(ProductPage.objects.select_related("image"))
    assert len(products) == len(PRODUCTS)
    for product in products:
        assert product.image is not None
        assert (product.image.width, product.image.height) == (1200, 900)
        with product.image.open_file() as handle, PILImage.open(handle) as photo:
            assert photo.format == "JPEG"
            # a drawing, not a flat fill: the photo has many distinct colours
            assert len(photo.convert("RGB").getcolors(maxcolors=1_000_000)) > 500
    images = get_image_model().objects.count()
    assert images == len(PRODUCTS)
    load_portal_demo()
    assert get_image_model().objects.count() == images


def test_an_old_placeholder_photo_is_redrawn_by_the_demo(db):
    Image = get_image_model()
    old = Image(title="Router X product photo", file=ImageFile(get_test_image_file(size=(960, 540)), name="old.png"))
    old.save()
    load_portal_demo()
    old.refresh_from_db()
    assert (old.width, old.height) == (1200, 900)
    assert ProductPage.objects.get(slug="router-x").image_id == old.pk


def test_the_product_page_main_image_has_srcset_sizes_fetchpriority_and_real_renditions(demo, client, settings):
    product = ProductPage.objects.get(slug="router-x")
    html = client.get(product.url).content.decode()
    [tag] = _img_tags(html, "product-image")
    assert 'fetchpriority="high"' in tag and 'loading="lazy"' not in tag
    assert re.search(r'sizes="[^"]+"', tag)
    assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag)
    urls = re.findall(r"(\S+\.webp) (\d+)w", re.search(r'srcset="([^"]+)"', tag).group(1))
    assert [int(w) for _, w in urls] == [480, 800, 1200]
    for url, width in urls:
        path = settings.MEDIA_ROOT / url.removeprefix(settings.MEDIA_URL)
        with PILImage.open(path) as rendition:
            rendition.verify()
            assert rendition.format == "WEBP" and rendition.size == (int(width), int(width) * 3 // 4)


@pytest.mark.parametrize("where", ["home", "products"])
def test_product_cards_load_their_images_lazily_with_srcset(demo, client, where):
    url = "/" if where == "home" else ProductIndexPage.objects.get().url
    html = client.get(url).content.decode()
    tags = _img_tags(html, "card-image")
    assert tags
    for tag in tags:
        assert 'loading="lazy"' in tag and "srcset=" in tag and "sizes=" in tag
        assert "fetchpriority" not in tag


def test_a_product_without_an_image_shows_a_neutral_placeholder(client, product):
    html = client.get(product.url).content.decode()
    assert '<span class="product-image card-image-empty" aria-hidden="true"></span>' in html
    assert not _img_tags(html, "product-image")
