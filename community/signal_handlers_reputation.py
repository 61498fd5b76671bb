"""Reputation and badge receivers; register() is called from CommunityConfig.ready().

Q&A signals arrive inside the service's transaction: each receiver makes one
reputation call (its ledger rows commit or roll back with the action) and asks
for the affected members' badges to be checked once the transaction commits.
The satisfaction survey signal arrives after its own commit.
"""

from django.db import transaction

from satisfaction.services import survey_answered

from . import services_reputation, signals


def _check_badges_on_commit(*pairs) -> None:
    """After commit, check the badges each (member, trigger) could have earned."""
    from .tasks_badges import badges_evaluate_user_task

    for user_id, trigger in dict.fromkeys(pair for pair in pairs if pair[0]):
        transaction.on_commit(lambda u=user_id, t=trigger: badges_evaluate_user_task.enqueue(u, t))


def on_question_asked(sender, question, **kwargs):
    _check_badges_on_commit((question.author_id, "question_asked"))


def on_answer_posted(sender, answer, **kwargs):
    _check_badges_on_commit((answer.author_id, "answer_posted"))


def on_vote_cast(sender, voter, value, previous_value, question=None, answer=None, **kwargs):
    post = answer if answer is not None else question
    services_reputation.reputation_vote_record(
        voter=voter, value=value, previous_value=previous_value, question=question, answer=answer
    )
    _check_badges_on_commit(
        (post.author_id, "answer_voted" if answer is not None else "question_voted"), (voter.pk, "voted")
    )


def on_answer_accepted(sender, answer, by, previous_answer=None, **kwargs):
    services_reputation.reputation_acceptance_record(answer=answer, by=by, previous_answer=previous_answer)
    _check_badges_on_commit((answer.author_id, "accepted"))


def on_answer_unaccepted(sender, answer, by, **kwargs):
    services_reputation.reputation_acceptance_undo(answer=answer)


def on_me_too_added(sender, question, user, **kwargs):
    _check_badges_on_commit((question.author_id, "me_too"))


def on_post_hidden(sender, by, question=None, answer=None, comment=None, **kwargs):
    if question is not None or answer is not None:
        services_reputation.reputation_post_hidden(question=question, answer=answer)


def on_post_restored(sender, by, question=None, answer=None, comment=None, **kwargs):
    if question is not None or answer is not None:
        services_reputation.reputation_post_restored(question=question, answer=answer)
        post = answer if answer is not None else question
        _check_badges_on_commit((post.author_id, "all"))


def on_survey_answered(sender, interaction_id, source, source_ref, satisfied, customer=None, **kwargs):
    events = services_reputation.reputation_survey_confirmed(
        interaction_id=interaction_id, source=source, source_ref=source_ref, satisfied=satisfied, customer=customer
    )
    _check_badges_on_commit(*[(event.user_id, "confirmed") for event in events])


def register():
    uid = "community_reputation_"
    signals.question_asked.connect(on_question_asked, dispatch_uid=uid + "question_asked")
    signals.answer_posted.connect(on_answer_posted, dispatch_uid=uid + "answer_posted")
    signals.vote_cast.connect(on_vote_cast, dispatch_uid=uid + "vote_cast")
    signals.answer_accepted.connect(on_answer_accepted, dispatch_uid=uid + "answer_accepted")
    signals.answer_unaccepted.connect(on_answer_unaccepted, dispatch_uid=uid + "answer_unaccepted")
    signals.me_too_added.connect(on_me_too_added, dispatch_uid=uid + "me_too_added")
    signals.post_hidden.connect(on_post_hidden, dispatch_uid=uid + "post_hidden")
    signals.post_restored.connect(on_post_restored, dispatch_uid=uid + "post_restored")
    survey_answered.connect(on_survey_answered, dispatch_uid=uid + "survey_answered")
