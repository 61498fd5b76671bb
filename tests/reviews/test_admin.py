"""Staff moderate reviews, verify customers and post notes in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group

from portal.roles import STAFF_GROUP
from reviews import services
from reviews.models import (
    ModerationReason,
    ProductNote,
    ProductOwnership,
    Review,
    ReviewAppeal,
)
from tests.factories.reviews import write_review

pytestmark = pytest.mark.django_db


def test_the_staff_group_has_the_review_permissions_it_needs():
    codenames = set(
        Group.objects.get(name=STAFF_GROUP).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {
        "view_review",
        "moderate_review",
        "add_productnote",
        "add_productownership",
        "view_trendalert",
    } <= codenames
    assert "change_review" not in codenames and "delete_review" not in codenames


def test_staff_list_reviews_and_open_the_moderation_page(staff_client, product):
    review = write_review(product, title="Listed review")
    listing = staff_client.get("/admin/reviews/all/")
    assert listing.status_code == 200 and "Listed review" in listing.content.decode()
    page = staff_client.get(f"/admin/reviews/all/moderate/{review.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hide this review" in html and "never because of the rating" in html


def test_nobody_can_add_edit_or_delete_a_review_in_the_admin(admin_client, product):
    review = write_review(product)
    for url in [
        "/admin/reviews/all/new/",
        f"/admin/reviews/all/edit/{review.pk}/",
        f"/admin/reviews/all/delete/{review.pk}/",
    ]:
        assert admin_client.get(url).status_code == 404
    assert (
        "/admin/reviews/all/edit/"
        not in admin_client.get("/admin/reviews/all/").content.decode()
    )


def test_staff_hide_by_reason_code_from_the_admin_and_the_author_is_told(
    staff_client, product, customer, mailoutbox, django_capture_on_commit_callbacks
):
    review = write_review(product, customer, rating=1)
    url = f"/admin/reviews/all/moderate/{review.pk}/"
    assert staff_client.post(url, {"action": "hide", "reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"action": "hide", "reason": "abuse", "note": "Insults."}
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.hidden_reason == "abuse"
    assert mailoutbox[-1].to == [customer.email]
    assert "Moderation history" in staff_client.get(url).content.decode()
    staff_client.post(url, {"action": "restore", "note": "Fine after all."})
    review.refresh_from_db()
    assert review.is_published


def test_staff_decide_an_appeal_in_the_admin(
    staff_client, staff_user, product, customer
):
    review = write_review(product, customer)
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.SPAM)
    services.review_appeal(review=review, by=customer, note="Not spam.")
    url = f"/admin/reviews/all/moderate/{review.pk}/"
    assert "Not spam." in staff_client.get(url).content.decode()
    staff_client.post(url, {"action": "reject_appeal", "note": "It links to a shop."})
    assert ReviewAppeal.objects.get().status == "rejected"


def test_customers_cannot_reach_the_moderation_pages(customer_client, product):
    review = write_review(product)
    assert (
        customer_client.get(f"/admin/reviews/all/moderate/{review.pk}/").status_code
        == 403
    )
    assert (
        customer_client.post(
            f"/admin/reviews/all/moderate/{review.pk}/",
            {"action": "hide", "reason": "spam"},
        ).status_code
        == 403
    )
    assert Review.objects.get(pk=review.pk).is_published


def test_staff_put_a_product_on_a_customers_account_in_the_admin(
    staff_client, staff_user, product, customer
):
    response = staff_client.post(
        "/admin/reviews/verified-customers/new/",
        {"product": product.pk, "customer": customer.pk},
    )
    assert response.status_code == 302
    ownership = ProductOwnership.objects.get()
    assert ownership.added_by == staff_user and ownership.source == "staff"


def test_staff_post_a_public_note_in_the_admin_rendered_from_markdown(
    staff_client, product
):
    form = staff_client.get(f"/admin/reviews/product-notes/new/?product={product.pk}")
    assert (
        form.status_code == 200
        and f'value="{product.pk}" selected' in form.content.decode()
    )
    response = staff_client.post(
        "/admin/reviews/product-notes/new/",
        {
            "product": product.pk,
            "published_on": "2026-11-20",
            "body": "A **fix** ships soon.",
        },
    )
    assert response.status_code == 302
    note = ProductNote.objects.get()
    assert note.body_html.strip() == "<p>A <strong>fix</strong> ships soon.</p>"
    note_edit = staff_client.post(
        f"/admin/reviews/product-notes/edit/{note.pk}/",
        {
            "product": product.pk,
            "published_on": "2026-11-21",
            "body": "Fixed in *2.4.1*.",
        },
    )
    assert note_edit.status_code == 302
    note.refresh_from_db()
    assert "<em>2.4.1</em>" in note.body_html


def test_review_text_is_escaped_in_the_admin_listing(staff_client, product):
    write_review(
        product,
        title='<img src=x onerror="alert(1)">',
        body="<script>alert(2)</script>",
    )
    html = staff_client.get("/admin/reviews/all/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in html and "&lt;img src=x" in html


# --- the start page and the listings staff land on (issue 18) ------------------------


def _start_items(staff_client):
    from portal.staff_start import StaffStartPanel

    response = staff_client.get("/admin/")
    assert response.status_code == 200
    items = StaffStartPanel(response.wsgi_request).get_context_data()["items"]
    return {item.label: item for item in items}, response.content.decode()


def test_the_start_page_counts_negative_reviews_without_a_reply_and_links_them(
    staff_client, staff_user, product
):
    write_review(product, rating=5, title="Happy five")
    write_review(product, rating=3, title="Middling three")
    answered = write_review(product, rating=1, title="Answered one")
    services.review_reply(review=answered, by=staff_user, body="Sorry, fixed.")
    write_review(product, rating=2, title="Waiting two")
    hidden = write_review(product, rating=1, title="Hidden one")
    services.review_hide(review=hidden, by=staff_user, reason=ModerationReason.SPAM)
    items, _html = _start_items(staff_client)
    item = items["negative reviews without a reply"]
    assert item.count == 1
    assert [text for text, _url in item.details] == ["2★ Waiting two · Router X"]
    listing = staff_client.get(item.url).content.decode()
    assert "Waiting two" in listing
    for other in ["Happy five", "Middling three", "Answered one", "Hidden one"]:
        assert other not in listing, other


def test_the_reviews_listing_filters_by_stars_and_reply(
    staff_client, staff_user, product
):
    write_review(product, rating=4, title="Four with no reply")
    replied = write_review(product, rating=4, title="Four with a reply")
    services.review_reply(review=replied, by=staff_user, body="Thanks!")
    html = staff_client.get("/admin/reviews/all/?stars=4&replied=yes").content.decode()
    assert "Four with a reply" in html and "Four with no reply" not in html
    assert staff_client.get("/admin/reviews/all/?stars=9").status_code == 200


def test_flags_to_review_counts_community_flags_and_review_reports(
    staff_client, product, customer
):
    from community import services as community_services
    from community.models import Flag
    from tests.factories.community import make_question

    review = write_review(product, rating=2)
    services.review_report(review=review, reporter=customer, reason="spam")
    items, html = _start_items(staff_client)
    flags = items["flags to review"]
    assert flags.count == 1
    assert ("reported reviews", 1, "/admin/reviews/reports/?status=open") in flags.parts
    assert 'Flags to review: <strong class="candor-start-count">1</strong>' in html
    # Both kinds at once: one line, the sum, each kind's share and link.
    question = make_question(title="Why does Router X reboot at night?")
    community_services.post_flag(user=customer, post=question, reason=Flag.Reason.SPAM)
    items, html = _start_items(staff_client)
    flags = items["flags to review"]
    assert flags.count == 2
    assert [(label, n) for label, n, _url in flags.parts] == [
        ("flagged community posts", 1),
        ("reported reviews", 1),
    ]
    assert 'Flags to review: <strong class="candor-start-count">2</strong>' in html
    for _label, _n, url in flags.parts:
        assert staff_client.get(url).status_code == 200, url


def test_trend_alerts_show_rounded_means_and_p_values(staff_client, product):
    from django.utils import timezone

    from reviews.models import TrendAlert

    alert = TrendAlert.objects.create(
        product=product,
        recent_n=13,
        recent_mean=1.9230769230769231,
        baseline_n=20,
        baseline_mean=4.35,
        mean_90_days=3.4166666666666665,
        t_statistic=-6.123456789,
        p_value=0.0000013046703580810704,
        opened_at=timezone.now(),
    )
    for url in [
        "/admin/reviews/trend-alerts/",
        f"/admin/reviews/trend-alerts/inspect/{alert.pk}/",
    ]:
        html = staff_client.get(url).content.decode()
        assert "1.92" in html and "3.42" in html and "p &lt; 0.0001" in html, url
        for raw in ["1.9230769", "3.41666", "1.30467", "e-06"]:
            assert raw not in html, (url, raw)


def test_a_review_restored_on_appeal_has_its_reports_overturned_and_no_dismiss_button(
    staff_client, staff_user, product, customer, other_customer
):
    from reviews.models import ReviewReport

    review = write_review(product, customer, rating=2)
    services.review_report(review=review, reporter=other_customer, reason="spam")
    services.review_hide(review=review, by=staff_user, reason=ModerationReason.SPAM)
    assert ReviewReport.objects.get().status == ReviewReport.Status.UPHELD
    services.review_appeal(review=review, by=customer, note="It is not spam.")
    services.review_restore(review=review, by=staff_user, note="Agreed.")
    assert ReviewReport.objects.get().status == ReviewReport.Status.OVERTURNED
    html = staff_client.get(
        f"/admin/reviews/all/moderate/{review.pk}/"
    ).content.decode()
    assert "Overturned: the review was restored" in html
    assert "Upheld: the review was hidden" not in html
    assert "Dismiss open reports" not in html


def test_the_dismiss_button_shows_only_with_open_reports(
    staff_client, staff_user, product, customer
):
    review = write_review(product, rating=2)
    services.review_report(review=review, reporter=customer, reason="spam")
    url = f"/admin/reviews/all/moderate/{review.pk}/"
    assert "Dismiss open reports" in staff_client.get(url).content.decode()
    services.review_reports_dismiss(review=review, by=staff_user)
    assert "Dismiss open reports" not in staff_client.get(url).content.decode()


def test_the_verified_customer_form_chooses_among_customers_only(
    staff_client, staff_user, product, customer, other_customer
):
    """Issue 18: a chooser of customers, not a select of every account."""
    from portal.services_customer import account_delete
    from tests.factories.users import PASSWORD

    account_delete(user=other_customer, password=PASSWORD)
    form = staff_client.get("/admin/reviews/verified-customers/new/").content.decode()
    assert "Choose a customer" in form
    assert f'<option value="{staff_user.pk}"' not in form
    chooser = staff_client.get("/admin/reviews/choose-customer/")
    assert chooser.status_code == 200
    html = chooser.json()["html"]
    assert customer.username in html
    assert staff_user.username not in html and "former-member" not in html
    found = staff_client.get("/admin/reviews/choose-customer/results/?q=ana")
    assert found.status_code == 200 and customer.username in found.content.decode()
    refused = staff_client.post(
        "/admin/reviews/verified-customers/new/",
        {"product": product.pk, "customer": staff_user.pk},
    )
    assert refused.status_code == 200 and not ProductOwnership.objects.exists()
    assert "Select a valid choice" in refused.content.decode()
