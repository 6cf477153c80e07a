"""`manage.py run_scheduled`: the reminders, check-backs and summaries in one idempotent
command, with frozen time."""

import datetime
import io
import json
import threading
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from aar.models import ReminderLog
from sessions_app.models import AssistSession, Participant
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory
from tests.helpers import at_once, sqlite_manage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 12, 9)


def at(hour=9, day=TODAY):
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)
    return time_machine.travel(moment, tick=False)


def run(*args, hour=9):
    out = io.StringIO()
    with at(hour):
        call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(settings):
    """One person of each kind of work due today (09:00, 9 December 2026)."""
    settings.AAR_REMINDER_DAYS_BEFORE = 2
    settings.AAR_REMINDER_DAYS_AFTER = 7
    settings.AAR_REMINDER_MAX = 3
    settings.RETENTION_YEARS = 5
    collecting = AssistSessionFactory(date=TODAY, aar_deadline=TODAY + datetime.timedelta(days=1))
    missing = ParticipantFactory(session=collecting)
    # Held 30 days ago, its deadline long passed and its summaries already queued.
    older = AssistSessionFactory(date=TODAY - datetime.timedelta(days=30))
    AssistSession.objects.filter(pk=older.pk).update(
        summaries_queued_at=datetime.datetime(2026, 11, 20, tzinfo=BANGKOK)
    )
    committed = ParticipantFactory(session=older)
    CommitmentFactory(aar=AARFactory(participant=committed))
    # Its deadline passed yesterday.
    ended = AssistSessionFactory(
        date=TODAY - datetime.timedelta(days=8), aar_deadline=TODAY - datetime.timedelta(days=1)
    )
    summarised = ParticipantFactory(session=ended)
    AARFactory(participant=summarised)
    return {"reminder": missing, "checkback": committed, "summary": summarised}


def test_one_run_does_all_three(due):
    out = run()
    assert "Reminders sent: 1" in out
    assert "Check-backs sent: 1" in out
    assert "Summaries sent: 1 (sessions: 1)" in out
    assert "Retention: 0 anonymised." in out
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in due.values())
    kinds = {log.participant_id: log.kind for log in ReminderLog.objects.all()}
    assert kinds == {person.pk: kind for kind, person in due.items()}


def test_a_second_run_sends_nothing(due):
    run()
    out = run()
    assert "Reminders sent: 0" in out
    assert "Check-backs sent: 0" in out
    assert "Summaries sent: 0 (sessions: 0)" in out
    assert "Skipped reminders (reminded less than 24 hours ago): 1" in out
    assert len(mail.outbox) == 3
    assert ReminderLog.objects.count() == 3
    due["checkback"].refresh_from_db()
    assert due["checkback"].checkbacks_sent == 1


def test_no_emails_at_night(due):
    out = run(hour=2)
    assert "Outside the sending hours (08:00-20:00): no emails queued." in out
    assert "Retention: 0 anonymised." in out  # the rest of the work still runs
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    run(hour=20)  # 20:00 is already evening
    assert mail.outbox == []
    run(hour=8)
    assert len(mail.outbox) == 3


def test_any_hour_sends_at_night(due):
    out = run("--any-hour", hour=2)
    assert "Reminders sent: 1" in out
    assert len(mail.outbox) == 3


def test_retention_off_is_said(due, settings):
    settings.RETENTION_YEARS = 0
    assert "Retention: off (RETENTION_YEARS=0)." in run()


def test_retention_runs_first(due, settings):
    old = AssistSessionFactory(
        date=datetime.date(2020, 1, 1), aar_deadline=datetime.date(2020, 1, 8)
    )
    person = ParticipantFactory(session=old)
    out = run()
    assert "Retention: 1 anonymised." in out
    person.refresh_from_db()
    assert person.is_erased
    assert person.email not in [m.to[0] for m in mail.outbox]


def test_send_aar_reminders_still_works_beside_it(due):
    out = io.StringIO()
    with at():
        call_command("send_aar_reminders", stdout=out)
    assert "Reminders sent: 1" in out.getvalue()
    assert "Reminders sent: 0" in run()  # the scheduled run finds them reminded
    assert Participant.objects.get(pk=due["reminder"].pk).reminders_sent == 1


# Two servers at once ---------------------------------------------------------------

SETUP = """
import datetime
from django.utils import timezone
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory
session = AssistSessionFactory(date=timezone.localdate() - datetime.timedelta(days=30))
for _ in range({n}):
    CommitmentFactory(aar=AARFactory(participant=ParticipantFactory(session=session)))
"""
CHECK = """
import json
from aar.models import ReminderLog
from sessions_app.models import AssistSession, Participant
print(json.dumps({
    "checkback": ReminderLog.objects.filter(kind="checkback").count(),
    "summary": ReminderLog.objects.filter(kind="summary").count(),
    "checkbacks_sent": sorted(set(Participant.objects.values_list("checkbacks_sent", flat=True))),
    "sessions_pending": AssistSession.objects.filter(summaries_queued_at__isnull=True).count(),
}))
"""


@pytest.mark.django_db(transaction=False)
def test_two_servers_at_once_send_each_email_once_sqlite(tmp_path):
    """Two processes run the command at the same moment on one SQLite file: each
    check-back and each summary is queued once, and the worker sends each once."""
    people = 15
    manage = sqlite_manage(tmp_path / "scheduled.sqlite3")
    manage("migrate", "--noinput")
    manage("shell", stdin=SETUP.format(n=people))
    at_once("run_scheduled", "--any-hour", env=manage.env)
    sent = manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert sent.count("\nTo: ") == 2 * people, sent[-2000:]
    checked = json.loads(manage("shell", stdin=CHECK).strip().splitlines()[-1])
    assert checked == {
        "checkback": people,
        "summary": people,
        "checkbacks_sent": [1],
        "sessions_pending": 0,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for row locks: set DATABASE_URL=postgres://... (CI does)",
)
def test_two_servers_at_once_send_each_email_once_postgresql():
    """On PostgreSQL each person's row and the session's row are locked (SKIP LOCKED):
    two runs at once send each check-back and each summary once."""
    session = AssistSessionFactory(date=TODAY - datetime.timedelta(days=30))
    people = [ParticipantFactory(session=session) for _ in range(12)]
    for person in people:
        CommitmentFactory(aar=AARFactory(participant=person))
    barrier = threading.Barrier(2)
    errors = []

    def server():
        try:
            barrier.wait()
            call_command("run_scheduled", "--any-hour", stdout=io.StringIO())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with at():  # frozen once for both threads
        threads = [threading.Thread(target=server) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(2 * [p.email for p in people])
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.CHECKBACK).count() == 12
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.SUMMARY).count() == 12
    assert set(Participant.objects.values_list("checkbacks_sent", flat=True)) == {1}
