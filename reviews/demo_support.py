"""Demo: each demo customer's lowest-rated review gets a staff reply, so "My support"
shows a reply to read and a survey about it (issue 9). Runs again without changes."""

from .models import Review, ReviewReply
from .services import review_reply

REPLY = (
    "Thank you for telling us. We looked into it: a firmware update fixes most of this, "
    "and our support team is happy to help if it does not."
)


def load_support_demo(context) -> int:
    staff = context["accounts"]["staff"]
    if not staff:
        return 0
    made = 0
    for customer in context["accounts"]["customers"][:8]:
        if ReviewReply.objects.filter(review__author=customer).exists():
            continue
        review = (
            Review.objects.published()
            .filter(author=customer, reply__isnull=True)
            .order_by("rating", "pk")
            .first()
        )
        if review is not None:
            review_reply(review=review, by=staff[0], body=REPLY)
            made += 1
    return made
