"""Commitments saved with the AAR (one transaction, kept in its history), check-back
answers with their history, erasure, and the counts kept on the session's tally."""

import datetime

import pytest
from django.core.management import call_command

from aar.commitments import NothingToAnswer, checkback_save, counted, kept
from aar.models import Commitment, CommitmentAnswer
from aar.services import aar_delete, aar_save, participant_erase
from sessions_app.models import SessionTally
from tests.factories import AARFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

PARTS = {"goal": "ก", "achieved": "ข", "not_achieved": "ค", "next_steps": "ง"}


def tally_of(session_id):
    t = SessionTally.objects.get(session_id=session_id)
    return (
        t.commitments,
        t.commitments_done,
        t.commitments_partly,
        t.commitments_not_yet,
        t.commitments_dropped,
    )


def test_commitments_are_saved_with_the_aar_in_order_and_kept_in_its_version():
    person = ParticipantFactory()
    due = person.session.date + datetime.timedelta(days=20)
    aar = aar_save(
        participant=person,
        data=PARTS,
        submit=True,
        commitments=[{"text": "หนึ่ง", "due_date": due}, {"text": "สอง", "due_date": None}],
    )
    assert list(aar.commitments.values_list("text", "due_date", "position")) == [
        ("หนึ่ง", due, 0),
        ("สอง", None, 1),
    ]
    assert aar.versions.first().commitments == [
        {"text": "หนึ่ง", "due_date": due.isoformat()},
        {"text": "สอง", "due_date": None},
    ]
    assert tally_of(person.session_id) == (2, 0, 0, 0, 0)


def test_a_second_save_changes_keeps_and_deletes_by_id_and_keeps_answers():
    person = ParticipantFactory()
    aar = aar_save(
        participant=person,
        data=PARTS,
        submit=True,
        commitments=[{"text": "a"}, {"text": "b"}],
    )
    first, second = aar.commitments.all()
    checkback_save(participant=person, answers={first.pk: ("done", "ทำแล้ว")})
    aar_save(
        participant=person,
        data=PARTS,
        submit=True,
        commitments=[{"id": first.pk, "text": "a, reworded"}, {"text": "c"}],
    )
    rows = list(aar.commitments.values_list("pk", "text", "status"))
    assert rows[0] == (first.pk, "a, reworded", "done")
    assert rows[1][1:] == ("c", "open")
    assert not Commitment.objects.filter(pk=second.pk).exists()
    assert tally_of(person.session_id) == (2, 1, 0, 0, 0)


def test_none_leaves_commitments_alone_and_another_persons_id_makes_a_new_one():
    owner = CommitmentFactory()
    person = ParticipantFactory(session=owner.aar.participant.session)
    aar = aar_save(participant=person, data=PARTS, submit=True, commitments=[{"text": "x"}])
    aar_save(participant=person, data=PARTS, submit=True)
    assert aar.commitments.count() == 1
    aar_save(
        participant=person, data=PARTS, submit=True, commitments=[{"id": owner.pk, "text": "y"}]
    )
    owner.refresh_from_db()
    assert owner.text != "y"  # not someone else's
    assert list(aar.commitments.values_list("text", flat=True)) == ["y"]


def test_a_failed_save_saves_no_commitment(monkeypatch):
    person = ParticipantFactory()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("aar.services.snapshot", boom)
    with pytest.raises(RuntimeError):
        aar_save(participant=person, data=PARTS, submit=True, commitments=[{"text": "x"}])
    assert not Commitment.objects.exists()
    assert tally_of(person.session_id) == (0, 0, 0, 0, 0)


def test_checkback_answers_are_kept_with_history_and_counted():
    commitment = CommitmentFactory()
    person = commitment.aar.participant
    checkback_save(participant=person, answers={commitment.pk: ("partly", "ช่วยได้")})
    checkback_save(participant=person, answers={commitment.pk: ("partly", "ช่วยได้")})  # same
    checkback_save(participant=person, answers={commitment.pk: ("done", "เสร็จ")})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.outcome) == ("done", "เสร็จ")
    assert list(commitment.answers.values_list("status", "outcome")) == [
        ("done", "เสร็จ"),
        ("partly", "ช่วยได้"),
    ]
    assert tally_of(person.session_id) == (1, 1, 0, 0, 0)


def test_checkback_cannot_answer_someone_elses_commitment():
    mine = CommitmentFactory()
    theirs = CommitmentFactory()
    with pytest.raises(NothingToAnswer):
        checkback_save(participant=mine.aar.participant, answers={theirs.pk: ("done", "")})
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_checkback_on_an_archived_session_still_saves():
    commitment = CommitmentFactory()
    session = commitment.aar.participant.session
    session.archive()
    session.save()
    checkback_save(participant=commitment.aar.participant, answers={commitment.pk: ("dropped", "")})
    commitment.refresh_from_db()
    assert commitment.status == "dropped"


def test_erasure_blanks_commitments_and_answers_but_keeps_the_counts():
    commitment = CommitmentFactory()
    person = commitment.aar.participant
    checkback_save(participant=person, answers={commitment.pk: ("not_yet", "ติดงบ")})
    participant_erase(participant=person, erased_by=None)
    commitment.refresh_from_db()
    assert (commitment.text, commitment.outcome, commitment.status) == ("", "", "not_yet")
    assert CommitmentAnswer.objects.get().outcome == ""
    assert tally_of(person.session_id) == (1, 0, 0, 1, 0)
    with pytest.raises(NothingToAnswer):
        checkback_save(participant=person, answers={commitment.pk: ("done", "")})


def test_deleting_the_aar_takes_its_commitments_out_of_the_counts():
    aar = AARFactory()
    CommitmentFactory(aar=aar)
    assert tally_of(aar.participant.session_id)[0] == 1
    aar_delete(aar=aar)
    assert tally_of(aar.participant.session_id)[0] == 0


def test_recount_followup_finds_and_repairs_wrong_commitment_counts():
    commitment = CommitmentFactory()
    session_id = commitment.aar.participant.session_id
    SessionTally.objects.filter(session_id=session_id).update(commitments=7)
    assert kept()[session_id][0] == 7
    with pytest.raises(Exception, match="disagree"):
        call_command("recount_followup")
    call_command("recount_followup", "--repair")
    assert kept()[session_id] == counted()[session_id] == (1, 0, 0, 0, 0)


def test_the_months_keep_the_commitments_through_every_write_and_a_session_move():
    """The organisation's months add up its sessions' commitments (the dashboard's
    done ÷ made reads them): after saves, answers, a deletion, erasure and a session
    moved to another month, they equal a count made row by row, and the dashboard's
    totals equal those summed a session at a time."""
    from tests.aar.test_tally import _update, assert_dashboard_totals_agree, assert_tally_is_true

    first = ParticipantFactory()
    session = first.session
    second = ParticipantFactory(session=session)
    aar_save(participant=first, data=PARTS, submit=True,
             commitments=[{"text": "หนึ่ง"}, {"text": "สอง"}])  # fmt: skip
    aar_save(participant=second, data=PARTS, submit=True, commitments=[{"text": "สาม"}])
    assert_tally_is_true()
    done = Commitment.objects.filter(aar__participant=first).first()
    checkback_save(participant=first, answers={done.pk: ("done", "ทำแล้ว")})
    assert_tally_is_true()
    assert_dashboard_totals_agree([session.organiser])
    _update(session, aar_deadline=session.aar_deadline + datetime.timedelta(days=62))
    assert_tally_is_true()
    aar_delete(aar=second.aar)
    participant_erase(participant=first, erased_by=None)
    assert_tally_is_true()
    assert_dashboard_totals_agree([session.organiser])


def test_the_people_a_check_back_concerns_are_kept_by_every_writer():
    """The outcomes' "check-backs due" and "unanswered" are sums of kept counts: after
    commitments are written and answered, a check-back is sent, a person is taken off
    the roster and another is erased, the kept counts equal a fresh count."""
    from aar.scheduled import checkback_send
    from sessions_app import tally

    def agree():
        assert tally.checkbacks_kept() == tally.checkbacks_counted()

    session = ParticipantFactory().session
    people = [ParticipantFactory(session=session) for _ in range(4)]
    for person in people:
        aar_save(participant=person, data=PARTS, submit=True,
                 commitments=[{"text": "หนึ่ง"}, {"text": "สอง"}])  # fmt: skip
    agree()
    assert tally.checkbacks_kept()[session.pk] == (4, 0, 0, 0)
    today = session.checkback_first_on
    checkback_send(participants=people[:3], today=today)
    agree()
    assert tally.checkbacks_kept()[session.pk] == (1, 3, 0, 3)
    first = Commitment.objects.filter(aar__participant=people[0])
    checkback_save(participant=people[0], answers={c.pk: ("done", "") for c in first})
    agree()
    people[1].remove()
    agree()
    participant_erase(participant=people[2], erased_by=None)
    agree()
    assert tally.checkbacks_kept()[session.pk] == (1, 0, 0, 0)
