"""Search word forms and typos (issue 15).

SQLite: rebuild the FTS5 table of Wagtail's index with the porter tokenizer, so
"drops" finds "dropping"; its rows are copied back from the index entries and
Wagtail's triggers (which name the table) keep it current. PostgreSQL: enable
pg_trgm and index the entries' plain text for trigram similarity (typos); the
`english` stemming comes from SEARCH_CONFIG in settings. Nothing on other databases.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE name = %s", [f"{TABLE}_fts"]
            )
            if cursor.fetchone() is None:
                return  # SQLite built without FTS5: Wagtail's fallback backend
            cursor.execute(f"DROP TABLE {TABLE}_fts")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE}_fts USING "
                "fts5(autocomplete, body, title, tokenize = 'porter unicode61')"
            )
            cursor.execute(
                f"INSERT INTO {TABLE}_fts (rowid, autocomplete, body, title) "
                f"SELECT id, autocomplete, body, title FROM {TABLE}"
            )
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for column in ("title_text", "body_text"):
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS candor_{column}_trgm "
                    f"ON {TABLE} USING gin ({column} gin_trgm_ops)"
                )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for column in ("title_text", "body_text"):
                cursor.execute(f"DROP INDEX IF EXISTS candor_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_customer_care"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
