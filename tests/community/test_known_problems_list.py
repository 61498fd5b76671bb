"""The public list of known problems (issue 17): every status on a visible question,
by customers affected or recent change, filtered by product and status, linked
from the question, the product page and the question list, in a query budget
that does not grow with the list."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.known_problems import selectors
from community.known_problems.models import KnownProblem
from community.known_problems.services import known_problem_set_status
from community.models import Question
from portal import cache as page_cache
from tests.factories.community import make_question
from tests.factories.portal import make_product

pytestmark = pytest.mark.django_db

URL = "/community/known-problems/"


def _problem(staff, author, title, *, product=None, status="investigating", me_too=0, **kw):
    question = make_question(author, title=title, product=product)
    Question.objects.filter(pk=question.pk).update(me_too_count=me_too)
    known_problem_set_status(staff, question, status, kw.get("note", ""), kw.get("fixed_in", ""))
    return question


def _titles(html: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in html.split('class="q-title"')[1:]
    ]


@pytest.fixture
def problems(site_tree, product, customer, staff_user):
    """Three known problems on Router X and one on a thermostat; one more hidden."""
    thermostat = make_product(site_tree["products"], "Thermostat T1")
    made = {
        "few": _problem(staff_user, customer, "Router X drops the guest network daily",
                        product=product, me_too=2),
        "many": _problem(staff_user, customer, "Router X reboots when the microwave runs",
                         product=product, me_too=1233, status="fixed",
                         fixed_in="firmware 2.4.1", note="Update from the app."),
        "some": _problem(staff_user, customer, "Router X app forgets the admin password",
                         product=product, me_too=40, status="planned"),
        "thermostat": _problem(staff_user, customer, "Thermostat T1 reads two degrees high",
                               product=thermostat, me_too=7, status="wont_fix"),
        "hidden": _problem(staff_user, customer, "Spam about cheap routers everywhere now",
                           product=product, me_too=5000),
    }
    Question.objects.filter(pk=made["hidden"].pk).update(is_hidden=True)
    made["thermostat_product"] = thermostat
    return made


def test_the_list_puts_the_most_affected_first_and_leaves_out_hidden_questions(
    client, problems
):
    html = client.get(URL).content.decode()
    assert _titles(html) == [
        "Router X reboots when the microwave runs",
        "Router X app forgets the admin password",
        "Thermostat T1 reads two degrees high",
        "Router X drops the guest network daily",
    ]
    assert "Spam about cheap routers" not in html
    assert "4 known problems" in html
    assert "1,234 customers affected" in html  # 1,233 "me too" and the asker
    assert "3 customers affected" in html
    first = html.split('class="q-card kp-card"')[1]
    assert 'class="badge badge-known badge-known-fixed">Fixed</span>' in first
    assert "in firmware 2.4.1" in first
    assert "Update from the app." in first
    assert ">Router X</a>" in first
    assert "Won&#x27;t fix" in html


def test_recently_changed_sorts_by_the_last_change(client, problems, staff_user):
    known_problem_set_status(staff_user, problems["few"], "planned", "Now planned.", "")
    KnownProblem.objects.filter(question=problems["some"]).update(
        changed_at=timezone.now() - timedelta(days=30)
    )
    page_cache.invalidate(page_cache.SITE)
    titles = _titles(client.get(URL + "?sort=recent").content.decode())
    assert titles[0] == "Router X drops the guest network daily"
    assert titles[-1] == "Router X app forgets the admin password"


def test_filters_by_product_slug_or_id_and_by_status(client, problems, product):
    by_slug = _titles(client.get(f"{URL}?product={product.slug}").content.decode())
    by_id = _titles(client.get(f"{URL}?product={product.pk}").content.decode())
    assert by_slug == by_id == [
        "Router X reboots when the microwave runs",
        "Router X app forgets the admin password",
        "Router X drops the guest network daily",
    ]
    html = client.get(f"{URL}?product={product.slug}&status=planned").content.decode()
    assert _titles(html) == ["Router X app forgets the admin password"]
    assert "<h1>Known problems with Router X</h1>" in html
    assert _titles(client.get(f"{URL}?status=wont_fix").content.decode()) == [
        "Thermostat T1 reads two degrees high"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?sort=worst",
        "?status=solved",
        "?product=no-such-product",
        "?product=99999999999999999999",
        "?page=999",
        "?page=abc",
        "?product=%F0%9F%92%A5&status=%E2%80%94",
    ],
)
def test_bad_parameters_are_ignored_never_a_500(client, problems, query):
    response = client.get(URL + query)
    assert response.status_code == 200
    assert len(_titles(response.content.decode())) == 4


def test_an_empty_list_says_so(client, site_tree):
    html = client.get(URL).content.decode()
    assert "No known problems right now." in html
    assert "0 known problems" in html


def test_the_rows_are_one_query_with_their_question_and_product(problems):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.known_problem_list_visible())
        shown = [(r.question.title, r.question.product.title, r.customers_affected) for r in rows]
    assert len(ctx) == 1
    assert shown[0] == ("Router X reboots when the microwave runs", "Router X", 1234)
    assert [r.customers_affected for r in rows] == [
        selectors.customers_affected(r.question) for r in rows
    ]


def test_links_from_the_question_the_product_page_and_the_question_list(
    client, problems, product
):
    question = problems["many"]
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{URL}?product={product.slug}">All known problems for Router X' in html
    product_page = client.get(product.url).content.decode()
    assert f'href="{URL}?product={product.slug}">Known problems (3)</a>' in product_page
    assert f'href="{URL}">Known problems</a>' in client.get("/community/").content.decode()
    listed = client.get(f"/community/?product={product.slug}").content.decode()
    assert f'href="{URL}?product={product.slug}">Known problems with Router X</a>' in listed


def test_a_product_without_known_problems_shows_no_line(client, site_tree, customer):
    quiet = make_product(site_tree["products"], "Doorbell D3")
    make_question(customer, product=quiet)
    assert "Known problems (" not in client.get(quiet.url).content.decode()


def test_the_product_line_counts_a_new_status_and_a_hidden_question_at_once(
    client, problems, product, staff_user, customer
):
    from community import services

    assert "Known problems (3)" in client.get(product.url).content.decode()
    known_problem_set_status(
        staff_user, make_question(customer, product=product), "investigating", "", ""
    )
    page_cache.invalidate(page_cache.SITE)
    assert "Known problems (4)" in client.get(product.url).content.decode()
    services.post_hide(post=problems["few"], by=staff_user, reason="spam")
    page_cache.invalidate(page_cache.SITE)
    assert "Known problems (3)" in client.get(product.url).content.decode()


def _grow(product, staff, n: int, prefix: str) -> None:
    User = get_user_model()
    author = User.objects.create(username=f"kp-{prefix}", email=f"kp-{prefix}@example.com")
    questions = Question.objects.bulk_create(
        [
            Question(
                author=author,
                title=f"Known problem {prefix}{i} with the router",
                slug="known-problem",
                body="Body text here.",
                body_html="<p>Body text here.</p>",
                product=product,
                me_too_count=i,
            )
            for i in range(n)
        ]
    )
    KnownProblem.objects.bulk_create(
        [
            KnownProblem(question=q, status="planned", note=f"Note {i}.")
            for i, q in enumerate(questions)
        ]
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_list_costs_the_same_queries_for_10_or_200_problems(
    client, site_tree, product, staff_user, customer, signed_in
):
    if signed_in:
        client.force_login(customer)

    def count(url):
        client.get(url)  # warm per-process caches
        page_cache.invalidate(page_cache.SITE)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    urls = [URL, f"{URL}?sort=recent&product={product.slug}&status=planned&page=2"]
    _grow(product, staff_user, 30, "s")
    small = [count(url) for url in urls]
    _grow(product, staff_user, 170, "l")
    large = [count(url) for url in urls]
    assert [n for n, _html in large] == [n for n, _html in small]
    # Signed-in members cost 3 more (their user, the user bar), as elsewhere.
    assert small[0][0] <= (11 if signed_in else 8), small[0][0]
    assert "200 known problems" in large[0][1]
    assert large[0][1].count('class="q-card kp-card"') == 20
