"""Refusals say what unlocks the action: editing another's post names the reputation
it needs (and the edit page offers a suggested edit instead), and the flag form is shown only to members who may flag (issue 17)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from community import services
from community.models import Flag
from tests.factories.community import make_question
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_editing_anothers_question_says_what_unlocks_it(client, site_tree, customer):
    question = make_question(UserFactory())
    with pytest.raises(PermissionDenied) as refused:
        services.question_edit(
            question=question, by=customer, title=question.title, body=question.body
        )
    message = str(refused.value)
    assert "only edit your own" not in message
    assert "needs 500 reputation (you have 1)" in message
    # The page offers a suggested edit instead of a refusal (issue 17).
    client.force_login(customer)
    response = client.get(f"/community/questions/{question.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "reviewed by the author or a member with 500 reputation" in html
    assert 'name="reason"' in html


def test_the_flag_form_is_only_for_members_who_may_flag(
    client, site_tree, customer, settings
):
    settings.CANDOR_REPUTATION_PRIVILEGES = {
        **settings.CANDOR_REPUTATION_PRIVILEGES,
        "flag": 5,  # the default (the test settings lower it to 1)
    }
    question = make_question(UserFactory())
    client.force_login(customer)  # reputation 1
    url = reverse("community:flag", args=["question", question.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 403
    assert "needs 5 reputation" in html
    assert 'name="reason"' not in html  # no flag form
    assert client.post(url, {"reason": "spam"}).status_code == 403
    assert not Flag.objects.exists()
    own = make_question(customer)
    response = client.get(reverse("community:flag", args=["question", own.pk]))
    assert response.status_code == 403
    assert "cannot flag your own post" in response.content.decode()
