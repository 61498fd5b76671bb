"""Email goes out after the transaction commits, and never after a rollback.

Transactional (it commits for real), so in a module of its own: see tests/conftest.py.
"""

import pytest
from django.db import transaction

from portal.emails import email_send_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


def test_email_is_sent_after_commit_and_not_after_rollback(mailoutbox):
    with transaction.atomic():
        email_send_on_commit(
            to=["a@example.com"],
            subject="Hello",
            template="portal/email/test_email.txt",
            context={"name": "Ana"},
        )
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["a@example.com"]
    assert "Hello Ana" in mailoutbox[0].body

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_on_commit(
            to=["b@example.com"],
            subject="Never",
            template="portal/email/test_email.txt",
            context={"name": "Ben"},
        )
        raise RuntimeError("rolled back")
    assert len(mailoutbox) == 1
