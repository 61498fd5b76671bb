"""Demo accounts joined before they did anything.

Each app's demo loader dates its rows in the past (questions back to June,
reviews over years), but `user_sign_up` stamps `date_joined` with the moment
the demo ran: every demo member then counted as new (first-day limits) and
profiles said "Member since" this month. Run after every loader, this moves
each account's `date_joined` before its earliest dated row in any app, found
through the model registry (portal imports no domain app).
"""

import random
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Min


def _user_fields(model):
    user_label = settings.AUTH_USER_MODEL.lower()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            if field.related_model._meta.label_lower == user_label:
                yield field


def earliest_activity() -> dict[int, object]:
    """{user id: the earliest `created_at` of any row that points at the user}."""
    first: dict[int, object] = {}
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "created_at" not in names:
            continue
        for field in _user_fields(model):
            rows = (
                model._default_manager.filter(**{f"{field.attname}__isnull": False})
                .order_by()
                .values_list(field.attname)
                .annotate(first=Min("created_at"))
            )
            for user_id, moment in rows:
                if moment is not None and (
                    user_id not in first or moment < first[user_id]
                ):
                    first[user_id] = moment
    return first


def demo_accounts_date_before_activity(*, rng: random.Random) -> int:
    """Date every account that acted before it joined a few days to weeks earlier.

    Accounts already dated before their first activity are left alone, so a
    second run changes nothing. Returns how many were moved.
    """
    User = get_user_model()
    first = earliest_activity()
    moved = 0
    for user in User.objects.filter(pk__in=list(first)).only("pk", "date_joined"):
        if user.date_joined <= first[user.pk]:
            continue
        user.date_joined = first[user.pk] - timedelta(
            days=rng.randint(3, 90), minutes=rng.randint(0, 600)
        )
        user.save(update_fields=["date_joined"])
        moved += 1
    return moved
