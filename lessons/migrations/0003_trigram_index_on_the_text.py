"""PostgreSQL: the pg_trgm GIN index on the text itself, not on ``UPPER(text)``.

A caseless word (Thai, digits) is matched with ``LIKE`` and a word with case with
``ILIKE``, and pg_trgm's index serves both. ``UPPER()`` of every Thai row read cost more
than the match itself: a common word read 86,000 rows newest first, 110 ms with
``UPPER(text) LIKE`` against 47 ms with ``text LIKE`` (bench data, issue 18). SQLite's
FTS5 table is unchanged.
"""

from django.db import migrations

FORWARDS = [
    "DROP INDEX IF EXISTS lessons_searchentry_text_trgm",
    """CREATE INDEX lessons_searchentry_text_trgm
        ON lessons_searchentry USING gin (text gin_trgm_ops)""",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS lessons_searchentry_text_trgm",
    """CREATE INDEX lessons_searchentry_text_trgm
        ON lessons_searchentry USING gin (UPPER(text::text) gin_trgm_ops)""",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("lessons", "0002_search_engines")]

    operations = [migrations.RunPython(forwards, backwards)]
