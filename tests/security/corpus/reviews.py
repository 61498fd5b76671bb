"""Reviews' bad input: write, edit, photos (hostile files), helpful, report, reply, API."""


from django.core.files.uploadedfile import SimpleUploadedFile

from . import HOSTILE, HOSTILE_FILES, RAW_INVALID_UTF8, Case
from .community import BAD_CHOICES, BAD_TEXT, EMPTY_TEXT, json_case

REVIEW = {"rating": "4", "title": "Solid router", "body": "Set-up took ten minutes; no drops since."}
BAD_RATINGS = ["0", "6", "-1", "4.5", "five", "", "9" * 400, "1e309", HOSTILE["nul"], HOSTILE["sql"]]


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    write = "/reviews/write/{product_id}/"
    edit = "/reviews/{review_id}/edit/"

    # Ben has not reviewed the product; Ana wrote the world's review.
    for value in BAD_RATINGS:
        add(Case(f"write rating {value[:10]!r}", "POST", write, "other_customer",
                 {**REVIEW, "rating": value}))
        add(Case(f"edit rating {value[:10]!r}", "POST", edit, "customer",
                 {**REVIEW, "rating": value}))
    for field in ("title", "body"):
        for key, value in (BAD_TEXT | EMPTY_TEXT).items():
            add(Case(f"write {field} {key}", "POST", write, "other_customer",
                     {**REVIEW, field: value}))
            add(Case(f"edit {field} {key}", "POST", edit, "customer", {**REVIEW, field: value}))
    for key, (name, content) in HOSTILE_FILES.items():
        add(Case(f"write photo {key}", "POST", write, "other_customer",
                 {**REVIEW, "photos": SimpleUploadedFile(name.replace("\x00", ""), content)}))
    add(Case("write six photos", "POST", write, "other_customer",
             {**REVIEW, "photos": [SimpleUploadedFile(f"p{n}.png", HOSTILE_FILES["empty"][1])
                                   for n in range(6)]}))
    for key, raw in RAW_INVALID_UTF8.items():
        add(Case(f"write rating bytes {key}", "POST", write, "other_customer",
                 body=b"title=Fine&body=Fine+router+all+round&rating=" + raw,
                 content_type="application/x-www-form-urlencoded"))
    add(Case("write as staff", "POST", write, "staff", REVIEW))
    add(Case("write a missing product", "POST", "/reviews/write/999999/", "other_customer",
             REVIEW))
    add(Case("edit someone else's review", "POST", edit, "other_customer", REVIEW))
    add(Case("delete someone else's review", "POST", "/reviews/{review_id}/delete/",
             "other_customer"))

    for key, value in BAD_CHOICES.items():
        add(Case(f"helpful {key}", "POST", "/reviews/{review_id}/helpful/", "other_customer",
                 {"helpful": value}, headers={"HTTP_ACCEPT": "application/json"}))
        add(Case(f"report reason {key}", "POST", "/reviews/{review_id}/report/",
                 "other_customer", {"reason": value}))
    for key in ("nul", "long_100k"):
        add(Case(f"report note {key}", "POST", "/reviews/{review_id}/report/",
                 "other_customer", {"reason": "spam", "note": HOSTILE[key]}))
    add(Case("helpful on own review", "POST", "/reviews/{review_id}/helpful/", "customer",
             {"helpful": "yes"}, headers={"HTTP_ACCEPT": "application/json"}))
    for key, value in (BAD_TEXT | EMPTY_TEXT).items():
        add(Case(f"reply body {key}", "POST", "/reviews/{review_id}/reply/", "staff",
                 {"body": value}))
    add(Case("reply as a customer", "POST", "/reviews/{review_id}/reply/", "other_customer",
             {"body": "Thanks for the review."}))

    # The API.
    create = "/api/v1/reviews/products/{product_slug}/"
    good = {"rating": 4, "title": "Solid router", "body": "No drops since set-up."}
    for value in (0, 6, -1, 4.5, "five", None, 10**30, [4], True):
        add(json_case(f"API review rating {value!r:.12}", "POST", create,
                      {**good, "rating": value}, role="other_customer"))
    for field in ("title", "body"):
        for key, value in (BAD_TEXT | {"empty": ""}).items():
            add(json_case(f"API review {field} {key}", "POST", create,
                          {**good, field: value}, role="other_customer"))
    add(json_case("API review malformed JSON", "POST", create, None, raw=b"{rating: 4",
                  role="other_customer"))
    add(json_case("API review a list", "POST", create, [good], role="other_customer"))
    add(json_case("API review a missing product", "POST", "/api/v1/reviews/products/no-such/",
                  good, role="other_customer"))
    add(json_case("API review as staff", "POST", create, good, role="staff"))
    add(json_case("API review update someone else's", "PUT", "/api/v1/reviews/{review_id}/",
                  good, role="other_customer"))
    add(json_case("API review update bad rating", "PUT", "/api/v1/reviews/{review_id}/",
                  {**good, "rating": 9}))
    for value in ("maybe", None, 2, [True]):
        add(json_case(f"API helpful {value!r}", "POST", "/api/v1/reviews/{review_id}/helpful/",
                      {"helpful": value}, role="other_customer"))
    for value in ("", "nonsense", HOSTILE["sql"], HOSTILE["nul"], None):
        add(json_case(f"API report reason {value!r:.12}", "POST",
                      "/api/v1/reviews/{review_id}/report/", {"reason": value},
                      role="other_customer"))
    for key, value in (BAD_TEXT | {"empty": ""}).items():
        add(json_case(f"API reply body {key}", "PUT", "/api/v1/reviews/{review_id}/reply/",
                      {"body": value}, role="staff"))
    for key, (name, content) in HOSTILE_FILES.items():
        add(Case(f"API photo {key}", "POST", "/api/v1/reviews/{review_id}/photos/", "customer",
                 {"photo": SimpleUploadedFile(name.replace("\x00", ""), content)}, token=True))
    add(Case("API photo missing", "POST", "/api/v1/reviews/{review_id}/photos/", "customer",
             {}, token=True))
    add(Case("API photo on someone else's review", "POST",
             "/api/v1/reviews/{review_id}/photos/", "other_customer",
             {"photo": SimpleUploadedFile("a.png", HOSTILE_FILES["truncated_png"][1])},
             token=True))
    return out
