"""Retention (PDPA): the daily `manage.py send_aar_reminders` also anonymises the people
of sessions held more than RETENTION_YEARS years ago. With frozen time."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from aar.models import AAR, AuditEntry
from aar.services import participant_erase, retention_cutoff
from sessions_app.models import ERASED_NAME, Participant, SessionTally
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))


def on(day: datetime.date):
    """Frozen at 09:00 Bangkok time on ``day``."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=BANGKOK), tick=False
    )


TODAY = datetime.date(2026, 12, 8)


def run(*args):
    out = io.StringIO()
    call_command("send_aar_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _five_years(settings):
    settings.RETENTION_YEARS = 5


@pytest.fixture
def old_session():
    return AssistSessionFactory(date=datetime.date(2021, 12, 7))  # 5 years and a day ago


@pytest.fixture
def kept_session():
    return AssistSessionFactory(date=datetime.date(2021, 12, 8))  # exactly 5 years ago


def test_people_of_sessions_past_retention_are_anonymised(old_session, kept_session):
    writer = ParticipantFactory(session=old_session, full_name="เขียนไว้นานแล้ว")
    AARFactory(participant=writer, goal="ของเก่า")
    removed = ParticipantFactory(session=old_session)
    AARFactory(participant=removed, draft=True)
    removed.remove()
    silent = ParticipantFactory(session=old_session)
    recent = ParticipantFactory(session=kept_session, full_name="ยังเก็บไว้")
    tally_before = SessionTally.objects.get(session=old_session).submitted

    with on(TODAY):
        out = run()

    assert "Retention: 3 participants of sessions before 2021-12-08 anonymised." in out
    for person in (writer, removed, silent):
        person.refresh_from_db()
        assert person.full_name == ERASED_NAME and person.email == ""
        assert person.erased_at == datetime.datetime(2026, 12, 8, 9, tzinfo=BANGKOK)
    assert AAR.objects.get(participant=writer).goal == ""
    assert AAR.objects.get(participant=writer).status == AAR.Status.SUBMITTED
    assert removed.removed_at is not None  # still off the roster, still in the archive
    recent.refresh_from_db()
    assert recent.full_name == "ยังเก็บไว้" and not recent.is_erased
    assert SessionTally.objects.get(session=old_session).submitted == tally_before

    entries = AuditEntry.objects.all()
    assert sorted(e.participant_pk for e in entries) == sorted([writer.pk, removed.pk, silent.pk])
    assert {(e.action, e.actor, e.session, e.organisation) for e in entries} == {
        (AuditEntry.Action.RETENTION, None, old_session, old_session.organiser)
    }
    call_command("recount_followup", stdout=io.StringIO())  # raises if the counts disagree


def test_idempotent_and_an_erased_person_is_not_erased_again(old_session):
    ParticipantFactory(session=old_session)
    earlier = participant_erase(participant=ParticipantFactory(session=old_session), erased_by=None)
    with on(TODAY):
        assert "Retention: 1 participants" in run()
        assert "Retention: 0 participants" in run()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION).count() == 1
    assert Participant.objects.get(pk=earlier.pk).erased_at == earlier.erased_at


def test_dry_run_reports_and_changes_nothing(old_session):
    person = ParticipantFactory(session=old_session, full_name="ยังอยู่")
    with on(TODAY):
        out = run("--dry-run")
    assert "Retention: 1 participants of sessions before 2021-12-08 would be anonymised." in out
    person.refresh_from_db()
    assert person.full_name == "ยังอยู่" and not person.is_erased
    assert not AuditEntry.objects.exists()


def test_zero_years_keeps_everything(settings, old_session):
    settings.RETENTION_YEARS = 0
    person = ParticipantFactory(session=old_session)
    with on(TODAY):
        out = run()
    assert "Retention: off" in out
    person.refresh_from_db()
    assert not person.is_erased


def test_a_session_becomes_due_the_day_after_its_anniversary(kept_session):
    person = ParticipantFactory(session=kept_session)
    with on(TODAY):
        run()
    person.refresh_from_db()
    assert not person.is_erased
    with on(TODAY + datetime.timedelta(days=1)):
        run()
    person.refresh_from_db()
    assert person.is_erased


def test_the_cutoff_of_29_february():
    assert retention_cutoff(today=datetime.date(2028, 2, 29), years=5) == datetime.date(2023, 2, 28)
    assert retention_cutoff(today=datetime.date(2026, 12, 8), years=5) == datetime.date(2021, 12, 8)
