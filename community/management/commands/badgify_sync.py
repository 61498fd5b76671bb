"""`badgify_sync`, with the topic expert badges of today's products and tags registered first.

badgify's registry holds recipe classes known at start-up; topic badges come
from the database, so this command (which takes precedence over badgify's own,
"community" being listed before "badgify" in INSTALLED_APPS) registers them and
then runs badgify's command unchanged: `badgify_sync badges`, `awards`, `counts`.
"""

from badgify.management.commands.badgify_sync import Command as BadgifySyncCommand

from community.badgify_recipes import topic_recipes_register


class Command(BadgifySyncCommand):
    help = "Synchronise badges, awards and counts (community topic badges included)"

    def handle(self, *labels, **options):
        topic_recipes_register()
        return super().handle(*labels, **options)
