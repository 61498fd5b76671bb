"""The focus ring against every background the stylesheets paint (issue 19).

WCAG 2.2 asks a focus indicator for 3:1 against what it sits on. The ring is
two-toned (portal/static/portal/css/candor.css): a dark ``--focus`` outline
with a white ``--focus-inner`` band inside it, so on any background one of the
two tones stands out. These tests read the colour tokens and every
``background`` the site's stylesheets set, and compute the contrast of each
pair; a new component on a background the ring cannot show on fails here,
before a browser test or a person has to notice. The keyboard tests
(tests/accessibility/test_keyboard.py) measure the same in Chromium on the
pages themselves.

The chosen state (a pressed Yes, a vote) must never look like focus: its
rules paint a fill, a border or a tick, never an outline or a ring.
"""

import re

import pytest
from django.contrib.staticfiles import finders

from portal.models.settings import validate_brand_colour

STYLESHEETS = [
    "portal/css/candor.css",
    "community/css/community.css",
    "community/css/reputation.css",
    "reviews/css/reviews.css",
    "satisfaction/css/meter.css",
]
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_TOKEN = re.compile(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|var\((--[\w-]+)\)")


def _css(name) -> str:
    path = finders.find(name)
    assert path, name
    with open(path, encoding="utf-8") as handle:
        return _COMMENT.sub("", handle.read())


def _rules(css):
    """(selector, declarations) pairs; media queries are flattened away."""
    flat = re.sub(r"@media[^{]*\{", "", css)
    return [(sel.strip(), body) for sel, body in _RULE.findall(flat)]


def _tokens() -> dict:
    tokens = {}
    for name in STYLESHEETS:
        for selector, body in _rules(_css(name)):
            if selector == ":root":
                tokens.update(dict(_TOKEN.findall(body)))
    return tokens


def _hex(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(_hex(a)), _luminance(_hex(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _backgrounds(tokens) -> dict:
    """{colour: [where]} for every solid background the stylesheets set."""
    found: dict = {}
    for name in STYLESHEETS:
        for selector, body in _rules(_css(name)):
            for value in _BACKGROUND.findall(body):
                match = _COLOUR.search(value)
                if match is None:  # none, an image, inherit
                    continue
                if match.group(1):
                    assert match.group(1) in tokens, f"unknown token in {name}: {value}"
                    colour = tokens[match.group(1)]
                else:
                    colour = match.group(0)
                found.setdefault(_hex(colour), []).append(f"{name} {selector}")
    return found


TOKENS = _tokens()
RING, INNER = TOKENS["--focus"], TOKENS["--focus-inner"]


def test_the_ring_is_a_thick_two_tone_outline_outside_the_element():
    rules = dict(_rules(_css("portal/css/candor.css")))
    ring = rules[":focus-visible"]
    assert re.search(r"outline:\s*3px solid var\(--focus\)", ring), ring
    assert re.search(r"outline-offset:\s*2px", ring), ring
    assert re.search(r"box-shadow:\s*0 0 0 2px var\(--focus-inner\)", ring), ring
    # Its two tones stand apart, so the ring reads as one edge on any ground.
    assert contrast(RING, INNER) >= 3


@pytest.mark.parametrize(
    "token",
    ["--paper", "--wash", "--info-wash", "--warn-wash", "--bad-wash", "--good-wash"],
)
def test_the_dark_ring_alone_is_3_to_1_on_the_page_header_cards_and_notices(token):
    # White page and header, grey panels, and the four notice tints.
    assert contrast(RING, TOKENS[token]) >= 3, (token, contrast(RING, TOKENS[token]))


@pytest.mark.parametrize("token", ["--brand", "--bad", "--ink", "--good"])
def test_on_filled_buttons_the_white_band_carries_the_contrast(token):
    # Primary, danger, chosen and success fills: dark ring on dark fill is weak,
    # so the white band between them must be 3:1 against the fill.
    assert contrast(INNER, TOKENS[token]) >= 3, (token, contrast(INNER, TOKENS[token]))


def test_every_background_in_the_stylesheets_shows_one_tone_at_3_to_1():
    backgrounds = _backgrounds(TOKENS)
    assert len(backgrounds) >= 10  # the parser found the site's surfaces
    weak = {
        colour: where
        for colour, where in backgrounds.items()
        if max(contrast(RING, colour), contrast(INNER, colour)) < 3
    }
    assert weak == {}


def test_any_brand_colour_staff_may_choose_keeps_the_white_band_at_3_to_1():
    # Branding refuses a colour under 4.5:1 against white (the white band's colour).
    assert INNER.lower() in ("#fff", "#ffffff")
    for accepted in ("#1d4ed8", "#7c2d12", "#595959"):
        validate_brand_colour(accepted)
        assert contrast(INNER, accepted) >= 3


CHOSEN = re.compile(r"\.is-chosen|:checked|\[aria-pressed=\"?true\"?\]")


def test_the_chosen_state_is_a_fill_or_a_tick_never_a_ring():
    chosen = [
        (name, selector, body)
        for name in STYLESHEETS
        for selector, body in _rules(_css(name))
        if CHOSEN.search(selector) and ":focus" not in selector
    ]
    assert len(chosen) >= 3  # buttons, votes, survey choices
    for name, selector, body in chosen:
        ring = re.search(r"(?:\boutline|box-shadow)\s*:(?!\s*none\b)", body)
        assert ring is None, (name, selector)
    looks = " ".join(body for _name, _selector, body in chosen)
    assert "background" in looks and "content:" in looks
