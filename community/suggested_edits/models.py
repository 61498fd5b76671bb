"""A member's proposed change to someone else's question or answer, waiting for review.

Imported at the bottom of `community.models`, so this is a community model.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuggestedEdit(models.Model):
    """One suggestion: the new title/body/tags, why, and how the review went.

    One pending suggestion per post per member, held by the database.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggested_edits"
    )
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="suggested_edits"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="suggested_edits"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=200)
    # The post's latest revision number when the suggestion was made.
    base_revision = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="suggestededit_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False, answer__isnull=True) | Q(question__isnull=True, answer__isnull=False)),
                name="suggestededit_one_target",
            ),
            models.UniqueConstraint(
                fields=["author", "question"],
                condition=Q(status="pending", question__isnull=False),
                name="suggestededit_one_pending_question",
            ),
            models.UniqueConstraint(
                fields=["author", "answer"],
                condition=Q(status="pending", answer__isnull=False),
                name="suggestededit_one_pending_answer",
            ),
        ]

    def __str__(self):
        return f"Suggested edit {self.pk} ({self.status})"

    @property
    def post(self):
        return self.answer if self.answer_id else self.question

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
