"""The one rule for known-problem status: `known_problem_set_status`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.caching import content_changed
from community.models import MeToo, Notification, Question
from community.services import _followers_of, _notify

from .models import KnownProblem, KnownProblemChange, KnownProblemStatus

NOTE_MAX = 500
FIXED_IN_MAX = 100


def can_set_status(user, question) -> bool:
    """Staff set the public status of a visible question."""
    return permissions.can_mark_official(user, question)


def _clean(text: str, *, field: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ValidationError({field: _("Contains characters that cannot be stored.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(limit)d characters.") % {"limit": limit}}
        )
    return text


@transaction.atomic
def known_problem_set_status(
    staff_user, question: Question, status: str, note: str = "", fixed_in: str = ""
) -> KnownProblem:
    """Staff give `question` a public status; the change joins its history and
    everyone who said "me too" or follows the question is told (in-site, and by
    email or digest as each member chose)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not can_set_status(staff_user, question):
        raise PermissionDenied(_("Only staff can set a known-problem status."))
    if status not in KnownProblemStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    note = _clean(note, field="note", limit=NOTE_MAX)
    fixed_in = _clean(fixed_in, field="fixed_in", limit=FIXED_IN_MAX)
    if status != KnownProblemStatus.FIXED:
        fixed_in = ""
    now = timezone.now()
    problem, _created = KnownProblem.objects.update_or_create(
        question=question,
        defaults={
            "status": status,
            "note": note,
            "fixed_in": fixed_in,
            "changed_at": now,
        },
    )
    KnownProblemChange.objects.create(
        known_problem=problem,
        status=status,
        note=note,
        fixed_in=fixed_in,
        author=staff_user,
        created_at=now,
    )
    content_changed()
    recipients = _followers_of(question) | set(
        MeToo.objects.filter(question=question).values_list("user_id", flat=True)
    )
    recipients.add(question.author_id)
    recipients.discard(staff_user.pk)
    _notify(
        recipients=recipients,
        kind=Notification.Kind.KNOWN_PROBLEM,
        actor=staff_user,
        question=question,
    )
    return problem
