"""Contact requests, their thread, callback slots and the availability staff publish.

Rules that must hold under concurrency live in the database or in one
conditional UPDATE: a slot's bookings never pass its capacity
(`CallbackSlot.booked`, bumped only with `booked < capacity` in the WHERE
clause, and a CHECK as a backstop), and only one staff member claims a request
(an UPDATE ... WHERE claimed_by IS NULL). Times are stored in UTC; the customer's
time zone is kept only to show them their own times.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CallbackHours(models.Model):
    """One weekly window when staff call customers back, in the company's time zone.

    The window is cut into slots of `CANDOR_CONTACT_SLOT_MINUTES`; each slot
    takes at most `capacity` callbacks. Staff edit these as snippets.
    """

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(help_text=_("Local time in the company's time zone."))
    closes = models.TimeField(help_text=_("Local time; the last slot ends here."))
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text=_("Callbacks staff can make in each slot.")
    )

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("callback hours")
        verbose_name_plural = _("callback hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="contact_hours_closes_after_opens",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M} ×{self.capacity}"


class ContactHoliday(models.Model):
    """A day (in the company's time zone) with no callbacks at all."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"


class CallbackSlot(models.Model):
    """A bookable start time (UTC) and how many callbacks it holds already.

    Rows are made on the first booking; `booked` moves only through the
    service's conditional UPDATE, so concurrent bookings cannot pass capacity.
    """

    starts_at = models.DateTimeField(unique=True)
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")),
                name="contact_slot_within_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC {self.booked}/{self.capacity}"


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("Reply by email")
    CALLBACK = "callback", _("Call me back")


class ContactStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the email address to be confirmed")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ContactRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ContactStatus.OPEN)

    def overdue(self, now=None):
        """Open and past the promised time with nothing done yet (no reply, no call)."""
        now = now or timezone.now()
        return self.open().filter(promised_at__lt=now, first_response_at__isnull=True)


class ContactRequest(models.Model):
    """A customer asking for a person: what they need, where they came from, how to reach them.

    `promised_at` is what we told the customer: the callback's slot, or the
    latest time of the first email reply. The queue is sorted by it.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    email = models.EmailField()
    name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=16, choices=ContactChannel.choices)
    message = models.TextField(max_length=4000)
    message_html = models.TextField(blank=True)
    context_url = models.CharField(max_length=500, blank=True)
    context_title = models.CharField(max_length=200, blank=True)
    product = models.ForeignKey(
        "portal.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    slot = models.ForeignKey(
        CallbackSlot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    promised_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ContactStatus.choices)
    nonce = models.CharField(max_length=32)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_contact_requests",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # Seconds from confirmation to the first reply or call: the public median reads it.
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_on_time = models.BooleanField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(max_length=300, blank=True)
    interaction = models.OneToOneField(
        "satisfaction.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_request",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["promised_at", "pk"]
        indexes = [
            models.Index(fields=["status", "promised_at"], name="contact_queue"),
            models.Index(
                fields=["channel", "first_response_seconds"],
                name="contact_first_response",
            ),
            models.Index(fields=["customer", "created_at"], name="contact_customer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="callback") | Q(slot__isnull=False),
                name="contact_callback_has_slot",
            ),
        ]

    def __str__(self):
        return f"Contact request {self.pk} ({self.get_channel_display()})"

    def get_absolute_url(self):
        return reverse("satisfaction:contact_request", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ContactStatus.OPEN
            and self.first_response_at is None
            and self.promised_at < timezone.now()
        )


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    REPLY = "reply", _("Staff reply")
    CALL = "call", _("Call outcome")
    MOVED = "moved", _("Callback moved")
    CLOSED = "closed", _("Closed")


class ContactMessage(models.Model):
    """One step of a request's thread: the customer's words, a reply, a call outcome, a move."""

    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(max_length=4000, blank=True)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on request {self.request_id}"
