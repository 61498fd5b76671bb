"""Badges: the base recipe, badge pictures, and the one service that grants awards.

django-badgify gives the catalogue (`Badge`), the awards (`Award`, unique per
member and badge), the recipe registry and `manage.py badgify_sync`. Candor's
recipes subclass `CandorRecipe`, which changes two things in badgify's base:

- Awards are inserted with INSERT ... ON CONFLICT DO NOTHING RETURNING, so the
  event-time task and a `badgify_sync awards` running at the same moment can
  never award a badge twice, and exactly the rows really inserted are counted
  and announced. (badgify's own path logs and drops a whole batch on a
  conflict, and sends post_save for rows it did not create.)
- Awards are never taken away by the sync. badgify 0.6 deletes *every* award
  of a member who no longer meets one recipe (`Award.objects.filter(user__in=...)`
  has no badge filter); badges here record an achievement at a date, as on
  Stack Exchange. Staff withdraw an award by hand (`badge_award_withdraw`,
  Wagtail admin → Community → Badge awards), with a logged reason; the
  withdrawal row then keeps the recipes from giving it back.
"""

from __future__ import annotations

from badgify.models import Award, Badge
from badgify.recipe import BaseRecipe
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .medals import medal_svg
from .models import (
    AwardNotice,
    AwardWithdrawal,
    BadgeInfo,
    ModerationDecision,
    NotificationPreference,
)

TIERS = ("bronze", "silver", "gold")
INSERT_CHUNK = 500


class CandorRecipe(BaseRecipe):
    """A badge: name, tier, family, criteria, picture, and who has earned it.

    Subclasses set the class attributes and implement `eligible(user_ids)`:
    the ids of members who meet the criteria today (among `user_ids` when given,
    which is how the event-time task checks one member cheaply).
    """

    name: str = ""
    slug: str = ""
    description: str = ""
    criteria: str = ""
    tier: str = "bronze"
    family: str = ""
    glyph: str = "★"
    sort_order: int = 0
    product_id: int | None = None
    tag_id: int | None = None

    def eligible(self, user_ids=None):  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def user_ids(self):
        return self.eligible()

    @property
    def image(self) -> str:
        return f"badges/{self.slug}.svg"

    def evidence(self, user, *, before=None) -> list:
        """Posts that show why `user` earned this badge (best first), for the verification page."""
        return []

    # ---- badgify's hooks, made safe (see the module docstring)

    def create_badge(self, update=False):
        badge, created = badge_ensure(self)
        return badge, created

    def create_awards(self, db_read=None, batch_size=None, post_save_signal=True):
        # The full sync also keeps the catalogue complete (new products and tags included).
        badge_ensure(self)
        return badge_awards_grant(recipe=self, notify=post_save_signal)


def badge_ensure(recipe: CandorRecipe) -> tuple[Badge, bool]:
    """Create or update `recipe`'s badge, its info row and its picture; return (badge, created).

    Names and criteria follow the recipe (a renamed product renames its expert
    badges); the picture is drawn once and kept in media storage. Two
    processes creating one badge at once settle it on the unique slug.
    """
    try:
        with transaction.atomic():
            return _badge_write(recipe)
    except IntegrityError:
        with transaction.atomic():
            return _badge_write(recipe)


def _badge_write(recipe: CandorRecipe) -> tuple[Badge, bool]:
    badge = Badge.objects.filter(slug=recipe.slug).first()
    created = badge is None
    if created:
        badge = Badge(slug=recipe.slug, name=recipe.name, description=recipe.description)
    changed = created or badge.name != recipe.name or badge.description != recipe.description
    badge.name, badge.description = recipe.name, recipe.description
    if not badge.image or badge.image.name != recipe.image or not default_storage.exists(recipe.image):
        if not default_storage.exists(recipe.image):
            picture = medal_svg(tier=recipe.tier, glyph=recipe.glyph, title=recipe.name)
            default_storage.save(recipe.image, ContentFile(picture.encode()))
        badge.image.name = recipe.image
        changed = True
    if changed:
        badge.save()
        from .caching import content_changed

        content_changed()  # the catalogue and badge pages show it
    BadgeInfo.objects.update_or_create(
        badge=badge,
        defaults={
            "tier": recipe.tier,
            "family": recipe.family,
            "product_id": recipe.product_id,
            "tag_id": recipe.tag_id,
            "criteria": recipe.criteria,
            "sort_order": recipe.sort_order,
        },
    )
    return badge, created


def _insert_awards(badge_id: int, user_ids: list[int]) -> list[tuple[int, int]]:
    """Insert awards, skipping any that exist; return (award id, user id) of rows really inserted.

    One statement per chunk on both SQLite (3.35+) and PostgreSQL; the unique
    (user, badge) index is the referee between concurrent runs.
    """
    qn = connection.ops.quote_name
    meta = Award._meta
    table = qn(meta.db_table)
    user_col = qn(meta.get_field("user").column)
    badge_col = qn(meta.get_field("badge").column)
    at_col = qn(meta.get_field("awarded_at").column)
    id_col = qn(meta.pk.column)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    inserted: list[tuple[int, int]] = []
    for start in range(0, len(user_ids), INSERT_CHUNK):
        chunk = user_ids[start : start + INSERT_CHUNK]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [value for uid in chunk for value in (uid, badge_id, now)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({user_col}, {badge_col}, {at_col}) VALUES {values} "
                f"ON CONFLICT ({user_col}, {badge_col}) DO NOTHING RETURNING {id_col}, {user_col}",
                params,
            )
            inserted.extend((row[0], row[1]) for row in cursor.fetchall())
    return inserted


def badge_awards_grant(*, recipe: CandorRecipe, user_ids=None, notify: bool = True) -> list[int]:
    """Award `recipe`'s badge to every member who meets it now (among `user_ids`); return their ids.

    Safe to run from any number of processes at once: a member already holding
    the badge is skipped, and a race is settled by the unique index. Each new
    award gets one notice (and an email after commit) when `notify` is true.
    """
    eligible = set(recipe.eligible(user_ids))
    if not eligible:
        return []
    badge = Badge.objects.filter(slug=recipe.slug).only("pk").first()
    if badge is None or not hasattr(badge, "info"):
        badge, _created = badge_ensure(recipe)
    have = set(
        Award.objects.filter(badge=badge, user_id__in=list(eligible)).values_list("user_id", flat=True)
    ) if len(eligible) <= 5000 else set(Award.objects.filter(badge=badge).values_list("user_id", flat=True))
    todo = eligible - have
    if not todo:
        return []
    with transaction.atomic():
        # The badge row is the lock a withdrawal takes too: a withdrawal that
        # committed while we waited is seen by the next statement, and one that
        # waits for us deletes what we insert.
        list(Badge.objects.select_for_update().filter(pk=badge.pk).values_list("pk", flat=True))
        withdrawn = AwardWithdrawal.objects.filter(badge_id=badge.pk)
        if len(todo) <= 5000:
            withdrawn = withdrawn.filter(user_id__in=list(todo))
        todo -= set(withdrawn.values_list("user_id", flat=True))
        inserted = _insert_awards(badge.pk, sorted(todo)) if todo else []
        if not inserted:
            return []
        Badge.objects.filter(pk=badge.pk).update(users_count=F("users_count") + len(inserted))
        if notify:
            _notify(badge, recipe, inserted)
        member_pages_changed([user_id for _award_id, user_id in inserted])
    return [user_id for _award_id, user_id in inserted]


def member_pages_changed(user_ids, *, frequent: bool = False) -> None:
    """A member's badges or reputation changed: expire the pages and fragments that show them.

    The public profile's reputation section is cached per member under a
    generation (see `profile_fragment_key`); pages in the page cache that show
    community content depend on the "community" scope, and the member's own
    cached pages on "user:<id>". All change after commit (and at once).
    """
    from portal import cache as page_cache

    from .caching import SCOPE

    ids = sorted({int(uid) for uid in user_ids if uid})
    if not ids:
        return
    profile_fragments_changed(ids)
    # A full sync can award thousands at once: their own pages then follow the
    # community scope (which every profile and member page declares) alone.
    own = [f"user:{uid}" for uid in ids] if len(ids) <= 100 else []
    if frequent:  # votes: the members' own pages at once, public pages within seconds
        page_cache.invalidate(*own)
        page_cache.invalidate_soon(SCOPE)
    else:
        page_cache.invalidate(SCOPE, *own)


PROFILE_GEN_KEY = "community:profile-gen:{}"


def profile_fragment_key(user_id: int) -> str | None:
    """The cache key of a member's profile reputation section, or None if it cannot be cached now.

    The key carries the member's generation (moved by every ledger write,
    award and withdrawal for them) and the "community" page-cache scope's
    token (moved by every public community change: edits, retags, hides), so
    a cached section is never older than the pages around it.
    """
    from django.core.cache import cache

    from portal.cache import scope_generation

    from .caching import SCOPE

    community = scope_generation(SCOPE)
    if community is None:
        return None
    gen = cache.get(PROFILE_GEN_KEY.format(user_id))
    if gen is None:
        cache.add(PROFILE_GEN_KEY.format(user_id), "0", timeout=None)
        gen = cache.get(PROFILE_GEN_KEY.format(user_id), "0")
    return f"community:profile-reputation:{user_id}:{gen}:{community}"


def profile_fragments_changed(user_ids) -> None:
    """Expire the members' profile fragments now and again after commit (like portal.cache.invalidate)."""
    ids = list(user_ids)
    if not ids:
        return
    profile_fragments_expire(ids)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: profile_fragments_expire(ids), robust=True)


def profile_fragments_expire(user_ids) -> None:
    """Move each member's profile fragment to a new generation (the old one is never read again)."""
    import secrets

    from django.core.cache import cache

    cache.set_many({PROFILE_GEN_KEY.format(uid): secrets.token_hex(6) for uid in user_ids}, timeout=None)


def _notify(badge: Badge, recipe: CandorRecipe, inserted: list[tuple[int, int]]) -> None:
    """One notice per new award (listed on the account page), and, when CANDOR_BADGE_EMAILS
    is on, an email to members who did not turn community email off."""
    from django.contrib.auth import get_user_model

    from portal.emails import email_send_on_commit

    AwardNotice.objects.bulk_create(
        [AwardNotice(award_id=award_id, user_id=user_id) for award_id, user_id in inserted]
    )
    if not settings.CANDOR_BADGE_EMAILS:
        return
    user_ids = [user_id for _award_id, user_id in inserted]
    silent = set(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, email_mode=NotificationPreference.EmailMode.NONE
        ).values_list("user_id", flat=True)
    )
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").only("pk", "email")
    title = badge_title(tier=recipe.tier, name=recipe.name)
    for award_id, user_id in inserted:
        user = next((u for u in users if u.pk == user_id), None)
        if user is None or user_id in silent:
            continue
        email_send_on_commit(
            to=[user.email],
            subject=_("You earned a badge: %(title)s") % {"title": title},
            template="community/email/badge_awarded.txt",
            context={"title": title, "criteria": recipe.criteria, "award_id": award_id, "slug": badge.slug},
        )


def badge_title(*, tier: str, name: str) -> str:
    """"Bronze: Expert in Router X": the tier first, as people say it."""
    return f"{dict(BadgeInfo.Tier.choices)[tier]}: {name}"


def badges_evaluate_user(*, user_id: int, trigger: str = "all", notify: bool = True) -> list[str]:
    """Check the recipes `trigger` could affect for one member and award what they now meet.

    Called by the task enqueued after each Q&A event commits; returns the
    slugs of the badges newly awarded. Badges already held are skipped
    without a query each.
    """
    from .badgify_recipes import recipes_for_user

    held = set(Award.objects.filter(user_id=user_id).values_list("badge__slug", flat=True))
    held |= set(AwardWithdrawal.objects.filter(user_id=user_id).values_list("badge__slug", flat=True))
    earned = []
    for recipe in recipes_for_user(user_id, trigger):
        if recipe.slug in held:
            continue
        if badge_awards_grant(recipe=recipe, user_ids=[user_id], notify=notify):
            earned.append(recipe.slug)
    return earned


def award_notices_mark_read(*, user, notice_ids=None) -> int:
    """Mark some (or all) of a member's badge notices read; returns how many changed."""
    rows = AwardNotice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=list(notice_ids))
    changed = rows.update(read_at=timezone.now())
    if notice_ids is None:
        changed += AwardWithdrawal.objects.filter(user=user, member_told=True, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return changed


# --------------------------------------------------------------------------- withdrawal (staff)


def badge_award_withdraw(*, award_id: int, by, reason: str, tell_member: bool = True) -> AwardWithdrawal:
    """Take a badge back from a member, for a logged reason; the recipes will not give it back.

    Staff with the moderation permission only. Deletes the award (its notice
    goes with it), records the withdrawal (the block the event task and
    `badgify_sync awards` respect) and the moderation log entry, lowers the
    badge's holder count, and tells the member (on their account page, and by
    email unless they turned community email off) when `tell_member`.
    Idempotent: withdrawing an award already withdrawn returns the earlier
    withdrawal and changes nothing. Raises PermissionDenied, ValidationError,
    or Award.DoesNotExist for an id that never existed.
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    from .permissions import can_withdraw_badge

    if not can_withdraw_badge(by):
        raise PermissionDenied(_("Only moderators can withdraw badges."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the badge is withdrawn; the member may be told.")})
    with transaction.atomic():
        earlier = AwardWithdrawal.objects.filter(award_id=award_id).first()
        if earlier is not None:
            return earlier
        award = Award.objects.select_related("badge").get(pk=award_id)
        # Same lock as badge_awards_grant: a concurrent grant either committed
        # (and is deleted here) or waits and then sees the withdrawal.
        list(Badge.objects.select_for_update().filter(pk=award.badge_id).values_list("pk", flat=True))
        award = Award.objects.select_related("badge__info").filter(pk=award_id).first()
        if award is None:  # withdrawn by someone else while we waited
            return AwardWithdrawal.objects.get(award_id=award_id)
        withdrawal = AwardWithdrawal(
            user_id=award.user_id,
            badge_id=award.badge_id,
            award_id=award.pk,
            awarded_at=award.awarded_at,
            withdrawn_by=by,
            reason=reason[:500],
            member_told=tell_member,
        )
        withdrawal.full_clean(validate_unique=False, validate_constraints=False)
        withdrawal.save()
        ModerationDecision.objects.create(
            moderator=by,
            action=ModerationDecision.Action.WITHDRAW_BADGE,
            reason=f"{badge_title_of(award.badge)}: {reason}"[:500],
            member_id=award.user_id,
        )
        award.delete()
        Badge.objects.filter(pk=award.badge_id, users_count__gt=0).update(users_count=F("users_count") - 1)
        if tell_member:
            _tell_withdrawn(withdrawal, award.badge)
        member_pages_changed([award.user_id])
    return withdrawal


def badge_withdrawal_lift(*, withdrawal_id: int, by, reason: str) -> None:
    """Allow a withdrawn badge again: the next check or sync awards it if the member still meets it."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from .permissions import can_withdraw_badge

    if not can_withdraw_badge(by):
        raise PermissionDenied(_("Only moderators can allow a withdrawn badge again."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the badge is allowed again.")})
    with transaction.atomic():
        withdrawal = (
            AwardWithdrawal.objects.select_for_update().select_related("badge").filter(pk=withdrawal_id).first()
        )
        if withdrawal is None:
            return
        ModerationDecision.objects.create(
            moderator=by,
            action=ModerationDecision.Action.ALLOW_BADGE,
            reason=f"{badge_title_of(withdrawal.badge)}: {reason}"[:500],
            member_id=withdrawal.user_id,
        )
        withdrawal.delete()
        member_pages_changed([withdrawal.user_id])


def badge_title_of(badge) -> str:
    info = getattr(badge, "info", None)
    return badge_title(tier=info.tier, name=badge.name) if info is not None else badge.name


def _tell_withdrawn(withdrawal: AwardWithdrawal, badge) -> None:
    """The account page lists unread withdrawals; an email goes unless the member chose no email."""
    from django.contrib.auth import get_user_model

    from portal.emails import email_send_on_commit

    if NotificationPreference.objects.filter(
        user_id=withdrawal.user_id, email_mode=NotificationPreference.EmailMode.NONE
    ).exists():
        return
    user = get_user_model().objects.filter(pk=withdrawal.user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    title = badge_title_of(badge)
    email_send_on_commit(
        to=[user.email],
        subject=_("A badge was withdrawn: %(title)s") % {"title": title},
        template="community/email/badge_withdrawn.txt",
        context={"title": title, "reason": withdrawal.reason},
    )
