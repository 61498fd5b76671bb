"""The README's examples work as written (issue 18): an outside helpdesk finds where
to get an API token and its curl example records an interaction; the README says
which Python versions CI tests."""

import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _helpdesk_section() -> str:
    return README.split("### Connecting an outside helpdesk", 1)[1].split("\n## ", 1)[0]


def test_the_readme_says_which_python_versions_ci_tests():
    ci = (ROOT / ".ci" / "run").read_text()
    tested = re.search(r"CI runs Python (3\.\d+)", ci).group(1)
    assert re.search(rf"CI tests Python {re.escape(tested)}\b", README)
    assert "requires-python" in README


@pytest.mark.django_db
def test_the_readme_curl_example_records_an_interaction_with_a_token_from_account(
    client, staff_user, site_tree
):
    from portal.services import api_token_create
    from satisfaction.models import Interaction
    from tests.factories.portal import make_product

    section = _helpdesk_section()
    assert "/account/" in section and "API tokens" in section
    # The token is where the README says: the staff member's /account/ page.
    client.force_login(staff_user)
    assert "API tokens" in client.get("/account/").content.decode()
    client.logout()

    command = re.search(r"```sh\n(curl .*?)\n```", section, re.S).group(1)
    words = shlex.split(command.replace("\\\n", " "))
    url = words[words.index("-X") + 2]
    headers = [words[i + 1] for i, word in enumerate(words) if word == "-H"]
    body = json.loads(words[words.index("-d") + 1])
    assert "Content-Type: application/json" in headers
    assert any(h.startswith("Authorization: Bearer ") for h in headers)

    make_product(site_tree["products"], "Router X", slug=body["product"])
    _token, key = api_token_create(user=staff_user, name="Zendesk")
    path = url.split("://", 1)[1].split("/", 1)[1]
    send = {
        "data": json.dumps(body),
        "content_type": "application/json",
        "HTTP_AUTHORIZATION": f"Bearer {key}",
    }
    first = client.post(f"/{path}", **send)
    assert first.status_code == 201, first.content
    assert client.post(f"/{path}", **send).status_code == 200  # the same ticket once
    interaction = Interaction.objects.get()
    assert interaction.source_ref == body["source_ref"]
