"""axe-core finds no serious or critical problem on any public page, at 375 and 1280 px.

axe.min.js is vendored from the npm registry (tests/accessibility/vendor/,
refreshed by fetch_axe.sh) and evaluated in each page by Playwright in Debian's
chromium; nothing is fetched at test time. Each app lists its pages in
PAGES_BY_APP below.
"""

import json
from pathlib import Path

import pytest

from tests.factories.portal import make_article, make_product
from tests.factories.users import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WIDTHS = (375, 1280)


def portal_pages(world) -> list[tuple[str, str]]:
    """(path, who) for every portal page; who is "anonymous" or "member"."""
    return [
        ("/", "anonymous"),
        ("/products/", "anonymous"),
        (world["product"].url, "anonymous"),
        ("/help/", "anonymous"),
        (world["article"].url, "anonymous"),
        ("/search/?q=router", "anonymous"),
        ("/search/?q=nothing-matches-this", "anonymous"),
        ("/account/login/", "anonymous"),
        ("/account/signup/", "anonymous"),
        ("/account/password-reset/", "anonymous"),
        ("/people/ana/", "anonymous"),
        ("/no-such-page/", "anonymous"),
        ("/account/", "member"),
        ("/account/profile/", "member"),
        (world["article"].url, "member"),
        ("/admin/", "member"),  # the site's 403 page
    ]


def community_pages(world) -> list[tuple[str, str]]:
    question = world["question"]
    return [
        ("/community/", "anonymous"),
        (question.get_absolute_url(), "anonymous"),
        (question.get_absolute_url(), "member"),
        ("/community/ask/", "member"),
        ("/community/tags/wifi/", "anonymous"),
        ("/people/ben/", "anonymous"),
        ("/community/notifications/", "member"),
    ]


def reviews_pages(world) -> list[tuple[str, str]]:
    return [
        (world["product"].url, "member"),  # the reviews panel with its forms
        (f"/reviews/{world['review'].pk}/", "anonymous"),
        (f"/reviews/write/{world['other_product'].pk}/", "member"),
        (f"/reviews/{world['review'].pk}/report/", "member"),
    ]


def satisfaction_pages(world) -> list[tuple[str, str]]:
    return [
        ("/satisfaction/", "anonymous"),
        ("/satisfaction/method/", "anonymous"),
        ("/satisfaction/data/", "anonymous"),
        ("/satisfaction/badge/", "anonymous"),
        (world["survey_url"], "anonymous"),
        (world["survey_url"] + "?answer=no", "anonymous"),
        ("/contact/?from=/search/&title=router", "anonymous"),
        ("/contact/", "member"),
        (world["contact_url"], "member"),
    ]


def reputation_pages(world) -> list[tuple[str, str]]:
    """Reputation and badge pages, with a member who earned a badge and one award withdrawn."""
    from badgify.models import Award
    from django.core.management import call_command

    from community.badges import badge_award_withdraw
    from tests.factories.community import make_answer, make_question
    from tests.factories.users import StaffFactory

    question = make_question(title="Router X drops the guest network every night", product=world["product"])
    earner = UserFactory(username="omar", profile__display_name="Omar Diallo")
    make_answer(question, earner)
    withdrawn = UserFactory(username="rui")
    make_answer(question, withdrawn)
    call_command("badgify_sync", "awards")
    award = Award.objects.get(user=earner, badge__slug="first-answer")
    gone = Award.objects.get(user=withdrawn, badge__slug="first-answer").pk
    badge_award_withdraw(award_id=gone, by=StaffFactory(), reason="Copied answers", tell_member=False)
    return [
        ("/community/reputation/", "anonymous"),
        ("/community/badges/", "anonymous"),
        ("/community/badges/first-answer/", "anonymous"),
        (f"/community/badges/awards/{award.pk}/", "anonymous"),
        (f"/community/badges/awards/{gone}/", "anonymous"),
        ("/community/leaderboard/", "anonymous"),
        ("/community/members/omar/reputation/", "anonymous"),
        ("/people/omar/", "anonymous"),
        (question.get_absolute_url(), "member"),
        ("/styleguide/", "anonymous"),  # after the sync, so its medals are drawn
    ]


def customer_pages(world) -> list[tuple[str, str]]:
    """My support (with one of every entry), the data export and deletion pages (issue 9)."""
    from portal import services_customer
    from tests.factories.timeline import make_history
    from tests.factories.users import StaffFactory

    make_history(customer=world["member"], staff=StaffFactory(), product=world["product"])
    export = services_customer.data_export_request(user=world["member"])
    services_customer.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    token = services_customer.data_export_token(export)
    return [
        ("/account/support/", "member"),
        ("/account/data/", "member"),
        (f"/account/data/{token}/", "member"),
        ("/account/delete/", "member"),
    ]


PAGES_BY_APP = [
    portal_pages,
    community_pages,
    reputation_pages,
    reviews_pages,
    satisfaction_pages,
    customer_pages,
]


def build_world(site_tree):
    from satisfaction.tokens import survey_token_make
    from tests.factories.community import make_answer, make_question
    from tests.factories.contact import open_every_day, submit
    from tests.factories.reviews import write_review
    from tests.factories.satisfaction import answer, record

    product = make_product(site_tree["products"], "Router X", tags=["wifi"])
    other_product = make_product(site_tree["products"], "Hub Mini", tags=["hub"])
    article = make_article(
        site_tree["kb"], "Set up Router X", tags=["setup"], products=[product]
    )
    member = UserFactory(username="ana", profile__display_name="Ana Souza")
    ben = UserFactory(username="ben", profile__display_name="Ben Okafor")
    question = make_question(
        ben, title="Why does Router X drop Wi-Fi every evening?", product=product
    )
    make_answer(question, member)
    review = write_review(product, ben, rating=4, title="Fast and steady")
    for _ in range(3):
        answer(record(), satisfied=True)
    survey_url = f"/satisfaction/survey/{survey_token_make(record().invitation)}/"
    open_every_day()
    contact = submit(customer=member)
    return {
        "product": product,
        "other_product": other_product,
        "article": article,
        "member": member,
        "question": question,
        "review": review,
        "survey_url": survey_url,
        "contact_url": contact.get_absolute_url(),
    }


# axe only asks for review (no violation) when an aria-describedby id is missing,
# so a form's help text pointing at nothing went unnoticed: check every target.
MISSING_DESCRIBED_BY = """() => [...document.querySelectorAll('[aria-describedby]')]
  .flatMap((el) => el.getAttribute('aria-describedby').split(/\\s+/)
    .filter((id) => id && !document.getElementById(id))
    .map((id) => `${el.tagName.toLowerCase()}#${el.id} -> #${id}`))"""


def missing_described_by(page) -> list[str]:
    return page.evaluate(MISSING_DESCRIBED_BY)


def serious_violations(page) -> list[dict]:
    page.evaluate(AXE)
    assert page.evaluate("axe.version") == "4.14.1"
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
            }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_no_serious_or_critical_axe_violations_on_any_page(
    live_server, browser_page, site_tree, client
):
    world = build_world(site_tree)
    pages = [entry for builder in PAGES_BY_APP for entry in builder(world)]
    client.force_login(world["member"])
    session = client.cookies["sessionid"].value
    problems = []
    for width in WIDTHS:
        # The page's own CSP forbids injected scripts; axe is a test tool.
        anonymous = browser_page(width=width, bypass_csp=True)
        member = browser_page(width=width, bypass_csp=True)
        member.context.add_cookies(
            [{"name": "sessionid", "value": session, "url": live_server.url}]
        )
        for path, who in pages:
            page = member if who == "member" else anonymous
            page.goto(live_server.url + path)
            for violation in serious_violations(page):
                problems.append(f"{width}px {who} {path}: {json.dumps(violation)}")
            for target in missing_described_by(page):
                problems.append(f"{width}px {who} {path}: describedby {target}")
    assert not problems, "\n".join(problems)
    # The check itself works: a bare image without alt text is reported.
    anonymous.set_content(
        "<!doctype html><html lang=en><title>t</title><img src=x.png>"
    )
    assert [v["id"] for v in serious_violations(anonymous)] == ["image-alt"]
    anonymous.set_content(
        "<!doctype html><html lang=en><title>t</title>"
        "<input id=a aria-describedby=a_helptext><p id=a_help>Help</p>"
    )
    assert missing_described_by(anonymous) == ["input#a -> #a_helptext"]
