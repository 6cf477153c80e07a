"""Per-session follow-up counts, kept by database triggers in the writer's transaction.

The dashboard orders and totals thousands of sessions by how many AARs each is missing.
Counting 40,000 roster rows on every request made it slow (0.11 s at 2,000 sessions), so
the counts live in two tables, ``SessionTally`` and ``MonthTally``, that only these
triggers write:

- every insert, delete or relevant update of a participant or an AAR recounts that
  session, whichever code path made it (``save()``, ``bulk_create``, ``QuerySet.update``,
  cascades, the admin, raw SQL); a recount counts the session's rows afresh, so there is
  no increment to get wrong;
- the recount runs inside the writer's transaction, so a count is never stale: it
  commits or rolls back with the write that changed it.

On PostgreSQL the recount first locks the session's tally row. Writers to one session
queue there, and each recount starts after the writer before it has committed, so two
concurrent submissions cannot both count without the other. SQLite has one writer at a
time.

SQLite rebuilds a table for some schema changes, which drops its triggers; so after
every ``migrate`` (and test database set-up) ``ensure_triggers`` puts back any that are
missing and recounts everything. ``tests/aar/test_tally.py`` checks the counts against a
count done in Python, through every write path, on both databases.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PARTICIPANT = "sessions_app_participant"
SESSION = "sessions_app_assistsession"
AAR = "aar_aar"
TALLY = "aar_sessiontally"
MONTHS = "aar_monthtally"

# SQLite trigger names (PostgreSQL's are the same, on their tables).
TRIGGERS = (
    "tally_session_insert",
    "tally_session_delete",
    "tally_participant_insert",
    "tally_participant_delete",
    "tally_participant_update_old",
    "tally_participant_update_new",
    "tally_aar_insert",
    "tally_aar_delete",
    "tally_aar_update_old",
    "tally_aar_update_new",
)

# An update recounts only when it changes what is counted.
PARTICIPANT_CHANGED = (
    "OLD.session_id IS NOT NEW.session_id OR OLD.removed_at IS NOT NEW.removed_at "
    "OR OLD.invited_at IS NOT NEW.invited_at"
)
AAR_CHANGED = (
    "OLD.participant_id IS NOT NEW.participant_id OR OLD.status IS NOT NEW.status "
    "OR OLD.submitted_at IS NOT NEW.submitted_at"
)


def _counts(session: str) -> str:
    """The SET list of a recount: the roster and its AARs, counted afresh."""
    roster = f"FROM {PARTICIPANT} p WHERE p.session_id = {session} AND p.removed_at IS NULL"
    with_aar = (
        f"FROM {PARTICIPANT} p JOIN {AAR} a ON a.participant_id = p.id "
        f"WHERE p.session_id = {session} AND p.removed_at IS NULL"
    )
    return (
        f"participants = (SELECT COUNT(*) {roster}), "
        f"invited = (SELECT COUNT(*) {roster} AND p.invited_at IS NOT NULL), "
        f"submitted = (SELECT COUNT(*) {with_aar} AND a.status = 'submitted'), "
        f"drafts = (SELECT COUNT(*) {with_aar} AND a.status = 'draft')"
    )


def _months(session: str, month: str) -> str:
    """Submitted AARs a month, by the first day of the month in local time. Counts every
    submitted AAR of the session, also those of people since taken off the roster."""
    return (
        f"INSERT INTO {MONTHS} (session_id, month, submitted) "
        f"SELECT p.session_id, {month}, COUNT(*) FROM {AAR} a "
        f"JOIN {PARTICIPANT} p ON p.id = a.participant_id "
        f"WHERE p.session_id = {session} AND a.status = 'submitted' "
        f"AND a.submitted_at IS NOT NULL GROUP BY p.session_id, {month}"
    )


def _fixed_utc_offset_hours() -> int:
    """SQLite has no time zone database: the local month is found with a fixed offset,
    which is right only for a zone without daylight saving (Asia/Bangkok is UTC+7)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offsets = {
        datetime.datetime(2026, month, 1, tzinfo=zone).utcoffset() for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        raise ImproperlyConfigured(
            f"TIME_ZONE {settings.TIME_ZONE!r} has daylight saving; the SQLite follow-up "
            "tally needs a fixed UTC offset (use PostgreSQL, or a zone without it)."
        )
    (offset,) = offsets
    return round(offset.total_seconds() / 3600)


# --- SQLite: each trigger recounts inline (no stored procedures) ----------------------


def _sqlite_recount(session: str) -> str:
    hours = _fixed_utc_offset_hours()
    month = f"date(a.submitted_at, '{hours:+d} hours', 'start of month')"
    return (
        f"UPDATE {TALLY} SET {_counts(TALLY + '.session_id')} WHERE session_id = {session};\n"
        f"DELETE FROM {MONTHS} WHERE session_id = {session};\n"
        f"{_months(session, month)};\n"
    )


def _sqlite_statements() -> list[str]:
    of_participant = f"(SELECT session_id FROM {PARTICIPANT} WHERE id = {{row}}.participant_id)"
    old_session = of_participant.format(row="OLD")
    new_session = of_participant.format(row="NEW")
    triggers = {
        "tally_session_insert": (
            f"AFTER INSERT ON {SESSION}",
            f"INSERT INTO {TALLY} (session_id, participants, invited, submitted, drafts) "
            f"VALUES (NEW.id, 0, 0, 0, 0);\n" + _sqlite_recount("NEW.id"),
        ),
        "tally_session_delete": (
            f"AFTER DELETE ON {SESSION}",
            f"DELETE FROM {TALLY} WHERE session_id = OLD.id;\n"
            f"DELETE FROM {MONTHS} WHERE session_id = OLD.id;\n",
        ),
        "tally_participant_insert": (
            f"AFTER INSERT ON {PARTICIPANT}",
            _sqlite_recount("NEW.session_id"),
        ),
        "tally_participant_delete": (
            f"AFTER DELETE ON {PARTICIPANT}",
            _sqlite_recount("OLD.session_id"),
        ),
        "tally_participant_update_old": (
            f"AFTER UPDATE ON {PARTICIPANT} WHEN {PARTICIPANT_CHANGED}",
            _sqlite_recount("OLD.session_id"),
        ),
        "tally_participant_update_new": (
            f"AFTER UPDATE ON {PARTICIPANT} WHEN OLD.session_id IS NOT NEW.session_id",
            _sqlite_recount("NEW.session_id"),
        ),
        "tally_aar_insert": (f"AFTER INSERT ON {AAR}", _sqlite_recount(new_session)),
        "tally_aar_delete": (f"AFTER DELETE ON {AAR}", _sqlite_recount(old_session)),
        "tally_aar_update_old": (
            f"AFTER UPDATE ON {AAR} WHEN {AAR_CHANGED}",
            _sqlite_recount(old_session),
        ),
        "tally_aar_update_new": (
            f"AFTER UPDATE ON {AAR} WHEN OLD.participant_id IS NOT NEW.participant_id",
            _sqlite_recount(new_session),
        ),
    }
    assert tuple(triggers) == TRIGGERS
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when}\nBEGIN\n{body}END"
        for name, (when, body) in triggers.items()
    ]


# --- PostgreSQL: one recount function, called from trigger functions ------------------


def _distinct(changed: str) -> str:
    return changed.replace("IS NOT", "IS DISTINCT FROM")


def _postgresql_statements() -> list[str]:
    month = f"(date_trunc('month', a.submitted_at AT TIME ZONE '{settings.TIME_ZONE}'))::date"
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally(sid bigint) RETURNS void
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            IF sid IS NULL THEN RETURN; END IF;
            -- Writers to one session queue on its tally row; each statement below then
            -- sees what the writer before committed (READ COMMITTED: a fresh snapshot
            -- a statement).
            PERFORM 1 FROM {TALLY} WHERE session_id = sid FOR UPDATE;
            UPDATE {TALLY} SET {_counts(TALLY + ".session_id")} WHERE session_id = sid;
            DELETE FROM {MONTHS} WHERE session_id = sid;
            {_months("sid", month)};
        END $$""",
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_session() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {TALLY} (session_id, participants, invited, submitted, drafts)
                VALUES (NEW.id, 0, 0, 0, 0);
                PERFORM peerassist_tally(NEW.id);
            ELSE
                DELETE FROM {TALLY} WHERE session_id = OLD.id;
                DELETE FROM {MONTHS} WHERE session_id = OLD.id;
            END IF;
            RETURN NULL;
        END $$""",
        """
        CREATE OR REPLACE FUNCTION peerassist_tally_participant() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN PERFORM peerassist_tally(OLD.session_id); END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
                    AND OLD.session_id IS DISTINCT FROM NEW.session_id) THEN
                PERFORM peerassist_tally(NEW.session_id);
            END IF;
            RETURN NULL;
        END $$""",
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_aar() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM peerassist_tally(
                    (SELECT session_id FROM {PARTICIPANT} WHERE id = OLD.participant_id));
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
                    AND OLD.participant_id IS DISTINCT FROM NEW.participant_id) THEN
                PERFORM peerassist_tally(
                    (SELECT session_id FROM {PARTICIPANT} WHERE id = NEW.participant_id));
            END IF;
            RETURN NULL;
        END $$""",
    ]
    triggers = [
        ("tally_session_insert", f"AFTER INSERT ON {SESSION}", "peerassist_tally_session"),
        ("tally_session_delete", f"AFTER DELETE ON {SESSION}", "peerassist_tally_session"),
        ("tally_participant_insert", f"AFTER INSERT ON {PARTICIPANT}", "peerassist_tally_participant"),
        ("tally_participant_delete", f"AFTER DELETE ON {PARTICIPANT}", "peerassist_tally_participant"),
        (
            "tally_participant_update_old",
            f"AFTER UPDATE ON {PARTICIPANT} FOR EACH ROW WHEN ({_distinct(PARTICIPANT_CHANGED)})",
            "peerassist_tally_participant",
        ),
        ("tally_aar_insert", f"AFTER INSERT ON {AAR}", "peerassist_tally_aar"),
        ("tally_aar_delete", f"AFTER DELETE ON {AAR}", "peerassist_tally_aar"),
        (
            "tally_aar_update_old",
            f"AFTER UPDATE ON {AAR} FOR EACH ROW WHEN ({_distinct(AAR_CHANGED)})",
            "peerassist_tally_aar",
        ),
    ]  # fmt: skip
    for name, when, function in triggers:
        table = when.split(" ON ")[1].split()[0]
        if "FOR EACH ROW" not in when:
            when += " FOR EACH ROW"
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()")
    return statements


POSTGRESQL_TRIGGERS = tuple(name for name in TRIGGERS if not name.endswith("_update_new"))


def _expected(connection) -> set[str]:
    return set(POSTGRESQL_TRIGGERS if connection.vendor == "postgresql" else TRIGGERS)


def installed_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'tally_%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def install_triggers(connection) -> None:
    statements = (
        _postgresql_statements() if connection.vendor == "postgresql" else _sqlite_statements()
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_triggers(connection) -> None:
    """Undo ``install_triggers`` (the migration's reverse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRESQL_TRIGGERS:
                table = SESSION if "_session_" in name else AAR if "_aar_" in name else PARTICIPANT
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in ("_session", "_participant", "_aar", ""):
                suffix = "(sid bigint)" if not function else "()"
                cursor.execute(f"DROP FUNCTION IF EXISTS peerassist_tally{function}{suffix}")
        else:
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def recount_all(connection) -> None:
    """Count every session afresh: after installing the triggers, or to repair."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TALLY} (session_id, participants, invited, submitted, drafts) "
            f"SELECT s.id, 0, 0, 0, 0 FROM {SESSION} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {TALLY} t WHERE t.session_id = s.id)"
        )
        cursor.execute(f"DELETE FROM {TALLY} WHERE session_id NOT IN (SELECT id FROM {SESSION})")
        cursor.execute(f"UPDATE {TALLY} SET {_counts(TALLY + '.session_id')}")
        cursor.execute(f"DELETE FROM {MONTHS}")
        if connection.vendor == "postgresql":
            month = (
                f"(date_trunc('month', a.submitted_at AT TIME ZONE '{settings.TIME_ZONE}'))::date"
            )
        else:
            month = (
                f"date(a.submitted_at, '{_fixed_utc_offset_hours():+d} hours', 'start of month')"
            )
        cursor.execute(_months("p.session_id", month))


def ensure_triggers(connection) -> bool:
    """Put back any missing trigger and recount. True when something was missing."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ImproperlyConfigured("The follow-up tally supports SQLite and PostgreSQL.")
    if installed_triggers(connection) >= _expected(connection):
        return False
    install_triggers(connection)
    recount_all(connection)
    return True
