"""Who sees which suggested edits: a member's review queue, and who may read one.

The review rule itself is `services.can_review_suggestion`; the queue is the
same rule as a query (so a page of it costs the same few queries however many
suggestions wait), and reading follows it: the suggester, whoever may review
it, and staff. Everyone else is told it does not exist (no probing for ids).
"""

from django.db.models import Q

from community import permissions

from .models import SuggestedEdit
from .services import can_review_suggestion


def _with_post():
    """Suggestions with everything an API row shows, in a fixed number of queries."""
    return SuggestedEdit.objects.select_related(
        "author__profile",
        "reviewer__profile",
        "question",
        "answer__question",
    )


def review_queue_for(*, user):
    """Pending suggestions `user` may review, oldest first.

    Those on the member's own visible posts; every pending one on a visible
    post for members with the edit_others privilege (staff hold it). Never the
    member's own suggestions.
    """
    if not permissions.is_member(user):
        return SuggestedEdit.objects.none()
    rows = (
        _with_post()
        .filter(status=SuggestedEdit.Status.PENDING)
        .filter(
            Q(question__is_hidden=False)
            | Q(answer__is_hidden=False, answer__question__is_hidden=False)
        )
        .exclude(author=user)
    )
    if not permissions.has_privilege(user, "edit_others"):
        rows = rows.filter(Q(question__author=user) | Q(answer__author=user))
    return rows.order_by("created_at", "pk")


def can_read_suggestion(user, suggestion: SuggestedEdit) -> bool:
    """The suggester, the post's reviewers and staff read a suggestion, in any state."""
    if not permissions.is_member(user):
        return False
    return (
        suggestion.author_id == user.pk
        or permissions.has_privilege(user, "edit_others")
        or can_review_suggestion(user, suggestion)
    )


def suggestion_get_for(*, user, pk: int) -> SuggestedEdit | None:
    """The suggestion if `user` may read it, else None (the API answers 404)."""
    suggestion = _with_post().filter(pk=pk).first()
    if suggestion is None or not can_read_suggestion(user, suggestion):
        return None
    return suggestion
