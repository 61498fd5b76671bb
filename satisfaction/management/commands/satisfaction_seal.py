"""Seal every closed day into the hash chain (also done after each answer; run it daily from cron)."""

from django.core.management.base import BaseCommand

from satisfaction import ledger


class Command(BaseCommand):
    help = "Seal closed days of survey answers into the SHA-256 hash chain."

    def handle(self, *args, **options):
        sealed = ledger.chain_seal()
        for digest in sealed:
            self.stdout.write(f"{digest.day} {digest.answers:>6} answers {digest.digest}")
        self.stdout.write(self.style.SUCCESS(f"{len(sealed)} day(s) sealed."))
