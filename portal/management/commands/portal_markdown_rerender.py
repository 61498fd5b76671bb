"""Re-render every stored Markdown field after the rendering rules change.

Apps register their fields with the `candor_markdown_fields` hook, returning
(model, source_field, html_field) tuples; portal registers profiles' bios.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from portal.markdown import render_markdown

BATCH = 500


class Command(BaseCommand):
    help = "Re-render stored Markdown to HTML with the current rules and report how many rows changed."

    def handle(self, *args, **options):
        for get_fields in hooks.get_hooks("candor_markdown_fields"):
            for model, source_field, html_field in get_fields():
                changed = 0
                rows = model.objects.only("pk", source_field, html_field).order_by("pk")
                for start in range(0, rows.count(), BATCH):
                    batch = list(rows[start : start + BATCH])
                    stale = []
                    for row in batch:
                        html = render_markdown(getattr(row, source_field))
                        if html != getattr(row, html_field):
                            setattr(row, html_field, html)
                            stale.append(row)
                    with transaction.atomic():
                        model.objects.bulk_update(stale, [html_field])
                    changed += len(stale)
                label = f"{model._meta.label}.{html_field}"
                self.stdout.write(f"{label}: {changed} re-rendered")
