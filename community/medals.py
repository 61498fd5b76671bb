"""Badge medals drawn as SVG from vector shapes, with no font needed to show them.

The PNG medals drew their glyph with whatever font Pillow had, so a tick, a
heart or a triangle came out as an empty "missing character" box, and a
three-letter tag label was clipped. Here the symbols are drawn as paths, and a
text label ("A+", "250", "WIF") is turned into the outlines of the font the
site ships (Atkinson Hyperlegible Next, OFL, in portal/static/portal/fonts/),
scaled to fit inside the medal's inner ring. The SVG holds no `<text>`: it
looks the same on every machine and in every viewer, email clients included.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.utils.html import escape

SIZE = 256
CENTRE_X, CENTRE_Y = 128, 114  # the medal face's centre (the ribbon hangs below)
INNER_RADIUS = 82  # the inner ring; a label stays inside this circle
LABEL_WIDTH, LABEL_HEIGHT = 112, 64
_FONT_LOCK = threading.Lock()  # fontTools loads tables lazily, not thread-safely
FONT = "portal/fonts/atkinson-hyperlegible-next-latin-700-normal.woff"

TIER_COLOURS = {
    # (medal, rim, ink): the ink on the medal meets 4.5:1 contrast.
    "bronze": ("#b8733d", "#7a4a22", "#ffffff"),
    "silver": ("#c9ced6", "#7d8591", "#1f2933"),
    "gold": ("#f2c230", "#a67c00", "#2b2100"),
}

# Symbols drawn as shapes, centred on (0, 0), about 100 units across.
SYMBOLS = {
    "✓": '<path d="M-44 2 L-14 32 L46 -34" fill="none" stroke="{ink}" stroke-width="20" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
    "▲": '<path d="M0 -42 L46 38 L-46 38 Z" fill="{ink}"/>',
    "♥": '<path d="M0 40 C-56 4 -52 -38 -26 -40 C-12 -41 -3 -32 0 -22 '
    'C3 -32 12 -41 26 -40 C52 -38 56 4 0 40 Z" fill="{ink}"/>',
    "★": '<path d="M0 -46 L13 -15 L46 -13 L21 9 L29 42 L0 24 L-29 42 L-21 9 L-46 -13 '
    'L-13 -15 Z" fill="{ink}"/>',
}


@dataclass(frozen=True)
class Label:
    """A text label as one SVG path, in font units, with where it goes on the medal."""

    path: str
    scale: float
    x: float  # left edge on the medal, in medal units
    baseline: float
    width: float  # on the medal
    height: float  # cap height on the medal
    missing: tuple[str, ...]  # characters the shipped font has no glyph for (dropped)


@functools.cache
def _font():
    from fontTools.ttLib import TTFont

    path = finders.find(FONT)
    if path is None:  # pragma: no cover - the font ships with the project
        raise RuntimeError(f"the medal font {FONT} is missing from the static files")
    return TTFont(path)


def label_outline(text: str) -> Label:
    """`text` as glyph outlines from the shipped font, scaled to fit the inner ring."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    with _FONT_LOCK:
        return _label_outline(text, SVGPathPen, TransformPen)


def _label_outline(text, SVGPathPen, TransformPen) -> Label:
    font = _font()
    cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    cap_height = getattr(font["OS/2"], "sCapHeight", 0) or font["head"].unitsPerEm * 0.7
    pen = SVGPathPen(glyphs)
    advance, missing = 0, []
    for character in text:
        name = cmap.get(ord(character))
        if name is None:
            missing.append(character)
            continue
        # Font units have y up; SVG has y down: flip about the baseline.
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, advance, 0)))
        advance += metrics[name][0]
    advance = advance or 1
    scale = min(LABEL_WIDTH / advance, LABEL_HEIGHT / cap_height)
    width, height = advance * scale, cap_height * scale
    return Label(
        path=pen.getCommands(),
        scale=scale,
        x=CENTRE_X - width / 2,
        baseline=CENTRE_Y + height / 2,
        width=width,
        height=height,
        missing=tuple(missing),
    )


def medal_svg(*, tier: str, glyph: str, title: str = "") -> str:
    """The medal for a badge of `tier` showing `glyph` (a symbol or a short label)."""
    medal, rim, ink = TIER_COLOURS[tier]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img">',
        f"<title>{escape(title)}</title>" if title else "",
        # Ribbon tails behind the medal, then the rim, the face and the inner ring.
        f'<path d="M70 150 L110 250 L128 215 L146 250 L186 150 Z" fill="{rim}"/>',
        f'<circle cx="{CENTRE_X}" cy="{CENTRE_Y}" r="110" fill="{rim}"/>',
        f'<circle cx="{CENTRE_X}" cy="{CENTRE_Y}" r="96" fill="{medal}"/>',
        f'<circle cx="{CENTRE_X}" cy="{CENTRE_Y}" r="{INNER_RADIUS}" fill="none" '
        f'stroke="{rim}" stroke-width="4"/>',
    ]
    symbol = SYMBOLS.get(glyph)
    if symbol:
        parts.append(
            f'<g transform="translate({CENTRE_X} {CENTRE_Y})">{symbol.format(ink=ink)}</g>'
        )
    else:
        label = label_outline(glyph[:4])
        parts.append(
            f'<path transform="translate({label.x:.2f} {label.baseline:.2f}) '
            f'scale({label.scale:.5f})" d="{label.path}" fill="{ink}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
