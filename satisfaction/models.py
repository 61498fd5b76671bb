"""Support interactions, their one survey invitation and answer, and the meter's ledger.

The meter must be honest by construction, so the rules live in the database:
one invitation per interaction and one answer per interaction (one-to-one
keys), answers that are never updated (a trigger refuses it, see migrations),
exclusions kept apart from the answers they exclude, and per-day tallies that
make the public figures cost the same at ten answers as at a million.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    COMMUNITY_STAFF_ANSWER = "community_staff_answer", "Community answer by staff"
    COMMUNITY_ACCEPTED_ANSWER = "community_accepted_answer", "Accepted community answer"
    REVIEW_STAFF_REPLY = "review_staff_reply", "Staff reply to a review"
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"
    HELPDESK = "helpdesk", "Outside helpdesk"
    CONTACT_FORM = "contact_form", "Contact form"
    CALLBACK = "callback", "Callback"


class NotSurveyed(models.TextChoices):
    """Published reasons an interaction gets no survey; they look only at who took part."""

    CUSTOMER_IS_STAFF = "customer_is_staff", "The customer is a staff member (staff cannot answer surveys)"
    CUSTOMER_HANDLED_IT = "customer_handled_it", "The customer handled the interaction themselves"


class ExclusionRule(models.TextChoices):
    """The only reasons an answer may leave the public figures; none looks at the answer."""

    TEST = "test_interaction", "Test interaction: staff recorded it to try the system"
    SPAM = "spam", "Spam or abuse: the interaction did not come from a real customer"
    NOT_SUPPORT = "not_support", "Not a support interaction: recorded by mistake (wrong customer or ticket)"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONTACTED = "contacted", "Contacted"
    RESOLVED = "resolved", "Resolved"
    # Closed when the customer deleted their account: nobody is left to reach out to.
    CUSTOMER_LEFT = "customer_left", "Closed: customer left"


class Interaction(models.Model):
    """One support contact: who was helped, about what, by whom, through which channel.

    `source` and `source_ref` name the record elsewhere (a community answer, a
    review, an outside ticket); the pair is unique so recording twice is harmless.
    A customer or an email is required when recording (the service checks it);
    deleting the account later keeps the interaction, anonymous.
    """

    channel = models.CharField(max_length=32, choices=Channel.choices)
    source = models.CharField(max_length=64)
    source_ref = models.CharField(max_length=200)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_interactions",
    )
    customer_email = models.EmailField(blank=True)
    product = models.ForeignKey(
        "portal.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_interactions",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_interactions",
    )
    occurred_at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)
    not_surveyed = models.CharField(max_length=32, choices=NotSurveyed.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="satisfaction_interaction_source_ref_unique"),
        ]
        indexes = [models.Index(fields=["product", "customer"], name="sat_interaction_prod_cust")]
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.source}:{self.source_ref}"

    def get_absolute_url(self):
        return reverse("satisfaction:interaction_survey", args=[self.pk])


class SurveyInvitation(models.Model):
    """The one invitation to answer "Are you satisfied?" about an interaction.

    The emailed link carries a signature over (pk, nonce); nothing secret is
    stored, and the expiry is this row's, so a link rebuilt for the account
    page expires on the same day as the emailed one.
    """

    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="invitation")
    email = models.EmailField(blank=True)
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(default=timezone.now)
    day = models.DateField(help_text=_("The day the invitation was sent (UTC); response rates count by it."))
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="sat_invitation_day")]

    def __str__(self):
        return f"Survey invitation for interaction {self.interaction_id}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class SurveyResponse(models.Model):
    """One customer's yes/no answer about one interaction: append-only.

    Channel, product and the invitation day are copied here when the answer is
    given, so the published raw data (and its daily hash chain) never changes
    when a product page is renamed or deleted later.
    """

    interaction = models.OneToOneField(Interaction, on_delete=models.PROTECT, related_name="response")
    public_id = models.CharField(max_length=32, unique=True)
    satisfied = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)
    day = models.DateField()
    channel = models.CharField(max_length=32, choices=Channel.choices)
    product_pk = models.PositiveBigIntegerField(null=True, blank=True)
    invited_day = models.DateField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The survey promises the answer is counted "without your name": only with
    # this consent, asked on the survey page (default no), may the customer's own
    # reviews say whether they were satisfied. Without it they say only
    # "contacted support". Answers given before the question existed count as no.
    show_on_reviews = models.BooleanField(
        default=False,
        db_default=False,  # raw bulk seeds (tests, bench) leave it out
        help_text=_("The customer agreed that their own reviews may show this answer."),
    )

    class Meta:
        indexes = [
            models.Index(fields=["answered_at", "id"], name="sat_response_answered"),
            models.Index(fields=["day"], name="sat_response_day"),
        ]

    def __str__(self):
        return f"{'Yes' if self.satisfied else 'No'} · {self.public_id}"


class Exclusion(models.Model):
    """Why one answer no longer counts; one published rule, a reason, who and when."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.PROTECT, related_name="exclusion")
    rule = models.CharField(max_length=32, choices=ExclusionRule.choices)
    reason = models.TextField(max_length=1000)
    excluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    excluded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="satisfaction_exclusion_has_reason")]

    def __str__(self):
        return f"{self.get_rule_display()} · {self.response.public_id}"


class FollowUp(models.Model):
    """A "No" answer waiting for staff to reach out: open, contacted, resolved."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.PROTECT, related_name="follow_up")
    status = models.CharField(max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="sat_followup_status")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"Follow-up {self.get_status_display()} · {self.response.public_id}"


class DailyTally(models.Model):
    """Counted answers per day × product × channel × yes/no; the meter reads only these.

    `product_pk` is 0 for "no product" so that the unique key works the same on
    every database (NULLs are distinct in unique indexes).
    """

    day = models.DateField()
    product_pk = models.PositiveBigIntegerField(default=0)
    channel = models.CharField(max_length=32, choices=Channel.choices)
    satisfied = models.BooleanField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "product_pk", "channel", "satisfied"], name="satisfaction_dailytally_key"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.product_pk} {self.channel} {'yes' if self.satisfied else 'no'}: {self.count}"


class InvitationTally(models.Model):
    """Invitations sent per day and how many of them were answered: the response rate."""

    day = models.DateField(unique=True)
    sent = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.answered}/{self.sent}"


class DayDigest(models.Model):
    """SHA-256 of one closed day's answers, chained to the previous day's digest."""

    day = models.DateField(unique=True)
    answers = models.PositiveIntegerField()
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.digest}"


# Contact and callback requests live in their own module family (same app label).
from .contact.models import (  # noqa: E402, F401
    CallbackHours,
    CallbackSlot,
    ContactHoliday,
    ContactMessage,
    ContactRequest,
)
