"""The live meter across threads and commits: an answer reaches an open stream,
and a burst of answers refreshes the meters once.

Transactional tests (the stream reads what other connections committed) live in
their own module: a test database flush after them must not land between other
tests that run on the same pytest-xdist worker (see tests/conftest.py).
"""

import json
import threading
import time

import pytest

from satisfaction import live, services
from tests.factories.satisfaction import record

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_reaches_an_open_stream_within_two_seconds(settings):
    settings.CANDOR_SATISFACTION_SSE_SECONDS = 5
    settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = (
        0.25  # the production path: a coalesced refresh
    )
    from django.db import connection
    from django.test import Client

    interaction = record()
    received = []
    listening = threading.Event()

    def listen():
        response = Client().get("/satisfaction/live/")
        try:
            for chunk in response.streaming_content:
                text = chunk.decode()
                if text.startswith("event: meter"):
                    snapshot = json.loads(text.split("data: ", 1)[1])
                    if snapshot["last"]["n"]:
                        received.append((time.monotonic(), snapshot))
                        break
                    listening.set()
        finally:
            response.close()
            connection.close()

    thread = threading.Thread(target=listen)
    thread.start()
    assert listening.wait(5)
    services.survey_answer(
        invitation=interaction.invitation, satisfied=True
    )  # commits, then publishes
    committed = time.monotonic()
    thread.join(timeout=5)
    assert received, "the open stream heard nothing"
    arrived, snapshot = received[0]
    assert arrived - committed < 2
    assert snapshot["last"] == {"n": 1, "satisfied": 1, "answers": [True]}


def test_a_burst_of_answers_refreshes_the_meters_once(settings):
    settings.CANDOR_SATISFACTION_LIVE_DELAY_SECONDS = 0.5
    invitations = [record().invitation for _ in range(5)]
    with live.subscribe() as subscription:
        started = live.local_bus.state()[0]
        counter = None
        if settings.REDIS_URL:
            import redis

            counter = redis.Redis.from_url(settings.REDIS_URL).pubsub()
            counter.subscribe(live.channel_name())
            counter.get_message(timeout=1)  # the subscribe confirmation
        for invitation in invitations:
            services.survey_answer(invitation=invitation, satisfied=True)
        message = subscription.get(timeout=3)
        assert json.loads(message)["last"]["n"] == 5
        assert (
            subscription.get(timeout=1) is None
        )  # nothing more: one refresh for the burst
        if counter is None:
            assert live.local_bus.state()[0] - started == 1
        else:
            published = 0
            while counter.get_message(timeout=0.2):
                published += 1
            counter.close()
            assert published == 1
