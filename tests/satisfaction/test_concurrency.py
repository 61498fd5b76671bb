"""Rules that must hold under concurrent requests, each thread with its own connection.

50 threads on PostgreSQL and on SQLite alike: SQLite serialises the writers
(IMMEDIATE transactions, 20 s busy timeout, a file test database), PostgreSQL
lets them race for real.
"""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied

from satisfaction import services
from satisfaction.models import (
    DailyTally,
    Interaction,
    InvitationTally,
    SurveyInvitation,
    SurveyResponse,
)
from tests.concurrency import run_together
from tests.factories.satisfaction import record

pytestmark = pytest.mark.django_db(transaction=True)


THREADS = 50


def test_many_threads_answering_the_same_interaction_record_exactly_one_answer(product):
    interaction = record(product=product)
    invitation_id = interaction.invitation.pk
    count = THREADS

    def answer(index):
        invitation = SurveyInvitation.objects.select_related("interaction").get(
            pk=invitation_id
        )
        return services.survey_answer(invitation=invitation, satisfied=index % 2 == 0)

    results = run_together(answer, count)
    saved = [r for r in results if isinstance(r, SurveyResponse)]
    refused = [r for r in results if isinstance(r, services.AlreadyAnswered)]
    assert len(saved) == 1, results
    assert len(refused) == count - 1, results
    assert SurveyResponse.objects.count() == 1
    assert sum(DailyTally.objects.values_list("count", flat=True)) == 1
    assert InvitationTally.objects.get().answered == 1
    assert {r.answered_at for r in refused} == {saved[0].answered_at}


def test_many_threads_answering_different_interactions_leave_exact_tallies(product):
    count = THREADS
    interactions = [
        record(
            product=product if i % 3 else None,
            channel=["email", "chat", "phone"][i % 3],
        )
        for i in range(count)
    ]
    ids = [i.invitation.pk for i in interactions]

    def answer(index):
        invitation = SurveyInvitation.objects.select_related("interaction").get(
            pk=ids[index]
        )
        return services.survey_answer(invitation=invitation, satisfied=index % 4 != 0)

    results = run_together(answer, count)
    assert all(isinstance(r, SurveyResponse) for r in results), results
    expected = Counter(
        (r.day, r.product_pk or 0, r.channel, r.satisfied)
        for r in SurveyResponse.objects.all()
    )
    stored = Counter(
        {
            (t.day, t.product_pk, t.channel, t.satisfied): t.count
            for t in DailyTally.objects.all()
        }
    )
    assert stored == expected
    assert sum(stored.values()) == count
    assert sum(1 for r in results if r.satisfied) == count - len(range(0, count, 4))
    tally = InvitationTally.objects.get()
    assert (tally.sent, tally.answered) == (count, count)


def test_many_threads_recording_the_same_ticket_create_one_interaction(site_tree):
    count = THREADS

    def record_ticket(index):
        return services.interaction_record(
            channel=services.Channel.HELPDESK,
            source="helpdesk:zendesk",
            source_ref="T-42",
            customer_email="dana@example.org",
        )

    results = run_together(record_ticket, count)
    assert all(isinstance(r, Interaction) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Interaction.objects.count() == 1
    assert SurveyInvitation.objects.count() == 1
    assert InvitationTally.objects.get().sent == 1


def test_racing_staff_and_customer_still_leave_one_answer(customer, staff_user):
    interaction = record(customer=customer)
    invitation_id = interaction.invitation.pk

    def answer(index):
        invitation = SurveyInvitation.objects.select_related("interaction").get(
            pk=invitation_id
        )
        return services.survey_answer(
            invitation=invitation,
            satisfied=True,
            by=staff_user if index % 2 else customer,
        )

    results = run_together(answer, 6)
    assert sum(isinstance(r, PermissionDenied) for r in results) == 3
    assert SurveyResponse.objects.get().answered_by == customer
