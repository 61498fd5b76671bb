"""Background work for badges: award what one member's latest action earned them."""

from django_tasks import task

from . import badges


@task()
def badges_evaluate_user_task(user_id: int, trigger: str = "all") -> list[str]:
    """Check one member's badges after an event committed; `badgify_sync awards` is the backstop."""
    return badges.badges_evaluate_user(user_id=user_id, trigger=trigger)
