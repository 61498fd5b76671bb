"""Portal receivers; register() is called from PortalConfig.ready()."""

from django.db.models.signals import post_migrate


def _ensure_staff_group(sender, **kwargs):
    # post_migrate is sent once per app; permissions exist only after the last one.
    from django.apps import apps

    if sender is not list(apps.get_app_configs())[-1]:
        return
    from .roles import staff_group_ensure

    staff_group_ensure()


def register():
    post_migrate.connect(_ensure_staff_group, dispatch_uid="portal_staff_group")
