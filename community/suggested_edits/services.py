"""Suggested edits: suggest, approve, reject. One function per action.

Approving applies the change through the same service normal edits use
(community.services.question_edit / answer_edit), so revisions, Markdown,
search and cache refreshes are shared; the revision is kept under the member
who suggested it.

Each action tells the other side (the post's author of a new suggestion, the
suggester of the outcome) through `community.services._notify`, here rather
than in the views, so the pages and the API notify alike.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions, services
from community.models import Notification, PostRevision, Question
from community.services_reputation import reputation_edit_accepted

from .models import SuggestedEdit

REASON_MAX = 200


def _post_is_hidden(post) -> bool:
    """A hidden post, or an answer on a hidden question, takes no suggested edits."""
    return post.is_hidden or (not isinstance(post, Question) and post.question.is_hidden)


def can_suggest_edit(user, post) -> bool:
    """Members who may not edit a visible post themselves may suggest an edit."""
    return (
        permissions.is_member(user)
        and not _post_is_hidden(post)
        and not permissions.can_edit_post(user, post)
    )


def can_review_suggestion(user, suggestion: SuggestedEdit) -> bool:
    """The post's author and members with the edit privilege (staff too), never the suggester."""
    if not permissions.is_member(user) or suggestion.author_id == user.pk:
        return False
    post = suggestion.post
    return post.author_id == user.pk or permissions.has_privilege(user, "edit_others")


def _latest_revision(post) -> int:
    key = {"question": post} if isinstance(post, Question) else {"answer": post}
    return PostRevision.objects.filter(**key).order_by("-number").values_list("number", flat=True).first() or 0


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Say in a few words what your edit improves.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}})
    return reason


@transaction.atomic
def suggested_edit_submit(*, post, by, body: str, reason: str, title: str = "", tags=None) -> SuggestedEdit:
    """Record a suggestion for `post`; one pending suggestion per post per member."""
    if not can_suggest_edit(by, post):
        raise PermissionDenied(_("You can edit this post yourself, or it takes no suggestions."))
    reason = _clean_reason(reason, required=True)
    is_question = isinstance(post, Question)
    if is_question:
        title = services._clean_title(title)
        body, _html = services._clean_body(body, minimum=services.QUESTION_BODY_MIN)
        tag_names = services.clean_tag_names(tags) if tags is not None else list(post.tags.names())
        unchanged = title == post.title and body == post.body and sorted(tag_names) == sorted(post.tags.names())
    else:
        title, tag_names = "", []
        body, _html = services._clean_body(body, minimum=services.ANSWER_BODY_MIN)
        unchanged = body == post.body
    if unchanged:
        raise ValidationError(_("Your suggestion changes nothing."))
    suggestion = SuggestedEdit(
        author=by,
        question=post if is_question else None,
        answer=None if is_question else post,
        title=title,
        body=body,
        tags=", ".join(sorted(tag_names)),
        reason=reason,
        base_revision=_latest_revision(post),
    )
    suggestion.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            suggestion.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You already have a suggestion waiting for review on this post.")
        ) from error
    _tell(suggestion, kind=Notification.Kind.SUGGESTED_EDIT, recipient_id=post.author_id, actor=by)
    return suggestion


def _tell(suggestion: SuggestedEdit, *, kind: str, recipient_id: int, actor) -> None:
    """One notification (and email, as the member chose) about `suggestion`."""
    answer = suggestion.answer
    question = answer.question if answer is not None else suggestion.question
    services._notify(
        recipients={recipient_id} - {actor.pk},
        kind=kind,
        actor=actor,
        question=question,
        answer=answer,
        suggested_edit=suggestion,
        email_context={"suggestion": suggestion},
    )


def _lock_pending(suggestion: SuggestedEdit, by) -> SuggestedEdit:
    locked = SuggestedEdit.objects.select_for_update(of=("self",)).select_related("question", "answer").get(pk=suggestion.pk)
    if not can_review_suggestion(by, locked):
        raise PermissionDenied(_("Only the post's author or members who may edit others' posts review this."))
    if not locked.is_pending:
        raise ValidationError(_("This suggestion was already reviewed."))
    return locked


def _refuse_if_hidden(post) -> None:
    # Moderators hid the post (or its question) after the suggestion was made:
    # approving would edit a post nobody may read; rejecting stays possible.
    if _post_is_hidden(post):
        raise ValidationError(_("This post was hidden by moderators, so it takes no edits now; reject the suggestion instead."))


@transaction.atomic
def suggested_edit_approve(*, suggestion: SuggestedEdit, by) -> SuggestedEdit:
    """Apply the suggestion as an edit, give the suggester +2, mark it approved (once)."""
    suggestion = _lock_pending(suggestion, by)
    post = suggestion.post
    _refuse_if_hidden(post)
    if _latest_revision(post) != suggestion.base_revision:
        raise ValidationError(_("The post was edited after this suggestion was made; reject it instead."))
    note = _("Suggested edit: %(reason)s") % {"reason": suggestion.reason}
    if suggestion.question_id:
        services.question_edit(
            question=post, by=by, editor=suggestion.author, title=suggestion.title,
            body=suggestion.body, tags=[t for t in suggestion.tags.split(", ") if t], note=note,
        )
    else:
        services.answer_edit(answer=post, by=by, editor=suggestion.author, body=suggestion.body, note=note)
    suggestion.status = SuggestedEdit.Status.APPROVED
    suggestion.reviewer = by
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "reviewer", "reviewed_at"])
    reputation_edit_accepted(suggestion=suggestion, by=by)
    _tell(suggestion, kind=Notification.Kind.SUGGESTED_EDIT_APPROVED, recipient_id=suggestion.author_id, actor=by)
    return suggestion


@transaction.atomic
def suggested_edit_reject(*, suggestion: SuggestedEdit, by, reason: str = "") -> SuggestedEdit:
    """Turn the suggestion down, with an optional reason; the post is unchanged."""
    reason = _clean_reason(reason, required=False)
    suggestion = _lock_pending(suggestion, by)
    suggestion.status = SuggestedEdit.Status.REJECTED
    suggestion.reviewer = by
    suggestion.review_reason = reason
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "reviewer", "review_reason", "reviewed_at"])
    _tell(suggestion, kind=Notification.Kind.SUGGESTED_EDIT_REJECTED, recipient_id=suggestion.author_id, actor=by)
    return suggestion
