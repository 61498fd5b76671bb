"""Writes about one customer: visits, staff notes, "download my data", "delete my account".

Every app contributes to the data export and to the deletion through hooks, so
`portal` still imports no domain app:

- `@hooks.register("candor_account_exporters")` → `fn(user) -> dict` of named lists
  of plain rows (everything the app stores about `user`);
- `@hooks.register("candor_account_erasers")` → `fn(*, user, remove_posts: bool)`:
  anonymise what the app stores about `user`, keeping every count, ledger and
  public figure as it was; runs inside the deletion's transaction.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from . import cache as page_cache
from . import ratelimit
from .emails import email_send_on_commit
from .markdown import render_markdown
from .models import CustomerNote, DataExport, Profile, SupportVisit
from .permissions import is_staff_member

EXPORT_SALT = "portal.data-export"
FORMER_MEMBER = "A former member"
NOTE_MAX = 2000


def support_visit_mark(*, user):
    """Record that `user` opened "My support" now; return their previous visit (or None)."""
    now = timezone.now()
    visit, created = SupportVisit.objects.get_or_create(
        user=user, defaults={"seen_at": now}
    )
    if created:
        return None
    previous = visit.seen_at
    SupportVisit.objects.filter(pk=visit.pk).update(seen_at=now)
    return previous


def customer_note_add(*, customer, author, body: str) -> CustomerNote:
    """Keep a private note about `customer`; only staff write (and read) them."""
    if not is_staff_member(author):
        raise PermissionDenied(_("Only staff keep notes about customers."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    note = CustomerNote(
        customer=customer, author=author, body=body, body_html=render_markdown(body)
    )
    note.full_clean()
    note.save()
    return note


# ---------------------------------------------------------------- download my data


def export_link_days() -> int:
    return settings.CANDOR_DATA_EXPORT_LINK_DAYS


def data_export_request(*, user) -> DataExport:
    """Queue the building of `user`'s data file; an email with the link follows.

    A background task builds it (it may be large); the link is signed and
    expires after `CANDOR_DATA_EXPORT_LINK_DAYS`.
    """
    from .tasks_customer import data_export_build_task

    if not user.is_authenticated:
        raise PermissionDenied
    # Each export reads everything about the member: a few a day are plenty.
    ratelimit.daily_cap(
        DataExport.objects.filter(user=user),
        settings.CANDOR_DATA_EXPORTS_PER_DAY,
        action="data_export",
        field="requested_at",
    )
    # Copies whose links have expired are of no use to anyone: drop them.
    DataExport.objects.filter(
        user=user, requested_at__lt=timezone.now() - timedelta(days=export_link_days())
    ).delete()
    export = DataExport.objects.create(user=user)
    transaction.on_commit(lambda: data_export_build_task.enqueue(export_id=export.pk))
    return export


def data_export_payload(*, user) -> dict:
    """Everything stored about `user`, as plain JSON-ready data, every app included."""
    profile = Profile.objects.filter(user=user).first()
    data = {
        "format": "candor-data-export/1",
        "generated_at": timezone.now(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "avatar_url": profile.avatar.url if profile.avatar else "",
            "reputation": profile.reputation,
            "created_at": profile.created_at,
        }
        if profile
        else {},
        "api_tokens": list(
            user.api_tokens.values("name", "prefix", "created", "revoked_at")
        )
        if hasattr(user, "api_tokens")
        else [],
        "support_visits": list(
            SupportVisit.objects.filter(user=user).values("seen_at")
        ),
    }
    for fn in hooks.get_hooks("candor_account_exporters"):
        data.update(fn(user) or {})
    return data


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build one requested export and email its link to the member."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.ready_at is not None:
        return export
    export.payload = data_export_payload(user=export.user)
    export.ready_at = timezone.now()
    export.save(update_fields=["payload", "ready_at"])
    token = data_export_token(export)
    email_send_on_commit(
        to=[export.user.email],
        subject=_("Your data is ready to download"),
        template="portal/email/data_export_ready.txt",
        context={
            "url": reverse("portal:data_export_download", kwargs={"token": token}),
            "page_url": reverse("portal:data_export_page", kwargs={"token": token}),
            "days": export_link_days(),
        },
    )
    return export


def data_export_token(export: DataExport) -> str:
    return signing.dumps(
        {"e": export.pk, "u": export.user_id, "n": secrets.token_hex(4)},
        salt=EXPORT_SALT,
    )


def data_export_from_token(*, token: str, user) -> DataExport:
    """The export a signed link names, if it is the viewer's, ready and not expired (else 404)."""
    try:
        value = signing.loads(
            token, salt=EXPORT_SALT, max_age=timedelta(days=export_link_days())
        )
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(value, dict) or value.get("u") != getattr(user, "pk", None):
        raise Http404
    export = DataExport.objects.filter(
        pk=value.get("e"), user=user, ready_at__isnull=False
    ).first()
    if export is None:
        raise Http404
    return export


# ---------------------------------------------------------------- delete my account


@transaction.atomic
def account_delete(*, user, password: str, remove_posts: bool = False) -> None:
    """Anonymise `user` after they re-enter their password.

    Name, email, avatar and bio go; posts and reviews stay as by "a former
    member" (or lose their words if `remove_posts`, keeping every count);
    private survey comments go, while survey answers stay as anonymous yes/no
    so the public meter and its raw data do not move. Reputation ledgers, vote
    counts and rating summaries are not touched. Staff accounts are refused:
    staff leave through the admin.
    """
    if not user.is_authenticated or not user.check_password(password or ""):
        raise ValidationError({"password": _("This is not your password.")})
    if is_staff_member(user):
        raise PermissionDenied(_("Staff accounts are closed by an administrator."))
    for fn in hooks.get_hooks("candor_account_erasers"):
        fn(user=user, remove_posts=remove_posts)
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        old_avatar = profile.avatar.name if profile.avatar else ""
        profile.display_name = FORMER_MEMBER
        profile.bio = ""
        profile.bio_html = ""
        profile.avatar = ""
        profile.save(update_fields=["display_name", "bio", "bio_html", "avatar"])
        if old_avatar:
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_avatar))
    if hasattr(user, "api_tokens"):
        user.api_tokens.all().delete()
    CustomerNote.objects.filter(customer=user).delete()
    DataExport.objects.filter(user=user).delete()
    SupportVisit.objects.filter(user=user).delete()
    User = get_user_model()
    user.username = f"former-member-{user.pk}-{secrets.token_hex(3)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()  # also ends every session: they carry the old hash
    User.objects.filter(pk=user.pk).update(
        username=user.username,
        email="",
        first_name="",
        last_name="",
        is_active=False,
        password=user.password,
    )
    page_cache.invalidate(page_cache.SITE)
