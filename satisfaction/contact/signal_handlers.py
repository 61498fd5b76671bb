"""Staff may publish callback hours and holidays (snippets); granted after migrate."""

from django.db.models.signals import post_migrate

STAFF_PERMISSIONS = [
    f"satisfaction.{action}_{model}"
    for model in ("callbackhours", "contactholiday")
    for action in ("add", "change", "delete", "view")
]


def _grant_staff_permissions(sender, **kwargs):
    from django.apps import apps

    # Permissions exist only once the last app with models has migrated.
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender is not last:
        return
    from portal.roles import staff_group_ensure

    staff_group_ensure(extra_permissions=STAFF_PERMISSIONS)


def register():
    post_migrate.connect(
        _grant_staff_permissions, dispatch_uid="satisfaction_contact_staff"
    )
