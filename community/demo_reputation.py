"""Demo reputation and badges: a ledger from the demo's votes and acceptances, and topic experts.

The Q&A demo writes its rows in bulk around the services (see community/demo.py),
so no signal fired: this loader replays those votes and acceptances through the
reputation services at their own times (so the daily vote limit holds), adds a
body of well-voted answers for three expert members (gold in one product, silver
in a tag, bronze in another product), sets the totals, and runs the badge sync
without notices (nobody is emailed). Idempotent: if the ledger has rows, nothing
is written.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from portal.markdown import render_markdown

from .demo import ANSWERS, PRODUCT_TOPICS, _index
from .models import (
    Answer,
    Follow,
    PostRevision,
    Question,
    QuestionTag,
    ReputationEvent,
    Vote,
)
from .services_reputation import (
    reputation_acceptance_record,
    reputation_rebuild,
    reputation_vote_record,
)

Kind = ReputationEvent.Kind
# (customer index, product slug or None, tag or None, questions): gold, silver and bronze experts.
EXPERTS = [
    (6, "router-x", "router", 210),
    (7, None, "app", 90),
    (5, "mesh-node-m2", "mesh", 24),
]
# Many questions on few topics: vary how people ask and what their setup is, so the
# demo reads like a real forum (and ask-time suggestions do not list one title thrice).
EXPERT_QUESTION_FORMS = [
    "How do I {action} on {name}{situation}?",
    "Can't {action} on my {name}{situation}",
    "Is there a way to {action} on {name}{situation}?",
    "{name}: what is the right way to {action}{situation}?",
    "Trying to {action} on {name}{situation}: what am I missing?",
    "Best way to {action} on a {name}{situation}?",
]
EXPERT_QUESTION_BODIES = [
    "I tried the steps in the guide but I am stuck at the last one.",
    "The app says it worked, but nothing changed. I restarted everything twice.",
    "I found an old answer but the menus look different now.",
    "It worked last week and now it does not. Nothing else changed at home.",
    "Support hours are over and I would like to get this done tonight. Any idea?",
]
EXPERT_QUESTION_SITUATIONS = [
    "",
    " after a power cut",
    " from the iPhone app",
    " from the Android app",
    " with two accounts at home",
    " while away from home",
    " after the last update",
    " in a flat with thick walls",
    " without the cloud",
    " for my parents",
]


@transaction.atomic
def load_reputation_demo(context) -> None:
    if ReputationEvent.objects.exists():
        return
    rng = random.Random(20261206)
    now = timezone.now()
    products = context["products"]
    customers = list(context["accounts"]["customers"])
    people = customers + list(context["accounts"]["staff"])
    if len(customers) < 8:
        return
    _expert_content(rng=rng, now=now, products=products, customers=customers, people=people)
    _ledger_from_history()
    reputation_rebuild(fix=True)
    _awards()


def _expert_content(*, rng, now, products, customers, people) -> None:
    """Answered, upvoted and accepted questions for three members, enough for gold, silver and bronze."""
    questions, plans = [], []
    for expert_index, slug, tag, count in EXPERTS:
        expert = customers[expert_index]
        askers = [c for c in customers if c.pk != expert.pk]
        for n in range(count):
            product_slug = slug or rng.choice(["thermostat-t1", "doorbell-cam-d3", "smart-plug-p1"])
            topic = PRODUCT_TOPICS[product_slug]
            action = rng.choice(topic["actions"])
            title = rng.choice(EXPERT_QUESTION_FORMS).format(
                action=action, name=topic["name"], situation=rng.choice(EXPERT_QUESTION_SITUATIONS)
            )
            asked = now - timedelta(days=rng.uniform(0.1, 180), minutes=n)
            body = rng.choice(EXPERT_QUESTION_BODIES)
            questions.append(
                Question(author=askers[n % len(askers)], title=title, slug=Question.make_slug(title), body=body,
                         body_html=render_markdown(body), product=products.get(product_slug), created_at=asked,
                         last_activity_at=asked, status=Question.Status.ANSWERED, answer_count=1)
            )
            plans.append((expert, sorted({tag, *rng.sample(topic["tags"], k=1)}), topic))
    Question.objects.bulk_create(questions, batch_size=500)
    answers = []
    for question, (expert, _tags, topic) in zip(questions, plans, strict=True):
        text = rng.choice(ANSWERS).format(name=topic["name"])
        answered = min(now, question.created_at + timedelta(hours=rng.uniform(0.5, 12)))
        answers.append(Answer(question=question, author=expert, body=text, body_html=render_markdown(text),
                              created_at=answered, score=0))
    Answer.objects.bulk_create(answers, batch_size=500)
    votes = []
    for question, answer in zip(questions, answers, strict=True):
        voters = rng.sample([p for p in people if p.pk != answer.author_id], k=4)
        for voter in voters:
            votes.append(Vote(user=voter, answer=answer, value=1, created_at=answer.created_at, updated_at=answer.created_at))
        answer.score = len(voters)
        question.accepted_answer = answer
        question.status = Question.Status.SOLVED
        question.accepted_at = min(now, answer.created_at + timedelta(hours=rng.uniform(1, 24)))
        question.first_answered_at = answer.created_at
        question.last_activity_at = answer.created_at
    Vote.objects.bulk_create(votes, batch_size=1000)
    Answer.objects.bulk_update(answers, ["score"], batch_size=500)
    Question.objects.bulk_update(questions, ["accepted_answer", "status", "accepted_at", "first_answered_at", "last_activity_at"],
                                 batch_size=500)
    names = sorted({name for _e, tags, _t in plans for name in tags})
    tags = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name, slug=name)
    QuestionTag.objects.bulk_create(
        [QuestionTag(content_object=q, tag=tags[name]) for q, (_e, names_, _t) in zip(questions, plans, strict=True)
         for name in names_],
        batch_size=1000,
    )
    Follow.objects.bulk_create(
        [Follow(user_id=q.author_id, question=q) for q in questions] + [Follow(user_id=a.author_id, question_id=a.question_id) for a in answers],
        batch_size=1000, ignore_conflicts=True,
    )
    PostRevision.objects.bulk_create(
        [PostRevision(question=q, number=1, editor_id=q.author_id, title=q.title, body=q.body,
                      tags=", ".join(names_), created_at=q.created_at) for q, (_e, names_, _t) in zip(questions, plans, strict=True)]
        + [PostRevision(answer=a, number=1, editor_id=a.author_id, body=a.body, created_at=a.created_at) for a in answers],
        batch_size=1000,
    )
    _index(Question, [q.pk for q in questions])
    _index(Answer, [a.pk for a in answers])


def _ledger_from_history() -> None:
    """Replay every vote and acceptance already in the database, oldest first, through the services.

    The demo's Q&A rows were written in bulk (no signals fired), so this gives
    them their ledger rows with the same functions live votes and acceptances
    use, each at its own time: the daily vote limit applies per day exactly as
    it would have, and every demo total is one real use could reach.
    """
    from django.contrib.auth import get_user_model

    events = []  # (when, order, kind, fields)
    for vote in Vote.objects.filter(answer__isnull=False, answer__is_hidden=False).values(
        "user_id", "value", "created_at", "answer_id"
    ).iterator(chunk_size=2000):
        events.append((vote["created_at"], 0, "vote", vote))
    for vote in Vote.objects.filter(question__isnull=False, question__is_hidden=False).values(
        "user_id", "value", "created_at", "question_id"
    ).iterator(chunk_size=2000):
        events.append((vote["created_at"], 0, "vote", vote))
    accepted = Question.objects.filter(accepted_answer__isnull=False, is_hidden=False).values(
        "pk", "author_id", "accepted_at", "accepted_answer_id"
    )
    for row in accepted.iterator(chunk_size=2000):
        events.append((row["accepted_at"] or timezone.now(), 1, "accept", row))
    events.sort(key=lambda e: (e[0], e[1]))
    users = {u.pk: u for u in get_user_model().objects.only("pk")}
    answers = {a.pk: a for a in Answer.objects.only("pk", "author_id", "question_id")}
    questions = {q.pk: q for q in Question.objects.only("pk", "author_id")}
    for when, _order, kind, row in events:
        if kind == "vote":
            post = {"answer": answers[row["answer_id"]]} if row.get("answer_id") else {"question": questions[row["question_id"]]}
            reputation_vote_record(voter=users[row["user_id"]], value=row["value"], previous_value=0, at=when, **post)
        else:
            reputation_acceptance_record(
                answer=answers[row["accepted_answer_id"]], by=users[row["author_id"]], at=when
            )


def _awards() -> None:
    """Every badge the demo members now meet, without notices or emails."""
    import badgify

    from .badges import badge_awards_grant, badge_ensure
    from .badgify_recipes import topic_recipes_register

    topic_recipes_register()
    for recipe in list(badgify.registry.recipes.values()):
        badge_ensure(recipe)
        badge_awards_grant(recipe=recipe, notify=False)
