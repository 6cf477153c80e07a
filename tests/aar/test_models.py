import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from aar.followup_queries import missing_aar
from aar.models import AAR
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))


def test_one_aar_per_participant():
    aar = AARFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AAR.objects.create(participant=aar.participant)


def _session_with_deadline(deadline):
    return AssistSessionFactory(date=deadline - datetime.timedelta(days=7), aar_deadline=deadline)


@pytest.mark.parametrize(
    ("submitted", "late"),
    [
        # Up to the end of the deadline day, Bangkok time, is on time.
        (datetime.datetime(2026, 12, 1, 23, 59, tzinfo=BANGKOK), False),
        (datetime.datetime(2026, 12, 2, 0, 1, tzinfo=BANGKOK), True),
        (datetime.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK), False),
    ],
)
def test_late_flag_follows_the_deadline_day(submitted, late):
    session = _session_with_deadline(datetime.date(2026, 12, 1))
    aar = AARFactory(participant=ParticipantFactory(session=session), submitted_at=submitted)
    assert aar.is_late is late
    assert AAR.objects.with_late().get(pk=aar.pk).late is late


def test_draft_is_never_late():
    session = _session_with_deadline(datetime.date(2020, 1, 1))
    aar = AARFactory(participant=ParticipantFactory(session=session), draft=True)
    assert aar.is_late is False
    assert AAR.objects.with_late().get(pk=aar.pk).late is False


def test_submit_keeps_the_first_submission_time():
    aar = AARFactory(draft=True)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=BANGKOK), tick=False):
        aar.submit()
        aar.save()
    first = aar.submitted_at
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=BANGKOK), tick=False):
        aar.submit()
        aar.save()
    aar.refresh_from_db()
    assert aar.status == AAR.Status.SUBMITTED
    assert aar.submitted_at == first == datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)


def test_is_complete_needs_all_four_parts():
    aar = AARFactory(draft=True)
    assert not aar.is_complete()
    aar.next_steps = "  ติดตามผล  "
    assert aar.is_complete()
    aar.goal = "   "
    assert not aar.is_complete()


def test_missing_aar_queryset():
    session = AssistSessionFactory()
    done = ParticipantFactory(session=session)
    AARFactory(participant=done)
    drafting = ParticipantFactory(session=session)
    AARFactory(participant=drafting, draft=True)
    silent = ParticipantFactory(session=session)
    missing = set(missing_aar(session.participants.all()))
    assert missing == {drafting, silent}
    assert timezone.now()
