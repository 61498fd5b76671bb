from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    """Support interactions, the yes/no survey and the public satisfaction meter."""

    name = "satisfaction"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .contact import signal_handlers

        signal_handlers.register()
