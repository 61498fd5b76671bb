"""Send due callback reminders and flag overdue contact requests; run every few minutes."""

from django.core.management.base import BaseCommand

from satisfaction.contact.services import contact_follow_through


class Command(BaseCommand):
    help = "Send callback reminders and flag overdue contact requests to staff (run every few minutes)."

    def handle(self, *args, **options):
        done = contact_follow_through()
        self.stdout.write(
            f"{done['reminded']} reminder(s) sent, {done['flagged']} overdue request(s) flagged."
        )
