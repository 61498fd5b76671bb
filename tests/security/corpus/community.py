"""Community's bad input: ask, answer, comment, vote, flag, edit, follow and the API writes.

Every case is a write that must be refused (400 with the form's errors, 403,
404 or 422) and save nothing; the other fields of each form are valid, so the
one hostile value is what gets it refused.
"""

import json
from urllib.parse import quote

from . import HOSTILE, RAW_INVALID_UTF8, Case

# Text no title, body or note may be stored as: NUL (PostgreSQL cannot store
# it), too long, or nothing at all.
BAD_TEXT = {
    "nul": HOSTILE["nul"],
    "nul_only": HOSTILE["nul_only"],
    "long_100k": HOSTILE["long_100k"],
    "long_words": HOSTILE["long_words"],
}
EMPTY_TEXT = {"empty": "", "spaces": "   \t  "}
BAD_CHOICES = {
    key: HOSTILE[key]
    for key in ("sql", "xss_script", "huge_number", "negative", "template", "nul")
} | {"empty": ""}

QUESTION = {
    "title": "How do I change the Wi-Fi channel on the router?",
    "body": "It drops every evening; the app offers no channel setting.",
    "tags": "wifi",
    "confirmed": "1",
}
ANSWER = {"body": "Open the app, go to Settings, Network, and pick channel 36."}


def json_case(name, method, path, payload, role="customer", raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    return Case(
        name, method, path, role=role, body=body, content_type="application/json", token=True
    )


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    ask = "/community/ask/"
    answer = "/community/questions/{question_id}/answer/"
    comment = "/community/question/{question_id}/comment/"
    edit = "/community/questions/{question_id}/edit/"

    for field in ("title", "body"):
        for key, value in (BAD_TEXT | EMPTY_TEXT).items():
            add(Case(f"ask {field} {key}", "POST", ask, "customer", {**QUESTION, field: value}))
    for key in ("nul", "long_100k", "xss_script", "sql", "path"):
        add(Case(f"ask tags {key}", "POST", ask, "customer", {**QUESTION, "tags": HOSTILE[key]}))
    add(Case("ask too many tags", "POST", ask, "customer",
             {**QUESTION, "tags": ",".join(f"tag{n}" for n in range(30))}))
    for key in ("sql", "negative", "huge_number", "xss_script"):
        add(Case(f"ask product {key}", "POST", ask, "customer",
                 {**QUESTION, "product": HOSTILE[key]}))
    for key, raw in RAW_INVALID_UTF8.items():
        # Undecodable bytes become U+FFFD, harmless in free text; in a choice they are no choice.
        add(Case(f"ask product bytes {key}", "POST", ask, "customer",
                 body=b"title=Why+does+the+router+drop+Wi-Fi+at+night%3F"
                 b"&body=It+drops+every+evening+without+reason&confirmed=1&product=" + raw,
                 content_type="application/x-www-form-urlencoded"))
    add(Case("ask JSON body", "POST", ask, "customer", body=json.dumps(QUESTION).encode(),
             content_type="application/json"))

    for key, value in (BAD_TEXT | EMPTY_TEXT).items():
        add(Case(f"answer body {key}", "POST", answer, "customer", {"body": value}))
        add(Case(f"comment body {key}", "POST", comment, "customer", {"body": value}))
        add(Case(f"edit question body {key}", "POST", edit, "customer",
                 {**QUESTION, "body": value}))
    for key, raw in RAW_INVALID_UTF8.items():
        add(Case(f"vote value bytes {key}", "POST", "/community/answer/{answer_id}/vote/",
                 "customer", body=b"value=" + raw,
                 content_type="application/x-www-form-urlencoded"))
    add(Case("answer on a missing question", "POST",
             "/community/questions/999999/answer/", "customer", ANSWER))
    add(Case("comment on a bad kind", "POST", "/community/user/{question_id}/comment/",
             "customer", {"body": "Which model is it exactly?"}))
    add(Case("edit someone else's question", "POST", edit, "other_customer", QUESTION))

    for key, value in BAD_CHOICES.items():
        add(Case(f"vote value {key}", "POST", "/community/answer/{answer_id}/vote/",
                 "customer", {"value": value}))
        add(Case(f"flag reason {key}", "POST", "/community/answer/{answer_id}/flag/",
                 "customer", {"reason": value}))
    for key in ("nul", "long_100k"):
        add(Case(f"flag note {key}", "POST", "/community/answer/{answer_id}/flag/",
                 "customer", {"reason": "spam", "note": HOSTILE[key]}))
    add(Case("vote on own answer", "POST", "/community/answer/{answer_id}/vote/",
             "other_customer", {"value": "up"}))
    add(Case("flag a missing post", "POST", "/community/answer/999999/flag/",
             "customer", {"reason": "spam"}))
    add(Case("accept as someone else", "POST", "/community/answers/{answer_id}/accept/",
             "other_customer"))
    add(Case("official as a customer", "POST", "/community/answers/{answer_id}/official/",
             "customer"))
    for key in ("xss_script", "long_100k", "sql", "path"):
        add(Case(f"follow tag {key}", "POST",
                 "/community/follow/tag/" + quote(HOSTILE[key][:3000], safe="") + "/",
                 "customer"))
    add(Case("follow a missing product", "POST", "/community/follow/product/999999/",
             "customer"))
    for key, value in BAD_CHOICES.items():
        add(Case(f"notification settings {key}", "POST", "/community/notifications/settings/",
                 "customer", {"email_mode": value}))

    # The API: malformed JSON, wrong types, hostile strings, missing fields.
    questions = "/api/v1/community/questions/"
    good = {"title": QUESTION["title"], "body": QUESTION["body"], "tags": ["wifi"]}
    add(json_case("API ask malformed JSON", "POST", questions, None, raw=b'{"title": '))
    add(json_case("API ask a list", "POST", questions, [good]))
    add(json_case("API ask no title", "POST", questions, {"body": good["body"]}))
    add(json_case("API ask tags a string", "POST", questions, {**good, "tags": "wifi"}))
    add(json_case("API ask unknown product", "POST", questions, {**good, "product": "no-such"}))
    for field in ("title", "body"):
        for key, value in (BAD_TEXT | EMPTY_TEXT).items():
            add(json_case(f"API ask {field} {key}", "POST", questions, {**good, field: value}))
        add(json_case(f"API ask {field} a number", "POST", questions, {**good, field: 12}))
        add(json_case(f"API ask {field} an object", "POST", questions,
                      {**good, field: {"$gt": ""}}))
    add(json_case("API ask form-encoded", "POST", questions, None,
                  raw=b"title=x&body=y"))
    add(Case("API ask without a token", "POST", questions, "customer",
             body=json.dumps(good).encode(), content_type="application/json"))
    answers = "/api/v1/community/questions/{question_id}/answers/"
    for key, value in (BAD_TEXT | EMPTY_TEXT).items():
        add(json_case(f"API answer body {key}", "POST", answers, {"body": value}))
    add(json_case("API answer null body", "POST", answers, {"body": None}))
    for value in (2, -2, "up", None, 1e309, [1], 10**30):
        add(json_case(f"API vote {value!r:.12}", "POST",
                      "/api/v1/community/answers/{answer_id}/vote/", {"value": value}))
    add(json_case("API vote on a missing question", "POST",
                  "/api/v1/community/questions/999999/vote/", {"value": 1}))
    add(json_case("API accept as someone else", "POST",
                  "/api/v1/community/answers/{answer_id}/accept/", {}, role="other_customer"))
    add(Case("API forged token", "POST", questions, "customer",
             body=json.dumps(good).encode(), content_type="application/json",
             headers={"HTTP_AUTHORIZATION": "Bearer " + "A" * 64}))

    # Suggested edits: Ana suggests on Ben's answer, Ben on Ana's question (the
    # world holds his pending one, so a second is refused too).
    suggest_answer = "/api/v1/community/answers/{answer_id}/suggested-edits/"
    suggest_question = "/api/v1/community/questions/{question_id}/suggested-edits/"
    good_answer = {"body": ANSWER["body"] + " Then restart.", "reason": "Adds the last step"}
    for field in ("body", "reason"):
        for key, value in (BAD_TEXT | EMPTY_TEXT).items():
            add(json_case(f"API suggest {field} {key}", "POST", suggest_answer,
                          {**good_answer, field: value}))
        for key, value in (("true", True), ("number", 12), ("null", None), ("object", {"$gt": ""})):
            add(json_case(f"API suggest {field} {key}", "POST", suggest_answer,
                          {**good_answer, field: value}))
    add(json_case("API suggest lone surrogate", "POST", suggest_answer, None,
                  raw=b'{"body": "Open the app \\ud800 and pick channel 36.", "reason": "x"}'))
    add(json_case("API suggest unchanged", "POST", suggest_answer,
                  {"body": "Restart it, then pick channel 36 in the app settings.", "reason": "Same"}))
    add(json_case("API suggest on own answer", "POST", suggest_answer, good_answer,
                  role="other_customer"))
    add(json_case("API suggest on own post", "POST", suggest_question,
                  {"body": QUESTION["body"] + " More.", "reason": "More"}))
    add(json_case("API suggest a second pending", "POST", suggest_question,
                  {"body": QUESTION["body"] + " More.", "reason": "More"}, role="other_customer"))
    add(json_case("API suggest as staff", "POST", suggest_question,
                  {"body": QUESTION["body"] + " More.", "reason": "More"}, role="staff"))
    add(json_case("API suggest tags a string", "POST", suggest_question,
                  {"tags": "wifi", "reason": "Tags"}, role="other_customer"))
    suggestion = "/api/v1/community/suggested-edits/{suggestion_id}/"
    add(json_case("API approve own suggestion", "POST", suggestion + "approve/", {},
                  role="other_customer"))
    add(json_case("API approve a missing suggestion", "POST",
                  "/api/v1/community/suggested-edits/999999/approve/", {}, role="staff"))
    for key, value in BAD_TEXT.items():
        add(json_case(f"API reject reason {key}", "POST", suggestion + "reject/",
                      {"reason": value}))
    add(json_case("API reject reason a number", "POST", suggestion + "reject/", {"reason": 5}))
    add(Case("API suggested edits page true", "GET",
             "/api/v1/community/suggested-edits/?page=true", "customer", token=True))
    return out
