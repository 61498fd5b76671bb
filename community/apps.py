from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Peer Q&A: questions, answers, votes, follows, flags and notifications."""

    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import badge_signing, signal_handlers, signal_handlers_reputation

        checks.register(badge_signing.check_signing_key)

        signal_handlers.register()
        signal_handlers_reputation.register()
