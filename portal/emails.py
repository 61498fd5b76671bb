"""Send email after the surrounding transaction commits, through a background task.

Nothing is mailed for a write that rolled back, and a slow or failing mail server
never slows or breaks the request: the task retries it (see portal.tasks).
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def email_send_on_commit(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
) -> None:
    """Render `template` (plain text) with `context` and queue it for `to` after commit.

    `headers` are extra message headers, for example RFC 8058 one-click unsubscribe
    (`List-Unsubscribe` with an absolute https URL and `List-Unsubscribe-Post`).
    """
    from .tasks import email_send_task

    recipients = [address for address in to if address]
    if not recipients:
        return
    body = render_to_string(
        template, {"site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    )
    subject = " ".join(subject.split())
    extra = {"headers": dict(headers)} if headers else {}
    transaction.on_commit(
        lambda: email_send_task.enqueue(
            to=recipients, subject=subject, body=body, **extra
        )
    )
