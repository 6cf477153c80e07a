"""The follow-up tally the database triggers keep (aar/tally.py) always equals a count
done in Python over the rows, whatever path wrote them, on SQLite and on PostgreSQL."""

import datetime
import itertools
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from aar import tally
from aar.models import AAR, MonthTally, SessionTally
from aar.services import aar_save
from sessions_app.models import AssistSession, Participant
from tests.factories import AAR_FORM, AARFactory, AssistSessionFactory, ParticipantFactory
from tests.helpers import examples

pytestmark = pytest.mark.django_db


def counted_in_python() -> tuple[dict, dict]:
    """What the tally must say, counted row by row in Python."""
    sessions = {pk: Counter() for pk in AssistSession.objects.values_list("pk", flat=True)}
    aars = {a.participant_id: a for a in AAR.objects.all()}
    months = Counter()
    for person in Participant.objects.all():
        aar = aars.get(person.pk)
        if aar is not None and aar.status == AAR.Status.SUBMITTED and aar.submitted_at:
            months[person.session_id, timezone.localdate(aar.submitted_at).replace(day=1)] += 1
        if person.removed_at is not None:
            continue
        counts = sessions[person.session_id]
        counts["participants"] += 1
        counts["invited"] += person.invited_at is not None
        counts["submitted"] += aar is not None and aar.status == AAR.Status.SUBMITTED
        counts["drafts"] += aar is not None and aar.status == AAR.Status.DRAFT
    fields = ("participants", "invited", "submitted", "drafts")
    return (
        {pk: tuple(counts[f] for f in fields) for pk, counts in sessions.items()},
        dict(months),
    )


def kept_by_triggers() -> tuple[dict, dict]:
    fields = ("participants", "invited", "submitted", "drafts")
    rows = SessionTally.objects.values_list("session_id", *fields)
    months = MonthTally.objects.values_list("session_id", "month", "submitted")
    return (
        {pk: tuple(counts) for pk, *counts in rows},
        # A month whose count fell back to 0 may keep its row.
        {(pk, month): n for pk, month, n in months if n},
    )


def assert_tally_is_true():
    assert kept_by_triggers() == counted_in_python()


def test_a_new_session_has_a_tally_of_nothing():
    session = AssistSessionFactory()
    assert SessionTally.objects.get(session=session).participants == 0
    assert_tally_is_true()


def test_roster_writes_through_every_path():
    session = AssistSessionFactory()
    one, two = ParticipantFactory.create_batch(2, session=session)
    Participant.objects.bulk_create(
        [Participant(session=session, full_name=f"คนที่ {i}", token=f"t{i}") for i in range(5)]
    )
    assert SessionTally.objects.get(session=session).participants == 7
    one.mark_invited()
    Participant.objects.filter(session=session, full_name__startswith="คนที่").update(
        invited_at=timezone.now()
    )
    assert SessionTally.objects.get(session=session).invited == 6
    assert one.remove() is False  # nothing written: deleted
    AARFactory(participant=two, draft=True)
    assert two.remove() is True  # a draft: kept, marked removed
    Participant.objects.filter(full_name="คนที่ 0").update(removed_at=timezone.now())
    Participant.objects.filter(full_name="คนที่ 1").delete()
    assert SessionTally.objects.get(session=session).participants == 3
    assert_tally_is_true()


def test_aar_writes_through_every_path():
    session = AssistSessionFactory()
    people = ParticipantFactory.create_batch(4, session=session)
    aar_save(participant=people[0], data=AAR_FORM, submit=False)
    assert SessionTally.objects.get(session=session).drafts == 1
    aar_save(participant=people[0], data=AAR_FORM, submit=True)
    aar_save(participant=people[1], data=AAR_FORM, submit=True)
    AAR.objects.bulk_create([AAR(participant=people[2], status=AAR.Status.DRAFT)])
    tallied = SessionTally.objects.get(session=session)
    assert (tallied.submitted, tallied.drafts) == (2, 1)
    AAR.objects.filter(participant=people[2]).update(
        status=AAR.Status.SUBMITTED, submitted_at=timezone.now()
    )
    AAR.objects.filter(participant=people[0]).delete()
    tallied = SessionTally.objects.get(session=session)
    assert (tallied.submitted, tallied.drafts) == (2, 0)
    assert_tally_is_true()


def test_moving_a_person_or_an_aar_recounts_both_sessions():
    first, second = AssistSessionFactory.create_batch(2)
    person = ParticipantFactory(session=first)
    AARFactory(participant=person)
    Participant.objects.filter(pk=person.pk).update(session=second)
    assert SessionTally.objects.get(session=first).submitted == 0
    assert SessionTally.objects.get(session=second).submitted == 1
    other = ParticipantFactory(session=first)
    AAR.objects.filter(participant=person).update(participant=other)
    assert SessionTally.objects.get(session=first).submitted == 1
    assert SessionTally.objects.get(session=second).submitted == 0
    assert_tally_is_true()


def test_deleting_a_session_takes_its_tally_with_it():
    session = AssistSessionFactory()
    AARFactory.create_batch(3, participant__session=session)
    assert MonthTally.objects.filter(session=session).exists()
    AssistSession.objects.filter(pk=session.pk).delete()
    assert not SessionTally.objects.filter(session_id=session.pk).exists()
    assert not MonthTally.objects.filter(session_id=session.pk).exists()
    assert_tally_is_true()


@pytest.mark.parametrize("first", ["participant", "aar"])
def test_a_person_and_their_aar_are_counted_out_once_whichever_goes_first(first):
    session = AssistSessionFactory()
    kept = AARFactory(participant__session=session)
    gone = AARFactory(participant__session=session)
    participants = Participant.objects.filter(pk=gone.participant_id)
    aars = AAR.objects.filter(pk=gone.pk)
    with transaction.atomic():  # raw deletes, in the order asked (foreign keys: deferred)
        for rows in (participants, aars) if first == "participant" else (aars, participants):
            rows._raw_delete(rows.db)
    tallied = SessionTally.objects.get(session=session)
    assert (tallied.participants, tallied.submitted) == (1, 1)
    assert kept.participant.session_id == session.pk
    assert_tally_is_true()


def test_a_rolled_back_write_leaves_the_tally_as_it_was():
    session = AssistSessionFactory()
    ParticipantFactory(session=session)
    with pytest.raises(RuntimeError), transaction.atomic():
        ParticipantFactory.create_batch(3, session=session)
        AARFactory(participant__session=session)
        raise RuntimeError
    assert SessionTally.objects.get(session=session).participants == 1
    assert_tally_is_true()


def test_months_are_bangkok_months():
    session = AssistSessionFactory()
    # 31 January 18:00 UTC is 1 February 01:00 in Bangkok.
    late_night = datetime.datetime(2026, 1, 31, 18, 0, tzinfo=datetime.UTC)
    AARFactory(participant__session=session, submitted_at=late_night)
    AARFactory(participant__session=session, submitted_at=late_night - datetime.timedelta(hours=8))
    months = dict(MonthTally.objects.filter(session=session).values_list("month", "submitted"))
    assert months == {datetime.date(2026, 1, 1): 1, datetime.date(2026, 2, 1): 1}


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "bulk_add", "invite", "remove", "delete", "draft", "submit", "unsubmit", "drop_aar", "move"]
        ),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=25,
)  # fmt: skip


TOKENS = itertools.count()


def _apply(operation: str, n: int, sessions: list) -> None:
    session = sessions[n % len(sessions)]
    people = list(Participant.objects.order_by("pk"))
    person = people[n % len(people)] if people else None
    if operation == "add" or person is None:
        ParticipantFactory(session=session)
    elif operation == "bulk_add":
        Participant.objects.bulk_create(
            [Participant(session=session, full_name="ก", token=f"bulk{next(TOKENS)}") for _ in range(3)]
        )  # fmt: skip
    elif operation == "invite":
        Participant.objects.filter(pk=person.pk).update(invited_at=timezone.now())
    elif operation == "remove":
        person.remove()
    elif operation == "delete":
        Participant.objects.filter(session=session, pk__lte=person.pk).delete()
    elif operation in ("draft", "submit"):
        aar_save(participant=person, data=AAR_FORM, submit=operation == "submit")
    elif operation == "unsubmit":
        AAR.objects.filter(participant__session=session).update(status=AAR.Status.DRAFT)
    elif operation == "drop_aar":
        AAR.objects.filter(participant=person).delete()
    elif operation == "move":
        Participant.objects.filter(pk=person.pk).update(session=session)


@examples(40)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_tally_true(operations):
    with transaction.atomic():
        sessions = AssistSessionFactory.create_batch(3)
        for operation, n in operations:
            _apply(operation, n, sessions)
            assert_tally_is_true()
        transaction.set_rollback(True)


def test_the_triggers_are_all_installed():
    assert tally.installed_triggers(connection) >= tally._expected(connection)


def test_missing_triggers_are_put_back_and_everything_recounted():
    session = AssistSessionFactory()
    ParticipantFactory.create_batch(2, session=session)
    tally.drop_triggers(connection)
    ParticipantFactory(session=session)  # not counted: no trigger
    assert SessionTally.objects.get(session=session).participants == 2
    assert tally.ensure_triggers(connection) is True
    assert SessionTally.objects.get(session=session).participants == 3
    assert tally.ensure_triggers(connection) is False
    assert_tally_is_true()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for concurrent writers: set DATABASE_URL=postgres://... (CI does)",
)
def test_concurrent_submissions_to_one_session_are_all_counted_postgresql():
    """Two transactions submit in the same session at once, the second while the first
    is still open: both are counted (each adds to the tally row under its lock)."""
    session = AssistSessionFactory()
    first, second = ParticipantFactory.create_batch(2, session=session)
    first_saved, errors = threading.Event(), []

    def writer(person, wait_before_commit):
        try:
            with transaction.atomic():
                AARFactory(participant=person)
                first_saved.set()
                if wait_before_commit:
                    # Hold the transaction open while the other writer counts.
                    threading.Event().wait(1.0)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    holding = threading.Thread(target=writer, args=(first, True))
    holding.start()
    first_saved.wait(10)
    late = threading.Thread(target=writer, args=(second, False))
    late.start()
    holding.join(30)
    late.join(30)
    assert errors == []
    assert SessionTally.objects.get(session=session).submitted == 2
    assert_tally_is_true()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for concurrent writers: set DATABASE_URL=postgres://... (CI does)",
)
def test_a_person_removed_while_their_aar_is_submitted_is_counted_right_postgresql():
    """One transaction submits a draft while another takes the person off the roster.
    The AAR's trigger locks the person's row, so the removal waits and then counts the
    submitted AAR out; without the lock it would count out a draft that was no longer
    one, leaving a submitted AAR counted for nobody on the roster."""
    session = AssistSessionFactory()
    person = ParticipantFactory(session=session)
    AARFactory(participant=person, draft=True)
    submitted, errors = threading.Event(), []

    def submit():
        try:
            with transaction.atomic():
                AAR.objects.filter(participant=person).update(
                    status=AAR.Status.SUBMITTED, submitted_at=timezone.now()
                )
                submitted.set()
                threading.Event().wait(1.0)  # hold the transaction open
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def remove():
        try:
            submitted.wait(10)
            Participant.objects.filter(pk=person.pk).update(removed_at=timezone.now())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=remove)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    tallied = SessionTally.objects.get(session=session)
    assert (tallied.participants, tallied.submitted, tallied.drafts) == (0, 0, 0)
    assert_tally_is_true()


def test_recount_command_says_whether_the_counts_agree_and_repairs_on_request():
    from io import StringIO

    from django.core.management import CommandError, call_command

    session, other = AssistSessionFactory.create_batch(2)
    AARFactory(participant__session=session)
    out = StringIO()
    call_command("recount_followup", stdout=out)
    assert "of 2 sessions agree" in out.getvalue()

    SessionTally.objects.filter(session=session).update(submitted=7)  # gone wrong somehow
    with pytest.raises(CommandError, match=rf"1 sessions' .* disagree .*\[{session.pk}\]"):
        call_command("recount_followup")
    assert SessionTally.objects.get(session=session).submitted == 7  # only told, not changed

    out = StringIO()
    call_command("recount_followup", "--repair", stdout=out)
    assert "were recounted" in out.getvalue()
    assert SessionTally.objects.get(session=session).submitted == 1
    assert_tally_is_true()


# Fixed examples for two changes no test used to catch on SQLite (issue 14): both run on
# either database.


def test_a_removed_persons_aar_changing_after_the_removal_is_counted_only_in_its_month():
    session = AssistSessionFactory()
    person = ParticipantFactory(session=session)
    aar_save(participant=person, data=AAR_FORM, submit=False)  # a draft
    assert person.remove()  # kept in the archive: they had written something
    before = SessionTally.objects.get(session=session)
    assert (before.participants, before.drafts, before.submitted) == (0, 0, 0)

    aar_save(participant=person, data=AAR_FORM, submit=True)  # submitted after removal

    after = SessionTally.objects.get(session=session)
    assert (after.participants, after.drafts, after.submitted) == (0, 0, 0)
    month = timezone.localdate().replace(day=1)
    assert MonthTally.objects.get(session=session, month=month).submitted == 1
    assert_tally_is_true()


def test_a_session_is_overdue_only_after_its_deadline_day():
    from aar.followup_queries import sessions_with_followup

    today = timezone.localdate()
    due_today = AssistSessionFactory(date=today - datetime.timedelta(days=7), aar_deadline=today)
    due_yesterday = AssistSessionFactory(
        date=today - datetime.timedelta(days=8), aar_deadline=today - datetime.timedelta(days=1)
    )
    for session in (due_today, due_yesterday):
        ParticipantFactory(session=session)  # still missing an AAR
    flags = dict(
        sessions_with_followup(AssistSession.objects.all()).values_list("pk", "is_overdue")
    )
    assert flags == {due_today.pk: False, due_yesterday.pk: True}
