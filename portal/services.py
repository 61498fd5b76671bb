"""Every write the portal makes with rules or side effects happens here."""

import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from wagtail.models import APIToken

from . import cache as page_cache
from .markdown import render_markdown
from .models import ArticleFeedback, ArticlePage, Profile
from .models.feedback import MISSING_MAX

USERNAME_MAX = 30


def _username_from(display_name: str, email: str) -> str:
    base = (
        slugify(display_name)[:USERNAME_MAX]
        or slugify(email.split("@")[0])[:USERNAME_MAX]
        or "member"
    )
    return re.sub(r"[^a-z0-9-]", "", base.lower()) or "member"


def _unique_username(base: str) -> str:
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: USERNAME_MAX - len(suffix)] + suffix
    return candidate


@transaction.atomic
def user_sign_up(*, email: str, password: str, display_name: str):
    """Create a customer account and its profile; the username is derived and unique.

    Emails are compared case-insensitively; a taken email raises ValidationError.
    """
    from django.core.exceptions import ValidationError

    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email already exists."})
    user = User(
        username=_unique_username(_username_from(display_name, email)), email=email
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    profile_create(user=user, display_name=display_name)
    return user


def profile_create(*, user, display_name: str, bio: str = "") -> Profile:
    """Create the profile that every account has."""
    profile = Profile(
        user=user,
        display_name=display_name.strip(),
        bio=bio,
        bio_html=render_markdown(bio),
    )
    profile.full_clean()
    profile.save()
    return profile


def profile_get_or_create(*, user) -> Profile:
    """Return `user`'s profile, creating one for accounts made outside sign-up."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return profile_create(
            user=user, display_name=user.get_full_name() or user.username
        )


@transaction.atomic
def profile_update(
    *, profile: Profile, display_name: str, bio: str, avatar=None, remove_avatar=False
) -> Profile:
    """Change what a member shows publicly; `avatar` must already be re-encoded."""
    profile.display_name = display_name.strip()
    profile.bio = bio
    profile.bio_html = render_markdown(bio)
    old_avatar = profile.avatar.name if profile.avatar else ""
    if avatar is not None:
        profile.avatar.save(avatar.name, avatar, save=False)
    elif remove_avatar:
        profile.avatar = ""
    profile.full_clean()
    profile.save()
    if old_avatar and old_avatar != (profile.avatar.name or ""):
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    # Names and avatars show next to everything a member wrote, on any page.
    page_cache.invalidate(page_cache.SITE)
    return profile


def article_feedback_record(
    *, article: ArticlePage, user=None, session_key: str = "", helpful: bool
) -> ArticleFeedback:
    """Record one reader's "Was this helpful?" answer; answering again changes it.

    A reader is a signed-in user or, failing that, an anonymous session. The
    database constraints guarantee one row per reader even under races: a losing
    insert is retried as an update.
    """
    lookup = (
        {"article": article, "user": user}
        if user
        else {"article": article, "user": None, "session_key": session_key}
    )
    if not user and not session_key:
        raise ValueError("An anonymous answer needs a session.")
    for _attempt in range(2):
        try:
            with transaction.atomic():
                feedback, _created = ArticleFeedback.objects.update_or_create(
                    **lookup,
                    defaults={
                        "helpful": helpful,
                        "session_key": session_key if not user else "",
                    },
                )
                page_cache.invalidate(f"page:{article.pk}")
                return feedback
        except IntegrityError:
            continue
    raise IntegrityError("Could not record feedback.")


def article_feedback_missing_note(*, feedback: ArticleFeedback, text: str) -> None:
    """Store what a reader who answered "No" says was missing (staff read it).

    The text was validated by `ArticleMissingForm` (length, no lone surrogates);
    only a "No" answer carries a note.
    """
    if feedback.helpful:
        raise ValueError("Only a 'No' answer says what was missing.")
    feedback.missing = text.strip()[:MISSING_MAX]
    feedback.save(update_fields=["missing", "updated_at"])
    page_cache.invalidate(f"page:{feedback.article_id}")


def api_token_create(*, user, name: str) -> tuple[APIToken, str]:
    """Create an API token for `user`; return it with the key, which is shown only once."""
    return APIToken.create_token(user=user, name=name.strip())


def api_token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; return False if they have no such live token."""
    token = APIToken.objects.filter(
        user=user, pk=token_id, revoked_at__isnull=True
    ).first()
    if token is None:
        return False
    token.revoke()
    return True
