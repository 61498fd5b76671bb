"""Run the falling-ratings test for every product: `manage.py reviews_trend_check`."""

from django.core.management.base import BaseCommand

from reviews import trends
from reviews.services import trend_check_all


class Command(BaseCommand):
    help = "Open, update or close trend alerts for every product (Welch's one-sided t-test, see reviews.trends)."

    def handle(self, *args, **options):
        alerts = trend_check_all()
        self.stdout.write(
            f"Test: recent {trends.RECENT_DAYS} days vs the {trends.WINDOW_DAYS - trends.RECENT_DAYS} days before; "
            f"n ≥ {trends.MIN_N} each, drop ≥ {trends.MIN_DROP} star, p < {trends.ALPHA_OPEN}."
        )
        for alert in alerts:
            self.stdout.write(
                f"{alert.product.title}: {alert.recent_mean:.2f} (n={alert.recent_n}) vs "
                f"{alert.baseline_mean:.2f} (n={alert.baseline_n}), p={alert.p_value:.4f}, open since {alert.opened_at:%Y-%m-%d}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{len(alerts)} product(s) with falling ratings.")
        )
