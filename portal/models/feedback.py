"""Answers to "Was this article helpful?"."""

from django.conf import settings
from django.db import models
from django.db.models import Q

MISSING_MAX = 500


class ArticleFeedback(models.Model):
    """One answer per signed-in reader, or per anonymous session, per article.

    The partial unique constraints make the rule hold in the database, whatever
    path the write takes.
    """

    article = models.ForeignKey(
        "portal.ArticlePage", on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    # After a "No", the reader may say what was missing (optional; staff read it
    # in the "Least helpful articles" report).
    missing = models.TextField(max_length=MISSING_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(user__isnull=False),
                name="feedback_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=Q(user__isnull=True),
                name="feedback_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""),
                name="feedback_has_reader",
            ),
        ]

    def __str__(self):
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"
