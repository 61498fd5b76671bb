"""Reading known-problem status for pages and the API."""

from django.db.models import Prefetch

from .models import KnownProblem, KnownProblemChange


def known_problem_of(question):
    """The question's status with its history (newest first), or None: two queries."""
    return (
        KnownProblem.objects.filter(question_id=question.pk)
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=KnownProblemChange.objects.select_related("author__profile"),
            )
        )
        .first()
    )


def customers_affected(question) -> int:
    """Everyone who said "me too", and the asker."""
    return question.me_too_count + 1
