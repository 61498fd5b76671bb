"""Community's part of a customer's timeline (registered in wagtail_hooks.py).

Public kinds: questions (status, answers new since the last visit), answers
(accepted or not), follows, badges. Private kinds, for staff only: flags the
customer raised, flags on their posts, moderation decisions about them. One
bounded query per kind (see portal.timeline).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.timeline import Entry, Query

from .models import Answer, Flag, Follow, ModerationDecision, Question

QUESTION = "community.question"
ANSWER = "community.answer"
FOLLOW = "community.follow"
BADGE = "community.badge"
FLAG_RAISED = "community.flag_raised"
FLAG_RECEIVED = "community.flag_received"
MODERATION = "community.moderation"
T = "community/timeline/"


def _new_answers_filter(query: Query):
    condition = Q(answers__is_hidden=False) & ~Q(answers__author=query.user)
    if query.since is not None:
        condition &= Q(answers__created_at__gt=query.since)
    return condition


def _product(entry_kwargs, product):
    if product is not None:
        entry_kwargs["product_id"] = product.pk
        entry_kwargs["product_title"] = product.title
    return entry_kwargs


class CommunityTimeline:
    kinds = [
        (QUESTION, _("Questions"), False),
        (ANSWER, _("Answers"), False),
        (FOLLOW, _("Follows"), False),
        (BADGE, _("Badges"), False),
        (FLAG_RAISED, _("Flags raised"), True),
        (FLAG_RECEIVED, _("Flags received"), True),
        (MODERATION, _("Moderation decisions"), True),
    ]

    def first_activity(self, customer):
        from django.db.models import Min

        found = [
            model.objects.filter(author=customer).aggregate(at=Min("created_at"))["at"]
            for model in (Question, Answer)
        ]
        return min(filter(None, found), default=None)

    def entries(self, query: Query) -> list[Entry]:
        user, out = query.user, []
        if QUESTION in query.kinds:
            qs = Question.objects.filter(author=user).select_related("product")
            qs = query.for_product(qs).annotate(
                new_answers=Count("answers", filter=_new_answers_filter(query))
            )
            out += [self._question(q) for q in query.slice(qs, QUESTION, "created_at")]
        if ANSWER in query.kinds:
            qs = Answer.objects.filter(author=user).select_related(
                "question", "question__product"
            )
            qs = query.for_product(qs, "question__product_id")
            for a in query.slice(qs, ANSWER, "created_at"):
                out.append(
                    Entry(
                        **_product(
                            {
                                "kind": ANSWER,
                                "at": a.created_at,
                                "key": f"answer:{a.pk}",
                                "template": T + "answer.html",
                                "title": a.question.title,
                                "url": a.get_absolute_url(),
                                "data": {
                                    "accepted": a.question.accepted_answer_id == a.pk,
                                    "official": a.question.official_answer_id == a.pk,
                                    "score": a.score,
                                    "hidden": a.is_hidden,
                                },
                            },
                            a.question.product,
                        )
                    )
                )
        if FOLLOW in query.kinds:
            # Asking or answering follows the question by itself: those are not news.
            qs = (
                Follow.objects.filter(user=user)
                .exclude(question__author=user)
                .exclude(question__answers__author=user)
                .select_related("question", "tag", "product")
            )
            qs = query.for_product(qs, "product_id", "question__product_id")
            for f in query.slice(qs, FOLLOW, "created_at"):
                if f.question_id:
                    title, url = f.question.title, f.question.get_absolute_url()
                elif f.product_id:
                    title, url = f.product.title, f.product.url or ""
                else:
                    title = f.tag.name
                    url = reverse("community:tag", kwargs={"tag": f.tag.name})
                out.append(
                    Entry(
                        kind=FOLLOW,
                        at=f.created_at,
                        key=f"follow:{f.pk}",
                        template=T + "follow.html",
                        title=title,
                        url=url,
                        product_id=f.product_id
                        or (f.question.product_id if f.question_id else None),
                    )
                )
        if BADGE in query.kinds and not query.product_id:
            from badgify.models import Award

            qs = Award.objects.filter(user=user).select_related("badge")
            for award in query.slice(qs, BADGE, "awarded_at"):
                out.append(
                    Entry(
                        kind=BADGE,
                        at=award.awarded_at,
                        key=f"award:{award.pk}",
                        template=T + "badge.html",
                        title=award.badge.name,
                        url=reverse("community:award_detail", kwargs={"pk": award.pk}),
                    )
                )
        if query.private:
            out += self._private(query)
        return out

    def _question(self, q) -> Entry:
        return Entry(
            **_product(
                {
                    "kind": QUESTION,
                    "at": q.created_at,
                    "key": f"question:{q.pk}",
                    "template": T + "question.html",
                    "title": q.title,
                    "url": q.get_absolute_url(),
                    "data": {
                        "status": q.status,
                        "status_label": str(q.get_status_display()),
                        "answers": q.answer_count,
                        "new_answers": getattr(q, "new_answers", 0),
                        "hidden": q.is_hidden,
                    },
                },
                q.product,
            )
        )

    def _private(self, query: Query) -> list[Entry]:
        user, out = query.user, []
        if FLAG_RAISED in query.kinds:
            qs = Flag.objects.filter(flagger=user)
            qs = query.for_product(
                qs, "question__product_id", "answer__question__product_id"
            )
            out += [
                self._flag(f, FLAG_RAISED)
                for f in query.slice(qs, FLAG_RAISED, "created_at")
            ]
        if FLAG_RECEIVED in query.kinds:
            qs = Flag.objects.filter(
                Q(question__author=user)
                | Q(answer__author=user)
                | Q(comment__author=user)
            )
            qs = query.for_product(
                qs, "question__product_id", "answer__question__product_id"
            )
            out += [
                self._flag(f, FLAG_RECEIVED)
                for f in query.slice(qs, FLAG_RECEIVED, "created_at")
            ]
        if MODERATION in query.kinds:
            qs = ModerationDecision.objects.filter(
                Q(member=user)
                | Q(question__author=user)
                | Q(answer__author=user)
                | Q(comment__author=user)
            ).select_related("moderator__profile")
            qs = query.for_product(
                qs, "question__product_id", "answer__question__product_id"
            )
            for d in query.slice(qs, MODERATION, "created_at"):
                out.append(
                    Entry(
                        kind=MODERATION,
                        at=d.created_at,
                        key=f"decision:{d.pk}",
                        template=T + "moderation.html",
                        title=str(d.get_action_display()),
                        private=True,
                        data={
                            "reason": d.reason,
                            "moderator": getattr(
                                getattr(d.moderator, "profile", None),
                                "display_name",
                                "",
                            )
                            or d.moderator.username,
                            "question_id": d.question_id,
                            "answer_id": d.answer_id,
                        },
                    )
                )
        return out

    def _flag(self, f, kind) -> Entry:
        target = "question" if f.question_id else "answer" if f.answer_id else "comment"
        target_id = f.question_id or f.answer_id or f.comment_id
        return Entry(
            kind=kind,
            at=f.created_at,
            key=f"{kind}:{f.pk}",
            template=T + "flag.html",
            title=str(f.get_reason_display()),
            private=True,
            data={
                "raised": kind == FLAG_RAISED,
                "target": target,
                "target_id": target_id,
                "state": str(f.get_state_display()),
                "note": f.note,
            },
        )

    def needs_you(self, query: Query) -> list[Entry]:
        """Their open questions with answers and none accepted: "accept an answer"."""
        qs = (
            Question.objects.filter(
                author=query.user,
                accepted_answer__isnull=True,
                answer_count__gt=0,
                is_hidden=False,
            )
            .exclude(status=Question.Status.CLOSED)
            .select_related("product")
            .annotate(new_answers=Count("answers", filter=_new_answers_filter(query)))
        )
        qs = query.for_product(qs)
        entries = []
        for q in qs.order_by("-last_activity_at", "-pk")[: query.limit]:
            entry = self._question(q)
            entry.at = q.last_activity_at
            entry.key = f"question:{q.pk}"
            entry.needs_you = str(_("An answer is waiting for you to accept it"))
            entries.append(entry)
        return entries
