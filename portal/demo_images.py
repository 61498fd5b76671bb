"""Demo product photos drawn from vector shapes with Pillow (no downloads, no fonts).

Each product is a few shaded shapes on a studio backdrop with a soft floor shadow,
drawn at twice the size and scaled down for smooth edges, then stored as a JPEG so
Wagtail can make renditions of it like any uploaded photo.
"""

import io

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 900
SCALE = 2


def _gradient(size, top, bottom):
    """A vertical gradient image from colour `top` to colour `bottom`."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize((width, height))


def _tint(colour, amount):
    """Lighter (amount > 0) or darker (amount < 0) shade of `colour`."""
    if amount >= 0:
        return tuple(round(c + (255 - c) * amount) for c in colour)
    return tuple(round(c * (1 + amount)) for c in colour)


class _Canvas:
    def __init__(self, backdrop):
        self.image = _gradient((WIDTH * SCALE, HEIGHT * SCALE), _tint(backdrop, 0.92), _tint(backdrop, 0.7))
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _box(box):
        return [round(v * SCALE) for v in box]

    def shadow(self, box, opacity=110, blur=40):
        layer = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(layer).ellipse(self._box(box), fill=opacity)
        layer = layer.filter(ImageFilter.GaussianBlur(blur * SCALE))
        self.image.paste((20, 24, 32), (0, 0), layer)

    def shaded(self, box, colour, *, radius=0, ellipse=False, light=0.35, dark=-0.35):
        """A shape filled with a top-lit gradient of `colour`."""
        box = self._box(box)
        size = (box[2] - box[0], box[3] - box[1])
        mask = Image.new("L", size, 0)
        shape = ImageDraw.Draw(mask)
        if ellipse:
            shape.ellipse([0, 0, size[0] - 1, size[1] - 1], fill=255)
        else:
            shape.rounded_rectangle([0, 0, size[0] - 1, size[1] - 1], radius=radius * SCALE, fill=255)
        self.image.paste(_gradient(size, _tint(colour, light), _tint(colour, dark)), box[:2], mask)

    def ellipse(self, box, fill, outline=None, width=0):
        self.draw.ellipse(self._box(box), fill=fill, outline=outline, width=width * SCALE)

    def rect(self, box, fill, radius=0):
        self.draw.rounded_rectangle(self._box(box), radius=radius * SCALE, fill=fill)

    def arc(self, box, start, end, fill, width):
        self.draw.arc(self._box(box), start, end, fill=fill, width=width * SCALE)

    def highlight(self, box, radius=0, opacity=60):
        """A soft white sheen along the top of a shape."""
        layer = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(layer).rounded_rectangle(self._box(box), radius=radius * SCALE, fill=opacity)
        layer = layer.filter(ImageFilter.GaussianBlur(6 * SCALE))
        self.image.paste((255, 255, 255), (0, 0), layer)

    def jpeg(self) -> bytes:
        out = io.BytesIO()
        self.image.resize((WIDTH, HEIGHT), Image.LANCZOS).save(out, format="JPEG", quality=86, optimize=True)
        return out.getvalue()


def _router(c, colour):
    c.shadow((230, 620, 970, 720))
    for x, tilt in ((330, -40), (480, -12), (720, 12), (870, 40)):  # four antennas
        c.shaded((x - 18 + tilt, 170, x + 18 + tilt, 520), (40, 44, 52), radius=18, light=0.25)
    c.shaded((250, 470, 950, 660), colour, radius=48)
    c.shaded((250, 470, 950, 520), _tint(colour, 0.25), radius=40, light=0.3, dark=0)
    for i in range(6):
        c.ellipse((400 + i * 70, 580, 422 + i * 70, 602), (134, 239, 172) if i < 5 else (253, 224, 71))
    c.highlight((300, 482, 900, 500), radius=8)


def _mesh(c, colour):
    c.shadow((380, 700, 820, 780))
    c.shaded((420, 180, 780, 740), (245, 246, 248), radius=150, light=0.2, dark=-0.18)
    c.shaded((420, 600, 780, 740), _tint(colour, -0.1), radius=120)
    c.arc((520, 300, 680, 460), 200, 340, colour, 14)
    c.arc((555, 340, 645, 430), 200, 340, colour, 14)
    c.ellipse((588, 395, 612, 419), colour)
    c.highlight((470, 200, 540, 560), radius=40, opacity=80)


def _thermostat(c, colour):
    c.shadow((330, 700, 870, 790), opacity=90)
    c.shaded((330, 150, 870, 690), (226, 228, 233), ellipse=True, light=0.4, dark=-0.25)
    c.shaded((380, 200, 820, 640), (30, 34, 42), ellipse=True, light=0.2, dark=-0.2)
    c.arc((420, 240, 780, 600), 135, 405, (75, 85, 99), 18)
    c.arc((420, 240, 780, 600), 135, 300, colour, 18)
    c.shaded((520, 370, 680, 470), _tint(colour, 0.2), radius=24, light=0.3, dark=-0.1)
    c.highlight((420, 215, 780, 300), radius=120, opacity=45)


def _doorbell(c, colour):
    c.shadow((450, 780, 750, 840), opacity=90)
    c.shaded((470, 90, 730, 800), (34, 38, 46), radius=120, light=0.25, dark=-0.2)
    c.shaded((510, 160, 690, 340), (12, 14, 18), ellipse=True, light=0.15, dark=0)
    c.ellipse((555, 205, 645, 295), (30, 58, 138))
    c.ellipse((575, 222, 605, 252), (191, 219, 254))
    for i in range(4):
        c.ellipse((546 + i * 30, 380, 558 + i * 30, 392), (75, 85, 99))
    c.shaded((530, 560, 670, 700), colour, ellipse=True, light=0.4)
    c.arc((520, 550, 680, 710), 0, 360, _tint(colour, 0.55), 6)
    c.highlight((500, 110, 560, 700), radius=30, opacity=50)


def _plug(c, colour):
    c.shadow((330, 690, 870, 780))
    c.shaded((360, 190, 840, 720), (246, 247, 249), radius=110, light=0.2, dark=-0.2)
    c.shaded((430, 260, 770, 600), (229, 231, 235), ellipse=True, light=-0.02, dark=0.05)
    c.ellipse((510, 400, 550, 440), (55, 65, 81))
    c.ellipse((650, 400, 690, 440), (55, 65, 81))
    c.rect((580, 630, 620, 650), colour, radius=10)
    c.highlight((400, 205, 800, 240), radius=20, opacity=70)


def _hub(c, colour):
    c.shadow((280, 660, 920, 760))
    c.shaded((300, 300, 900, 700), (238, 239, 242), radius=140, light=0.2, dark=-0.22)
    for row in range(4):
        for col in range(11):
            x, y = 400 + col * 40, 400 + row * 40
            c.ellipse((x, y, x + 16, y + 16), (156, 163, 175))
    c.shaded((340, 610, 860, 660), colour, radius=25, light=0.3)
    c.highlight((360, 315, 840, 350), radius=30, opacity=70)


DRAWINGS = {
    "router-x": _router,
    "mesh-node-m2": _mesh,
    "thermostat-t1": _thermostat,
    "doorbell-cam-d3": _doorbell,
    "smart-plug-p1": _plug,
    "home-hub-h5": _hub,
}


def product_photo(slug: str, colour: tuple[int, int, int]) -> bytes:
    """A 1200 × 900 JPEG of the product `slug` (a plain shaded box for an unknown one)."""
    canvas = _Canvas(colour)
    draw = DRAWINGS.get(slug)
    if draw is None:
        canvas.shadow((330, 690, 870, 780))
        canvas.shaded((360, 220, 840, 700), colour, radius=60)
    else:
        draw(canvas, colour)
    return canvas.jpeg()
