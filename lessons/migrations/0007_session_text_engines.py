"""The databases' own text engines over the sessions' titles and purposes and the
lessons' titles and statements, for "has this been solved before?"
(``lessons.suggest.related_sessions`` and ``related_lessons``).

Before, every session's title and purpose was read for each key word: 72 ms over 5,000
sessions on SQLite, when no session held any of them, and 16 ms over 2,000 lessons
(bench, issue 19). Now the engine finds the few that hold one, and only those are read.

SQLite: an FTS5 table with the trigram tokenizer whose content is the sessions' table
itself (no second copy of the text), kept in step by three triggers, as migration 0002
does for the search index. These are the table's index, not a derived number. A later
migration that rebuilds ``sessions_app_assistsession`` or ``lessons_lesson`` on SQLite
(an altered column) drops the triggers with the old table: it must make them again;
``tests/lessons/test_suggest.py::test_the_engines_are_in_step`` fails otherwise.

PostgreSQL: pg_trgm GIN indexes on each of those columns, which ``LIKE`` and ``ILIKE``
with three or more characters use.
"""

from django.db import migrations

ENGINES = (
    # (the FTS5 table, the table whose text it indexes, its text columns)
    ("lessons_session_fts", "sessions_app_assistsession", ("title", "purpose")),
    ("lessons_lesson_fts", "lessons_lesson", ("title", "statement")),
)


def _sqlite(fts: str, table: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5(
            {names}, content='{table}', content_rowid='id', tokenize='trigram')""",
        f"""CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END""",
        f"""CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END""",
        f"""CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END""",
        # The rows there are.
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _sqlite_reverse(fts: str, table: str, columns) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {fts}_{name}" for name in ("au", "ad", "ai")),
        f"DROP TABLE IF EXISTS {fts}",
    ]


def _postgresql(fts: str, table: str, columns) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_{c}_trgm ON {table} USING gin ({c} gin_trgm_ops)"
        for c in columns
    ]


def _postgresql_reverse(fts: str, table: str, columns) -> list[str]:
    return [f"DROP INDEX IF EXISTS {table}_{c}_trgm" for c in columns]


SQLITE = [statement for engine in ENGINES for statement in _sqlite(*engine)]
SQLITE_REVERSE = [statement for engine in ENGINES for statement in _sqlite_reverse(*engine)]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(statement for engine in ENGINES for statement in _postgresql(*engine)),
]
POSTGRESQL_REVERSE = [statement for engine in ENGINES for statement in _postgresql_reverse(*engine)]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0006_comments_on_lessons"),
        ("sessions_app", "0014_participant_org_session"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
