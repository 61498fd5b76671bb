"""Send the daily community digests: `python manage.py community_send_digests` (run daily)."""

from django.core.management.base import BaseCommand

from community import services


class Command(BaseCommand):
    help = "Email each member on the daily digest what they have not been emailed yet (safe to rerun)."

    def handle(self, *args, **options):
        sent = services.notification_digests_send()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} digest(s)."))
