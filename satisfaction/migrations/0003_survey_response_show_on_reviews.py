from django.db import migrations, models

# SQLite adds a NOT NULL column by rebuilding the table, which drops the
# append-only trigger of 0001_initial: put it back (PostgreSQL keeps its
# triggers across ALTER TABLE ... ADD COLUMN, and the new column stays
# changeable, so a customer can still withdraw consent).
TABLE = "satisfaction_surveyresponse"
COLUMNS = "interaction_id, public_id, satisfied, answered_at, day, channel, product_pk, invited_day"


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE OF {COLUMNS} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('satisfaction', '0002_contact_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='surveyresponse',
            name='show_on_reviews',
            field=models.BooleanField(default=False, db_default=False, help_text='The customer agreed that their own reviews may show this answer.'),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
