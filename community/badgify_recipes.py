"""The community's badges, as django-badgify recipes (found by badgify's autodiscover).

General badges are classes below. Topic expert badges ("Expert in <product>",
"Expert in <tag>", bronze to gold) are made from the database: every live
product, and every tag with enough answers for a bronze, gets three recipes,
registered by `topic_recipes_register()` before each `badgify_sync` (see
community/management/commands/badgify_sync.py) and by the event-time task, so
new products and tags get their badges with no code change.
"""

from __future__ import annotations

import time

import badgify
from django.conf import settings
from django.db.models import Count, F
from taggit.models import Tag

from .badges import TIERS, CandorRecipe
from .models import Answer, Question, ReputationEvent, Vote
from .selectors_reputation import topic_stats

TOPIC_PREFIX = "expert-"


def _limit(queryset, field: str, user_ids):
    return queryset.filter(**{f"{field}__in": list(user_ids)}) if user_ids is not None else queryset


# --------------------------------------------------------------------------- first steps


class FirstQuestion(CandorRecipe):
    name = "First question"
    slug = "first-question"
    description = "Asked a first question."
    criteria = "Ask a question that is visible to the community."
    family, tier, glyph, sort_order = "first-question", "bronze", "Q", 10

    def eligible(self, user_ids=None):
        return _limit(Question.objects.visible(), "author_id", user_ids).values_list("author_id", flat=True).distinct()

    def evidence(self, user, *, before=None):
        return list(_before(Question.objects.visible().filter(author=user), before).order_by("created_at")[:1])


class FirstAnswer(CandorRecipe):
    name = "First answer"
    slug = "first-answer"
    description = "Answered a first question."
    criteria = "Post an answer that is visible to the community."
    family, tier, glyph, sort_order = "first-answer", "bronze", "A", 11

    def eligible(self, user_ids=None):
        return _limit(Answer.objects.visible(), "author_id", user_ids).values_list("author_id", flat=True).distinct()

    def evidence(self, user, *, before=None):
        return list(_before(Answer.objects.visible().filter(author=user), before).order_by("created_at")[:1])


def _accepted_answers():
    """Visible answers accepted by someone else's question (accepting your own earns nothing)."""
    return Answer.objects.visible().filter(accepted_for__isnull=False).exclude(question__author_id=F("author_id"))


class FirstAccepted(CandorRecipe):
    name = "First accepted answer"
    slug = "first-accepted-answer"
    description = "Wrote an answer the asker accepted."
    criteria = "Have one of your answers accepted by the person who asked."
    family, tier, glyph, sort_order = "first-accepted", "bronze", "✓", 12

    def eligible(self, user_ids=None):
        return _limit(_accepted_answers(), "author_id", user_ids).values_list("author_id", flat=True).distinct()

    def evidence(self, user, *, before=None):
        return list(_before(_accepted_answers().filter(author=user), before).order_by("created_at")[:1])


# --------------------------------------------------------------------------- ladders


class _CountLadder(CandorRecipe):
    """Members with at least `threshold` rows of `rows()`, counted per `user_field`."""

    threshold = 1
    user_field = "author_id"

    def rows(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def eligible(self, user_ids=None):
        return (
            _limit(self.rows(), self.user_field, user_ids)
            .values(self.user_field)
            .annotate(n=Count("pk"))
            .filter(n__gte=self.threshold)
            .values_list(self.user_field, flat=True)
            .order_by()
        )


class _AcceptedLadder(_CountLadder):
    family, glyph = "solver", "✓"

    def rows(self):
        return _accepted_answers()

    def evidence(self, user, *, before=None):
        return list(_before(self.rows().filter(author=user), before).order_by("-score", "created_at")[:10])


class Solver(_AcceptedLadder):
    name = "Problem solver"
    slug = "solver-10"
    description = "10 accepted answers."
    criteria = "Have 10 answers accepted by the people who asked."
    tier, threshold, glyph, sort_order = "bronze", 10, "10", 20


class TrustedSolver(_AcceptedLadder):
    name = "Trusted solver"
    slug = "solver-50"
    description = "50 accepted answers."
    criteria = "Have 50 answers accepted by the people who asked."
    tier, threshold, glyph, sort_order = "silver", 50, "50", 21


class MasterSolver(_AcceptedLadder):
    name = "Master solver"
    slug = "solver-250"
    description = "250 accepted answers."
    criteria = "Have 250 answers accepted by the people who asked."
    tier, threshold, glyph, sort_order = "gold", 250, "250", 22


class _VoterLadder(_CountLadder):
    family, glyph, user_field = "voter", "▲", "user_id"

    def rows(self):
        return Vote.objects.filter(value=1)


class HelpfulVoter(_VoterLadder):
    name = "Helpful voter"
    slug = "voter-25"
    description = "Voted up 25 helpful posts."
    criteria = "Vote up 25 questions or answers that helped you."
    tier, threshold, sort_order = "bronze", 25, 30


class CivicDuty(_VoterLadder):
    name = "Civic duty"
    slug = "voter-300"
    description = "Voted up 300 helpful posts."
    criteria = "Vote up 300 questions or answers that helped you."
    tier, threshold, sort_order = "silver", 300, 31


class Electorate(_VoterLadder):
    name = "Electorate"
    slug = "voter-1000"
    description = "Voted up 1,000 helpful posts."
    criteria = "Vote up 1,000 questions or answers that helped you."
    tier, threshold, sort_order = "gold", 1000, 32


class _ConfirmedLadder(_CountLadder):
    family, glyph = "confirmed", "♥"

    def rows(self):
        return Answer.objects.visible().filter(
            pk__in=ReputationEvent.objects.filter(
                kind=ReputationEvent.Kind.ANSWER_CONFIRMED, is_reversal=False
            ).values("answer_id")
        )

    def evidence(self, user, *, before=None):
        return list(_before(self.rows().filter(author=user), before).order_by("-score")[:10])


class ProblemSolved(_ConfirmedLadder):
    name = "Problem solved"
    slug = "confirmed-1"
    description = "A customer confirmed one of your accepted answers solved their problem."
    criteria = "Have an accepted answer that a customer confirmed, in the satisfaction survey, solved their problem."
    tier, threshold, sort_order = "bronze", 1, 40


class TrustedByCustomers(_ConfirmedLadder):
    name = "Trusted by customers"
    slug = "confirmed-10"
    description = "Customers confirmed 10 of your accepted answers solved their problem."
    criteria = "Have 10 accepted answers that customers confirmed solved their problem."
    tier, threshold, sort_order = "silver", 10, 41


class CustomerHero(_ConfirmedLadder):
    name = "Customer hero"
    slug = "confirmed-50"
    description = "Customers confirmed 50 of your accepted answers solved their problem."
    criteria = "Have 50 accepted answers that customers confirmed solved their problem."
    tier, threshold, sort_order = "gold", 50, 42


# --------------------------------------------------------------------------- one great post


class _PostScore(CandorRecipe):
    """Members with at least one visible post whose `field` reaches `threshold`."""

    model = Answer
    field = "score"
    threshold = 10

    def rows(self):
        return self.model.objects.visible().filter(**{f"{self.field}__gte": self.threshold})

    def eligible(self, user_ids=None):
        return _limit(self.rows(), "author_id", user_ids).values_list("author_id", flat=True).distinct()

    def evidence(self, user, *, before=None):
        return list(self.rows().filter(author=user).order_by(f"-{self.field}")[:5])


class NiceAnswer(_PostScore):
    name = "Nice answer"
    slug = "answer-score-10"
    description = "An answer with a score of 10 or more."
    criteria = "Write an answer that reaches a score of 10 (upvotes minus downvotes)."
    family, tier, threshold, glyph, sort_order = "answer-score", "bronze", 10, "A+", 50


class GoodAnswer(_PostScore):
    name = "Good answer"
    slug = "answer-score-25"
    description = "An answer with a score of 25 or more."
    criteria = "Write an answer that reaches a score of 25 (upvotes minus downvotes)."
    family, tier, threshold, glyph, sort_order = "answer-score", "silver", 25, "A+", 51


class GreatAnswer(_PostScore):
    name = "Great answer"
    slug = "answer-score-100"
    description = "An answer with a score of 100 or more."
    criteria = "Write an answer that reaches a score of 100 (upvotes minus downvotes)."
    family, tier, threshold, glyph, sort_order = "answer-score", "gold", 100, "A+", 52


class NiceQuestion(_PostScore):
    model = Question
    name = "Nice question"
    slug = "question-score-10"
    description = "A question with a score of 10 or more."
    criteria = "Ask a question that reaches a score of 10 (upvotes minus downvotes)."
    family, tier, threshold, glyph, sort_order = "question-score", "bronze", 10, "Q+", 60


class GoodQuestion(NiceQuestion):
    name = "Good question"
    slug = "question-score-25"
    description = "A question with a score of 25 or more."
    criteria = "Ask a question that reaches a score of 25 (upvotes minus downvotes)."
    tier, threshold, sort_order = "silver", 25, 61


class GreatQuestion(NiceQuestion):
    name = "Great question"
    slug = "question-score-100"
    description = "A question with a score of 100 or more."
    criteria = "Ask a question that reaches a score of 100 (upvotes minus downvotes)."
    tier, threshold, sort_order = "gold", 100, 62


class PopularQuestion(_PostScore):
    model = Question
    field = "me_too_count"
    name = "Popular question"
    slug = "question-metoo-10"
    description = "A question 10 other members had too."
    criteria = "Ask a question that 10 other members mark “I have this question too”."
    family, tier, threshold, glyph, sort_order = "question-metoo", "bronze", 10, "+10", 70


class NotableQuestion(PopularQuestion):
    name = "Notable question"
    slug = "question-metoo-25"
    description = "A question 25 other members had too."
    criteria = "Ask a question that 25 other members mark “I have this question too”."
    tier, threshold, glyph, sort_order = "silver", 25, "+25", 71


class FamousQuestion(PopularQuestion):
    name = "Famous question"
    slug = "question-metoo-100"
    description = "A question 100 other members had too."
    criteria = "Ask a question that 100 other members mark “I have this question too”."
    tier, threshold, glyph, sort_order = "gold", 100, "+100", 72


GENERAL_RECIPES = [
    FirstQuestion, FirstAnswer, FirstAccepted,
    Solver, TrustedSolver, MasterSolver,
    HelpfulVoter, CivicDuty, Electorate,
    ProblemSolved, TrustedByCustomers, CustomerHero,
    NiceAnswer, GoodAnswer, GreatAnswer,
    NiceQuestion, GoodQuestion, GreatQuestion,
    PopularQuestion, NotableQuestion, FamousQuestion,
]


def _before(queryset, before):
    return queryset.filter(created_at__lte=before) if before is not None else queryset


# --------------------------------------------------------------------------- topic experts


class TopicExpert(CandorRecipe):
    """Expert in one product or tag: topic score and answer count at the tier's thresholds.

    The three tiers of one topic share one aggregate: the last topic's rows
    are kept for a minute, so a full sync runs one query per topic, not three.
    """

    _memo: dict = {}
    MEMO_SECONDS = 60

    @property
    def thresholds(self) -> tuple[int, int]:
        score, answers = settings.CANDOR_EXPERT_THRESHOLDS[self.tier]
        return int(score), int(answers)

    def _topic(self) -> dict:
        return {"product_id": self.product_id} if self.product_id is not None else {"tag_id": self.tag_id}

    def eligible(self, user_ids=None):
        score, answers = self.thresholds
        if user_ids is not None:
            rows = topic_stats(user_ids=user_ids, **self._topic())
            return [r["author_id"] for r in rows if r["score"] >= score and r["answers"] >= answers]
        memo_key = (self.product_id, self.tag_id)
        memo = TopicExpert._memo
        if memo.get("key") != memo_key or time.monotonic() - memo.get("at", 0) > self.MEMO_SECONDS:
            # Only rows that reach bronze can reach any tier.
            low_score, low_answers = (int(v) for v in settings.CANDOR_EXPERT_THRESHOLDS["bronze"])
            rows = list(
                topic_stats(**self._topic())
                .filter(answers__gte=low_answers, score__gte=low_score)
                .values_list("author_id", "score", "answers")
            )
            TopicExpert._memo = memo = {"key": memo_key, "at": time.monotonic(), "rows": rows}
        return [uid for uid, s, n in memo["rows"] if s >= score and n >= answers]

    def evidence(self, user, *, before=None):
        answers = Answer.objects.visible().filter(author=user, **_topic_filter(self.product_id, self.tag_id))
        return list(_before(answers, before).select_related("question").order_by("-score", "created_at")[:10])

    @classmethod
    def memo_clear(cls) -> None:
        cls._memo = {}


def _topic_filter(product_id, tag_id) -> dict:
    if product_id is not None:
        return {"question__product_id": product_id}
    return {"question__tagged_items__tag_id": tag_id}


TIER_GLYPH_SORT = {"bronze": 0, "silver": 1, "gold": 2}


def topic_recipe(*, tier: str, product=None, tag=None) -> type[TopicExpert]:
    """Make the recipe class of one topic and tier (a class, because badgify registers classes)."""
    score, answers = settings.CANDOR_EXPERT_THRESHOLDS[tier]
    if product is not None:
        kind, topic_id, title = "product", product.pk, product.title
        glyph = "".join(word[0] for word in title.split()[:3]).upper() or "P"
    else:
        kind, topic_id, title = "tag", tag.pk, tag.name
        glyph = tag.name[:3].upper()
    label = dict(zip(TIERS, ("Bronze", "Silver", "Gold"), strict=True))[tier]
    attrs = {
        "name": f"Expert in {title}",
        "slug": f"{TOPIC_PREFIX}{kind}-{topic_id}-{tier}",
        "description": f"{label} expert in {title}: answers the community valued, in number.",
        "criteria": (
            f"Reach a topic score of {score} over at least {answers} visible answers to questions "
            f"{'about ' + title if product is not None else 'tagged “' + title + '”'}. The topic score is the "
            f"answers' votes, plus {settings.CANDOR_EXPERT_ACCEPTED_BONUS} for each accepted answer and "
            f"{settings.CANDOR_EXPERT_CONFIRMED_BONUS} for each answer a customer confirmed solved their problem."
        ),
        "family": f"{TOPIC_PREFIX}{kind}-{topic_id}",
        "tier": tier,
        "glyph": glyph,
        "sort_order": (100 if product is not None else 200) + TIER_GLYPH_SORT[tier],
        "product_id": product.pk if product is not None else None,
        "tag_id": tag.pk if tag is not None else None,
    }
    return type(f"Expert{kind.title()}{topic_id}{tier.title()}", (TopicExpert,), attrs)


def topic_tags():
    """Tags that have enough visible answers for at least a bronze expert."""
    low_answers = int(settings.CANDOR_EXPERT_THRESHOLDS["bronze"][1])
    tag_ids = (
        Answer.objects.visible()
        .values("question__tagged_items__tag_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=low_answers, question__tagged_items__tag_id__isnull=False)
        .values_list("question__tagged_items__tag_id", flat=True)
        .order_by()
    )
    return Tag.objects.filter(pk__in=list(tag_ids)).order_by("name")


def topic_recipes(*, products=None, tags=None) -> list[type[TopicExpert]]:
    from portal.selectors import product_list_live

    products = product_list_live() if products is None else products
    tags = topic_tags() if tags is None else tags
    classes = []
    for product in products:
        classes += [topic_recipe(tier=tier, product=product) for tier in TIERS]
    for tag in tags:
        classes += [topic_recipe(tier=tier, tag=tag) for tier in TIERS]
    return classes


def topic_recipes_register() -> int:
    """Register the topic recipes of today's products and tags (replacing earlier ones)."""
    registry = badgify.registry
    classes = topic_recipes()
    # Build the new table aside and swap it in with one assignment: another thread
    # (a badgify_sync or the event task) may be iterating the old one, and must
    # never see it change size under it.
    table = {slug: r for slug, r in registry._registry.items() if not slug.startswith(TOPIC_PREFIX)}
    for cls in classes:
        recipe = registry.get_recipe_instance_from_class(cls)
        table[recipe.slug] = recipe
    registry._registry = table
    TopicExpert.memo_clear()
    return len(classes)


# What can make each family newly earned; the event-time task checks only those.
FAMILY_TRIGGERS = {
    "first-question": {"question_asked"},
    "first-answer": {"answer_posted"},
    "first-accepted": {"accepted"},
    "solver": {"accepted"},
    "voter": {"voted"},
    "confirmed": {"confirmed"},
    "answer-score": {"answer_voted"},
    "question-score": {"question_voted"},
    "question-metoo": {"me_too"},
}
TOPIC_TRIGGERS = {"answer_posted", "answer_voted", "accepted", "confirmed"}
TRIGGERS = set().union(*FAMILY_TRIGGERS.values()) | TOPIC_TRIGGERS | {"all"}


def recipes_for_user(user_id: int, trigger: str = "all") -> list[CandorRecipe]:
    """The recipes one member might now meet after `trigger` ("all" for every recipe).

    Topic recipes come only for the products and tags where the member's
    scores already reach a tier (two grouped queries find them), so a vote
    costs a handful of queries however many topics exist.
    """
    from portal.models import ProductPage

    recipes: list[CandorRecipe] = [
        cls() for cls in GENERAL_RECIPES if trigger == "all" or trigger in FAMILY_TRIGGERS[cls.family]
    ]
    if trigger != "all" and trigger not in TOPIC_TRIGGERS:
        return recipes
    low_score, low_answers = (int(v) for v in settings.CANDOR_EXPERT_THRESHOLDS["bronze"])
    reached = {}
    for kind in ("product", "tag"):
        rows = topic_stats(user_ids=[user_id], group_by=kind).filter(score__gte=low_score, answers__gte=low_answers)
        reached[kind] = {row["topic_id"]: row for row in rows}
    products = ProductPage.objects.live().filter(pk__in=list(reached["product"])).only("pk", "title") if reached["product"] else []
    tags = Tag.objects.filter(pk__in=list(reached["tag"])).only("pk", "name") if reached["tag"] else []
    for topic_kind, topics in (("product", products), ("tag", tags)):
        for topic in topics:
            row = reached[topic_kind][topic.pk]
            for tier in TIERS:
                score, answers = (int(v) for v in settings.CANDOR_EXPERT_THRESHOLDS[tier])
                if row["score"] >= score and row["answers"] >= answers:
                    kwargs = {"product": topic} if topic_kind == "product" else {"tag": topic}
                    recipes.append(topic_recipe(tier=tier, **kwargs)())
    return recipes


badgify.register(GENERAL_RECIPES)


__all__ = ["GENERAL_RECIPES", "TopicExpert", "recipes_for_user", "topic_recipe", "topic_recipes_register"]


def recipe_for_badge(badge) -> CandorRecipe | None:
    """The recipe behind a badge row (general by slug; topic from its info), or None."""
    for cls in GENERAL_RECIPES:
        if cls.slug == badge.slug:
            return cls()
    info = getattr(badge, "info", None)
    if info is None or not info.is_topic:
        return None
    if info.product_id:
        return topic_recipe(tier=info.tier, product=info.product)()
    return topic_recipe(tier=info.tier, tag=info.tag)()
