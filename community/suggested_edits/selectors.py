"""Reads for suggested edits, for the pages and the API alike: a member's review queue,
their own suggestions, and who may read one.

The review rule itself is `services.can_review_suggestion`; the queue is the same rule
as a query (a page of it costs the same few queries however many suggestions wait),
and reading follows it: the suggester and whoever may review it. Everyone else is told
it does not exist (no probing for ids).
"""

from django.db.models import Q

from community import permissions

from .models import SuggestedEdit
from .services import can_review_suggestion


def _reviewable(user):
    """Pending suggestions on visible posts that `user` may review (never their own)."""
    if not permissions.is_member(user):
        return SuggestedEdit.objects.none()
    rows = (
        SuggestedEdit.objects.filter(status=SuggestedEdit.Status.PENDING)
        .exclude(author=user)
        .filter(
            Q(question__is_hidden=False)
            | Q(answer__is_hidden=False, answer__question__is_hidden=False)
        )
    )
    if not permissions.has_privilege(user, "edit_others"):
        rows = rows.filter(Q(question__author=user) | Q(answer__author=user))
    return rows


def suggestion_list_for_reviewer(*, user):
    """The queue, newest first, with what the rows and their diffs show already loaded.

    Those on the member's own visible posts; every pending one on a visible post for
    members with the edit_others privilege (staff hold it); never their own.
    """
    return (
        _reviewable(user)
        .select_related(
            "author__profile", "reviewer__profile", "question", "answer__question"
        )
        .prefetch_related("question__tagged_items__tag")
        .order_by("-created_at", "-pk")
    )


def suggestion_pending_count_for(*, user) -> int:
    """How many suggestions wait for `user` (one COUNT query)."""
    return _reviewable(user).count()


def suggestion_list_by_member(*, user, limit: int = 10):
    """The member's own latest suggestions and how their review went."""
    return (
        SuggestedEdit.objects.filter(author=user)
        .select_related("question", "answer__question", "reviewer__profile")
        .order_by("-created_at", "-pk")[:limit]
    )


def suggestion_pending_by(*, user, post) -> SuggestedEdit | None:
    """The member's own suggestion on `post` still waiting for review, if any.

    The database allows one (a partial unique constraint); the edit page shows it
    instead of a form that could only be refused on submit.
    """
    if not permissions.is_member(user):
        return None
    key = {"answer": post} if hasattr(post, "question_id") else {"question": post}
    return (
        SuggestedEdit.objects.filter(
            author=user, status=SuggestedEdit.Status.PENDING, **key
        )
        .only("pk", "created_at")
        .first()
    )


def suggestion_get_for_viewer(*, pk: int, user):
    """One suggestion for its reviewers and its suggester; None for anyone else."""
    suggestion = (
        SuggestedEdit.objects.select_related(
            "author__profile", "question", "answer__question", "reviewer__profile"
        )
        .prefetch_related("question__tagged_items__tag")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None or not permissions.is_member(user):
        return None
    question = (
        suggestion.answer.question if suggestion.answer_id else suggestion.question
    )
    if not permissions.can_view_question(user, question) or (
        suggestion.answer_id
        and not permissions.can_view_answer(user, suggestion.answer)
    ):
        return None
    if suggestion.author_id == user.pk or can_review_suggestion(user, suggestion):
        return suggestion
    return None
