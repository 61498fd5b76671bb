"""Portal receivers; register() is called from PortalConfig.ready()."""

from django.db.models.signals import post_migrate


def _ensure_staff_group(sender, **kwargs):
    # post_migrate is sent once per app; permissions exist only after the last one.
    from django.apps import apps

    # Only apps with a models module get the signal, so wait for the last of those.
    if (
        sender
        is not [
            config
            for config in apps.get_app_configs()
            if config.models_module is not None
        ][-1]
    ):
        return
    from .roles import staff_group_ensure

    staff_group_ensure()


def register():
    post_migrate.connect(_ensure_staff_group, dispatch_uid="portal_staff_group")
