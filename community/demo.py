"""Demo Q&A: ~300 questions with answers, votes, acceptances and official answers.

Rows are planned in Python with a seeded random generator, then written with
bulk_create (a few dozen queries in all) and indexed for search in chunks.
The demo goes around the services on purpose: it writes history (months of
activity) that the services would stamp "now", and it must not email anyone.
Idempotent: if the first demo question exists, nothing is written.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from portal.markdown import render_markdown

from .known_problems.demo import load_known_problems_demo
from .models import (
    Answer,
    Comment,
    Follow,
    MeToo,
    PostRevision,
    Question,
    QuestionTag,
    Vote,
)

QUESTION_COUNT = 300

PRODUCT_TOPICS = {
    "router-x": {
        "name": "Router X",
        "actions": [
            "set up a guest network",
            "change the Wi-Fi channel",
            "update the firmware",
            "enable WPA3",
            "reserve an IP address",
            "forward a port for my game console",
            "turn off the LEDs at night",
            "split 2.4 and 5 GHz bands",
            "schedule Wi-Fi for the kids",
            "back up the settings",
        ],
        "symptoms": [
            "drops the connection every evening",
            "shows an orange light",
            "is slow on 5 GHz",
            "reboots by itself",
            "loses settings after a power cut",
            "will not accept my ISP login",
        ],
        "tags": ["wifi", "router", "setup", "firmware"],
    },
    "mesh-node-m2": {
        "name": "Mesh Node M2",
        "actions": [
            "add a second node",
            "move a node to another room",
            "see which node my laptop uses",
            "use an ethernet backhaul",
            "rename a node",
        ],
        "symptoms": [
            "keeps blinking white",
            "is not found by the app",
            "gives slower speeds than the router",
            "disconnects my smart TV",
        ],
        "tags": ["mesh", "wifi", "setup"],
    },
    "thermostat-t1": {
        "name": "Thermostat T1",
        "actions": [
            "set a holiday schedule",
            "connect it to a heat pump",
            "calibrate the temperature",
            "lock the buttons",
            "share control with my partner",
            "use it without Wi-Fi",
        ],
        "symptoms": [
            "shows a wiring error",
            "heats when it should not",
            "reads two degrees too high",
            "forgets my schedule",
            "drains the C-wire",
        ],
        "tags": ["heating", "app", "setup"],
    },
    "doorbell-cam-d3": {
        "name": "Doorbell Cam D3",
        "actions": [
            "store video locally",
            "change the chime sound",
            "set motion zones",
            "mount it on brick",
            "share clips with a neighbour",
            "charge the battery faster",
        ],
        "symptoms": [
            "has blurry night vision",
            "misses people at the door",
            "battery lasts only a week",
            "notifications arrive late",
            "shows a black screen in live view",
        ],
        "tags": ["camera", "battery", "app"],
    },
    "smart-plug-p1": {
        "name": "Smart Plug P1",
        "actions": [
            "schedule a lamp",
            "read energy use per hour",
            "group several plugs",
            "set a countdown timer",
            "use it with a space heater",
        ],
        "symptoms": [
            "clicks on and off by itself",
            "shows zero watts",
            "will not pair",
            "goes offline every night",
        ],
        "tags": ["energy", "app"],
    },
    "home-hub-h5": {
        "name": "Home Hub H5",
        "actions": [
            "pair a Zigbee sensor",
            "run automations offline",
            "back up my hub",
            "move devices to a new hub",
            "add a Z-Wave lock",
            "create a scene for bedtime",
        ],
        "symptoms": [
            "loses Zigbee devices",
            "runs automations twice",
            "is stuck on update",
            "gets very warm",
        ],
        "tags": ["hub", "zigbee", "setup"],
    },
}
TITLE_PATTERNS_ACTION = [
    "How do I {action} on {name}?",
    "Can I {action} with {name}?",
    "What is the easiest way to {action} ({name})?",
    "Best practice to {action} on my {name}",
    "Is it possible to {action} on {name}?",
    "Help: trying to {action} ({name})",
]
TITLE_PATTERNS_SYMPTOM = [
    "{name} {symptom}",
    "My {name} {symptom}: what can I do?",
    "Since the last update my {name} {symptom}",
]
BODIES = [
    "I have had my {name} for a few months. I tried restarting it and checking the app, but nothing changed.\n\n"
    "- App version: 5.{n}\n- Firmware: 2.{m}.1\n\nAny idea what else I can try?",
    "Everything else works fine, only this. I searched the help articles but did not find this case.\n\n"
    "What I expected: it should just work like the guide says. What happens: it does not.",
    "Quick question: is this supported at all, or am I wasting my time? I read the manual twice.",
    "Setup: {name}, a phone on Android 15, fibre at 500 Mbit/s. I already did a **factory reset** once.",
]
ANSWERS = [
    "Open the app, go to **Devices → {name} → Settings** and look for the option there. It took me a minute to find.",
    "I had exactly this. Unplug it for 30 seconds, then hold the button for 5 seconds until the light blinks. Fixed it for me.",
    "Check the firmware first: version 2.4 fixed a lot of these issues. *Settings → About → Check for updates*.",
    "Same problem here, and moving it away from the microwave helped. Interference is a real thing.",
    "It is supported, but only from the app, not from the web dashboard. The help article on setup covers it.",
    "Try turning off battery optimisation for the Candor Home app on your phone; notifications were delayed for me until I did.",
]
STAFF_ANSWERS = [
    "Thanks for asking! This is supported from firmware 2.4 on. Update from *Settings → About*, then the option appears under "
    "**Advanced**. If it does not, reply here and we will look at your device's logs.",
    "We reproduced this and a fix ships in the next update (2.5). Until then, the workaround is to restart the device "
    "once a week from the app's schedule. Sorry for the trouble!",
    "Good question. Our setup guide covers this step by step; the short version: open the app, choose the device, "
    "then **Advanced → Network**. Let us know if anything is unclear.",
]
COMMENTS = [
    "Which firmware version are you on?",
    "Did the reset help?",
    "Thanks, that worked!",
    "Can you share a screenshot?",
    "Same here on the latest update.",
]


def _plan_titles(rng) -> list[tuple[str, str]]:
    """Return (product slug, title) pairs, unique, in a stable random order."""
    titles = []
    for slug, topic in PRODUCT_TOPICS.items():
        for action in topic["actions"]:
            for pattern in TITLE_PATTERNS_ACTION:
                titles.append((slug, pattern.format(action=action, name=topic["name"])))
        for symptom in topic["symptoms"]:
            for pattern in TITLE_PATTERNS_SYMPTOM:
                titles.append(
                    (slug, pattern.format(symptom=symptom, name=topic["name"]))
                )
    rng.shuffle(titles)
    return titles[:QUESTION_COUNT]


@transaction.atomic
def load_community_demo(context) -> None:
    # Our own seeded generator: the shared one's state depends on what ran before.
    rng = random.Random(20261205)
    titles = _plan_titles(rng)
    if Question.objects.filter(title=titles[0][1]).exists():
        return
    products = context["products"]
    staff = list(context["accounts"]["staff"])
    customers = list(context["accounts"]["customers"])
    people = customers + staff
    now = timezone.now()

    questions, plans = [], []
    for index, (slug, title) in enumerate(titles):
        product = products.get(slug)
        topic = PRODUCT_TOPICS[slug]
        author = customers[index % len(customers)]
        asked = now - timedelta(days=rng.uniform(0.2, 120), minutes=index)
        body = rng.choice(BODIES).format(
            name=topic["name"], n=rng.randint(1, 9), m=rng.randint(1, 9)
        )
        questions.append(
            Question(
                author=author,
                title=title,
                slug=Question.make_slug(title),
                body=body,
                body_html=render_markdown(body),
                product=product if index % 9 else None,
                created_at=asked,
                last_activity_at=asked,
            )
        )
        others = [p for p in people if p.pk != author.pk]
        answerers = rng.sample(
            others, k=min(len(others), rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6]))
        )
        plans.append(
            {
                "topic": topic,
                "answerers": answerers,
                "tags": rng.sample(
                    topic["tags"], k=rng.randint(1, min(3, len(topic["tags"])))
                ),
            }
        )
    Question.objects.bulk_create(questions)

    answers, answer_plans = [], []
    for question, plan in zip(questions, plans, strict=True):
        moment = question.created_at
        for answerer in plan["answerers"]:
            moment = moment + timedelta(hours=rng.uniform(0.3, 30))
            if moment > now:
                moment = now - timedelta(minutes=rng.randint(1, 50))
            is_staff = answerer.is_staff
            text = (
                rng.choice(STAFF_ANSWERS) if is_staff else rng.choice(ANSWERS)
            ).format(name=plan["topic"]["name"])
            answers.append(
                Answer(
                    question=question,
                    author=answerer,
                    body=text,
                    body_html=render_markdown(text),
                    is_staff_answer=is_staff,
                    created_at=moment,
                )
            )
            answer_plans.append(question)
    Answer.objects.bulk_create(answers)

    votes, answers_by_question = [], {}
    for answer in answers:
        answers_by_question.setdefault(answer.question_id, []).append(answer)
        voters = [p for p in people if p.pk != answer.author_id]
        for voter in rng.sample(voters, k=rng.randint(0, min(6, len(voters)))):
            value = 1 if rng.random() < 0.85 else -1
            votes.append(
                Vote(
                    user=voter,
                    answer=answer,
                    value=value,
                    created_at=answer.created_at,
                    updated_at=answer.created_at,
                )
            )
            answer.score += value
    me_toos, follows, comments = [], [], []
    for question in questions:
        voters = [p for p in people if p.pk != question.author_id]
        for voter in rng.sample(voters, k=rng.randint(0, 4)):
            value = 1 if rng.random() < 0.9 else -1
            votes.append(
                Vote(
                    user=voter,
                    question=question,
                    value=value,
                    created_at=question.created_at,
                    updated_at=question.created_at,
                )
            )
            question.score += value
        for member in rng.sample(
            [c for c in customers if c.pk != question.author_id],
            k=rng.choice([0, 0, 1, 2, 3, 5]),
        ):
            me_toos.append(
                MeToo(question=question, user=member, created_at=question.created_at)
            )
            follows.append(Follow(user=member, question=question))
            question.me_too_count += 1
        follows.append(Follow(user=question.author, question=question))
        its_answers = answers_by_question.get(question.pk, [])
        for answer in its_answers:
            follows.append(Follow(user_id=answer.author_id, question=question))
        question.answer_count = len(its_answers)
        by_others = [a for a in its_answers if a.author_id != question.author_id]
        if by_others:
            question.first_answered_at = min(a.created_at for a in by_others)
            question.last_activity_at = max(a.created_at for a in its_answers)
            question.status = Question.Status.ANSWERED
            if rng.random() < 0.45:
                best = max(
                    by_others, key=lambda a: (a.score, -a.created_at.timestamp())
                )
                question.accepted_answer = best
                question.accepted_at = min(
                    now, best.created_at + timedelta(hours=rng.uniform(1, 48))
                )
                question.status = Question.Status.SOLVED
            staff_answers = [a for a in its_answers if a.is_staff_answer]
            if staff_answers and rng.random() < 0.6:
                question.official_answer = staff_answers[0]
        if its_answers and rng.random() < 0.3:
            target = rng.choice(its_answers)
            commenter = rng.choice([p for p in people if p.pk != target.author_id])
            text = rng.choice(COMMENTS)
            comments.append(
                Comment(
                    answer=target,
                    author=commenter,
                    body=text,
                    body_html=render_markdown(text),
                    created_at=target.created_at
                    + timedelta(minutes=rng.randint(5, 300)),
                )
            )
    # A few duplicates, closed and linked to their original.
    for duplicate, original in zip(questions[-6:], questions[:6], strict=True):
        if duplicate.status == Question.Status.SOLVED:
            continue
        duplicate.status = Question.Status.CLOSED
        duplicate.close_reason = Question.CloseReason.DUPLICATE
        duplicate.duplicate_of = original
        duplicate.closed_at = duplicate.created_at + timedelta(hours=3)
        duplicate.closed_by = staff[0]
    Question.objects.bulk_update(
        questions,
        [
            "score",
            "me_too_count",
            "answer_count",
            "first_answered_at",
            "last_activity_at",
            "status",
            "accepted_answer",
            "accepted_at",
            "official_answer",
            "close_reason",
            "duplicate_of",
            "closed_at",
            "closed_by",
        ],
        batch_size=200,
    )
    Answer.objects.bulk_update(answers, ["score"], batch_size=500)
    Vote.objects.bulk_create(votes, batch_size=1000)
    MeToo.objects.bulk_create(me_toos, batch_size=1000)
    Follow.objects.bulk_create(follows, batch_size=1000, ignore_conflicts=True)
    Comment.objects.bulk_create(comments, batch_size=500)
    load_known_problems_demo(questions=questions, staff=staff, now=now)

    names = sorted({name for plan in plans for name in plan["tags"]})
    tags = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name, slug=name)
    QuestionTag.objects.bulk_create(
        [
            QuestionTag(content_object=q, tag=tags[name])
            for q, plan in zip(questions, plans, strict=True)
            for name in plan["tags"]
        ],
        batch_size=1000,
    )
    PostRevision.objects.bulk_create(
        [
            PostRevision(
                question=q,
                number=1,
                editor_id=q.author_id,
                title=q.title,
                body=q.body,
                tags=", ".join(sorted(plan["tags"])),
                created_at=q.created_at,
            )
            for q, plan in zip(questions, plans, strict=True)
        ]
        + [
            PostRevision(
                answer=a,
                number=1,
                editor_id=a.author_id,
                body=a.body,
                created_at=a.created_at,
            )
            for a in answers
        ],
        batch_size=1000,
    )
    _index(Question, [q.pk for q in questions])
    _index(Answer, [a.pk for a in answers])


def _index(model, ids: list[int], chunk: int = 200) -> None:
    backend = get_search_backend()
    for start in range(0, len(ids), chunk):
        objects = list(
            model.get_indexed_objects()
            .filter(pk__in=ids[start : start + chunk])
            .order_by("pk")
        )
        if objects:
            backend.add_bulk(model, objects)
