"""Anyone can recompute every published figure exactly from the downloaded raw data.

This test deliberately re-implements the published method (see the method page)
instead of importing the app's selectors: it checks the formulas as written.
"""

import csv
import io
import json
import math
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from satisfaction import services
from satisfaction.models import Channel
from tests.factories.portal import make_product
from tests.factories.satisfaction import answer, record, seed_answers

pytestmark = pytest.mark.django_db
MIN_ANSWERS = 10


def pct1(part, whole):
    return float(
        (Decimal(100 * part) / Decimal(whole)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    )


def pct0(part, whole):
    return int(
        (Decimal(100 * part) / Decimal(whole)).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )
    )


def wilson(yes, n, z=1.96):
    p = yes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return round(100 * max(0.0, centre - half), 1), round(
        100 * min(1.0, centre + half), 1
    )


def figure(rows):
    n = len(rows)
    yes = sum(1 for row in rows if row["answer"] == "yes")
    out = {
        "n": n,
        "satisfied": yes,
        "enough": n >= MIN_ANSWERS,
        "percent": None,
        "percent_whole": None,
        "low": None,
        "high": None,
    }
    if n >= MIN_ANSWERS:
        low, high = wilson(yes, n)
        out.update(percent=pct1(yes, n), percent_whole=pct0(yes, n), low=low, high=high)
    return out


def recompute(answers, invitations, today):
    counted = [row for row in answers if not row["excluded_reason"]]
    result = {}
    last = counted[-100:][::-1]
    result["last"] = {
        "n": len(last),
        "satisfied": sum(r["answer"] == "yes" for r in last),
        "answers": [r["answer"] == "yes" for r in last],
    }
    windows = []
    for days in (30, 90):
        start = today - timedelta(days=days - 1)
        rows = [r for r in counted if start <= date.fromisoformat(r["day"]) <= today]
        sent = sum(
            i["sent"]
            for i in invitations
            if start <= date.fromisoformat(i["day"]) <= today
        )
        answered = sum(
            1 for r in answers if start <= date.fromisoformat(r["invited_day"]) <= today
        )
        windows.append(
            {
                "days": days,
                "from": start.isoformat(),
                "to": today.isoformat(),
                **figure(rows),
                "response_rate": {
                    "invitations": sent,
                    "answered": answered,
                    "percent": pct1(answered, sent) if sent else None,
                    "percent_whole": pct0(answered, sent) if sent else None,
                },
            }
        )
    result["windows"] = windows
    monday = today - timedelta(days=today.weekday())
    weekly = []
    for k in range(25, -1, -1):
        start = monday - timedelta(weeks=k)
        end = start + timedelta(days=6)
        rows = [r for r in counted if start <= date.fromisoformat(r["day"]) <= end]
        weekly.append(
            {
                "week_start": start.isoformat(),
                "week_end": min(end, today).isoformat(),
                **figure(rows),
            }
        )
    result["weekly"] = weekly

    def breakdown(key):
        groups = {}
        for r in counted:
            if date.fromisoformat(r["day"]) >= today - timedelta(days=89):
                groups.setdefault(r[key], []).append(r)
        return {
            value: {
                "30": figure(
                    [
                        r
                        for r in rows
                        if date.fromisoformat(r["day"]) >= today - timedelta(days=29)
                    ]
                ),
                "90": figure(rows),
            }
            for value, rows in groups.items()
        }

    result["by_product"] = breakdown("product_id")
    result["by_channel"] = breakdown("channel")
    result["excluded"] = Counter(
        r["excluded_reason"] for r in answers if r["excluded_reason"]
    )
    return result


def published_view(snapshot):
    return {
        "last": snapshot["last"],
        "windows": snapshot["windows"],
        "weekly": snapshot["weekly"],
        "by_product": {
            str(p["product_id"] or ""): p["windows"] for p in snapshot["by_product"]
        },
        "by_channel": {c["channel"]: c["windows"] for c in snapshot["by_channel"]},
        "excluded": Counter(
            {
                r["rule"]: r["count"]
                for r in snapshot["excluded"]["by_rule"]
                if r["count"]
            }
        ),
    }


@pytest.fixture
def history(site_tree, product, staff_user):
    other = make_product(site_tree["products"], "Thermostat T1")
    seed_answers(
        400,
        days=200,
        products=[product, other],
        satisfied_share=0.85,
        excluded_every=37,
        unanswered_every=6,
        staff=staff_user,
    )
    # Today's answers, through the real services, on top of the history.
    for i in range(15):
        response = answer(
            record(product=product, channel=Channel.PHONE), satisfied=i % 5 != 0
        )
    services.response_exclude(
        response=response, rule="test_interaction", reason="staff test", by=staff_user
    )
    record(product=other)  # invited today, not answered


def test_the_csv_and_json_downloads_recompute_every_published_figure_exactly(
    client, history
):
    answers_csv = client.get("/satisfaction/data/answers.csv")
    assert answers_csv["Content-Disposition"].startswith("attachment")
    csv_rows = list(
        csv.DictReader(io.StringIO(b"".join(answers_csv.streaming_content).decode()))
    )
    invitations_csv = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get("/satisfaction/data/invitations.csv").streaming_content
                ).decode()
            )
        )
    )
    invitations = [
        {"day": row["day"], "sent": int(row["sent"])} for row in invitations_csv
    ]
    data = json.loads(
        b"".join(client.get("/satisfaction/data/answers.json").streaming_content)
    )

    # The two formats carry the same rows.
    assert [dict(r) for r in csv_rows] == [
        {k: str(v) for k, v in r.items()} for r in data["answers"]
    ]
    assert data["invitations"] == invitations
    assert len(csv_rows) == 400 - 400 // 6 + 15

    snapshot = client.get("/satisfaction/meter.json").json()
    expected = recompute(csv_rows, invitations, date.fromisoformat(snapshot["today"]))
    published = published_view(snapshot)
    for key in ("last", "windows", "weekly", "by_product", "by_channel", "excluded"):
        assert published[key] == expected[key], key
    assert sum(expected["excluded"].values()) == snapshot["excluded"]["total"] > 0
    assert published["windows"][0]["enough"] and published["windows"][1]["n"] > 100


def test_the_page_shows_the_recomputed_figures(client, history):
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get("/satisfaction/data/answers.csv").streaming_content
                ).decode()
            )
        )
    )
    snapshot = client.get("/satisfaction/meter.json").json()
    today = date.fromisoformat(snapshot["today"])
    expected = recompute(csv_rows, [], today)
    html = client.get("/satisfaction/").content.decode()
    for window in expected["windows"]:
        assert f"{window['percent_whole']} %" in html
        assert f"{window['n']} answers" in html
    assert (
        f"{expected['last']['satisfied']} of the last 100 customers were satisfied"
        in html
    )


def test_the_raw_data_has_no_names_emails_comments_or_times(client, customer):
    answer(
        record(customer=customer, summary="secret summary"),
        satisfied=False,
        comment="my private comment",
    )
    body = b"".join(
        client.get("/satisfaction/data/answers.csv").streaming_content
    ).decode()
    body += b"".join(
        client.get("/satisfaction/data/answers.json").streaming_content
    ).decode()
    for secret in (
        customer.email,
        customer.username,
        "Ana",
        "secret summary",
        "my private comment",
        "T",
    ):
        if secret == "T":
            assert (
                "T0" not in body and "T1" not in body and "T2" not in body
            )  # no time of day
        else:
            assert secret not in body
    header = body.splitlines()[0]
    assert (
        header == "id,day,invited_day,product_id,product,channel,answer,excluded_reason"
    )
