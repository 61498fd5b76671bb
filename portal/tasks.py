"""Background work for the portal: outgoing email."""

import logging
import time

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 3


@task()
def email_send_task(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text email, retrying a failing mail server a few times."""
    for attempt in range(1, EMAIL_ATTEMPTS + 1):
        try:
            return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:
            logger.warning(
                "Sending %r failed (attempt %d).", subject, attempt, exc_info=True
            )
            if attempt == EMAIL_ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)
    return 0
