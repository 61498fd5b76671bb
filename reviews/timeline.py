"""Reviews' part of a customer's timeline (registered in wagtail_hooks.py).

Public kinds: their reviews and the company's replies to them; a reply newer
than the customer's last visit waits for them ("unread"). Private kinds, for
staff: reports the customer raised, reports on their reviews and moderation
events. One bounded query per kind (see portal.timeline).
"""

from django.utils.translation import gettext_lazy as _

from portal.timeline import Entry, Query

from .models import ModerationEvent, Review, ReviewReply, ReviewReport

REVIEW = "reviews.review"
REPLY = "reviews.reply"
REPORT_RAISED = "reviews.report_raised"
REPORT_RECEIVED = "reviews.report_received"
MODERATION = "reviews.moderation"
T = "reviews/timeline/"


class ReviewsTimeline:
    kinds = [
        (REVIEW, _("Reviews"), False),
        (REPLY, _("Replies to my reviews"), False),
        (REPORT_RAISED, _("Review reports raised"), True),
        (REPORT_RECEIVED, _("Reports on their reviews"), True),
        (MODERATION, _("Review moderation"), True),
    ]

    def first_activity(self, customer):
        from django.db.models import Min

        return Review.objects.filter(author=customer).aggregate(at=Min("created_at"))[
            "at"
        ]

    def entries(self, query: Query) -> list[Entry]:
        user, out = query.user, []
        if REVIEW in query.kinds:
            qs = query.for_product(
                Review.objects.filter(author=user).select_related("product", "reply")
            )
            for r in query.slice(qs, REVIEW, "created_at"):
                out.append(
                    Entry(
                        kind=REVIEW,
                        at=r.created_at,
                        key=f"review:{r.pk}",
                        template=T + "review.html",
                        title=r.title,
                        url=r.get_absolute_url(),
                        product_id=r.product_id,
                        product_title=r.product.title,
                        data={
                            "rating": r.rating,
                            "status": r.status,
                            "status_label": str(r.get_status_display()),
                            "replied": hasattr(r, "reply"),
                            "helpful_yes": r.helpful_yes,
                        },
                    )
                )
        if REPLY in query.kinds:
            qs = query.for_product(
                ReviewReply.objects.filter(review__author=user).select_related(
                    "review", "review__product"
                ),
                "review__product_id",
            )
            out += [
                self._reply(reply, query)
                for reply in query.slice(qs, REPLY, "created_at")
            ]
        if query.private:
            out += self._private(query)
        return out

    def _reply(self, reply, query: Query) -> Entry:
        unread = query.since is None or reply.created_at > query.since
        return Entry(
            kind=REPLY,
            at=reply.created_at,
            key=f"reply:{reply.pk}",
            template=T + "reply.html",
            title=reply.review.title,
            url=reply.review.get_absolute_url(),
            product_id=reply.review.product_id,
            product_title=reply.review.product.title,
            data={
                "body_html": reply.body_html,
                "unread": unread,
                "rating": reply.review.rating,
            },
        )

    def _private(self, query: Query) -> list[Entry]:
        user, out = query.user, []
        if REPORT_RAISED in query.kinds:
            qs = query.for_product(
                ReviewReport.objects.filter(reporter=user).select_related("review"),
                "review__product_id",
            )
            out += [
                self._report(r, REPORT_RAISED)
                for r in query.slice(qs, REPORT_RAISED, "created_at")
            ]
        if REPORT_RECEIVED in query.kinds:
            qs = query.for_product(
                ReviewReport.objects.filter(review__author=user).select_related(
                    "review"
                ),
                "review__product_id",
            )
            out += [
                self._report(r, REPORT_RECEIVED)
                for r in query.slice(qs, REPORT_RECEIVED, "created_at")
            ]
        if MODERATION in query.kinds:
            qs = query.for_product(
                ModerationEvent.objects.filter(review__author=user).select_related(
                    "review", "actor__profile"
                ),
                "review__product_id",
            )
            for e in query.slice(qs, MODERATION, "created_at"):
                out.append(
                    Entry(
                        kind=MODERATION,
                        at=e.created_at,
                        key=f"review_moderation:{e.pk}",
                        template=T + "moderation.html",
                        title=str(e.get_action_display()),
                        url=e.review.get_absolute_url(),
                        product_id=e.review.product_id,
                        private=True,
                        data={
                            "review": e.review.title,
                            "reason": str(e.get_reason_display()) if e.reason else "",
                            "note": e.note,
                        },
                    )
                )
        return out

    def _report(self, report, kind) -> Entry:
        return Entry(
            kind=kind,
            at=report.created_at,
            key=f"{kind}:{report.pk}",
            template=T + "report.html",
            title=report.review.title,
            url=report.review.get_absolute_url(),
            product_id=report.review.product_id,
            private=True,
            data={
                "raised": kind == REPORT_RAISED,
                "reason": str(report.get_reason_display()),
                "state": str(report.get_status_display()),
                "note": report.note,
            },
        )

    def needs_you(self, query: Query) -> list[Entry]:
        """Replies from the company the customer has not seen yet."""
        qs = ReviewReply.objects.filter(review__author=query.user).select_related(
            "review", "review__product"
        )
        if query.since is not None:
            qs = qs.filter(created_at__gt=query.since)
        qs = query.for_product(qs, "review__product_id")
        entries = []
        for reply in qs.order_by("-created_at", "-pk")[: query.limit]:
            entry = self._reply(reply, query)
            entry.key = f"reply:{reply.pk}"
            entry.needs_you = str(_("The company replied to your review"))
            entries.append(entry)
        return entries
