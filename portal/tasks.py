"""Background work for the portal: outgoing email, retried until the server takes it.

The write that asked for an email has committed before the task runs
(portal.emails queues it on commit), so a failing mail server never loses or
blocks the write. What happens to the email:

* With the database task backend (production: ``DJANGO_TASKS_BACKEND=database``
  and ``manage.py db_worker``), a failed send is enqueued again to run later,
  with exponential backoff: after 1, 2, 4 … minutes, capped at an hour, for
  ``CANDOR_EMAIL_MAX_ATTEMPTS`` attempts (12 by default: about six hours). django-tasks-db itself
  never retries a failed task; this task re-enqueues itself, so each attempt
  is a row in the task table the admin can see. A worker that dies mid-send
  leaves the row running and the email is not sent twice by us.
* With the immediate backend (development, tests), there is nowhere to wait:
  it tries a few times in-process with a short pause, then logs an error.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

IN_PROCESS_ATTEMPTS = 3


def retry_delay(attempt: int) -> timedelta:
    """Wait before attempt `attempt + 1`: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))


@task()
def email_send_task(
    *,
    to: list[str],
    subject: str,
    body: str,
    attempt: int = 1,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one plain-text email; on failure, try again later (see the module docstring)."""
    if not email_send_task.get_backend().supports_defer:
        return _send_in_process(to, subject, body, headers)
    try:
        return _send(to, subject, body, headers)
    except OSError:  # smtplib.SMTPException and socket errors are OSErrors
        if attempt >= settings.CANDOR_EMAIL_MAX_ATTEMPTS:
            logger.error(
                "Giving up on %r to %s after %d attempts.",
                subject,
                to,
                attempt,
                exc_info=True,
            )
            raise
        run_after = timezone.now() + retry_delay(attempt)
        email_send_task.using(run_after=run_after).enqueue(
            to=to,
            subject=subject,
            body=body,
            attempt=attempt + 1,
            **({"headers": headers} if headers else {}),
        )
        logger.warning(
            "Sending %r failed (attempt %d); trying again at %s.",
            subject,
            attempt,
            run_after.isoformat(),
            exc_info=True,
        )
        raise


def _send(to, subject, body, headers=None) -> int:
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers or None
    )
    return message.send()


def _send_in_process(to, subject, body, headers=None) -> int:
    for attempt in range(1, IN_PROCESS_ATTEMPTS + 1):
        try:
            return _send(to, subject, body, headers)
        except OSError:
            logger.warning(
                "Sending %r failed (attempt %d).", subject, attempt, exc_info=True
            )
            if attempt == IN_PROCESS_ATTEMPTS:
                logger.error("Giving up on %r to %s.", subject, to)
                return 0
            time.sleep(0.2 * attempt)
    return 0
