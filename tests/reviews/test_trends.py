"""Trend alerts: Welch's one-sided t-test of the last 30 days against days 31–90,
emailed once per episode, shown in the admin, re-run after each review and by command."""

import math
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reviews import services, trends
from reviews.models import Review, TrendAlert
from reviews.stats import Sample, student_t_cdf, welch_t_test_less, wilson_lower_bound
from tests.factories.reviews import write_review
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def add_reviews(product, ratings, *, days_ago):
    """Published reviews written `days_ago` days ago (through the service, then back-dated)."""
    ids = [write_review(product, UserFactory(), rating=rating).pk for rating in ratings]
    Review.objects.filter(pk__in=ids).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


# --- the statistics ------------------------------------------------------------------------


def test_student_t_cdf_matches_published_tables():
    assert student_t_cdf(-2.228, 10) == pytest.approx(
        0.025, abs=2e-4
    )  # t(0.975, 10) = 2.228
    assert student_t_cdf(-1.96, 10_000) == pytest.approx(0.025, abs=2e-4)
    assert student_t_cdf(0, 5) == pytest.approx(0.5)
    assert student_t_cdf(2.015, 5) == pytest.approx(0.95, abs=2e-4)


def test_welch_t_test_matches_a_hand_computed_example():
    # recent: 1,2,2,3 (mean 2, var 2/3); baseline: 4,5,4,5,4,5 (mean 4.5, var 0.3)
    recent = Sample(4, 8, 1 + 4 + 4 + 9)
    baseline = Sample(6, 27, 16 + 25 + 16 + 25 + 16 + 25)
    result = welch_t_test_less(recent, baseline)
    se = math.sqrt((2 / 3) / 4 + 0.3 / 6)
    assert result.t == pytest.approx(-2.5 / se)
    df = (2 / 3 / 4 + 0.3 / 6) ** 2 / ((2 / 3 / 4) ** 2 / 3 + (0.3 / 6) ** 2 / 5)
    assert result.df == pytest.approx(df)
    assert result.p_value < 0.01


def test_identical_samples_give_no_signal_and_constant_drops_are_certain():
    same = Sample(10, 40, 170)
    assert welch_t_test_less(same, same).p_value == pytest.approx(0.5)
    assert welch_t_test_less(Sample(10, 10, 10), Sample(10, 50, 250)).p_value == 0.0


def test_wilson_lower_bound_is_cautious_with_few_votes():
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(1, 1) < wilson_lower_bound(90, 100)
    assert 0 < wilson_lower_bound(5, 10) < 0.5


# --- alerts --------------------------------------------------------------------------------


def test_a_significant_drop_opens_an_alert_and_emails_staff_once(
    product, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    add_reviews(product, [5, 4, 5, 4, 5, 4, 5, 5, 4, 4, 5, 4], days_ago=60)
    add_reviews(product, [1, 2, 1, 3, 2, 1, 2, 1, 2, 1, 3], days_ago=5)
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.trend_check(product_id=product.pk)
    assert alert is not None and alert.is_open
    assert alert.recent_n == 11 and alert.baseline_n == 12
    assert alert.recent_mean < alert.mean_90_days < alert.baseline_mean
    assert alert.p_value < 0.05
    assert len(mailoutbox) == 1 and staff_user.email in mailoutbox[0].to
    assert "Welch" in mailoutbox[0].body and "Router X" in mailoutbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        again = services.trend_check(product_id=product.pk)
    assert again.pk == alert.pk
    assert len(mailoutbox) == 1  # once per episode
    assert TrendAlert.objects.count() == 1


def test_too_few_reviews_never_alert_however_bad(product):
    add_reviews(product, [5] * 12, days_ago=60)
    add_reviews(product, [1] * (trends.MIN_N - 1), days_ago=3)
    assert services.trend_check(product_id=product.pk) is None
    assert not TrendAlert.objects.exists()


def test_a_small_dip_within_the_noise_does_not_alert(product):
    add_reviews(product, [5, 3, 4, 5, 3, 4, 5, 3, 4, 4, 5, 3], days_ago=60)
    add_reviews(product, [4, 3, 5, 3, 4, 5, 3, 4, 3, 4, 4, 3], days_ago=5)
    assert services.trend_check(product_id=product.pk) is None


def test_the_episode_closes_when_ratings_recover_and_a_new_drop_emails_again(
    product, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    add_reviews(product, [5, 4] * 6, days_ago=60)
    add_reviews(product, [1, 2] * 6, days_ago=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.trend_check(product_id=product.pk)
    later = timezone.now() + timedelta(
        days=40
    )  # the bad reviews are now in the baseline
    add_reviews(
        product, [5, 4] * 6, days_ago=-35
    )  # written 35 days from now, i.e. 5 days before `later`
    with django_capture_on_commit_callbacks(execute=True):
        assert services.trend_check(product_id=product.pk, now=later) is None
    assert TrendAlert.objects.get().closed_at == later
    # Forty days later still, a new burst of bad reviews: a new episode.
    add_reviews(product, [1, 1, 2] * 4, days_ago=-75)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.trend_check(product_id=product.pk, now=later + timedelta(days=40))
            is not None
        )
    assert TrendAlert.objects.count() == 2 and len(mailoutbox) == 2


def test_the_database_allows_one_open_episode_per_product(product):
    from django.db import IntegrityError, transaction

    stats = {
        "recent_n": 1,
        "recent_mean": 1,
        "baseline_n": 1,
        "baseline_mean": 5,
        "mean_90_days": 3,
        "t_statistic": -5,
        "p_value": 0.01,
    }
    TrendAlert.objects.create(product=product, **stats)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrendAlert.objects.create(product=product, **stats)


def test_the_check_runs_after_each_review_through_the_task_queue(
    product, mailoutbox, staff_user, django_capture_on_commit_callbacks
):
    add_reviews(product, [5, 4] * 6, days_ago=60)
    add_reviews(product, [1, 2] * 5, days_ago=5)
    assert not TrendAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        write_review(product, rating=1)  # the 11th recent review: enough data now
    assert TrendAlert.objects.filter(product=product, closed_at__isnull=True).exists()
    assert any("Ratings are falling" in m.subject for m in mailoutbox)


def test_the_trend_command_checks_every_product_and_states_the_test(product, site_tree):
    add_reviews(product, [5, 4] * 6, days_ago=60)
    add_reviews(product, [1, 2] * 6, days_ago=5)
    out = StringIO()
    call_command("reviews_trend_check", stdout=out)
    assert "Router X: 1.50 (n=12) vs 4.50 (n=12)" in out.getvalue()
    assert (
        "p < 0.05" in out.getvalue()
        and "1 product(s) with falling ratings." in out.getvalue()
    )


def test_the_admin_dashboard_lists_falling_products_for_staff(staff_client, product):
    add_reviews(product, [5, 4] * 6, days_ago=60)
    add_reviews(product, [1, 2] * 6, days_ago=5)
    services.trend_check(product_id=product.pk)
    html = staff_client.get("/admin/").content.decode()
    assert (
        "Reviews that need attention" in html
        and "Falling ratings" in html
        and "Router X" in html
    )
    assert "Post a public note" in html
    assert (
        "Router X" in staff_client.get("/admin/reviews/trend-alerts/").content.decode()
    )
