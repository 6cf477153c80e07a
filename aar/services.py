"""Saving a participant's AAR: the one place a participant's words are written; and
erasing them (PDPA), with the audit log of erasures and exports."""

import datetime

from django.db import transaction
from django.utils import timezone

from aar.commitments import commitments_replace, erase_commitments, recount_commitments, snapshot
from aar.models import AAR, AARVersion, AuditEntry, SessionQuestionSet, parts_of
from aar.signals import aar_text_changed, participant_erased, text_changed
from sessions_app import tally
from sessions_app.models import ERASED_NAME, AssistSession, Participant


class FormKeyUsed(Exception):
    """The post carries the one-time key of a form that was saved before, and more has
    been saved since: replaying it would undo later writing."""


@transaction.atomic
def aar_save(
    *,
    participant: Participant,
    data: dict,
    submit: bool,
    saved_by: str = "",
    submit_key: str = "",
    commitments: list[dict] | None = None,
    entered_by=None,
) -> AAR:
    """Save the answers (and the sharing choice) as a draft, or submit them.

    ``data`` holds the answers by question key: the keys of the AAR's question set (the
    session's, fixed when its first AAR is created); a key missing from it keeps its
    saved answer. ``entered_by``: a staff member typing it in for the participant, from
    paper; the AAR and this version are marked with their name.

    Two posts at once (a double tap, or two tabs) must still make one AAR: the
    participant's row is locked first (PostgreSQL), and SQLite's IMMEDIATE transactions
    serialise writers, so the second post finds and updates the AAR the first created.
    Every save also keeps a version, so no edit loses earlier writing.

    ``submit_key`` is the one-time key of the form that was posted. The same key again
    (a retry after the response was lost, a double tap) changes nothing and returns the
    AAR as that save left it (``replayed`` is True); the key of an older save, with
    newer saves after it, raises FormKeyUsed.

    ``commitments`` ({"id", "text", "due_date"} in order, up to five) replace the AAR's
    commitments in the same transaction (``aar.commitments``); None leaves them as
    they are.
    """
    locked = (
        Participant.objects.select_for_update()
        .only("pk", "erased_at", "session_id", "removed_at", "role")
        .get(pk=participant.pk)
    )
    if locked.is_erased:
        # Erased while this page was open: their words must not come back.
        raise AlreadyErased
    if submit_key:
        earlier = (
            AARVersion.objects.filter(aar__participant=participant, submit_key=submit_key)
            .select_related("aar")
            .first()
        )
        if earlier is not None:
            if earlier.aar.versions.first().pk != earlier.pk:  # newest first
                raise FormKeyUsed
            earlier.aar.replayed = True
            return earlier.aar
    aar = AAR.objects.filter(participant=participant).first()
    created = aar is None
    if created:
        # The session's row is locked too (PostgreSQL), so that a change of its
        # question set (``question_set_choose`` locks it) cannot slip in between. NO KEY
        # UPDATE: people being added to the roster at the same moment hold a KEY SHARE
        # lock on it (their row's foreign key), and FOR UPDATE would wait for them while
        # they wait for the session's tally, which this transaction takes next: deadlock.
        AssistSession.objects.select_for_update(no_key=True).filter(pk=locked.session_id).exists()
        aar = AAR(participant=participant, question_set=session_question_set(locked.session_id))
    before = None if created else aar.status
    aar.answers = {
        **aar.answers,
        **{
            part.key: data.get(part.key, aar.answer(part.key))
            for part in parts_of(aar.question_set)
        },
    }
    if entered_by is not None:
        # Kept when the participant edits it later: the export says who typed it in.
        aar.entered_by = entered_by
    aar.sharing = data.get("sharing") or AAR.Sharing.ORGANISERS
    if "anonymous" in data:
        aar.anonymous = list(data["anonymous"])
    if submit:
        aar.submit()
    aar.save()
    tally.aar_changed(locked, before=before, after=aar.status, submitted_at=aar.submitted_at)
    if commitments is not None:
        commitments_replace(aar=aar, rows=commitments)
    AARVersion.objects.create(
        aar=aar,
        status=aar.status,
        saved_by=saved_by or participant.full_name,
        submit_key=submit_key,
        commitments=snapshot(aar),
        answers=aar.answers,
        entered_by=entered_by,
    )
    aar_text_changed(aar, locked.session_id)
    aar.replayed = False
    return aar


def aar_restore(*, version: AARVersion, restored_by: str) -> AAR:
    """Bring back an earlier version's answers (the organisers' "restore" on the AAR's
    history). It is one more save through ``aar_save``: the text in between stays in the
    history, the status, sharing, anonymity and commitments stay as they are, and the
    search index follows."""
    aar = version.aar
    return aar_save(
        participant=aar.participant,
        data={**version.answers, "sharing": aar.sharing},
        submit=False,
        saved_by=restored_by,
    )


def session_question_set(session_id: int):
    """The question set the session chose, or None for the default (KMI's four parts)."""
    choice = (
        SessionQuestionSet.objects.filter(session_id=session_id)
        .select_related("question_set")
        .first()
    )
    return choice.question_set if choice else None


@transaction.atomic
def aar_delete(*, aar: AAR) -> None:
    """Delete an AAR and its history (the admin's delete), counted out of follow-up."""
    locked = Participant.objects.select_for_update().get(pk=aar.participant_id)
    aar = AAR.objects.get(pk=aar.pk)
    tally.aar_changed(locked, before=aar.status, after=None, submitted_at=aar.submitted_at)
    pk = aar.pk
    aar.delete()
    recount_commitments(locked.session_id)
    # Its index rows went with it; the others' may change (anonymous answers held back).
    text_changed.send(sender=AAR, session_id=locked.session_id, aar_id=pk, aar=None)


# --- PDPA: erasure and the audit log --------------------------------------------------


class AlreadyErased(Exception):
    """The participant's personal data was erased before."""


def audit_record(
    *,
    action: str,
    actor=None,
    session: AssistSession | None = None,
    organisation_ids=(),
    participant_pk: int | None = None,
    detail: str = "",
) -> None:
    """Log an export or an erasure: one entry for each organisation whose data it was
    (the session's organiser, or the organisers of a dashboard export's sessions), so
    each one's coordinators see it. ``actor`` None: done automatically."""
    if session is not None:
        organisation_ids = [session.organiser_id]
    actor = actor if actor is not None and actor.is_authenticated else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=action,
            actor=actor,
            organisation_id=organisation_id,
            session=session,
            participant_pk=participant_pk,
            detail=detail[:100],
        )
        for organisation_id in (sorted(set(organisation_ids)) or [None])
    )


@transaction.atomic
def participant_erase(
    *, participant: Participant, erased_by, action: str = AuditEntry.Action.ERASE
) -> Participant:
    """Erase a person's personal data (PDPA): on request (``erased_by``, a coordinator)
    or at the end of retention (``erased_by`` None, ``action`` "retention").

    Anonymised: their name (a fixed placeholder), email and personal link (a new
    token), the four parts of their AAR and of every earlier version, and who saved each
    version. Kept: the row with its role, organisation and dates, the AAR's status,
    sharing and submission time, and the reminder log (times and channels only), so
    the roster's slot and the follow-up counts do not change. The row is locked first,
    as ``aar_save`` does, so a save and an erasure do not interleave; a save after the
    erasure finds ``erased_at`` set and writes nothing.
    """
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=participant.pk)
    )
    if locked.is_erased:
        raise AlreadyErased
    locked.anonymise()
    # updated_at moves, so a form still open on the old text is refused, not saved over.
    AAR.objects.filter(participant=locked).update(answers={}, updated_at=timezone.now())
    AARVersion.objects.filter(aar__participant=locked).update(
        answers={}, saved_by=ERASED_NAME, commitments=[]
    )
    erase_commitments(locked)
    for aar in AAR.objects.filter(participant=locked).select_related("participant"):
        aar_text_changed(aar)
    participant_erased.send(sender=Participant, participant=locked)
    tally.recount_checkbacks(locked.session_id)  # no check-back goes to them now
    audit_record(
        action=action,
        actor=erased_by,
        session=locked.session,
        participant_pk=locked.pk,
    )
    return locked


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """Sessions held before this day are past retention. 29 February counts back to
    28 February in a year without it."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def retention_erase(*, today: datetime.date, years: int, dry_run: bool = False) -> int:
    """Erase every not-yet-erased participant (on the roster or removed from it) of the
    sessions held more than ``years`` years before ``today``, each in a transaction of
    their own, as ``participant_erase`` with no actor. Returns how many were (or, with
    ``dry_run``, would be) erased. ``years`` 0: retention is off, nothing happens.
    Idempotent: an erased person is not chosen again."""
    if years <= 0:
        return 0
    due = Participant.objects.filter(
        erased_at__isnull=True,
        session__date__lt=retention_cutoff(today=today, years=years),
    ).order_by("pk")
    if dry_run:
        return due.count()
    erased = 0
    # Listed first: SQLite does not isolate a cursor still open from writes to its table.
    for participant in list(due.only("pk")):
        try:
            participant_erase(
                participant=participant, erased_by=None, action=AuditEntry.Action.RETENTION
            )
        except AlreadyErased:  # erased on request meanwhile
            continue
        erased += 1
    return erased
