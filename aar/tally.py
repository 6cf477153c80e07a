"""Per-session follow-up counts, kept by database triggers in the writer's transaction.

The dashboard orders and totals thousands of sessions by how many AARs each is missing.
Counting 40,000 roster rows on every request made it slow (0.11 s at 2,000 sessions), so
the counts live in two tables, ``SessionTally`` and ``MonthTally``, that only these
triggers write. Every insert, delete and relevant update of a participant or an AAR,
whichever code path made it (``save()``, ``bulk_create``, ``QuerySet.update``, cascades,
the admin, raw SQL), adds what the new row counts for and takes away what the old row
counted for. The change runs inside the writer's transaction, so a count is never stale:
it commits or rolls back with the write that changed it.

What a row counts for:

- a participant, on its session's tally: one person if on the roster (not removed); one
  invited if also invited; one submitted or one draft if also with an AAR in that state;
  and, whether on the roster or not, one in the month its submitted AAR came in;
- an AAR, the same parts through its participant: submitted or draft if the participant
  is on the roster, and its month if submitted.

A person and their AAR are counted once whichever is deleted first: whichever goes
second finds the other gone and takes nothing more away.

Increments, not recounts: a recount costs the session's size, so adding 12,000 people to
one session recounted it 12,000 times (minutes on PostgreSQL). On PostgreSQL ``x = x + d``
is applied to the latest committed row under its row lock, and an AAR's trigger first
locks its participant's row (as ``aar_save`` does), so a person's and their AAR's changes
never interleave and each sees the other's committed state. SQLite has one writer at a
time.

A new session is counted from scratch (a bulk load may bring its participants first).
SQLite rebuilds a table for some schema changes, which drops its triggers; so after every
``migrate`` (and test database set-up) ``ensure_triggers`` puts back any that are missing
and recounts everything. ``tests/aar/test_tally.py`` checks the counts against a count
done in Python, through every write path and random sequences of writes, on both
databases.
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

TRIGGERS = (
    "tally_session_insert",
    "tally_session_delete",
    "tally_participant_insert",
    "tally_participant_delete",
    "tally_participant_update",
    "tally_participant_move",  # SQLite only: its months follow a person to a new session
    "tally_aar_insert",
    "tally_aar_delete",
    "tally_aar_update",
)
POSTGRESQL_TRIGGERS = tuple(name for name in TRIGGERS if name != "tally_participant_move")

# An update changes the tally only when it changes what is counted.
PARTICIPANT_CHANGED = (
    "OLD.session_id IS NOT NEW.session_id OR OLD.removed_at IS NOT NEW.removed_at "
    "OR OLD.invited_at IS NOT NEW.invited_at"
)
AAR_CHANGED = (
    "OLD.participant_id IS NOT NEW.participant_id OR OLD.status IS NOT NEW.status "
    "OR OLD.submitted_at IS NOT NEW.submitted_at"
)
ADD_TO_MONTH = f"ON CONFLICT (session_id, month) DO UPDATE SET submitted = {MONTHS}.submitted + excluded.submitted"


def _counts(session: str) -> str:
    """The SET list of a recount: the roster and its AARs, counted afresh. Written so
    the count is driven from the session's roster (its index), whatever statistics the
    planner has: joined the other way, SQLite without ANALYZE read every submitted AAR
    for each session (a 2,000-session recount took minutes)."""
    roster = f"FROM {PARTICIPANT} p WHERE p.session_id = {session} AND p.removed_at IS NULL"
    aar = f"EXISTS (SELECT 1 FROM {AAR} a WHERE a.participant_id = p.id AND a.status = '{{}}')"
    return (
        f"participants = (SELECT COUNT(*) {roster}), "
        f"invited = (SELECT COUNT(*) {roster} AND p.invited_at IS NOT NULL), "
        f"submitted = (SELECT COUNT(*) {roster} AND {aar.format('submitted')}), "
        f"drafts = (SELECT COUNT(*) {roster} AND {aar.format('draft')})"
    )


def _months(session: str, month: str) -> str:
    """Submitted AARs a month, counted afresh, by the first day of the month in local
    time. Counts every submitted AAR of the session, also those of people since taken
    off the roster. CROSS JOIN: SQLite joins in the order written (the roster first)."""
    return (
        f"INSERT INTO {MONTHS} (session_id, month, submitted) "
        f"SELECT p.session_id, {month}, COUNT(*) FROM {PARTICIPANT} p CROSS JOIN {AAR} a "
        f"WHERE a.participant_id = p.id AND p.session_id = {session} "
        f"AND a.status = 'submitted' AND a.submitted_at IS NOT NULL "
        f"GROUP BY p.session_id, {month}"
    )


def _month_of(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"(date_trunc('month', {column} AT TIME ZONE '{settings.TIME_ZONE}'))::date"
    return f"date({column}, '{_fixed_utc_offset_hours():+d} hours', 'start of month')"


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


# --- SQLite: each trigger's statements inline (no stored procedures) ------------------


def _flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _sqlite_person(row: str, sign: str) -> str:
    """Add (sign "+") or take away ("-") what a participant row counts for on its
    session's tally, with its AAR as it is now."""
    has = f"EXISTS (SELECT 1 FROM {AAR} a WHERE a.participant_id = {row}.id AND a.status = '{{}}')"
    active = f"{row}.removed_at IS NULL"
    return (
        f"UPDATE {TALLY} SET "
        f"participants = participants {sign} {_flag(active)}, "
        f"invited = invited {sign} {_flag(f'{active} AND {row}.invited_at IS NOT NULL')}, "
        f"submitted = submitted {sign} {_flag(f'{active} AND ' + has.format('submitted'))}, "
        f"drafts = drafts {sign} {_flag(f'{active} AND ' + has.format('draft'))} "
        f"WHERE session_id = {row}.session_id;\n"
    )


def _sqlite_person_month(row: str, sign: str) -> str:
    month = _month_of("a.submitted_at", "sqlite")
    return (
        f"INSERT INTO {MONTHS} (session_id, month, submitted) "
        f"SELECT {row}.session_id, {month}, {sign}1 FROM {AAR} a "
        f"WHERE a.participant_id = {row}.id AND a.status = 'submitted' "
        f"AND a.submitted_at IS NOT NULL {ADD_TO_MONTH};\n"
    )


def _sqlite_answer(row: str, sign: str) -> str:
    """Add or take away what an AAR row counts for, through its participant."""
    month = _month_of(f"{row}.submitted_at", "sqlite")
    submitted = _flag(f"{row}.status = 'submitted'")
    draft = _flag(f"{row}.status = 'draft'")
    return (
        f"UPDATE {TALLY} SET "
        f"submitted = submitted {sign} {submitted}, drafts = drafts {sign} {draft} "
        f"WHERE session_id = (SELECT p.session_id FROM {PARTICIPANT} p "
        f"WHERE p.id = {row}.participant_id AND p.removed_at IS NULL);\n"
        f"INSERT INTO {MONTHS} (session_id, month, submitted) "
        f"SELECT p.session_id, {month}, {sign}1 FROM {PARTICIPANT} p "
        f"WHERE p.id = {row}.participant_id AND {row}.status = 'submitted' "
        f"AND {row}.submitted_at IS NOT NULL {ADD_TO_MONTH};\n"
    )


def _sqlite_recount(session: str) -> str:
    return (
        f"UPDATE {TALLY} SET {_counts(TALLY + '.session_id')} WHERE session_id = {session};\n"
        f"DELETE FROM {MONTHS} WHERE session_id = {session};\n"
        f"{_months(session, _month_of('a.submitted_at', 'sqlite'))};\n"
    )


def _sqlite_statements() -> list[str]:
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
            _sqlite_person("NEW", "+") + _sqlite_person_month("NEW", "+"),
        ),
        "tally_participant_delete": (
            f"AFTER DELETE ON {PARTICIPANT}",
            _sqlite_person("OLD", "-") + _sqlite_person_month("OLD", "-"),
        ),
        "tally_participant_update": (
            f"AFTER UPDATE ON {PARTICIPANT} WHEN {PARTICIPANT_CHANGED}",
            _sqlite_person("OLD", "-") + _sqlite_person("NEW", "+"),
        ),
        "tally_participant_move": (
            f"AFTER UPDATE ON {PARTICIPANT} WHEN OLD.session_id IS NOT NEW.session_id",
            _sqlite_person_month("OLD", "-") + _sqlite_person_month("NEW", "+"),
        ),
        "tally_aar_insert": (f"AFTER INSERT ON {AAR}", _sqlite_answer("NEW", "+")),
        "tally_aar_delete": (f"AFTER DELETE ON {AAR}", _sqlite_answer("OLD", "-")),
        "tally_aar_update": (
            f"AFTER UPDATE ON {AAR} WHEN {AAR_CHANGED}",
            _sqlite_answer("OLD", "-") + _sqlite_answer("NEW", "+"),
        ),
    }
    assert tuple(triggers) == TRIGGERS
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when}\nBEGIN\n{body}END"
        for name, (when, body) in triggers.items()
    ]


# --- PostgreSQL: trigger functions ---------------------------------------------------


def _distinct(changed: str) -> str:
    return changed.replace("IS NOT", "IS DISTINCT FROM")


def _postgresql_statements() -> list[str]:
    month = _month_of("sub", "postgresql")
    add_month = (
        f"INSERT INTO {MONTHS} (session_id, month, submitted) VALUES (sid, {month}, sign) "
        f"{ADD_TO_MONTH}"
    )
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_recount(sid bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {TALLY} SET {_counts(TALLY + ".session_id")} WHERE session_id = sid;
            DELETE FROM {MONTHS} WHERE session_id = sid;
            {_months("sid", _month_of("a.submitted_at", "postgresql"))};
        END $$""",
        # What a person counts for, with their AAR as it is now.
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_person(
            pid bigint, sid bigint, active boolean, was_invited boolean, sign int,
            with_month boolean
        ) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE st text; sub timestamptz;
        BEGIN
            SELECT a.status, a.submitted_at INTO st, sub FROM {AAR} a
            WHERE a.participant_id = pid;
            IF active THEN
                UPDATE {TALLY} SET
                    participants = participants + sign,
                    invited = invited + sign * was_invited::int,
                    submitted = submitted + sign * (st IS NOT DISTINCT FROM 'submitted')::int,
                    drafts = drafts + sign * (st IS NOT DISTINCT FROM 'draft')::int
                WHERE session_id = sid;
            END IF;
            IF with_month AND st = 'submitted' AND sub IS NOT NULL THEN
                {add_month};
            END IF;
        END $$""",
        # What an AAR counts for, through its participant (locked first, as aar_save
        # does, so a person's and their AAR's changes never interleave).
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_answer(
            pid bigint, st text, sub timestamptz, sign int
        ) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE sid bigint; active boolean;
        BEGIN
            SELECT p.session_id, p.removed_at IS NULL INTO sid, active
            FROM {PARTICIPANT} p WHERE p.id = pid FOR UPDATE;
            IF sid IS NULL THEN RETURN; END IF;
            IF active THEN
                UPDATE {TALLY} SET
                    submitted = submitted + sign * (st = 'submitted')::int,
                    drafts = drafts + sign * (st = 'draft')::int
                WHERE session_id = sid;
            END IF;
            IF st = 'submitted' AND sub IS NOT NULL THEN
                {add_month};
            END IF;
        END $$""",
        f"""
        CREATE OR REPLACE FUNCTION peerassist_tally_session() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {TALLY} (session_id, participants, invited, submitted, drafts)
                VALUES (NEW.id, 0, 0, 0, 0);
                PERFORM peerassist_tally_recount(NEW.id);
            ELSE
                DELETE FROM {TALLY} WHERE session_id = OLD.id;
                DELETE FROM {MONTHS} WHERE session_id = OLD.id;
            END IF;
            RETURN NULL;
        END $$""",
        """
        CREATE OR REPLACE FUNCTION peerassist_tally_participant() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE moved boolean := TG_OP = 'UPDATE' AND OLD.session_id IS DISTINCT FROM NEW.session_id;
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM peerassist_tally_person(OLD.id, OLD.session_id, OLD.removed_at IS NULL,
                    OLD.invited_at IS NOT NULL, -1, TG_OP = 'DELETE' OR moved);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM peerassist_tally_person(NEW.id, NEW.session_id, NEW.removed_at IS NULL,
                    NEW.invited_at IS NOT NULL, 1, TG_OP = 'INSERT' OR moved);
            END IF;
            RETURN NULL;
        END $$""",
        """
        CREATE OR REPLACE FUNCTION peerassist_tally_aar() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM peerassist_tally_answer(OLD.participant_id, OLD.status, OLD.submitted_at, -1);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM peerassist_tally_answer(NEW.participant_id, NEW.status, NEW.submitted_at, 1);
            END IF;
            RETURN NULL;
        END $$""",
    ]
    triggers = [
        ("tally_session_insert", SESSION, "INSERT", "", "peerassist_tally_session"),
        ("tally_session_delete", SESSION, "DELETE", "", "peerassist_tally_session"),
        ("tally_participant_insert", PARTICIPANT, "INSERT", "", "peerassist_tally_participant"),
        ("tally_participant_delete", PARTICIPANT, "DELETE", "", "peerassist_tally_participant"),
        ("tally_participant_update", PARTICIPANT, "UPDATE", _distinct(PARTICIPANT_CHANGED), "peerassist_tally_participant"),
        ("tally_aar_insert", AAR, "INSERT", "", "peerassist_tally_aar"),
        ("tally_aar_delete", AAR, "DELETE", "", "peerassist_tally_aar"),
        ("tally_aar_update", AAR, "UPDATE", _distinct(AAR_CHANGED), "peerassist_tally_aar"),
    ]  # fmt: skip
    assert tuple(t[0] for t in triggers) == POSTGRESQL_TRIGGERS
    for name, table, event, when, function in triggers:
        condition = f" WHEN ({when})" if when else ""
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {function}()"
        )
    return statements


PG_FUNCTIONS = (
    "peerassist_tally_session()",
    "peerassist_tally_participant()",
    "peerassist_tally_aar()",
    "peerassist_tally_recount(bigint)",
    "peerassist_tally_person(bigint, bigint, boolean, boolean, int, boolean)",
    "peerassist_tally_answer(bigint, text, timestamptz, int)",
)


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
            for function in PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
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
        month = _month_of("a.submitted_at", connection.vendor)
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
