"""Reputation and badges: the points ledger, its running balance, badge metadata, notices.

Imported at the bottom of `community.models`, so these are community models
(app label "community") kept in their own module. Badges and awards themselves
are django-badgify's `Badge` and `Award`; `BadgeInfo` adds what badgify has no
field for (tier, family, topic, criteria) and `AwardNotice` tells the member.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReputationEvent(models.Model):
    """One line of the reputation ledger: who got how many points, why, for which post, when.

    Rows are only ever added. Undoing a vote or an acceptance adds a reversal
    row (`is_reversal`) that cancels what the original rows gave, so every
    total can be rebuilt (`manage.py community_reputation_rebuild`) and audited.
    A vote that arrived after the member's daily vote limit is kept with the
    points it actually gave (possibly 0) and a note saying so.
    """

    class Kind(models.TextChoices):
        QUESTION_UPVOTED = "question_upvoted", _("Question upvoted")
        ANSWER_UPVOTED = "answer_upvoted", _("Answer upvoted")
        POST_DOWNVOTED = "post_downvoted", _("Post downvoted")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        ACCEPTED_AN_ANSWER = "accepted_an_answer", _("Accepted an answer")
        ANSWER_CONFIRMED = "answer_confirmed", _("Answer confirmed by a customer")
        EDIT_ACCEPTED = "edit_accepted", _("Suggested edit approved")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_events"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    points = models.IntegerField()
    is_reversal = models.BooleanField(default=False)
    # Who caused it: the voter, the accepter, the customer who answered the survey.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Posts are hidden, not deleted; if one is deleted anyway the points stay on the ledger.
    question = models.ForeignKey(
        "community.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The satisfaction interaction of a survey-confirmed answer (a plain value: no import).
    interaction_id = models.BigIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="repevent_user_idx"),
            models.Index(fields=["user", "kind", "created_at"], name="repevent_user_kind_idx"),
            models.Index(fields=["question", "created_at"], name="repevent_question_idx"),
            models.Index(fields=["answer", "kind"], name="repevent_answer_idx"),
            models.Index(fields=["created_at"], name="repevent_created_idx"),
        ]
        constraints = [
            # A survey answer confirms an answer once, whichever process hears it first.
            models.UniqueConstraint(
                fields=["interaction_id"],
                condition=Q(kind="answer_confirmed", is_reversal=False, interaction_id__isnull=False),
                name="repevent_confirmed_once",
            ),
        ]

    def __str__(self):
        return f"{self.points:+d} {self.kind} for {self.user_id}"


class ReputationBalance(models.Model):
    """A member's raw ledger sum, kept current with each ledger row.

    The profile shows max(1, 1 + points): reputation starts at 1 and never
    shows below it, yet points owed stay owed, so undoing anything is exact and
    the total does not depend on the order of events. The row is also what
    concurrent ledger writes for one member lock, in user-id order.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="reputation_balance"
    )
    points = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id}: {self.points}"


class BadgeInfo(models.Model):
    """What badgify's `Badge` has no field for: tier, family, topic and criteria.

    Written by the recipes when they create or update their badge, so the
    catalogue, profiles and credentials read one row per badge.
    """

    class Tier(models.TextChoices):
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    badge = models.OneToOneField("badgify.Badge", primary_key=True, on_delete=models.CASCADE, related_name="info")
    tier = models.CharField(max_length=8, choices=Tier.choices)
    # Badges of one family are the steps of one ladder ("Nice answer", "Good answer", "Great answer").
    family = models.CharField(max_length=40)
    product = models.ForeignKey(
        "portal.ProductPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    criteria = models.TextField()
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "badge__name"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=["bronze", "silver", "gold"]), name="badgeinfo_tier_valid"),
            models.CheckConstraint(
                condition=Q(product__isnull=True) | Q(tag__isnull=True), name="badgeinfo_one_topic"
            ),
        ]

    def __str__(self):
        return f"{self.get_tier_display()}: {self.badge_id}"

    def get_absolute_url(self):
        return reverse("community:badge_detail", kwargs={"slug": self.badge.slug})

    @property
    def is_topic(self) -> bool:
        return self.product_id is not None or self.tag_id is not None


class AwardNotice(models.Model):
    """Tells a member about a badge they earned: listed on their account, emailed once.

    One per award (the award is the primary key), created in the same
    statement batch as the awards that were really inserted, so a member is
    never told twice about one badge.
    """

    award = models.OneToOneField("badgify.Award", primary_key=True, on_delete=models.CASCADE, related_name="notice")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_notices")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="awardnotice_unread_idx")]

    def __str__(self):
        return f"notice of award {self.award_id}"


class AwardWithdrawal(models.Model):
    """Staff took a badge back from a member: who, which badge, when, by whom and why.

    The row is also the block that keeps the badge withdrawn: the event-time
    task and `badgify_sync awards` skip a (member, badge) pair that has one, so
    the recipe never gives it back on its own. One per member and badge
    (withdrawing twice changes nothing); staff remove it to allow the badge
    again. The award row itself is deleted, so the verification page and the
    credential stop verifying; `award_id` keeps their old address answerable
    ("withdrawn", 410) and the moderation log keeps the decision.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_withdrawals")
    badge = models.ForeignKey("badgify.Badge", on_delete=models.CASCADE, related_name="withdrawals")
    # The withdrawn award's id and date (a plain value: the award row is gone).
    award_id = models.BigIntegerField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    # Whether the member was told (staff may choose not to, e.g. for a spam account).
    member_told = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="awardwithdrawal_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="awardwithdrawal_has_reason"),
        ]
        indexes = [models.Index(fields=["award_id"], name="awardwithdrawal_award_idx")]

    def __str__(self):
        return f"withdrawal of {self.badge_id} from {self.user_id}"
