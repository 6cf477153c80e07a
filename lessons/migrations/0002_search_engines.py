"""The databases' own text engines over ``SearchEntry.text``.

SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+), whose content is
``lessons_searchentry`` itself (no second copy of the text), kept in step by three
triggers, as SQLite's documentation for external-content tables does. This is the
index of the table, not a derived number: the rows are written by ``lessons.index``.
A later migration that rebuilds ``lessons_searchentry`` on SQLite (an altered column)
drops these triggers with the old table: it must run ``sqlite_forwards`` again;
``tests/lessons/test_index.py`` checks they exist.

PostgreSQL: the pg_trgm extension and a GIN index on ``UPPER(text)``, which is what
Django's ``icontains`` compares, so ``LIKE`` with three or more characters uses it.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE lessons_searchentry_fts USING fts5(
        text, content='lessons_searchentry', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER lessons_searchentry_ai AFTER INSERT ON lessons_searchentry BEGIN
        INSERT INTO lessons_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER lessons_searchentry_ad AFTER DELETE ON lessons_searchentry BEGIN
        INSERT INTO lessons_searchentry_fts(lessons_searchentry_fts, rowid, text)
        VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER lessons_searchentry_au AFTER UPDATE ON lessons_searchentry BEGIN
        INSERT INTO lessons_searchentry_fts(lessons_searchentry_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO lessons_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
    # Rows that existed before (none, on a first migrate).
    "INSERT INTO lessons_searchentry_fts(lessons_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS lessons_searchentry_au",
    "DROP TRIGGER IF EXISTS lessons_searchentry_ad",
    "DROP TRIGGER IF EXISTS lessons_searchentry_ai",
    "DROP TABLE IF EXISTS lessons_searchentry_fts",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS lessons_searchentry_text_trgm
        ON lessons_searchentry USING gin (UPPER(text::text) gin_trgm_ops)""",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS lessons_searchentry_text_trgm"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_search_entries_and_comments")]

    operations = [migrations.RunPython(forwards, backwards)]
