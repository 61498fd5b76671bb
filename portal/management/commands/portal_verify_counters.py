"""Recount every stored counter from the rows it counts; exit 1 if any has drifted.

    manage.py portal_verify_counters          # check only (nothing written)
    manage.py portal_verify_counters --fix    # check, and fix what drifted

Scores, me-toos and answer counts, reputation, rating summaries and the
meter's tallies are kept beside their rows by F() updates in the same
transaction. This is the proof that they stayed exact: the fault and load
tests run it afterwards and expect no drift. Each app registers its checks
with the `candor_counter_checks` hook, a list of (name, check(*, fix)) where
a check returns one line per difference.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks


class Command(BaseCommand):
    help = "Recount stored counters from their rows; report drift (exit 1), or fix it with --fix."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Fix what drifted.")

    def handle(self, *args, fix=False, **options):
        drifted = 0
        for get_checks in hooks.get_hooks("candor_counter_checks"):
            for name, check in get_checks():
                differences = check(fix=fix)
                for line in differences:
                    self.stdout.write(f"{name}: {line}")
                drifted += len(differences)
                if not differences:
                    self.stdout.write(f"{name}: exact")
        if not drifted:
            self.stdout.write(
                self.style.SUCCESS("No drift: every counter equals a recount.")
            )
        elif fix:
            self.stdout.write(
                self.style.WARNING(f"Fixed {drifted} drifted counter(s).")
            )
        else:
            raise CommandError(
                f"{drifted} counter(s) drifted from their rows (not fixed)."
            )
