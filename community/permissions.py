"""Who may do what in the community: one small predicate per rule.

Services enforce these (raising PermissionDenied); templates and views use the
same predicates to decide which buttons to show.
"""

from portal.permissions import is_staff_member


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_moderate(user) -> bool:
    """Staff with the moderation permission hide, restore, close, merge and suspend."""
    return is_staff_member(user) and user.has_perm("community.moderate_posts")


def can_view_question(user, question) -> bool:
    """Hidden questions stay visible to their author (with a note) and to moderators."""
    if not question.is_hidden:
        return True
    return bool(
        user
        and user.is_authenticated
        and (question.author_id == user.pk or can_moderate(user))
    )


def can_view_answer(user, answer) -> bool:
    if not answer.is_hidden:
        return True
    return bool(
        user
        and user.is_authenticated
        and (answer.author_id == user.pk or can_moderate(user))
    )


def can_edit_post(user, post) -> bool:
    """Authors edit their own questions and answers; staff may edit any."""
    return is_member(user) and (post.author_id == user.pk or is_staff_member(user))


def can_answer(user, question) -> bool:
    return is_member(user) and not question.is_hidden and not question.is_closed


def can_accept_answer(user, question) -> bool:
    """The asker accepts; staff may accept on the asker's behalf (the asker is told)."""
    if not is_member(user) or question.is_hidden or question.is_closed:
        return False
    return question.author_id == user.pk or is_staff_member(user)


def can_mark_official(user, question) -> bool:
    return is_staff_member(user) and not question.is_hidden


def can_vote(user, post) -> bool:
    """Members vote on others' visible posts, never on their own."""
    return is_member(user) and post.author_id != user.pk


def can_me_too(user, question) -> bool:
    return (
        is_member(user)
        and question.author_id != user.pk
        and not question.is_hidden
        and not question.is_closed
    )


def can_comment(user, question) -> bool:
    return is_member(user) and not question.is_hidden and not question.is_closed


def can_flag(user, post) -> bool:
    return is_member(user) and post.author_id != user.pk
