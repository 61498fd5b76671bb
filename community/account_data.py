"""What community stores about one member: their data export and their account deletion.

Registered in wagtail_hooks.py as `candor_account_exporters` and
`candor_account_erasers` (see portal.services_customer). Deletion keeps every
count: votes, scores, answer counts, me-toos, the reputation ledger and badges
stay; posts show as by "a former member" (the anonymised profile), or lose their
words when the member asks, their rows and counts staying.
"""

from django.db import transaction
from django.db.models import Q

from portal.markdown import render_markdown

from .caching import content_changed
from .models import (
    Answer,
    AskAttempt,
    Comment,
    Flag,
    Follow,
    MeToo,
    Notification,
    NotificationPreference,
    PostRevision,
    Question,
    Vote,
)
from .models_reputation import ReputationEvent

REMOVED = "*[removed by its author]*"
REMOVED_TITLE = "[removed by its author]"


def _rows(qs, *fields):
    return list(qs.order_by("pk").values(*fields))


def account_export(user) -> dict:
    """Every community row about `user`, as plain data."""
    from badgify.models import Award

    own_posts = Q(question__author=user) | Q(answer__author=user)
    return {
        "community_questions": _rows(
            Question.objects.filter(author=user),
            "id",
            "title",
            "body",
            "status",
            "product_id",
            "created_at",
            "edited_at",
            "score",
            "answer_count",
            "is_hidden",
        ),
        "community_answers": _rows(
            Answer.objects.filter(author=user),
            "id",
            "question_id",
            "body",
            "is_staff_answer",
            "score",
            "created_at",
            "edited_at",
            "is_hidden",
        ),
        "community_comments": _rows(
            Comment.objects.filter(author=user),
            "id",
            "question_id",
            "answer_id",
            "body",
            "created_at",
            "is_hidden",
        ),
        "community_revisions": _rows(
            PostRevision.objects.filter(own_posts | Q(editor=user)),
            "id",
            "question_id",
            "answer_id",
            "number",
            "title",
            "body",
            "tags",
            "note",
            "created_at",
        ),
        "community_votes": _rows(
            Vote.objects.filter(user=user),
            "question_id",
            "answer_id",
            "value",
            "created_at",
        ),
        "community_me_too": _rows(
            MeToo.objects.filter(user=user), "question_id", "created_at"
        ),
        "community_follows": _rows(
            Follow.objects.filter(user=user),
            "question_id",
            "tag__name",
            "product_id",
            "created_at",
        ),
        "community_flags": _rows(
            Flag.objects.filter(flagger=user),
            "question_id",
            "answer_id",
            "comment_id",
            "reason",
            "note",
            "state",
            "created_at",
        ),
        "community_notifications": _rows(
            Notification.objects.filter(recipient=user),
            "kind",
            "question_id",
            "answer_id",
            "comment_id",
            "created_at",
            "read_at",
        ),
        "community_notification_settings": _rows(
            NotificationPreference.objects.filter(user=user),
            "email_mode",
            "last_digest_at",
        ),
        "community_ask_attempts": _rows(
            AskAttempt.objects.filter(user=user),
            "title",
            "outcome",
            "question_id",
            "created_at",
        ),
        "community_reputation_events": _rows(
            ReputationEvent.objects.filter(user=user),
            "kind",
            "points",
            "is_reversal",
            "created_at",
        ),
        "community_badges": _rows(
            Award.objects.filter(user=user), "badge__name", "badge__slug", "awarded_at"
        ),
    }


@transaction.atomic
def account_erase(*, user, remove_posts: bool = False) -> None:
    """Anonymise `user` in community, keeping every count and ledger as it was."""
    # Private to the member and useless once they are gone.
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    AskAttempt.objects.filter(user=user).update(user=None)
    if remove_posts:
        removed_html = render_markdown(REMOVED)
        questions = list(Question.objects.filter(author=user).only("pk"))
        answers = list(Answer.objects.filter(author=user).only("pk"))
        Question.objects.filter(author=user).update(
            title=REMOVED_TITLE, body=REMOVED, body_html=removed_html
        )
        Answer.objects.filter(author=user).update(body=REMOVED, body_html=removed_html)
        Comment.objects.filter(author=user).update(body=REMOVED, body_html=removed_html)
        PostRevision.objects.filter(
            Q(question__author=user) | Q(answer__author=user)
        ).update(title="", body=REMOVED, tags="")
        _reindex(questions + answers)
    # Names show beside every post: whatever the choice, community pages change.
    content_changed()


def _reindex(objects) -> None:
    if not objects:
        return
    from modelsearch.tasks import insert_or_update_object_task

    keys = [(o._meta.app_label, o._meta.model_name, str(o.pk)) for o in objects]
    transaction.on_commit(
        lambda: [insert_or_update_object_task.enqueue(*k) for k in keys]
    )
