"""Reminders by hand: the service behind "Send reminder" and "Copy reminder text"."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from aar.followup import reminder_log_copied, reminder_send, reminder_skip_reason, reminder_text
from aar.models import ReminderLog
from sessions_app.models import Participant
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2026, 12, 9, 9, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(assist_session):
    assist_session.date = datetime.date(2026, 12, 3)
    assist_session.aar_deadline = datetime.date(2026, 12, 10)
    assist_session.save()
    return assist_session


def reasons(result):
    return {participant.full_name: reason for participant, reason in result.skipped}


def test_sends_logs_and_counts(session, coordinator_user):
    person = ParticipantFactory(session=session)
    result = reminder_send(participants=[person], sent_by=coordinator_user)
    assert [p.pk for p in result.sent] == [person.pk] and result.skipped == []
    assert mail.outbox[0].to == [person.email]
    person.refresh_from_db()
    assert person.reminders_sent == 1 and person.last_reminded_at == NOW
    log = ReminderLog.objects.get()
    assert (log.participant, log.channel, log.sent_by, log.sent_at) == (
        person, ReminderLog.Channel.EMAIL, coordinator_user, NOW,
    )  # fmt: skip
    assert not log.automatic


def test_skipped_people_and_why(session, coordinator_user):
    done = ParticipantFactory(session=session, full_name="ส่งแล้ว")
    AARFactory(participant=done)
    late = ParticipantFactory(session=session, full_name="ส่งช้า")
    AARFactory(participant=late, submitted_at=NOW + datetime.timedelta(days=3))
    no_email = ParticipantFactory(session=session, full_name="ไม่มีอีเมล", email="")
    recent = ParticipantFactory(
        session=session, full_name="เพิ่งเตือน", last_reminded_at=NOW - datetime.timedelta(hours=23)
    )
    allowed = ParticipantFactory(
        session=session, full_name="เตือนได้", last_reminded_at=NOW - datetime.timedelta(hours=25)
    )
    drafting = ParticipantFactory(session=session, full_name="ร่างอยู่")
    AARFactory(participant=drafting, draft=True)
    everyone = [done, late, no_email, recent, allowed, drafting]
    result = reminder_send(participants=everyone, sent_by=coordinator_user)
    assert sorted(p.full_name for p in result.sent) == ["ร่างอยู่", "เตือนได้"]
    assert reasons(result) == {
        "ส่งแล้ว": "submitted",
        "ส่งช้า": "submitted",
        "ไม่มีอีเมล": "no_email",
        "เพิ่งเตือน": "recent",
    }
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2
    allowed.refresh_from_db()
    assert allowed.reminders_sent == 1


def test_closed_or_archived_session_and_removed_people_are_skipped(session):
    gone = ParticipantFactory(session=session, full_name="ออกแล้ว")
    AARFactory(participant=gone, draft=True)
    gone.remove()
    assert reasons(reminder_send(participants=[gone])) == {"ออกแล้ว": "removed"}
    person = ParticipantFactory(session=session, full_name="คนในวง")
    session.close()
    assert reasons(reminder_send(participants=[person])) == {"คนในวง": "closed"}
    session.status = "held"
    session.save()
    session.archive()
    assert reasons(reminder_send(participants=[person])) == {"คนในวง": "closed"}
    assert mail.outbox == []


def test_the_24_hour_rule_is_checked_again_after_taking_the_lock(session):
    """Another server reminded this person after our list was read: the row read
    under the lock says so, and we do not remind them again."""
    stale = ParticipantFactory(session=session)
    Participant.objects.filter(pk=stale.pk).update(
        last_reminded_at=timezone.now(), reminders_sent=1
    )
    assert stale.last_reminded_at is None  # our copy is out of date
    result = reminder_send(participants=[stale])
    assert result.sent == [] and result.skipped[0][1] == "recent"
    assert mail.outbox == []
    stale.refresh_from_db()
    assert stale.reminders_sent == 1


def test_submitted_meanwhile_is_not_reminded(session):
    stale = ParticipantFactory(session=session)
    AARFactory(participant=stale)
    stale = Participant.objects.get(pk=stale.pk)
    result = reminder_send(participants=[stale])
    assert result.skipped[0][1] == "submitted" and mail.outbox == []


def test_the_maximum_only_applies_when_asked(session):
    person = ParticipantFactory(session=session, reminders_sent=5)
    assert reminder_skip_reason(person, now=NOW, max_reminders=5) == "max"
    assert reminder_skip_reason(person, now=NOW) is None  # a person may always press the button


def test_dry_run_changes_nothing(session):
    person = ParticipantFactory(session=session)
    result = reminder_send(participants=[person], dry_run=True)
    assert len(result.sent) == 1 and mail.outbox == []
    person.refresh_from_db()
    assert person.reminders_sent == 0 and not ReminderLog.objects.exists()


def test_email_in_the_participants_language(session):
    thai = ParticipantFactory(session=session, language="th")
    english = ParticipantFactory(session=session, language="en")
    reminder_send(participants=[thai, english])
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "10 ธันวาคม 2569" in by_to[thai.email].body
    assert "3 ธันวาคม 2569" in by_to[thai.email].body
    assert session.title in by_to[thai.email].subject
    assert "by 10 December 2026" in by_to[english.email].body
    assert english.get_absolute_aar_url() in by_to[english.email].body
    assert "\n" not in by_to[english.email].subject


def test_reminder_text_for_chat_has_the_link_and_the_deadline(session):
    person = ParticipantFactory(session=session, language="en", full_name="Somchai")
    person.session = session
    text = reminder_text(participant=person)
    assert text.startswith("Dear Somchai,")
    assert person.get_absolute_aar_url() in text and "10 December 2026" in text


def test_copied_reminder_is_logged_and_counted(session, coordinator_user):
    person = ParticipantFactory(session=session)
    log = reminder_log_copied(participant=person, sent_by=coordinator_user)
    assert log.channel == ReminderLog.Channel.COPIED and log.sent_by == coordinator_user
    person.refresh_from_db()
    assert person.reminders_sent == 1 and person.last_reminded_at == NOW
    # A copied reminder counts for the 24-hour rule: no email straight after it.
    assert reminder_send(participants=[person]).skipped[0][1] == "recent"
