"""Background work for the community: the daily notification digest."""

from django_tasks import task

from . import services


@task()
def notification_digests_send_task() -> int:
    """Send every daily-digest member their digest; schedule it (cron, a worker) daily."""
    return services.notification_digests_send()
