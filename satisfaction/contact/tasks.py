"""Background follow-through: the same work as `satisfaction_contact_follow_through`.

Booking a callback enqueues this for its reminder time, and every request for
its promised time (to flag it if nobody answered), when the task backend can
run work later (the database backend); the command covers the rest.
"""

from django_tasks import task


@task()
def contact_follow_through_task():
    from .services import contact_follow_through

    contact_follow_through()
