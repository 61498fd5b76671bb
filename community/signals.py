"""Community events other code may react to (reputation and badges listen here).

Every signal is sent by a `community.services` function *inside* its
transaction, after the write succeeded, so a receiver that writes to the
database (a reputation ledger, say) commits or rolls back together with the
action. Receivers that reach outside the database must use
`transaction.on_commit` themselves.

Arguments (all keyword):
- question_asked: question
- answer_posted: answer
- vote_cast: vote (None when withdrawn), voter, question or answer (the other is
  None), value (+1, -1 or 0 when withdrawn), previous_value (0 when new)
- answer_accepted: answer, by, previous_answer (or None)
- answer_unaccepted: answer, by
- answer_marked_official: answer, by
- me_too_added: question, user
- post_hidden / post_restored: question, answer or comment (one set), by
"""

from django.dispatch import Signal

question_asked = Signal()
answer_posted = Signal()
vote_cast = Signal()
answer_accepted = Signal()
answer_unaccepted = Signal()
answer_marked_official = Signal()
me_too_added = Signal()
post_hidden = Signal()
post_restored = Signal()
