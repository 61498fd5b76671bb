"""Peer Q&A: questions, answers, comments, votes, me-toos, follows, flags, notifications.

Rules users rely on (one vote, one answer, one me-too per person) are database
constraints; counters shown to users (score, answers, me-toos) are denormalised
columns that `community.services` keeps current with F() expressions in the
same transaction as the row they count.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from portal.models.pages import SearchableMixin

TITLE_MIN = 10
TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 600
TAG_MAX_LENGTH = 40
TAGS_MAX = 5
FLAG_NOTE_MAX = 500
REASON_MAX = 500


def _exactly_one(*fields: str) -> Q:
    """A CHECK condition: exactly one of `fields` is set."""
    condition = Q()
    for chosen in fields:
        branch = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return condition


class QuestionTag(TaggedItemBase):
    """The through model of `Question.tags` (django-taggit's shared Tag table)."""

    content_object = models.ForeignKey(
        "community.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="question_tag_once"
            )
        ]


class QuestionQuerySet(models.QuerySet):
    def visible(self):
        """Questions everyone may see: not hidden by moderators."""
        return self.filter(is_hidden=False)


class Question(SearchableMixin, index.Indexed, models.Model):
    """A customer's question; the community and staff answer it.

    `status` is derived by the services from answers, acceptance and closing, and
    stored so lists can filter on it. `accepted_answer` (the asker's choice) and
    `official_answer` (staff's choice) are single foreign keys: one of each per
    question, by construction.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate of another question")
        OFF_TOPIC = "off_topic", _("Off-topic")
        UNCLEAR = "unclear", _("Unclear, needs details")
        RESOLVED = "resolved", _("Resolved elsewhere")
        OTHER = "other", _("Other")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=80, allow_unicode=False, blank=True)
    body = models.TextField(max_length=BODY_MAX)
    body_html = models.TextField(editable=False)
    product = models.ForeignKey(
        "portal.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    tags = TaggableManager(through=QuestionTag, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN
    )
    close_reason = models.CharField(
        max_length=12, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(max_length=REASON_MAX, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_answer = models.OneToOneField(
        "community.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_for",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    official_answer = models.OneToOneField(
        "community.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official_for",
    )
    score = models.IntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Speed of help: when someone other than the asker first answered.
    first_answered_at = models.DateTimeField(null=True, blank=True)
    # How the ask page went: "posted anyway" past suggestions (see AskAttempt).
    suggestions_shown = models.PositiveSmallIntegerField(default=0)

    objects = QuestionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.RelatedFields(
            "tags", [index.SearchField("name"), index.FilterField("name")]
        ),
        index.RelatedFields("product", [index.SearchField("title")]),
        index.FilterField("is_hidden"),
        index.FilterField("status"),
        index.FilterField("product"),
        index.FilterField("created_at"),
        index.FilterField("search_product_slugs"),
        index.FilterField("search_tag_names"),
    ]
    search_type = "question"

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_posts", "Can moderate community posts and members")]
        indexes = [
            models.Index(
                fields=["is_hidden", "-created_at"], name="question_visible_new_idx"
            ),
            models.Index(
                fields=["is_hidden", "status", "-created_at"],
                name="question_status_idx",
            ),
            models.Index(
                fields=["is_hidden", "-me_too_count"], name="question_metoo_idx"
            ),
            models.Index(
                fields=["product", "is_hidden", "-created_at"],
                name="question_product_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="question_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "solved", "closed"]),
                name="question_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="solved") | Q(accepted_answer__isnull=False),
                name="question_solved_has_accepted",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="closed")
                    & Q(closed_at__isnull=False)
                    & ~Q(close_reason="")
                )
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="question_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("pk")),
                name="question_not_own_duplicate",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | Q(close_reason="duplicate"),
                name="question_duplicate_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "community:question_detail",
            kwargs={"pk": self.pk, "slug": self.slug or "q"},
        )

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @classmethod
    def get_indexed_objects(cls):
        """Hidden questions are kept out of the search index, not only filtered out."""
        return super().get_indexed_objects().filter(is_hidden=False)

    def get_search_snippet(self) -> str:
        answers = ngettext("%(n)d answer", "%(n)d answers", self.answer_count) % {
            "n": self.answer_count
        }
        return f"{self.get_status_display()} · {answers} · {self.body[:300]}"

    def search_product_slugs(self) -> list[str]:
        return [self.product.slug] if self.product_id and self.product else []

    def search_boost(self) -> float:
        """Solved threads first, then answered ones; unanswered ones last."""
        if self.accepted_answer_id:
            return 1.5
        return 1.0 if self.answer_count else 0.6

    def search_tag_names(self) -> list[str]:
        return [tag.name.lower() for tag in self.tags.all()]

    @staticmethod
    def make_slug(title: str) -> str:
        return slugify(title)[:80].strip("-") or "q"


class AnswerQuerySet(models.QuerySet):
    def visible(self):
        """Answers everyone may see: neither they nor their question are hidden."""
        return self.filter(is_hidden=False, question__is_hidden=False)


class Answer(SearchableMixin, index.Indexed, models.Model):
    """One person's answer to a question; they edit it rather than answer again.

    `is_staff_answer` is fixed when the answer is posted, so the "Staff" mark
    stays true to who answered even if the author later leaves the staff.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(max_length=BODY_MAX)
    body_html = models.TextField(editable=False)
    is_staff_answer = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    search_fields = [
        index.SearchField("body"),
        index.RelatedFields(
            "question",
            [
                index.SearchField("title"),
                index.FilterField("is_hidden"),
                index.FilterField("status"),
            ],
        ),
        index.FilterField("is_hidden"),
        index.FilterField("search_product_slugs"),
        index.FilterField("search_tag_names"),
    ]
    search_type = "answer"

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["question", "is_hidden", "-score", "created_at"],
                name="answer_score_idx",
            ),
            models.Index(
                fields=["question", "is_hidden", "created_at"], name="answer_age_idx"
            ),
            models.Index(fields=["author", "-created_at"], name="answer_author_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "author"], name="answer_one_per_person"
            ),
        ]

    def __str__(self):
        return f"Answer {self.pk} to {self.question_id}"

    def get_absolute_url(self):
        return reverse("community:answer_link", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return _("Answer: %(title)s") % {"title": self.question.title}

    @property
    def url(self) -> str:
        return self.get_absolute_url()

    @classmethod
    def get_indexed_objects(cls):
        """Hidden answers, and answers to hidden questions, stay out of the search index."""
        return (
            super()
            .get_indexed_objects()
            .filter(is_hidden=False, question__is_hidden=False)
        )

    def get_search_snippet(self) -> str:
        accepted = (
            _("Accepted answer · ")
            if self.question.accepted_answer_id == self.pk
            else ""
        )
        return f"{accepted}{self.body[:300]}"

    def search_product_slugs(self) -> list[str]:
        return self.question.search_product_slugs()

    def search_boost(self) -> float:
        """Accepted and staff answers settle a question; other answers may not."""
        if self.question.accepted_answer_id == self.pk or self.is_staff_answer:
            return 1.6
        return 0.8

    def search_tag_names(self) -> list[str]:
        return self.question.search_tag_names()


class Comment(models.Model):
    """A brief remark on a question or an answer (plain Markdown, no edits)."""

    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_comments",
    )
    body = models.TextField(max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("question", "answer"), name="comment_one_target"
            )
        ]

    def __str__(self):
        return f"Comment {self.pk}"

    def get_absolute_url(self):
        question_id = self.question_id or self.answer.question_id
        return (
            reverse("community:question_link", kwargs={"pk": question_id})
            + f"#comment-{self.pk}"
        )


class Vote(models.Model):
    """One person's up (+1) or down (-1) vote on one question or answer.

    The partial unique constraints are the "one vote per person per post" rule;
    a changed vote updates this row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_votes",
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]), name="vote_value_up_or_down"
            ),
            models.CheckConstraint(
                condition=_exactly_one("question", "answer"), name="vote_one_target"
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="vote_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="vote_once_per_answer",
            ),
        ]

    def __str__(self):
        return f"{self.value:+d} by {self.user_id}"


class MeToo(models.Model):
    """ "I have this question too": one per person per question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="me_toos"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_me_toos",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"], name="metoo_once_per_person"
            )
        ]

    def __str__(self):
        return f"me too by {self.user_id} on {self.question_id}"


class Follow(models.Model):
    """A member following a question, a tag or a product, to be notified."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_follows",
    )
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "portal.ProductPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("question", "tag", "product"),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="follow_question_once",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"],
                condition=Q(tag__isnull=False),
                name="follow_tag_once",
            ),
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(product__isnull=False),
                name="follow_product_once",
            ),
        ]

    def __str__(self):
        return f"follow by {self.user_id}"


class PostRevision(models.Model):
    """One saved version of a question or answer; revision 1 is the original.

    Revisions are never changed or deleted, so the public history is complete.
    """

    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    answer = models.ForeignKey(
        Answer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("question", "answer"), name="revision_one_target"
            ),
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=Q(question__isnull=False),
                name="revision_question_number",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=Q(answer__isnull=False),
                name="revision_answer_number",
            ),
        ]

    def __str__(self):
        return f"revision {self.number}"


class Flag(models.Model):
    """A member's report that a post needs moderators; one per member per post."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        RUDE = "rude", _("Rude or abusive")
        OFF_TOPIC = "off_topic", _("Off-topic")
        STAFF = "staff", _("Needs staff attention")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: post hidden")
        DISMISSED = "dismissed", _("Dismissed")

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_flags",
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=FLAG_NOTE_MAX, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="flag_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one("question", "answer", "comment"),
                name="flag_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(reason="staff") | ~Q(note=""), name="flag_staff_needs_note"
            ),
            models.UniqueConstraint(
                fields=["flagger", "question"],
                condition=Q(question__isnull=False),
                name="flag_question_once",
            ),
            models.UniqueConstraint(
                fields=["flagger", "answer"],
                condition=Q(answer__isnull=False),
                name="flag_answer_once",
            ),
            models.UniqueConstraint(
                fields=["flagger", "comment"],
                condition=Q(comment__isnull=False),
                name="flag_comment_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} flag {self.pk}"


class ModerationDecision(models.Model):
    """The log of every moderation decision: who decided what, about what, and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hid the post")
        RESTORE = "restore", _("Restored the post")
        DISMISS = "dismiss", _("Dismissed the flags")
        SUSPEND = "suspend", _("Suspended the member")
        REINSTATE = "reinstate", _("Reinstated the member")
        CLOSE = "close", _("Closed the question")
        REOPEN = "reopen", _("Reopened the question")
        MERGE = "merge", _("Merged into another question")
        RETAG = "retag", _("Changed the tags")
        WITHDRAW_BADGE = "withdraw", _("Withdrew a badge")
        ALLOW_BADGE = "allow_badge", _("Allowed a withdrawn badge again")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    reason = models.CharField(max_length=REASON_MAX)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.moderator_id})"


class AskAttempt(models.Model):
    """How one visit to the ask page ended, when suggestions were offered.

    "Deflected" means the member said a suggestion answered their question;
    "posted" means they posted anyway. Both are counted so the share deflected
    is known, and posted titles whose suggestions included no article show
    staff which knowledge-base articles to write next.
    """

    class Outcome(models.TextChoices):
        DEFLECTED = "deflected", _("A suggestion answered it")
        POSTED = "posted", _("Posted anyway")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=TITLE_MAX)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    question = models.OneToOneField(
        Question,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ask_attempt",
    )
    product = models.ForeignKey(
        "portal.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    questions_suggested = models.PositiveSmallIntegerField(default=0)
    articles_suggested = models.PositiveSmallIntegerField(default=0)
    helpful_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["outcome", "created_at"], name="askattempt_outcome_idx"
            )
        ]

    def __str__(self):
        return f"{self.outcome}: {self.title}"


class NotificationPreference(models.Model):
    """How a member wants community notifications by email."""

    class EmailMode(models.TextChoices):
        EACH = "each", _("One email per notification")
        DAILY = "daily", _("One daily digest")
        NONE = "none", _("No email (in-site list only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_preference",
    )
    email_mode = models.CharField(
        max_length=8, choices=EmailMode.choices, default=EmailMode.EACH
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id}: {self.email_mode}"


class Notification(models.Model):
    """Something a member follows happened; shown in-site and emailed per their preference."""

    class Kind(models.TextChoices):
        NEW_ANSWER = "new_answer", _("New answer")
        ACCEPTED = "accepted", _("Answer accepted")
        ACCEPTED_FOR_YOU = "accepted_for_you", _("Staff accepted an answer for you")
        NEW_COMMENT = "new_comment", _("New comment")
        NEW_QUESTION = "new_question", _("New question")
        OFFICIAL_ANSWER = "official_answer", _("Official answer from staff")
        KNOWN_PROBLEM = "known_problem", _("Known-problem status changed")
        SUGGESTED_EDIT = "edit_suggested", _("Edit suggested on your post")
        SUGGESTED_EDIT_APPROVED = "edit_approved", _("Your suggested edit was approved")
        SUGGESTED_EDIT_REJECTED = "edit_rejected", _("Your suggested edit was rejected")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_notifications",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The suggestion a suggested-edit notification is about, so the inbox links
    # to it and shows the reviewer's reason beside a rejection.
    suggested_edit = models.ForeignKey(
        "community.SuggestedEdit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification went out by email (alone or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notification_inbox_idx",
            ),
            models.Index(
                fields=["emailed_at", "recipient"], name="notification_digest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    def get_absolute_url(self):
        # Suggested edits: the author reviews the suggestion; the suggester of a
        # rejected edit reads it and why (the post itself did not change).
        if self.kind in (self.Kind.SUGGESTED_EDIT, self.Kind.SUGGESTED_EDIT_REJECTED):
            if self.suggested_edit_id:
                return reverse(
                    "community:suggested_edit_detail", args=[self.suggested_edit_id]
                )
            if self.kind == self.Kind.SUGGESTED_EDIT:
                return reverse("community:suggested_edit_queue")
            return reverse("community:suggested_edit_queue") + "#your-suggestions"
        if self.comment_id:
            return (
                reverse("community:question_link", kwargs={"pk": self.question_id})
                + f"#comment-{self.comment_id}"
            )
        if self.answer_id:
            return reverse("community:answer_link", kwargs={"pk": self.answer_id})
        return reverse("community:question_link", kwargs={"pk": self.question_id})


# Reputation and badges live in their own module; importing them here makes them community models.
# Known-problem status (issue 17): its own sub-package, models of this app.
from .known_problems.models import (  # noqa: E402, F401
    KnownProblem,
    KnownProblemChange,
    KnownProblemStatus,
)
from .models_reputation import (  # noqa: E402, F401
    AwardNotice,
    AwardWithdrawal,
    BadgeInfo,
    ReputationBalance,
    ReputationEvent,
)

# Suggested edits (issue 17) live in their own package; importing here makes them community models.
from .suggested_edits.models import SuggestedEdit  # noqa: E402, F401
