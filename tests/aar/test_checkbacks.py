"""Check-back emails on commitments (aar.scheduled), with frozen time: who is due which
check-back, who is left out and why, and each check-back sent once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aar.models import Commitment, ReminderLog
from aar.scheduled import checkback_url, checkbacks_run
from peerassist.models import OutgoingEmail
from sessions_app.models import AssistSession
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
HELD = datetime.date(2026, 11, 1)
FIRST = datetime.date(2026, 12, 1)  # 30 days after
SECOND = datetime.date(2027, 1, 30)  # 90 days after


def at(day: datetime.date, hour=9):
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def session():
    return AssistSessionFactory(date=HELD, title="วงทดลอง")


def committed(session, *, status=Commitment.Status.OPEN, due=datetime.date(2026, 12, 15), **kw):
    """A person on the roster with a submitted AAR and one commitment."""
    person = ParticipantFactory(session=session, **kw)
    aar = AARFactory(participant=person)
    CommitmentFactory(aar=aar, text=f"ทดลองแบบฟอร์มใหม่ ({person.pk})", due_date=due, status=status)
    return person


def run(day: datetime.date):
    with at(day):
        return checkbacks_run(today=day)


def test_nothing_is_due_before_the_first_check_back_day(session):
    committed(session)
    result = run(FIRST - datetime.timedelta(days=1))
    assert result.sent == [] and mail.outbox == []


def test_the_first_check_back_goes_out_on_its_day(session):
    person = committed(session)
    result = run(FIRST)
    assert result.sent == [person]
    assert [m.to for m in mail.outbox] == [[person.email]]
    person.refresh_from_db()
    assert person.checkbacks_sent == 1
    log = ReminderLog.objects.get(participant=person)
    assert log.kind == ReminderLog.Kind.CHECKBACK
    assert log.channel == ReminderLog.Channel.EMAIL and log.automatic
    assert OutgoingEmail.objects.get().key == f"checkback:{person.pk}:1"


def test_each_check_back_is_sent_once_across_runs(session):
    person = committed(session)
    run(FIRST)
    second_run = run(FIRST + datetime.timedelta(days=3))
    assert second_run.sent == []
    assert second_run.skipped_by_reason() == {}  # not even a candidate any more
    assert len(mail.outbox) == 1
    run(SECOND)
    run(SECOND + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    person.refresh_from_db()
    assert person.checkbacks_sent == 2
    assert sorted(OutgoingEmail.objects.values_list("key", flat=True)) == [
        f"checkback:{person.pk}:1",
        f"checkback:{person.pk}:2",
    ]
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.CHECKBACK).count() == 2


def test_someone_due_the_second_who_missed_the_first_gets_only_the_second(session):
    person = committed(session)
    run(SECOND)
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.checkbacks_sent == 2
    assert OutgoingEmail.objects.get().key == f"checkback:{person.pk}:2"


def test_a_stale_row_is_checked_again_under_the_lock(session):
    """Another server sent this check-back after our list was read."""
    person = committed(session)
    with at(FIRST):
        from aar.scheduled import checkback_send

        type(person).objects.filter(pk=person.pk).update(checkbacks_sent=1)
        result = checkback_send(participants=[person], today=FIRST)
    assert result.sent == [] and result.skipped_by_reason() == {"had_it": 1}
    assert mail.outbox == []


def test_partly_and_not_yet_count_as_open_done_and_dropped_do_not(session):
    partly = committed(session, status=Commitment.Status.PARTLY)
    not_yet = committed(session, status=Commitment.Status.NOT_YET)
    committed(session, status=Commitment.Status.DONE)
    committed(session, status=Commitment.Status.DROPPED)
    ParticipantFactory(session=session)  # no AAR, so no commitments
    result = run(FIRST)
    assert sorted(p.pk for p in result.sent) == sorted([partly.pk, not_yet.pk])


def test_only_the_open_commitments_are_listed(session):
    person = ParticipantFactory(session=session, language="en")
    aar = AARFactory(participant=person)
    CommitmentFactory(aar=aar, text="Try the new form", due_date=datetime.date(2026, 12, 15))
    CommitmentFactory(aar=aar, text="Coach the new team", status=Commitment.Status.PARTLY)
    CommitmentFactory(aar=aar, text="Already finished", status=Commitment.Status.DONE)
    run(FIRST)
    body = mail.outbox[0].body
    assert "Try the new form (by 15 December 2026)" in body
    assert "Coach the new team" in body and "Partly done" in body
    assert "Already finished" not in body


def test_skip_reasons(session):
    stopped = committed(session)
    type(stopped).objects.filter(pk=stopped.pk).update(emails_stopped_at=timezone.now())
    removed = committed(session)
    removed.remove()
    committed(session, email="")
    committed(session, status=Commitment.Status.DONE)
    allowed = committed(session)
    result = run(FIRST)
    assert result.sent == [allowed]
    assert [m.to for m in mail.outbox] == [[allowed.email]]
    for person in (stopped, removed):
        person.refresh_from_db()
        assert person.checkbacks_sent == 0


def test_the_rules_are_checked_under_the_lock_with_a_reason(session):
    """Passed directly (as a stale list would), each is refused with its reason."""
    from aar.scheduled import checkback_send

    stopped = committed(session)
    stopped.stop_emails()
    no_email = committed(session, email="")
    done = committed(session, status=Commitment.Status.DONE)
    result = checkback_send(participants=[stopped, no_email, done], today=FIRST)
    assert {p.pk: reason for p, reason in result.skipped} == {
        stopped.pk: "stopped",
        no_email.pk: "no_email",
        done.pk: "no_open",
    }
    result = checkback_send(participants=[done], today=FIRST - datetime.timedelta(days=1))
    assert result.skipped_by_reason() == {"not_due": 1}
    assert mail.outbox == []


def test_a_check_back_turned_off_is_not_sent(session):
    session.checkback_first_days = None
    session.save()
    person = committed(session)
    run(FIRST)
    assert mail.outbox == []
    run(SECOND)  # the second is still on
    assert len(mail.outbox) == 1
    person.refresh_from_db()
    assert person.checkbacks_sent == 2


def test_both_turned_off_sends_nothing(session):
    off = AssistSessionFactory(date=HELD, checkback_first_days=None, checkback_second_days=None)
    committed(off)
    run(SECOND + datetime.timedelta(days=30))
    assert mail.outbox == []


def test_closed_and_archived_sessions_still_get_check_backs():
    closed = AssistSessionFactory(date=HELD, status=AssistSession.Status.CLOSED)
    archived = AssistSessionFactory(date=HELD)
    archived.archive()
    people = [committed(closed), committed(archived)]
    result = run(FIRST)
    assert sorted(p.pk for p in result.sent) == sorted(p.pk for p in people)


def test_the_email_is_in_the_persons_language(session):
    thai = committed(session, language="th", due=datetime.date(2026, 12, 15))
    english = committed(session, language="en", due=datetime.date(2026, 12, 15))
    run(FIRST)
    by_to = {m.to[0]: m for m in mail.outbox}
    th, en = by_to[thai.email], by_to[english.email]
    assert en.subject.startswith("Check-back:") and "วงทดลอง" in en.subject
    assert th.subject.startswith("ติดตามผล") and "วงทดลอง" in th.subject
    assert "15 ธันวาคม 2569" in th.body  # Buddhist era
    assert "15 December 2026" in en.body
    html = {mime: content for content, mime in th.alternatives}["text/html"]
    assert '<html lang="th">' in html and "15 ธันวาคม 2569" in html


def test_the_email_carries_the_personal_link_and_the_stop_link(session, settings):
    person = committed(session)
    run(FIRST)
    message = mail.outbox[0]
    link = checkback_url(person)
    assert link == settings.SITE_URL + reverse("aar:checkback", args=[person.token])
    assert link in message.body
    stop = f"{settings.SITE_URL}/aar/{person.token}/stop-emails/"
    assert stop in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
