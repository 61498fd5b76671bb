from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Peer Q&A: questions, answers, votes, reputation and badges."""

    name = "community"
    default_auto_field = "django.db.models.BigAutoField"
