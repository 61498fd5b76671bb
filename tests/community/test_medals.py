"""Badge medals: vector shapes and glyph outlines, so no machine shows a missing-glyph box."""

import math
from xml.etree import ElementTree

import pytest
from taggit.models import Tag

from community.badgify_recipes import GENERAL_RECIPES, topic_recipe
from community.medals import INNER_RADIUS, SYMBOLS, label_outline, medal_svg
from tests.factories.portal import make_product

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def every_recipe(site_tree):
    products = [
        make_product(site_tree["products"], "Router X"),
        make_product(site_tree["products"], "Élan Mesh Pro Wide"),
    ]
    tags = [Tag.objects.create(name="wifi"), Tag.objects.create(name="setup")]
    topics = [topic_recipe(tier="gold", product=product) for product in products]
    topics += [topic_recipe(tier="silver", tag=tag) for tag in tags]
    return [*GENERAL_RECIPES, *topics]


def test_every_badge_medal_is_shapes_and_outlines_with_no_text_element(site_tree):
    for recipe in every_recipe(site_tree):
        svg = medal_svg(tier=recipe.tier, glyph=recipe.glyph, title=recipe.name)
        medal = ElementTree.fromstring(svg)
        assert medal.find(f"{SVG}text") is None, recipe.slug
        assert medal.find(f"{SVG}title").text == recipe.name
        # The glyph is there as a drawn shape: a symbol, or a non-empty outline path.
        if recipe.glyph not in SYMBOLS:
            label = label_outline(recipe.glyph[:4])
            assert label.missing == (), f"{recipe.slug}: no glyph for {label.missing}"
            assert label.path.startswith("M"), recipe.slug


@pytest.mark.parametrize("text", ["A", "A+", "250", "+100", "WIF", "EMP", "WWWW", "ÉR"])
def test_a_label_always_fits_inside_the_inner_ring(text):
    label = label_outline(text)
    assert label.missing == ()
    centre_x, centre_y = 128, 114
    corners = [
        (label.x, label.baseline - label.height),
        (label.x + label.width, label.baseline - label.height),
        (label.x, label.baseline),
        (label.x + label.width, label.baseline),
    ]
    for x, y in corners:
        assert math.dist((x, y), (centre_x, centre_y)) < INNER_RADIUS, (text, x, y)


def test_a_character_the_font_lacks_is_reported_not_drawn_as_a_box():
    assert label_outline("A☃").missing == ("☃",)
