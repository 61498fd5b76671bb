"""What the company keeps about a customer beyond their profile: visits, staff notes, exports."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class SupportVisit(models.Model):
    """When the customer last opened "My support": newer answers and replies are "new"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_visit"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id} saw their support page at {self.seen_at:%Y-%m-%d %H:%M}"


class CustomerNote(models.Model):
    """A private note staff keep about a customer; customers never see it."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(max_length=2000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="customer_note_idx")
        ]

    def __str__(self):
        return f"Note about {self.customer_id}"


class DataExport(models.Model):
    """One "download my data" file, built by a background task, reachable by a signed link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField(
        null=True, blank=True, editable=False, encoder=DjangoJSONEncoder
    )

    class Meta:
        indexes = [
            models.Index(fields=["user", "-requested_at"], name="data_export_user_idx")
        ]

    def __str__(self):
        return f"Data export {self.pk} for {self.user_id}"
