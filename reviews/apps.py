from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Product reviews: ratings, helpful votes, photos, staff replies, moderation, trends."""

    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
