from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Peer Q&A: questions, answers, votes, follows, flags and notifications."""

    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers, signal_handlers_reputation

        signal_handlers.register()
        signal_handlers_reputation.register()
