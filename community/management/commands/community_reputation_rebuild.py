"""Rebuild every reputation total from the ledger and report the differences it found."""

from django.core.management.base import BaseCommand

from community.services_reputation import reputation_rebuild


class Command(BaseCommand):
    help = "Recompute reputation balances and profile totals from the ledger; report (and fix) differences."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report differences without fixing them.")

    def handle(self, *args, dry_run=False, **options):
        differences = reputation_rebuild(fix=not dry_run)
        if not differences:
            self.stdout.write("No differences: every total matches the ledger.")
            return
        verb = "would be" if dry_run else "was"
        for d in differences:
            self.stdout.write(
                f"{d.username} (#{d.user_id}): profile {d.profile_total}, balance {d.balance_points}; "
                f"ledger says {d.expected_total} (points {d.ledger_points}); {verb} fixed"
            )
        self.stdout.write(f"{len(differences)} difference(s) {'found' if dry_run else 'fixed'}.")
        if dry_run:
            raise SystemExit(1)
