"""Believable demo content for the portal: site tree, products, articles, accounts.

Idempotent: every object is looked up by a natural key first, so running the
demo twice changes nothing. Other apps extend the demo through the
`candor_demo_loaders` hook (see `portal_demo`).
"""

import io
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from . import services
from .demo_images import HEIGHT as PHOTO_HEIGHT
from .demo_images import WIDTH as PHOTO_WIDTH
from .demo_images import product_photo
from .models import (
    ArticlePage,
    Branding,
    HomePage,
    KnowledgeBaseIndexPage,
    ProductIndexPage,
    ProductPage,
)
from .roles import user_make_staff

DEMO_PASSWORD_STAFF = "candor-staff-demo"
DEMO_PASSWORD_CUSTOMER = "candor-customer-demo"

PRODUCTS = [
    (
        "Router X",
        "router-x",
        "A fast Wi-Fi 7 router for homes up to 200 m².",
        ["wifi", "router", "setup"],
        (29, 78, 216),
    ),
    (
        "Mesh Node M2",
        "mesh-node-m2",
        "Add-on mesh node that extends Router X to every room.",
        ["wifi", "mesh"],
        (8, 145, 178),
    ),
    (
        "Thermostat T1",
        "thermostat-t1",
        "A smart thermostat that learns your schedule.",
        ["heating", "app"],
        (220, 38, 38),
    ),
    (
        "Doorbell Cam D3",
        "doorbell-cam-d3",
        "A video doorbell with night vision and local storage.",
        ["camera", "app", "battery"],
        (124, 58, 237),
    ),
    (
        "Smart Plug P1",
        "smart-plug-p1",
        "Switch and schedule any socket, with energy use by the hour.",
        ["energy", "app"],
        (22, 163, 74),
    ),
    (
        "Home Hub H5",
        "home-hub-h5",
        "The hub that ties every Candor Home device together, offline too.",
        ["hub", "setup", "zigbee"],
        (217, 119, 6),
    ),
]

ARTICLE_TOPICS = [
    ("Set up Router X in ten minutes", "router-x", ["setup", "wifi"]),
    ("Update Router X firmware", "router-x", ["firmware", "wifi"]),
    ("Choose the best Wi-Fi channel", "router-x", ["wifi"]),
    ("Reset Router X to factory settings", "router-x", ["reset"]),
    ("Add a Mesh Node M2 to your network", "mesh-node-m2", ["mesh", "setup"]),
    ("Where to place mesh nodes", "mesh-node-m2", ["mesh", "wifi"]),
    ("Install Thermostat T1 safely", "thermostat-t1", ["heating", "setup"]),
    ("Teach Thermostat T1 your schedule", "thermostat-t1", ["heating", "app"]),
    (
        "Thermostat T1 shows a wiring error",
        "thermostat-t1",
        ["heating", "troubleshooting"],
    ),
    ("Mount Doorbell Cam D3", "doorbell-cam-d3", ["camera", "setup"]),
    (
        "Make Doorbell Cam D3's battery last longer",
        "doorbell-cam-d3",
        ["camera", "battery"],
    ),
    (
        "Doorbell Cam D3 night vision is blurry",
        "doorbell-cam-d3",
        ["camera", "troubleshooting"],
    ),
    ("Schedule Smart Plug P1", "smart-plug-p1", ["energy", "app"]),
    ("Read your energy use with Smart Plug P1", "smart-plug-p1", ["energy"]),
    ("Pair devices with Home Hub H5", "home-hub-h5", ["hub", "zigbee", "setup"]),
    ("Use Home Hub H5 without the internet", "home-hub-h5", ["hub"]),
    ("Back up your Home Hub H5 settings", "home-hub-h5", ["hub", "backup"]),
    ("Invite family members to the app", None, ["app", "account"]),
    ("Keep your Candor Home account secure", None, ["account", "security"]),
    ("What our warranty covers", None, ["warranty"]),
]

CUSTOMERS = [
    ("Ana Souza", "ana@example.com"),
    ("Ben Okafor", "ben@example.com"),
    ("Chloé Martin", "chloe@example.com"),
    ("Dmitri Ivanov", "dmitri@example.com"),
    ("Emma Lindqvist", "emma@example.com"),
    ("Farid Haddad", "farid@example.com"),
    ("Grace Kim", "grace@example.com"),
    ("Hiro Tanaka", "hiro@example.com"),
]
STAFF = [("Sam Rivera", "sam@candor.test"), ("Priya Shah", "priya@candor.test")]


def _product_image_file(slug: str) -> ImageFile:
    """The product's demo photo (a real JPEG drawn by portal.demo_images)."""
    colour = next(p[4] for p in PRODUCTS if p[1] == slug)
    return ImageFile(io.BytesIO(product_photo(slug, colour)), name=f"{slug}.jpg")


def _product_image(Image, name: str, slug: str):
    """The product's photo, created once; an older placeholder drawing is redrawn."""
    image = Image.objects.filter(title=f"{name} product photo").first()
    if image is None:
        image = Image(title=f"{name} product photo", file=_product_image_file(slug))
        image.save()
    elif (image.width, image.height) != (PHOTO_WIDTH, PHOTO_HEIGHT):
        image.renditions.all().delete()
        image.file = _product_image_file(slug)
        image.save()
    return image


def _article_body(title: str, product: str | None, rng: random.Random):
    subject = product or "your Candor Home account"
    return [
        (
            "paragraph",
            RichText(
                f"<p>This guide covers <b>{title.lower()}</b> for {subject}. It takes a few minutes and needs only the Candor Home app.</p>"
            ),
        ),
        ("heading", {"text": "Before you start", "level": "h2"}),
        (
            "paragraph",
            RichText(
                "<ul><li>Update the Candor Home app.</li><li>Keep your phone near the device.</li><li>Have your Wi-Fi password ready.</li></ul>"
            ),
        ),
        (
            "callout",
            {
                "kind": "tip",
                "text": RichText(
                    "<p>Most problems go away after a restart: unplug the device for ten seconds.</p>"
                ),
            },
        ),
        ("heading", {"text": "Step by step", "level": "h2"}),
        (
            "paragraph",
            RichText(
                f"<ol><li>Open the app and choose <b>Devices</b>.</li><li>Pick {subject}.</li><li>Follow the on-screen steps; the light turns green when it is done.</li></ol>"
            ),
        ),
        (
            "code",
            {
                "language": "shell",
                "code": f"status: ok\ndevice: {subject}\nchecked: {rng.randint(10, 99)} s",
            },
        ),
        (
            "callout",
            {
                "kind": "warning",
                "text": RichText(
                    "<p>Never unplug a device while its light is blinking orange: it is updating.</p>"
                ),
            },
        ),
    ]


def _get_or_create_child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def load_portal_demo(stdout=None) -> dict:
    """Create the site tree, branding, products, articles and demo accounts."""
    rng = random.Random(20261125)
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's welcome page with Candor's home page.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = HomePage(
            title="Candor Home community",
            slug="home",
            tagline="Answers from people who use our products every day, and from our staff.",
            intro="<p>Search first: most questions already have an answer. If not, ask, and the community and our support team will help.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Candor Home",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Candor Home"
        site.save()
    site = Site.objects.get(is_default_site=True)
    branding = Branding.for_site(site)
    if branding.company_name == "Candor":
        branding.company_name = "Candor Home"
        branding.save()

    product_index, _ = _get_or_create_child(
        home,
        ProductIndexPage,
        "products",
        title="Products",
        intro="<p>Everything we make, with help for each.</p>",
    )
    kb_index, _ = _get_or_create_child(
        home,
        KnowledgeBaseIndexPage,
        "help",
        title="Help articles",
        intro="<p>Step-by-step guides written by our support team.</p>",
    )

    Image = get_image_model()
    products = {}
    for name, slug, summary, tags, _colour in PRODUCTS:
        image = _product_image(Image, name, slug)
        product = ProductPage.objects.child_of(product_index).filter(slug=slug).first()
        if product is None:
            product = ProductPage(
                title=name,
                slug=slug,
                summary=summary,
                image=image,
                description=f"<p>{summary} Designed to work with every Candor Home device.</p>",
            )
            product.tags.add(*tags)
            product_index.add_child(instance=product)
            product.save_revision().publish()
        elif product.image_id != image.pk:
            product.image = image
            product.save_revision().publish()
        products[slug] = product

    for index, (title, product_slug, tags) in enumerate(ARTICLE_TOPICS):
        slug = (
            title.lower()
            .replace(" ", "-")
            .replace("'", "")
            .replace("’", "")[:50]
            .strip("-")
        )
        if ArticlePage.objects.child_of(kb_index).filter(slug=slug).exists():
            continue
        product = products.get(product_slug)
        article = ArticlePage(
            title=title,
            slug=slug,
            summary=f"How to {title[0].lower() + title[1:]}."
            if not title.startswith(("What", "Where", "Thermostat", "Doorbell"))
            else f"{title}: what to do.",
            body=_article_body(title, product.title if product else None, rng),
            last_reviewed=date(2026, 11, 1) - timedelta(days=index * 9),
        )
        article.tags.add(*tags)
        if product:
            article.related_products = [product]
        kb_index.add_child(instance=article)
        article.save_revision().publish()

    User = get_user_model()
    accounts = {"staff": [], "customers": []}
    for name, email in STAFF:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = services.user_sign_up(
                email=email, password=DEMO_PASSWORD_STAFF, display_name=name
            )
        if not user.is_staff:
            user_make_staff(user)
        accounts["staff"].append(user)
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser(
            "admin", "admin@candor.test", DEMO_PASSWORD_STAFF
        )
        services.profile_create(user=admin, display_name="Site admin")
    for name, email in CUSTOMERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = services.user_sign_up(
                email=email, password=DEMO_PASSWORD_CUSTOMER, display_name=name
            )
            services.profile_update(
                profile=user.profile,
                display_name=name,
                bio=f"Candor Home customer since {rng.randint(2019, 2025)}. I like **tinkering** with my setup.",
            )
        accounts["customers"].append(user)
    return {"home": home, "products": products, "accounts": accounts, "rng": rng}
