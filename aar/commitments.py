"""Commitments: the concrete things a participant will do, written with their AAR, and
their check-back answers. The only writers of ``Commitment`` and ``CommitmentAnswer``,
and of the commitment counts on the session's ``SessionTally`` row.

- ``commitments_replace`` runs inside ``aar.services.aar_save``, in its transaction and
  under its lock on the person's row, so commitments are saved with the AAR or not at all;
- ``checkback_save`` records a check-back answer (a small AAR of each commitment): any
  time after, through the same personal link, also once the session is closed or
  archived;
- erasure (``aar.services.participant_erase``) blanks their words; ``aar_delete`` and a
  session's deletion take them away (the counts are recounted).

The counts (made, done, partly, not yet, dropped) are recounted for the one session
after each write, with the session's tally row locked first, as
``sessions_app.tally`` does: a session has at most a few hundred commitments, so a
recount is one small indexed query and is always right.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from aar.models import AAR, Commitment, CommitmentAnswer
from aar.signals import aar_text_changed
from sessions_app import tally
from sessions_app.models import ERASED_NAME, Participant, SessionTally

Status = Commitment.Status
# SessionTally's field for each status counted (OPEN is made minus the others).
COUNT_FIELDS = {
    Status.DONE: "commitments_done",
    Status.PARTLY: "commitments_partly",
    Status.NOT_YET: "commitments_not_yet",
    Status.DROPPED: "commitments_dropped",
}
TALLY_FIELDS = ("commitments", *COUNT_FIELDS.values())


def snapshot(aar: AAR) -> list[dict]:
    """The commitments as an AAR version keeps them."""
    return [
        {"text": c.text, "due_date": c.due_date.isoformat() if c.due_date else None}
        for c in aar.commitments.all()
    ]


def commitments_replace(*, aar: AAR, rows: list[dict]) -> None:
    """Make the AAR's commitments the ``rows`` ({"id", "text", "due_date"}), in order:
    a row with the id of one of this AAR's commitments changes it (its answers stay),
    a row without creates one, and a commitment whose row is gone is deleted. The
    caller (``aar_save``) holds the person's row lock and the transaction."""
    existing = {c.pk: c for c in aar.commitments.all()}
    kept = set()
    for position, row in enumerate(rows):
        commitment = existing.get(row.get("id"))
        if commitment is None:
            Commitment.objects.create(
                aar=aar, position=position, text=row["text"], due_date=row.get("due_date")
            )
            continue
        kept.add(commitment.pk)
        changed = (commitment.position, commitment.text, commitment.due_date) != (
            position,
            row["text"],
            row.get("due_date"),
        )
        if changed:
            commitment.position = position
            commitment.text = row["text"]
            commitment.due_date = row.get("due_date")
            commitment.save(update_fields=["position", "text", "due_date", "updated_at"])
    gone = [pk for pk in existing if pk not in kept]
    if gone:
        Commitment.objects.filter(pk__in=gone).delete()
    recount_commitments(aar.participant.session_id)


class NothingToAnswer(Exception):
    """The answers name no commitment of this person."""


@transaction.atomic
def checkback_save(
    *, participant: Participant, answers: dict[int, tuple[str, str]], saved_by: str = ""
) -> list[Commitment]:
    """Record check-back answers: {commitment pk: (status, what happened)}. Only the
    person's own commitments are changed, and only those whose answer differs from the
    last one; each change is kept as a ``CommitmentAnswer``. Returns those changed."""
    locked = (
        Participant.objects.select_for_update()
        .only("pk", "session_id", "erased_at", "full_name")
        .get(pk=participant.pk)
    )
    if locked.is_erased:
        raise NothingToAnswer
    own = {c.pk: c for c in Commitment.objects.filter(aar__participant=locked, pk__in=answers)}
    if not own:
        raise NothingToAnswer
    now = timezone.now()
    changed = []
    for pk, commitment in own.items():
        status, outcome = answers[pk]
        if (status, outcome) == (commitment.status, commitment.outcome):
            continue
        commitment.status = status
        commitment.outcome = outcome
        commitment.answered_at = now
        commitment.save(update_fields=["status", "outcome", "answered_at", "updated_at"])
        changed.append(commitment)
    CommitmentAnswer.objects.bulk_create(
        CommitmentAnswer(
            commitment=c,
            status=c.status,
            outcome=c.outcome,
            saved_by=saved_by or locked.full_name,
            saved_at=now,
        )
        for c in changed
    )
    if changed:
        recount_commitments(locked.session_id)
        for aar in AAR.objects.filter(pk__in={c.aar_id for c in changed}):
            aar.participant = locked
            aar_text_changed(aar)
    return changed


def erase_commitments(participant: Participant) -> None:
    """Blank a person's commitments and answers (erasure); statuses and dates stay, so
    the counts do not change."""
    Commitment.objects.filter(aar__participant=participant).update(
        text="", outcome="", updated_at=timezone.now()
    )
    CommitmentAnswer.objects.filter(commitment__aar__participant=participant).update(
        outcome="", saved_by=ERASED_NAME
    )


# --- Counts ---------------------------------------------------------------------------


def counted(session_ids=None) -> dict[int, tuple[int, ...]]:
    """Fresh commitment counts of the sessions that have any (all when None)."""
    rows = Commitment.objects.all()
    if session_ids is not None:
        rows = rows.filter(aar__participant__session_id__in=session_ids)
    rows = (
        rows.order_by()
        .values_list("aar__participant__session_id")
        .annotate(
            made=Count("pk"),
            **{
                field: Count("pk", filter=Q(status=status))
                for status, field in COUNT_FIELDS.items()
            },
        )
    )
    return {session_id: tuple(counts) for session_id, *counts in rows}


@transaction.atomic(savepoint=False)
def recount_commitments(session_id: int) -> None:
    """Count one session's commitments afresh, and keep them on its tally row and its
    deadline month (``sessions_app.tally.commitments_changed`` locks the row first)."""
    if not SessionTally.objects.filter(session_id=session_id).exists():
        return  # the session is being deleted
    fresh = counted([session_id]).get(session_id, (0,) * len(TALLY_FIELDS))
    tally.commitments_changed(session_id, dict(zip(TALLY_FIELDS, fresh, strict=True)))


def kept() -> dict[int, tuple[int, ...]]:
    return {
        pk: tuple(counts)
        for pk, *counts in SessionTally.objects.values_list("session_id", *TALLY_FIELDS)
        if any(counts)
    }


@transaction.atomic
def recount_all() -> None:
    """Every session's commitment counts afresh (after a bulk load, or to repair)."""
    fresh = counted()
    rows = list(SessionTally.objects.all())
    for row in rows:
        for field, n in zip(
            TALLY_FIELDS, fresh.get(row.session_id, (0,) * len(TALLY_FIELDS)), strict=True
        ):
            setattr(row, field, n)
    SessionTally.objects.bulk_update(rows, TALLY_FIELDS, batch_size=500)
    tally.recount_months()  # the months add up the sessions' commitments too


def checkback_number_due(session, *, today: datetime.date) -> int:
    """Which check-back is due for the session by ``today``: 2, 1 or 0 (none yet)."""
    for number, day in ((2, session.checkback_second_on), (1, session.checkback_first_on)):
        if day is not None and day <= today:
            return number
    return 0
