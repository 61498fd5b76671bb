"""Satisfaction's bad input: the survey (by link and from the account) and the API."""

import json
from urllib.parse import quote

from . import HOSTILE, RAW_INVALID_UTF8, Case
from .community import BAD_CHOICES, BAD_TEXT, json_case


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    survey = "/satisfaction/survey/{survey_token}/"
    mine = "/satisfaction/interactions/{interaction_id}/survey/"
    for key, value in BAD_CHOICES.items():
        add(Case(f"survey answer {key}", "POST", survey, data={"answer": value}))
        add(Case(f"account survey answer {key}", "POST", mine, "customer", {"answer": value}))
    for key in ("nul", "long_100k", "long_words"):
        add(Case(f"survey comment {key}", "POST", survey,
                 data={"answer": "yes", "comment": HOSTILE[key]}))
    for key, raw in RAW_INVALID_UTF8.items():
        add(Case(f"survey answer bytes {key}", "POST", survey,
                 body=b"comment=ok&answer=" + raw,
                 content_type="application/x-www-form-urlencoded"))
    for key in ("sql", "xss_script", "path", "long_100k", "template", "percent"):
        add(Case(f"survey token {key}", "POST",
                 "/satisfaction/survey/" + quote(HOSTILE[key][:3000], safe="") + "/",
                 data={"answer": "yes"}))
    add(Case("survey a forged token", "POST", "/satisfaction/survey/" + "A" * 40 + ".x/",
             data={"answer": "yes"}))
    add(Case("survey by GET records nothing", "GET", survey + "?answer=yes", expect="read"))
    add(Case("survey as staff", "POST", survey, "staff", {"answer": "yes"}))
    add(Case("account survey of someone else", "POST", mine, "other_customer",
             {"answer": "yes"}))
    add(Case("account survey missing", "POST", "/satisfaction/interactions/999999/survey/",
             "customer", {"answer": "yes"}))

    create = "/api/v1/satisfaction/interactions/"
    good = {"source": "helpdesk:test", "source_ref": "T-1", "customer_email": "c@example.com"}
    for field in ("source", "source_ref", "customer_email"):
        for key, value in (BAD_TEXT | {"empty": ""}).items():
            add(json_case(f"API interaction {field} {key}", "POST", create,
                          {**good, field: value}, role="staff"))
    for key in ("sql", "xss_script", "js_url", "crlf"):
        add(json_case(f"API interaction email {key}", "POST", create,
                      {**good, "customer_email": HOSTILE[key]}, role="staff"))
    for value in ("carrier pigeon", "", None, 7):
        add(json_case(f"API interaction channel {value!r}", "POST", create,
                      {**good, "channel": value}, role="staff"))
    for value in ("yesterday", "2999-01-01T00:00:00Z", "0000-00-00", "2026-13-40T99:00Z"):
        add(json_case(f"API interaction occurred_at {value!r}", "POST", create,
                      {**good, "occurred_at": value}, role="staff"))
    add(json_case("API interaction unknown product", "POST", create,
                  {**good, "product": "no-such-product"}, role="staff"))
    add(json_case("API interaction malformed JSON", "POST", create, None, raw=b"[",
                  role="staff"))
    add(json_case("API interaction as a customer", "POST", create, good, role="customer"))
    add(Case("API interaction without a token", "POST", create, "staff",
             body=json.dumps(good).encode(), content_type="application/json"))
    return out
