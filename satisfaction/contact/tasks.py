"""Background follow-through: the same work as `satisfaction_contact_follow_through`.

Confirming or moving a request schedules this task for the reminder time and
just after the promised time, when the task backend can run work later (the
database backend); the command, run every few minutes, covers the rest.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from .follow_through import contact_follow_through
from .models import ContactChannel, ContactRequest


@task()
def contact_follow_through_task():
    contact_follow_through()


def follow_through_schedule(contact: ContactRequest) -> None:
    """Run the follow-through at the reminder time and just after the promise, if the
    task backend can wait (the database backend); otherwise the command does it."""
    if not default_task_backend.supports_defer:
        return
    now = timezone.now()
    moments = [contact.promised_at + timedelta(minutes=1)]
    if contact.channel == ContactChannel.CALLBACK:
        moments.append(
            contact.promised_at
            - timedelta(minutes=settings.CANDOR_CONTACT_REMIND_MINUTES)
        )
    for moment in moments:
        if moment > now:
            transaction.on_commit(
                lambda moment=moment: contact_follow_through_task.using(
                    run_after=moment
                ).enqueue()
            )
