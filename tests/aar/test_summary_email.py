"""The personal summary email (aar.scheduled): once a session's AAR deadline has passed
or it was closed, one email to each person on the roster, sent once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from aar.models import ReminderLog
from aar.scheduled import summaries_run, summary_send
from peerassist.models import OutgoingEmail
from sessions_app.models import AssistSession
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
HELD = datetime.date(2026, 12, 1)
DEADLINE = datetime.date(2026, 12, 8)
NOW = datetime.datetime(2026, 12, 9, 9, tzinfo=BANGKOK)


def run(day: datetime.date):
    moment = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=BANGKOK)
    with time_machine.travel(moment, tick=False):
        return summaries_run(today=day)


@pytest.fixture
def session():
    return AssistSessionFactory(date=HELD, aar_deadline=DEADLINE, title="วงสรุป")


def test_nothing_before_the_deadline_has_passed(session):
    ParticipantFactory(session=session)
    result = run(DEADLINE)  # the deadline day itself: AARs are still coming in
    assert result.sent == [] and mail.outbox == []
    session.refresh_from_db()
    assert session.summaries_queued_at is None


def test_the_day_after_the_deadline_everyone_gets_one(session):
    wrote = ParticipantFactory(session=session)
    AARFactory(participant=wrote)
    absent = ParticipantFactory(session=session)  # wrote nothing: included
    drafted = ParticipantFactory(session=session)
    AARFactory(participant=drafted, draft=True)
    result = run(DEADLINE + datetime.timedelta(days=1))
    assert sorted(p.pk for p in result.sent) == sorted([wrote.pk, absent.pk, drafted.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [wrote.email, absent.email, drafted.email]
    )
    assert result.sessions == 1
    session.refresh_from_db()
    assert session.summaries_queued_at == NOW
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == {ReminderLog.Kind.SUMMARY}
    assert ReminderLog.objects.count() == 3
    assert set(OutgoingEmail.objects.values_list("key", flat=True)) == {
        f"summary:{p.pk}" for p in (wrote, absent, drafted)
    }


def test_a_closed_session_gets_them_before_its_deadline(session):
    ParticipantFactory(session=session)
    session.close()
    result = run(HELD)
    assert len(result.sent) == 1 and len(mail.outbox) == 1
    session.refresh_from_db()
    assert session.summaries_queued_at is not None


def test_sent_once_across_runs(session):
    ParticipantFactory.create_batch(2, session=session)
    run(DEADLINE + datetime.timedelta(days=1))
    again = run(DEADLINE + datetime.timedelta(days=2))
    session.close()  # closing afterwards sends nothing more
    after_closing = run(DEADLINE + datetime.timedelta(days=3))
    assert again.sent == [] and after_closing.sent == []
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.SUMMARY).count() == 2


def test_the_session_row_is_checked_again_under_the_lock(session):
    """Another server queued them after our list of sessions was read."""
    ParticipantFactory(session=session)
    AssistSession.objects.filter(pk=session.pk).update(summaries_queued_at=NOW)
    assert session.summaries_queued_at is None  # our copy is out of date
    assert summary_send(session=session) is None
    assert mail.outbox == []


def test_stopped_removed_and_no_email_are_left_out(session):
    stopped = ParticipantFactory(session=session)
    stopped.stop_emails()
    removed = ParticipantFactory(session=session)
    AARFactory(participant=removed)
    assert removed.remove()
    ParticipantFactory(session=session, email="")
    kept = ParticipantFactory(session=session)
    result = run(DEADLINE + datetime.timedelta(days=1))
    assert result.sent == [kept]
    assert [m.to for m in mail.outbox] == [[kept.email]]


def test_it_lists_the_persons_own_commitments_and_the_count(session, settings):
    person = ParticipantFactory(session=session, language="en")
    aar = AARFactory(participant=person)
    CommitmentFactory(
        aar=aar, text="Share the form with my team", due_date=datetime.date(2027, 1, 15)
    )
    other = ParticipantFactory(session=session, language="en")
    CommitmentFactory(aar=AARFactory(participant=other), text="Someone else's plan")
    ParticipantFactory(session=session, language="en")  # absent
    run(DEADLINE + datetime.timedelta(days=1))
    message = next(m for m in mail.outbox if m.to == [person.email])
    assert message.subject == "Your summary of “วงสรุป”"
    assert "1 December 2026" in message.body
    assert "AARs written: 2 of 3." in message.body
    assert "Share the form with my team (by 15 January 2027)" in message.body
    assert "Someone else's plan" not in message.body
    thanks = settings.SITE_URL + reverse("aar:thanks", args=[person.token])
    assert thanks in message.body
    html = {mime: content for content, mime in message.alternatives}["text/html"]
    assert "Share the form with my team" in html and thanks in html


def test_someone_absent_gets_their_own_aar_link_and_no_commitments(session, settings):
    absent = ParticipantFactory(session=session, language="en")
    run(DEADLINE + datetime.timedelta(days=1))
    body = mail.outbox[0].body
    assert absent.get_absolute_aar_url() in body
    assert "a late AAR is still very welcome" in body
    assert "What you set out to do" not in body


def test_in_thai_with_buddhist_era_dates_and_the_stop_headers(session, settings):
    person = ParticipantFactory(session=session, language="th")
    CommitmentFactory(aar=AARFactory(participant=person), due_date=datetime.date(2027, 1, 15))
    run(DEADLINE + datetime.timedelta(days=1))
    message = mail.outbox[0]
    assert message.subject.startswith("สรุป") and "วงสรุป" in message.subject
    assert "1 ธันวาคม 2569" in message.body and "15 มกราคม 2570" in message.body
    stop = f"{settings.SITE_URL}/aar/{person.token}/stop-emails/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_archived_sessions_get_them_too(session):
    ParticipantFactory(session=session)
    session.archive()
    assert len(run(DEADLINE + datetime.timedelta(days=1)).sent) == 1
