"""Community rows for tests, made through the services so every rule and counter holds."""

from community import services
from community.models import Question

from .users import UserFactory

_counter = {"n": 0}


def make_question(
    author=None,
    *,
    title=None,
    body="How do I change the Wi-Fi channel on my router? It drops often.",
    tags=("wifi",),
    product=None,
    **kwargs,
) -> Question:
    _counter["n"] += 1
    author = author or UserFactory()
    title = title or f"How do I fix problem number {_counter['n']} on my router?"
    return services.question_ask(
        author=author, title=title, body=body, tags=tags, product=product, **kwargs
    )


def make_answer(
    question,
    author=None,
    *,
    body="Restart it, then pick channel 36 in the app settings.",
):
    author = author or UserFactory()
    return services.answer_post(question=question, author=author, body=body)
