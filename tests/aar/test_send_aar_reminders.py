"""Scheduled reminders (`manage.py send_aar_reminders`), with frozen time."""

import datetime
import io
import threading
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from aar.models import ReminderLog
from sessions_app.models import AssistSession, Participant
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory
from tests.helpers import at_once, sqlite_manage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
DEADLINE = datetime.date(2026, 12, 10)


def at(day, hour=9):
    """Frozen at 09:00 Bangkok time on the given day of December 2026."""
    return time_machine.travel(datetime.datetime(2026, 12, day, hour, tzinfo=BANGKOK), tick=False)


@pytest.fixture
def session(settings):
    settings.AAR_REMINDER_DAYS_BEFORE = 2
    settings.AAR_REMINDER_DAYS_AFTER = 7
    settings.AAR_REMINDER_MAX = 3
    return AssistSessionFactory(date=datetime.date(2026, 12, 3), aar_deadline=DEADLINE)


def run(*args):
    out = io.StringIO()
    call_command("send_aar_reminders", *args, stdout=out)
    return out.getvalue()


def test_nobody_before_the_window(session):
    person = ParticipantFactory(session=session)
    with at(7):  # three days before the deadline; the window opens two days before
        out = run()
    assert mail.outbox == []
    assert "Reminders sent: 0" in out
    person.refresh_from_db()
    assert person.reminders_sent == 0


def test_missing_and_drafts_are_reminded_from_the_first_day_of_the_window(session):
    missing = ParticipantFactory(session=session)
    drafting = ParticipantFactory(session=session)
    AARFactory(participant=drafting, draft=True)
    AARFactory(participant=ParticipantFactory(session=session))  # submitted: left alone
    with at(8):  # two days before: the first day of the window
        out = run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([missing.email, drafting.email])
    assert "Reminders sent: 2" in out
    missing.refresh_from_db()
    assert missing.reminders_sent == 1
    assert missing.last_reminded_at == datetime.datetime(2026, 12, 8, 9, tzinfo=BANGKOK)
    log = ReminderLog.objects.get(participant=missing)
    assert log.channel == ReminderLog.Channel.EMAIL
    assert log.sent_by is None and log.automatic  # sent by the scheduler, not a person


def test_the_last_day_of_the_window_and_the_day_after(session):
    ParticipantFactory(session=session)
    with at(17):  # seven days after the deadline: the last day
        run()
    assert len(mail.outbox) == 1
    with at(18, 10):  # eight days after: outside, though 24 hours have passed
        run()
    assert len(mail.outbox) == 1


def test_nobody_after_the_window(session):
    ParticipantFactory(session=session)
    with at(18):  # eight days after
        run()
    assert mail.outbox == []


def test_the_24_hour_rule(session):
    person = ParticipantFactory(session=session)
    with at(9, 9):
        run()
    with at(10, 8):  # 23 hours later
        out = run()
    assert len(mail.outbox) == 1
    assert "Reminders sent: 0" in out
    with at(10, 10):  # 25 hours later
        run()
    assert len(mail.outbox) == 2
    person.refresh_from_db()
    assert person.reminders_sent == 2


def test_running_twice_in_a_row_sends_nothing_the_second_time(session):
    ParticipantFactory.create_batch(3, session=session)
    with at(9):
        first = run()
        second = run()
    assert len(mail.outbox) == 3
    assert "Reminders sent: 3" in first and "Reminders sent: 0" in second
    assert "reminded less than 24 hours ago" in second
    assert ReminderLog.objects.count() == 3


def test_per_person_maximum(session):
    person = ParticipantFactory(session=session)
    for day in (8, 9, 10, 11, 12):
        with at(day):
            run()
    assert len(mail.outbox) == 3
    person.refresh_from_db()
    assert person.reminders_sent == 3


def test_max_option_overrides_the_setting(session):
    ParticipantFactory(session=session, reminders_sent=1)
    with at(9):
        run("--max", "1")
    assert mail.outbox == []
    with at(9):
        run("--max", "2")
    assert len(mail.outbox) == 1


def test_dry_run_sends_nothing_and_changes_nothing(session):
    person = ParticipantFactory(session=session)
    with at(9):
        out = run("--dry-run")
    assert mail.outbox == []
    assert "Reminders would send: 1" in out and person.full_name in out
    person.refresh_from_db()
    assert person.reminders_sent == 0 and person.last_reminded_at is None
    assert not ReminderLog.objects.exists()
    with at(9):  # and a real run afterwards still sends
        run()
    assert len(mail.outbox) == 1


def test_closed_session_gets_nothing(session):
    ParticipantFactory(session=session)
    session.close()
    with at(9):
        run()
    assert mail.outbox == []


def test_archived_sessions_removed_people_and_people_without_email_are_left_out(session):
    ParticipantFactory(session=session, email="")
    removed = ParticipantFactory(session=session)
    AARFactory(participant=removed, draft=True)
    assert removed.remove()  # kept in the archive, off the roster
    archived = AssistSessionFactory(date=session.date, aar_deadline=DEADLINE)
    ParticipantFactory(session=archived)
    archived.archive()
    closed = AssistSessionFactory(
        date=session.date, aar_deadline=DEADLINE, status=AssistSession.Status.CLOSED
    )
    ParticipantFactory(session=closed)
    with at(9):
        run()
    assert mail.outbox == []


def test_window_options(session):
    ParticipantFactory(session=session)
    with at(5):  # five days before: outside the default window
        run()
    assert mail.outbox == []
    with at(5):
        run("--days-before", "5")
    assert len(mail.outbox) == 1
    with at(19):  # nine days after
        run("--days-after", "9")
    assert len(mail.outbox) == 2


def test_reminder_is_in_the_participants_language_with_deadline_and_link(session):
    thai = ParticipantFactory(session=session, language="th")
    english = ParticipantFactory(session=session, language="en")
    with at(9):
        run()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "10 ธันวาคม 2569" in by_to[thai.email].body
    assert thai.get_absolute_aar_url() in by_to[thai.email].body
    assert "AAR" in by_to[thai.email].subject and session.title in by_to[thai.email].subject
    assert "10 December 2026" in by_to[english.email].body
    assert english.get_absolute_aar_url() in by_to[english.email].body
    assert by_to[english.email].subject.startswith("Reminder")


def test_overdue_reminder_says_a_late_aar_is_welcome(session):
    person = ParticipantFactory(session=session, language="en")
    with at(12):
        run()
    assert "was due on 10 December 2026" in mail.outbox[0].body
    assert person.get_absolute_aar_url() in mail.outbox[0].body


def test_summary_counts_the_skipped_by_reason(session):
    ParticipantFactory(session=session)
    with at(9):
        run()
        out = run()
    assert "Reminders sent: 0" in out
    assert "Skipped (reminded less than 24 hours ago): 1" in out


def test_one_failing_email_does_not_stop_the_others(session, monkeypatch):
    bad = ParticipantFactory(session=session, full_name="ก")
    good = ParticipantFactory(session=session, full_name="ข")
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [bad.email]:
            raise ConnectionRefusedError("smtp down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    with at(9):
        run()
    # The worker sends, one message at a time: the failure stays on its own email, which
    # the worker retries (the tests' immediate backend cannot wait, so it says failed).
    assert [m.to[0] for m in mail.outbox] == [good.email]
    from peerassist.models import OutgoingEmail

    failed = OutgoingEmail.objects.get(to=bad.email)
    assert failed.status == "failed" and "smtp down" in failed.last_error
    assert OutgoingEmail.objects.get(to=good.email).status == "sent"


# Two servers at once ---------------------------------------------------------------

SETUP = """
import datetime
from django.utils import timezone
from tests.factories import AssistSessionFactory, ParticipantFactory
session = AssistSessionFactory(date=timezone.localdate(), aar_deadline=timezone.localdate())
ParticipantFactory.create_batch({n}, session=session)
"""
CHECK = """
from aar.models import ReminderLog
from sessions_app.models import Participant
print(ReminderLog.objects.count(), sorted(set(Participant.objects.values_list("reminders_sent", flat=True))))
"""


@pytest.mark.django_db(transaction=False)
def test_two_servers_at_once_remind_each_person_once_sqlite(tmp_path):
    """Two processes run the command at the same moment on one SQLite file: IMMEDIATE
    transactions serialise them, and the 24-hour rule checked after taking the lock
    stops the second from reminding anybody again."""
    people = 25
    manage = sqlite_manage(tmp_path / "reminders.sqlite3")
    manage("migrate", "--noinput")
    manage("shell", stdin=SETUP.format(n=people))
    at_once("send_aar_reminders", env=manage.env)
    # Queued by the two, sent by the worker: each person once.
    sent = manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert sent.count("\nTo: ") == people, sent[-2000:]
    logs, counts = manage("shell", stdin=CHECK).strip().splitlines()[-1].split(" ", 1)
    assert int(logs) == people
    assert counts == "[1]"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for row locks: set DATABASE_URL=postgres://... (CI does)",
)
def test_two_servers_at_once_remind_each_person_once_postgresql(session):
    """On PostgreSQL each person's row is locked (SKIP LOCKED): two runs at once
    remind everybody exactly once."""
    people = ParticipantFactory.create_batch(20, session=session)
    barrier = threading.Barrier(2)
    errors = []

    def server():
        try:
            barrier.wait()
            run()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with at(9):
        threads = [threading.Thread(target=server) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Participant.objects.values_list("reminders_sent", flat=True)) == {1}
    assert ReminderLog.objects.count() == 20
