"""Scheduled reminders (send_aar_reminders), with frozen time."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from sessions_app.models import AssistSession
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
DEADLINE = datetime.date(2026, 12, 10)


def at(day, hour=9):
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
    ParticipantFactory(session=session)
    with at(7):  # three days before the deadline
        run()
    assert mail.outbox == []


def test_missing_and_drafts_are_reminded_inside_the_window(session):
    missing = ParticipantFactory(session=session)
    drafting = ParticipantFactory(session=session)
    AARFactory(participant=drafting, draft=True)
    AARFactory(participant=ParticipantFactory(session=session))
    with at(8):  # two days before
        out = run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([missing.email, drafting.email])
    assert "Reminders sent: 2" in out


def test_nobody_after_the_window(session):
    ParticipantFactory(session=session)
    with at(18):  # eight days after
        run()
    assert mail.outbox == []


def test_the_24_hour_rule_makes_it_idempotent(session):
    ParticipantFactory(session=session)
    with at(9, 9):
        run()
        out = run()
    assert len(mail.outbox) == 1
    assert "Reminders sent: 0" in out
    with at(10, 8):  # 23 hours later
        run()
    assert len(mail.outbox) == 1
    with at(10, 10):  # 25 hours later
        run()
    assert len(mail.outbox) == 2


def test_per_person_maximum(session):
    person = ParticipantFactory(session=session)
    for day in (8, 9, 10, 11, 12):
        with at(day):
            run()
    assert len(mail.outbox) == 3
    person.refresh_from_db()
    assert person.reminders_sent == 3


def test_dry_run_sends_and_changes_nothing(session):
    person = ParticipantFactory(session=session)
    with at(9):
        out = run("--dry-run")
    assert mail.outbox == []
    assert "would send: 1" in out and person.full_name in out
    person.refresh_from_db()
    assert person.reminders_sent == 0 and person.last_reminded_at is None


def test_closed_session_and_people_without_email_are_left_out(session):
    ParticipantFactory(session=session, email="")
    closed = AssistSessionFactory(date=session.date, aar_deadline=DEADLINE, status=AssistSession.Status.CLOSED)
    ParticipantFactory(session=closed)
    with at(9):
        run()
    assert mail.outbox == []


def test_options_override_the_window(session):
    ParticipantFactory(session=session)
    with at(5):  # five days before: outside the default window
        run("--days-before", "5")
    assert len(mail.outbox) == 1


def test_reminder_is_in_the_participants_language_with_deadline_and_link(session):
    thai = ParticipantFactory(session=session, language="th")
    english = ParticipantFactory(session=session, language="en")
    with at(9):
        run()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "10 ธันวาคม 2569" in by_to[thai.email].body
    assert thai.get_absolute_aar_url() in by_to[thai.email].body
    assert "10 December 2026" in by_to[english.email].body
    assert "Reminder" in by_to[english.email].subject
