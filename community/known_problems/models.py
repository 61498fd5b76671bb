"""A question's public known-problem status and the history of its changes.

Imported by `community.models`, so these are models of the `community` app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KnownProblemStatus(models.TextChoices):
    INVESTIGATING = "investigating", _("Investigating")
    PLANNED = "planned", _("Planned")
    FIXED = "fixed", _("Fixed")
    WONT_FIX = "wont_fix", _("Won't fix")


class KnownProblem(models.Model):
    """The current public status of one question; one row per question."""

    question = models.OneToOneField(
        "community.Question", on_delete=models.CASCADE, related_name="known_problem"
    )
    status = models.CharField(max_length=20, choices=KnownProblemStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    fixed_in = models.CharField(max_length=100, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-changed_at"], name="knownproblem_recent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=KnownProblemStatus.values),
                name="knownproblem_status_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()}: question {self.question_id}"


class KnownProblemChange(models.Model):
    """One status change, shown publicly in the question's status history."""

    known_problem = models.ForeignKey(
        KnownProblem, on_delete=models.CASCADE, related_name="changes"
    )
    status = models.CharField(max_length=20, choices=KnownProblemStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    fixed_in = models.CharField(max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.status} on {self.known_problem_id}"
