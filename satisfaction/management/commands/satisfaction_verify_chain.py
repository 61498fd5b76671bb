"""Verify the daily hash chain, against the database or against downloaded copies.

    manage.py satisfaction_verify_chain
    manage.py satisfaction_verify_chain --chain chain.json --answers answers.csv

The second form needs no database access at all: it is what anyone who kept
an earlier copy of the chain can run against today's raw data.
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from satisfaction import ledger


class Command(BaseCommand):
    help = "Recompute every sealed day's SHA-256 digest and check the chain links."

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="A downloaded chain.json (default: the database's chain).")
        parser.add_argument("--answers", help="A downloaded answers.csv to check the chain against.")

    def handle(self, *args, chain=None, answers=None, **options):
        if bool(chain) != bool(answers):
            raise CommandError("Give both --chain and --answers, or neither.")
        if chain:
            days, problems = self._verify_files(chain, answers)
        else:
            days, problems = ledger.chain_verify()
        for problem in problems:
            self.stdout.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"The hash chain does not verify: {len(problems)} problem(s) in {days} sealed day(s).")
        self.stdout.write(self.style.SUCCESS(f"The hash chain verifies: {days} sealed day(s)."))

    def _verify_files(self, chain_path, answers_path):
        with open(chain_path, encoding="utf-8") as handle:
            entries = json.load(handle)["days"]
        lines_by_day: dict[str, list[str]] = {}
        with open(answers_path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                line = f"{row['id']},{row['day']},{row['invited_day']},{row['product_id']},{row['channel']},{row['answer']}\n"
                lines_by_day.setdefault(row["day"], []).append(line)
        sealed = {entry["day"] for entry in entries}
        problems = ledger.chain_verify_rows(entries, {day: lines for day, lines in lines_by_day.items() if day in sealed})
        if entries:
            stray = sorted(day for day in lines_by_day if day < entries[0]["day"])
            if stray:
                problems.append(f"{stray[0]}: answers exist before the first sealed day")
        return len(entries), problems
