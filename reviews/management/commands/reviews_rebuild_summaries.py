"""Recount every product's rating summary and report differences: `manage.py reviews_rebuild_summaries`."""

from django.core.management.base import BaseCommand, CommandError

from reviews.services import rating_summary_rebuild


class Command(BaseCommand):
    help = "Recount rating summaries from the reviews, print any difference, and fix it (unless --check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report; exit 1 if anything differs.",
        )

    def handle(self, *args, check=False, **options):
        differences = rating_summary_rebuild(apply=not check)
        for difference in differences:
            fields = ", ".join(
                f"{name}: {old} → {new}"
                for name, (old, new) in difference["fields"].items()
            )
            self.stdout.write(f"product {difference['product_id']}: {fields}")
        if not differences:
            self.stdout.write(self.style.SUCCESS("Every summary equals a recount."))
        elif check:
            raise CommandError(f"{len(differences)} summaries differ from a recount.")
        else:
            self.stdout.write(
                self.style.WARNING(f"Fixed {len(differences)} summaries.")
            )
