"""Demo known problems: a few widely shared demo questions get a public status with a
history of changes dated in the past.

Written directly, like the rest of the Q&A demo (community/demo.py): the service
would stamp every change "now" and tell everyone affected by email.
"""

from .models import KnownProblem, KnownProblemChange, KnownProblemStatus

S = KnownProblemStatus
# Each history is (status, note, fixed_in) oldest first, spread over the time
# since the question was asked.
HISTORIES = [
    [
        (S.INVESTIGATING, "We can reproduce it and are reading the logs you sent.", ""),
        (S.PLANNED, "The cause is found; the fix is in the next firmware.", ""),
        (S.FIXED, "Update from the app: Settings, then Firmware.", "firmware 2.4.1"),
    ],
    [
        (S.INVESTIGATING, "Thanks for the reports; we are testing on the same setup.", ""),
        (S.PLANNED, "A fix is planned for the spring update.", ""),
    ],
    [
        (S.INVESTIGATING, "We are collecting details: which app version do you use?", ""),
    ],
    [
        (S.INVESTIGATING, "We are checking whether older hardware can support this.", ""),
        (S.WONT_FIX, "The first hardware revision cannot do it; the answer above has a workaround.", ""),
    ],
]
# When each change happened, as a share of the time between asking and now.
MOMENTS = (0.35, 0.6, 0.85)


def load_known_problems_demo(*, questions: list, staff: list, now) -> None:
    """Give the most shared open demo questions about a product a status history."""
    candidates = sorted(
        (
            q
            for q in questions
            if q.product_id and not q.is_hidden and q.close_reason == ""
        ),
        key=lambda q: (-q.me_too_count, q.created_at, q.pk),
    )
    problems, changes = [], []
    for index, (question, history) in enumerate(
        zip(candidates, HISTORIES, strict=False)
    ):
        author = staff[index % len(staff)]
        span = now - question.created_at
        steps = [
            (status, note, fixed_in, question.created_at + span * share)
            for (status, note, fixed_in), share in zip(history, MOMENTS, strict=False)
        ]
        status, note, fixed_in, changed_at = steps[-1]
        problem = KnownProblem(
            question=question,
            status=status,
            note=note,
            fixed_in=fixed_in,
            changed_at=changed_at,
        )
        problems.append(problem)
        changes.extend(
            KnownProblemChange(
                known_problem=problem,
                status=status,
                note=note,
                fixed_in=fixed_in,
                author=author,
                created_at=moment,
            )
            for status, note, fixed_in, moment in steps
        )
    KnownProblem.objects.bulk_create(problems)
    for change in changes:
        change.known_problem_id = change.known_problem.pk
    KnownProblemChange.objects.bulk_create(changes)
