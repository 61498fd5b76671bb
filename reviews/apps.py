from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Product reviews: ratings, helpful votes, photos, staff replies, moderation."""

    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
