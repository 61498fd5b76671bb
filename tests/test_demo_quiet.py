"""`portal_demo` prints only the accounts and the URL, never the demo's emails.

Transactional, so emails go out on commit as in a newcomer's terminal (in an
ordinary test they would wait for a commit that never comes).
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories.portal import ensure_tree_roots

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_loads_quietly_and_prints_only_accounts_and_url(capsys):
    ensure_tree_roots()
    # As a newcomer runs it: the console email backend of portal.settings.dev.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    ):
        call_command("portal_demo")
    out = capsys.readouterr().out
    assert "Subject:" not in out and "Content-Type:" not in out, out[:2000]
    assert len(out.splitlines()) < 15, out[:2000]
    assert "sam@candor.test" in out and "http://127.0.0.1:8000/" in out
