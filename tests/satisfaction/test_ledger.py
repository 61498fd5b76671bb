"""Tamper evidence (the daily SHA-256 chain) and the tally rebuild, through their commands."""

import hashlib
import io
import json
from datetime import UTC, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from satisfaction import ledger
from satisfaction.models import DailyTally, DayDigest, InvitationTally, SurveyResponse
from tests.factories.satisfaction import answer, record, seed_answers

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sealed(product):
    seed_answers(60, days=10, products=[product])
    output = run("satisfaction_seal")
    assert "day(s) sealed" in output
    return DayDigest.objects.order_by("day")


def test_every_closed_day_is_sealed_in_order_without_gaps(sealed):
    days = [d.day for d in sealed]
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    assert days[-1] == ledger.last_closed_day()
    assert sealed.first().previous == "0" * 64
    for before, after in zip(sealed, list(sealed)[1:], strict=False):
        assert after.previous == before.digest
    assert (
        sum(d.answers for d in sealed)
        == SurveyResponse.objects.filter(day__lte=days[-1]).count()
    )


def test_a_digest_is_sha256_of_the_previous_digest_and_the_sorted_lines(sealed):
    first = sealed.first()
    rows = SurveyResponse.objects.filter(day=first.day)
    lines = sorted(
        f"{r.public_id},{r.day},{r.invited_day},{r.product_pk or ''},{r.channel},{'yes' if r.satisfied else 'no'}\n"
        for r in rows
    )
    assert (
        first.digest
        == hashlib.sha256(("0" * 64 + "\n" + "".join(lines)).encode()).hexdigest()
    )


def test_sealing_twice_changes_nothing_and_today_stays_open(sealed):
    before = list(sealed.values_list("day", "digest"))
    assert "0 day(s) sealed" in run("satisfaction_seal")
    assert (
        list(DayDigest.objects.order_by("day").values_list("day", "digest")) == before
    )
    assert not DayDigest.objects.filter(
        day=timezone.now().astimezone(UTC).date()
    ).exists()


def test_the_chain_verifies_and_the_command_says_so(sealed):
    assert "The hash chain verifies" in run("satisfaction_verify_chain")


def test_an_answer_slipped_into_a_sealed_day_breaks_the_chain(sealed):
    day = sealed.first().day
    interaction = record()
    SurveyResponse.objects.create(
        interaction=interaction,
        public_id="feedfacefeedface",
        satisfied=True,
        answered_at=timezone.now(),
        day=day,
        channel=interaction.channel,
        invited_day=day,
    )
    with pytest.raises(CommandError, match="does not verify"):
        run("satisfaction_verify_chain")
    count, problems = ledger.chain_verify()
    assert any(str(day) in p and "changed after it was sealed" in p for p in problems)


def test_a_kept_copy_proves_a_later_change_to_a_past_answer(client, sealed, tmp_path):
    chain = tmp_path / "chain.json"
    chain.write_bytes(client.get("/satisfaction/data/chain.json").content)
    answers = tmp_path / "answers.csv"
    original = b"".join(
        client.get("/satisfaction/data/answers.csv").streaming_content
    ).decode()
    answers.write_text(original)
    assert "verifies" in run(
        "satisfaction_verify_chain", "--chain", str(chain), "--answers", str(answers)
    )

    # Someone later flips one past "no" into a "yes" in the published data.
    lines = original.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines[1:], 1) if ",no," in line)
    lines[index] = lines[index].replace(",no,", ",yes,")
    answers.write_text("".join(lines))
    with pytest.raises(CommandError, match="does not verify"):
        run(
            "satisfaction_verify_chain",
            "--chain",
            str(chain),
            "--answers",
            str(answers),
        )

    # Or quietly rewrites the chain itself from that day on: the kept copy disagrees.
    body = json.loads(chain.read_text())
    body["days"][0]["digest"] = "f" * 64
    chain.write_text(json.dumps(body))
    answers.write_text(original)
    with pytest.raises(CommandError):
        run(
            "satisfaction_verify_chain",
            "--chain",
            str(chain),
            "--answers",
            str(answers),
        )


def test_a_later_answer_seals_the_days_that_closed_since(
    product, django_capture_on_commit_callbacks
):
    seed_answers(10, days=5, products=[product])
    assert DayDigest.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        answer(record(product=product))
    assert DayDigest.objects.order_by("-day").first().day == ledger.last_closed_day()


def test_the_rebuild_command_reports_and_fixes_a_wrong_tally(product):
    seed_answers(30, days=5, products=[product])
    assert "match" in run("satisfaction_rebuild_tallies")
    tally = DailyTally.objects.filter(count__gt=0).first()
    DailyTally.objects.filter(pk=tally.pk).update(count=tally.count + 5)
    InvitationTally.objects.filter(day=tally.day).update(sent=999)
    with pytest.raises(CommandError, match="2 tallies differ"):
        run("satisfaction_rebuild_tallies", "--dry-run")
    assert (
        DailyTally.objects.get(pk=tally.pk).count == tally.count + 5
    )  # dry run fixed nothing
    output = run("satisfaction_rebuild_tallies")
    assert f"stored {tally.count + 5}, answers say {tally.count}" in output
    assert "sent" in output
    assert DailyTally.objects.get(pk=tally.pk).count == tally.count
    assert "match" in run("satisfaction_rebuild_tallies")


def test_tallies_kept_by_the_services_match_a_rebuild(customer, staff_user, product):
    from satisfaction import services

    responses = [
        answer(record(product=product if i % 2 else None), satisfied=i % 3 != 0)
        for i in range(9)
    ]
    services.response_exclude(
        response=responses[4], rule="spam", reason="bot", by=staff_user
    )
    record()  # invited, unanswered
    assert ledger.tallies_rebuild(fix=False) == []
