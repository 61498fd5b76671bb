"""Demo reviews: ~400 over six months, with photos, votes, staff replies, moderation,
verified customers and one product in decline (Doorbell Cam D3's battery).

Reviews, votes and ownerships are bulk-created with past dates; replies, hiding,
appeals and the product note go through reviews.services like any staff action.
The rating summaries are then rebuilt and the trend test run, exactly as the
`reviews_rebuild_summaries` and `reviews_trend_check` commands do. Idempotent:
nothing happens once the demo reviewers have reviews.
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.search.backends import get_search_backend

from portal.demo import DEMO_PASSWORD_CUSTOMER
from portal.markdown import render_markdown
from portal.models import Profile

from . import services
from .models import ModerationReason, ProductOwnership, Review, ReviewPhoto, ReviewVote
from .photos import photo_process
from .stats import wilson_lower_bound

FIRST = [
    "Alex",
    "Bea",
    "Carlos",
    "Dana",
    "Eli",
    "Fatima",
    "Gus",
    "Hana",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Marta",
    "Nils",
    "Olu",
    "Paz",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Yusuf",
]
LAST = [
    "Almeida",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Novak",
    "Okoro",
    "Petrov",
]
EXTRA_REVIEWERS = 64
REVIEWS_PER_PRODUCT = 66
DAYS = 180
DECLINING = "doorbell-cam-d3"

# Star weights (1..5) per product: each product has its own character.
WEIGHTS = {
    "router-x": [3, 4, 8, 30, 55],
    "mesh-node-m2": [5, 6, 12, 35, 42],
    "thermostat-t1": [8, 8, 15, 34, 35],
    "doorbell-cam-d3": [2, 3, 8, 35, 52],
    "smart-plug-p1": [2, 2, 6, 25, 65],
    "home-hub-h5": [5, 5, 12, 38, 40],
}
DECLINE_WEIGHTS = [45, 30, 12, 8, 5]

PRAISE = {
    "router-x": [
        "Whole house covered, even the garden.",
        "Setup took ten minutes with the app.",
        "Video calls no longer freeze.",
    ],
    "mesh-node-m2": [
        "The upstairs dead zone is gone.",
        "Paired with the router on the first try.",
    ],
    "thermostat-t1": [
        "It learned our schedule within a week.",
        "Our gas bill went down noticeably.",
    ],
    "doorbell-cam-d3": [
        "Night vision is sharp.",
        "Local storage means no subscription.",
        "The chime is loud enough for the whole house.",
    ],
    "smart-plug-p1": ["The hourly energy graph is addictive.", "Schedules just work."],
    "home-hub-h5": [
        "Everything keeps working when the internet is down.",
        "Zigbee pairing is quick.",
    ],
}
COMPLAINT = {
    "router-x": [
        "The fan is audible at night.",
        "The app asked me to update twice in one week.",
    ],
    "mesh-node-m2": [
        "It drops back to the slow band sometimes.",
        "The light is too bright in a bedroom.",
    ],
    "thermostat-t1": [
        "The wiring instructions confused me.",
        "It overshoots by a degree in the morning.",
    ],
    "doorbell-cam-d3": [
        "The live view takes a few seconds to start.",
        "The mounting screws are too short for brick.",
    ],
    "smart-plug-p1": [
        "A bit bulky next to another plug.",
        "Lost Wi-Fi after a power cut.",
    ],
    "home-hub-h5": [
        "Some third-party sensors are not supported.",
        "The backup option is hard to find.",
    ],
}
TITLES = {
    5: [
        "Excellent",
        "Does exactly what it promises",
        "Best purchase this year",
        "Love it",
    ],
    4: ["Very good, small niggles", "Solid and reliable", "Happy with it"],
    3: ["Okay, could be better", "Mixed feelings", "Fine for the price"],
    2: ["Disappointed", "Not what I expected", "Problems after a few weeks"],
    1: ["Do not buy until they fix it", "Stopped working properly", "Very frustrating"],
}
# What customers say since firmware 2.4 (the decline the trend alert catches).
BATTERY_COMPLAINTS = [
    "Since the last update the battery lasts two days instead of two months.",
    "Battery drains overnight; the app says 'high activity' with nobody at the door.",
    "Charging every other day is not what I paid for.",
]
STAFF_REPLIES = {
    "negative": [
        "Thank you for telling us, and sorry for the trouble. A fix is on its way; until then, "
        "turning off motion alerts between midnight and 6 am stops most of the drain. "
        "Our support team can also swap the battery pack: reply to our email.",
        "We are sorry this happened. Could you contact support with your device's serial number? "
        "We will replace it if a reset does not help.",
        "Thanks for the honest review. This is a known issue in the last update; the next firmware "
        "release fixes it and will install on its own.",
    ],
    "positive": [
        "Thank you for the kind words! Tell us if there is anything we can improve.",
        "Glad it works well for you. The next update adds scheduling by room.",
    ],
}


def _photo_upload(rng, name: str) -> SimpleUploadedFile:
    """Draw a believable 'customer photo' (a real JPEG with EXIF-free pixels)."""
    width, height = rng.choice([(1024, 768), (768, 1024), (1024, 576)])
    base = tuple(rng.randint(60, 200) for _ in range(3))
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 6):
        shade = tuple(min(255, int(c * (0.7 + 0.5 * y / height))) for c in base)
        draw.rectangle([0, y, width, y + 6], fill=shade)
    cx, cy = width // 2 + rng.randint(-100, 100), height // 2 + rng.randint(-100, 100)
    side = min(width, height) // 3
    draw.rounded_rectangle(
        [cx - side // 2, cy - side // 2, cx + side // 2, cy + side // 2],
        radius=side // 6,
        fill=(245, 245, 245),
        outline=(30, 41, 59),
        width=8,
    )
    draw.ellipse(
        [cx - side // 8, cy - side // 8, cx + side // 8, cy + side // 8],
        fill=tuple(rng.randint(0, 255) for _ in range(3)),
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return SimpleUploadedFile(f"{name}.jpg", out.getvalue(), content_type="image/jpeg")


def _reviewers(context) -> list:
    """The portal's demo customers plus enough extra ones to review every product."""
    User = get_user_model()
    rng = context["rng"]
    emails = [f"reviewer-{n:02d}@example.com" for n in range(1, EXTRA_REVIEWERS + 1)]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    password = make_password(DEMO_PASSWORD_CUSTOMER)
    new_users = []
    for n, email in enumerate(emails, start=1):
        if email in existing:
            continue
        new_users.append(
            User(
                username=f"reviewer-{n:02d}",
                email=email,
                password=password,
                date_joined=timezone.now() - timedelta(days=rng.randint(200, 900)),
            )
        )
    User.objects.bulk_create(new_users)
    created = User.objects.filter(email__in=[u.email for u in new_users]).order_by("pk")
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                display_name=f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}",
            )
            for i, user in enumerate(created)
        ]
    )
    extra = list(User.objects.filter(email__in=emails).order_by("email"))
    return list(context["accounts"]["customers"]) + extra


def _rating(rng, weights) -> int:
    return rng.choices(range(1, 6), weights=weights)[0]


def _text(rng, slug: str, rating: int, *, recent: bool = False) -> tuple[str, str]:
    title = rng.choice(TITLES[rating])
    good, bad = PRAISE[slug], COMPLAINT[slug]
    if slug == DECLINING and recent:
        bad = BATTERY_COMPLAINTS
    if rating >= 4:
        sentences = rng.sample(good, k=min(len(good), rng.randint(1, 2)))
        if rating == 4:
            sentences.append(rng.choice(bad))
    elif rating == 3:
        sentences = [rng.choice(good), rng.choice(bad)]
    else:
        sentences = rng.sample(bad, k=min(len(bad), rng.randint(1, 2)))
    body = " ".join(sentences)
    if rng.random() < 0.3:
        body += "\n\n**Tip:** keep the app updated and restart the device after setup."
    return title, body


@transaction.atomic
def load_reviews_demo(context) -> None:
    if Review.objects.filter(author__email="reviewer-01@example.com").exists():
        return
    rng = context["rng"]
    now = timezone.now()
    products = context["products"]
    staff = context["accounts"]["staff"]
    reviewers = _reviewers(context)

    # Reviews, in bulk with past dates.
    reviews = []
    for slug, product in products.items():
        for author in rng.sample(reviewers, k=min(REVIEWS_PER_PRODUCT, len(reviewers))):
            age = rng.uniform(0, DAYS)
            recent = slug == DECLINING and age < 30
            rating = _rating(
                rng,
                DECLINE_WEIGHTS if recent else WEIGHTS.get(slug, [5, 5, 10, 30, 50]),
            )
            title, body = _text(
                rng, slug if slug in PRAISE else "router-x", rating, recent=recent
            )
            reviews.append(
                Review(
                    product=product,
                    author=author,
                    rating=rating,
                    title=title,
                    body=body,
                    body_html=render_markdown(body),
                    created_at=now - timedelta(days=age),
                )
            )
    if DECLINING in products:
        # Make the decline unmistakable: a burst of recent one- and two-star reviews.
        product = products[DECLINING]
        taken = {r.author_id for r in reviews if r.product_id == product.pk}
        for author in [u for u in reviewers if u.pk not in taken][:12]:
            rating = _rating(rng, DECLINE_WEIGHTS)
            title, body = _text(rng, DECLINING, rating, recent=True)
            reviews.append(
                Review(
                    product=product,
                    author=author,
                    rating=rating,
                    title=title,
                    body=body,
                    body_html=render_markdown(body),
                    created_at=now - timedelta(days=rng.uniform(0, 25)),
                )
            )
    Review.objects.bulk_create(reviews, batch_size=500)
    reviews = list(
        Review.objects.filter(author__in=reviewers).select_related("product", "author")
    )

    # Verified customers: most reviewers own what they reviewed.
    ProductOwnership.objects.bulk_create(
        [
            ProductOwnership(
                product_id=r.product_id,
                customer_id=r.author_id,
                source=ProductOwnership.Source.API,
                created_at=r.created_at - timedelta(days=rng.randint(5, 60)),
            )
            for r in reviews
            if rng.random() < 0.65
        ],
        ignore_conflicts=True,
    )

    # Photos on about one review in eight.
    for review in rng.sample(reviews, k=len(reviews) // 8):
        for position in range(rng.choice([1, 1, 2, 3])):
            processed = photo_process(
                _photo_upload(rng, f"demo-{review.pk}-{position}")
            )
            photo = ReviewPhoto(
                review=review, position=position, created_at=review.created_at
            )
            photo.image.save(processed.image.name, processed.image, save=False)
            photo.thumbnail.save(
                processed.thumbnail.name, processed.thumbnail, save=False
            )
            photo.save()

    # Helpful votes from other reviewers; longer reviews tend to help more.
    votes = []
    for review in reviews:
        voters = [
            u
            for u in rng.sample(reviewers, k=rng.randint(0, 14))
            if u.pk != review.author_id
        ]
        p_yes = 0.55 + min(0.35, len(review.body) / 600)
        # Cast between the review and yesterday: stamped "now", they would count
        # against today's vote cap and leave the demo's customers unable to vote.
        last = max(review.created_at, now - timedelta(days=1))
        votes.extend(
            ReviewVote(
                review=review,
                voter=v,
                helpful=rng.random() < p_yes,
                created_at=review.created_at + (last - review.created_at) * rng.random(),
            )
            for v in voters
        )
    ReviewVote.objects.bulk_create(votes, ignore_conflicts=True)
    tallies: dict[int, list[int]] = {}
    for review_id, helpful in ReviewVote.objects.filter(review__in=reviews).values_list(
        "review_id", "helpful"
    ):
        tally = tallies.setdefault(review_id, [0, 0])
        tally[0 if helpful else 1] += 1
    for review in reviews:
        yes, no = tallies.get(review.pk, [0, 0])
        review.helpful_yes, review.helpful_no, review.helpful_score = (
            yes,
            no,
            wilson_lower_bound(yes, yes + no),
        )
    Review.objects.bulk_update(
        reviews, ["helpful_yes", "helpful_no", "helpful_score"], batch_size=500
    )

    services.rating_summary_rebuild(product_ids=[p.pk for p in products.values()])

    # Staff replies through the service (each records a support interaction).
    negative = sorted((r for r in reviews if r.rating <= 2), key=lambda r: r.created_at)
    positive = [r for r in reviews if r.rating >= 4]
    replied = [r for r in negative if rng.random() < 0.6] + rng.sample(
        positive, k=min(6, len(positive))
    )
    for review in replied:
        kind = "negative" if review.rating <= 2 else "positive"
        responder = rng.choice(staff)
        reply = services.review_reply(
            review=review, by=responder, body=rng.choice(STAFF_REPLIES[kind])
        )
        delay = timedelta(
            hours=rng.choice([1, 3, 5, 9, 20, 30, 52]) * rng.uniform(0.5, 1.5)
        )
        created = min(now, review.created_at + delay)
        reply.created_at, reply.response_seconds = (
            created,
            int((created - review.created_at).total_seconds()),
        )
        reply.save(update_fields=["created_at", "response_seconds"])

    # An edited review keeps its earlier version.
    edited = next((r for r in negative if r.product.slug != DECLINING), None)
    if edited:
        services.review_edit(
            review=edited,
            by=edited.author,
            rating=min(5, edited.rating + 2),
            title="Update: support sorted it out",
            body=edited.body
            + "\n\n**Update:** support replaced the unit and it works well now.",
        )

    # Moderation by reason code: three hidden reviews, one appealed, one report open.
    moderator_user = staff[0]
    hide = rng.sample([r for r in reviews if r.pk != getattr(edited, "pk", None)], k=4)
    services.review_hide(
        review=hide[0],
        by=moderator_user,
        reason=ModerationReason.SPAM,
        note="The review links to a shop selling other products.",
    )
    services.review_hide(
        review=hide[1],
        by=moderator_user,
        reason=ModerationReason.PERSONAL_DATA,
        note="It showed a neighbour's full name and address. Edit it and appeal, and we will restore it.",
    )
    services.review_hide(
        review=hide[2], by=moderator_user, reason=ModerationReason.NOT_ABOUT_PRODUCT
    )
    services.review_appeal(
        review=hide[1],
        by=hide[1].author,
        note="I removed the address; please show it again.",
    )
    services.review_report(
        review=hide[3],
        reporter=next(u for u in reviewers if u.pk != hide[3].author_id),
        reason=ModerationReason.OFF_TOPIC,
        note="Talks about the delivery, not the product.",
    )

    if DECLINING in products:
        services.product_note_post(
            product=products[DECLINING],
            by=moderator_user,
            body="**We know about the battery drain** after firmware 2.4: motion detection wakes the camera "
            "too often. Firmware 2.4.1 fixes it and ships on "
            f"{(now + timedelta(days=9)):%-d %B %Y}; it installs on its own. Until then, support "
            "will replace any battery that no longer holds a charge.",
            published_on=(now - timedelta(days=3)).date(),
        )

    backend = get_search_backend()
    backend.add_bulk(
        Review, list(Review.objects.published().filter(pk__in=[r.pk for r in reviews]))
    )
    for product in products.values():
        services.trend_check(product_id=product.pk)
