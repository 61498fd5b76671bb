"""Who may do what in the community: one small predicate per rule.

Services enforce these (raising PermissionDenied); templates and views use the
same predicates to decide which buttons to show.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from portal.permissions import is_staff_member


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_moderate(user) -> bool:
    """Staff with the moderation permission hide, restore, close, merge and suspend."""
    return is_staff_member(user) and user.has_perm("community.moderate_posts")


def can_withdraw_badge(user) -> bool:
    """Moderators withdraw badges (and allow them again), with a logged reason."""
    return can_moderate(user)


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
    """Authors edit their own questions and answers; staff, and members with the
    "edit others' posts" privilege, may edit any."""
    return is_member(user) and (
        post.author_id == user.pk or has_privilege(user, "edit_others")
    )


def edit_refusal(user) -> str:
    """Why `user` may not edit someone else's post, and what would unlock it."""
    return _(
        "You can edit your own posts. Editing others' questions and answers needs "
        "%(needed)d reputation (you have %(have)d); see how reputation works on "
        "/community/reputation/."
    ) % {
        "needed": settings.CANDOR_REPUTATION_PRIVILEGES["edit_others"],
        "have": reputation_of(user),
    }


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


def can_vote_down(user) -> bool:
    """Voting down is a privilege earned with reputation (it costs the author points)."""
    return has_privilege(user, "vote_down")


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
    """Flagging others' posts is a privilege earned with a little reputation."""
    return is_member(user) and post.author_id != user.pk and has_privilege(user, "flag")


def can_retag(user, question) -> bool:
    """Members with the retag privilege fix the tags of others' visible questions."""
    return (
        is_member(user)
        and not question.is_hidden
        and (question.author_id == user.pk or has_privilege(user, "retag"))
    )


# --------------------------------------------------------------------------- privileges

PRIVILEGES = {
    "flag": "Flag posts for moderators",
    "vote_down": "Vote down",
    "retag": "Change the tags of others' questions",
    "edit_others": "Edit others' questions and answers",
}


def reputation_of(user) -> int:
    """The member's reputation total (1 for an account without a profile)."""
    profile = getattr(user, "profile", None)
    return getattr(profile, "reputation", 1) if profile is not None else 1


def has_privilege(user, name: str) -> bool:
    """A privilege is held from its reputation threshold (a setting); staff hold them all."""
    if not is_member(user):
        return False
    if is_staff_member(user):
        return True
    return reputation_of(user) >= settings.CANDOR_REPUTATION_PRIVILEGES[name]


def privileges_locked(user, names) -> list[tuple[str, int]]:
    """(name, reputation needed) for each of `names` a member does not hold yet (none for visitors)."""
    if not is_member(user):
        return []
    return [
        (name, settings.CANDOR_REPUTATION_PRIVILEGES[name])
        for name in names
        if not has_privilege(user, name)
    ]
