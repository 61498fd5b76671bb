"""Load the demo site: `python manage.py portal_demo`. Running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from wagtail import hooks

from portal.demo import DEMO_PASSWORD_CUSTOMER, DEMO_PASSWORD_STAFF, load_portal_demo
from portal.demo_accounts import demo_accounts_date_before_activity


class Command(BaseCommand):
    help = "Load believable demo content (idempotent). Other apps add theirs through the candor_demo_loaders hook."

    def handle(self, *args, **options):
        # The demo's own emails (survey invitations, alerts, notifications to
        # made-up addresses) are kept in memory and dropped: with the console
        # backend of a newcomer's setup they filled the terminal with hundreds
        # of screens before the accounts below.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            context = load_portal_demo()
            for loader in hooks.get_hooks("candor_demo_loaders"):
                loader(context)
            demo_accounts_date_before_activity(rng=context["rng"])
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        self.stdout.write("Log in at http://127.0.0.1:8000/account/login/ with:")
        self.stdout.write(
            f"  staff:     sam@candor.test / {DEMO_PASSWORD_STAFF}   (also admin / {DEMO_PASSWORD_STAFF} for the superuser)"
        )
        self.stdout.write(
            f"  customer:  ana@example.com / {DEMO_PASSWORD_CUSTOMER}   (also ben@, chloe@, dmitri@ … @example.com)"
        )
        self.stdout.write("  staff admin: http://127.0.0.1:8000/admin/")
