"""Background work for reviews (django-tasks), enqueued after commit by reviews.services."""

from django_tasks import task


@task()
def review_trend_check_task(*, product_id: int) -> bool:
    """Re-run the trend test for one product after a review changed; True if an alert is open."""
    from .services import trend_check

    return trend_check(product_id=product_id) is not None
