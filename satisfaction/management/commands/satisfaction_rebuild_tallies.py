"""Rebuild the meter's tallies from the raw answers and report every difference.

    manage.py satisfaction_rebuild_tallies            # fix and report
    manage.py satisfaction_rebuild_tallies --dry-run  # report only; exit 1 if any differ
"""

from django.core.management.base import BaseCommand, CommandError

from satisfaction import ledger


class Command(BaseCommand):
    help = "Recompute the per-day tallies from the raw answers and invitations; report and fix differences."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report differences without fixing them.")

    def handle(self, *args, dry_run=False, **options):
        differences = ledger.tallies_rebuild(fix=not dry_run)
        for line in differences:
            self.stdout.write(line)
        if not differences:
            self.stdout.write(self.style.SUCCESS("The tallies match the raw answers."))
        elif dry_run:
            raise CommandError(f"{len(differences)} tallies differ from the raw answers (not fixed: --dry-run).")
        else:
            self.stdout.write(self.style.WARNING(f"{len(differences)} tallies differed and are now fixed."))
