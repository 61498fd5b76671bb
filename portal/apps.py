from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site shell: settings, pages, accounts, search, markdown and the API root."""

    name = "portal"
    verbose_name = "Candor portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import csrf, signal_handlers, text_guard

        signal_handlers.register()
        csrf.install()
        text_guard.install()
