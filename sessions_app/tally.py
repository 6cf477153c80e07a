"""Follow-up counts, kept by the code that writes participants and AARs.

The dashboard orders and totals thousands of sessions by how many AARs each is missing.
Counting the roster rows on every request made it slow, so the counts are kept in two
tables (``sessions_app.models``):

- ``SessionTally``, a row a session: people on the roster, invited, submitted, drafts;
- ``OrganisationMonth``, a row an organisation and month: the same totals of the
  sessions due that month, how many of those are still open, and the AARs received
  that month, so the dashboard's totals and chart read a row a month, not a session;
- ``SessionRoleTally``, a row a session and role: its people of the role, their AARs
  (late ones too) and commitments, so the trends' role filter reads a row a session.
  A role row changes with the session's row (``change``, ``aar_changed``), its
  commitments with the session's (``commitments_changed``), and is counted afresh
  when a deadline moves, a roster is imported or a person's role changes
  (``recount_roles``).

The writers call these functions inside their own transaction, so a count commits or
rolls back with the write that changed it. They are the only writers:

- sessions: ``session_services.session_create`` / ``session_update`` /
  ``session_delete`` (``session_added``, ``session_moved``, ``session_forgotten``);
- people: ``roster_services.participant_add``, ``roster_import`` (a recount of the one
  session), ``walkin_join``, and ``Participant.mark_invited`` / ``remove``;
- AARs: ``aar.services.aar_save`` and ``aar_delete`` (``aar_changed``);
- commitments (made, and by status): ``aar.commitments`` recounts the one session after
  each write and hands the counts to ``commitments_changed``;
- the people a check-back may concern (``CHECKBACK_FIELDS``): ``recount_checkbacks`` of
  the one session, after commitments change (``commitments_changed``), a check-back is
  sent (``aar.scheduled``), or a person is taken off the roster or erased;
- the admin saves and deletes through the same functions; bulk loads (the demo, the
  benchmark) call ``recount_session`` or ``recount_all`` afterwards.

A raw ``QuerySet.update()``, ``bulk_create()`` or ``delete()`` of participants or AARs
elsewhere would leave the counts wrong: ``manage.py recount_followup`` finds and repairs
that, and the tests check the counts after every write path.

Locking: every change first locks the session's tally row, and reads the session's
organiser and deadline after the lock, so two writers of one session (a submit and a
removal, or a submit and a deadline change) take turns. A person's writers lock the
person's row before that (``aar_save``, ``remove``, ``mark_invited``), so a removal sees
the AAR's state as the submit left it. Organisation-month rows are changed last, in key
order. SQLite has one writer at a time.
"""

import datetime
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from sessions_app.models import (
    AssistSession,
    OrganisationMonth,
    Participant,
    SessionRoleTally,
    SessionTally,
)

ROSTER_FIELDS = ("participants", "invited", "submitted", "drafts", "late")
# A session's commitment counts (``aar.commitments`` keeps them) and those of its
# counts that its deadline month adds up too.
COMMITMENT_FIELDS = (
    "commitments",
    "commitments_done",
    "commitments_partly",
    "commitments_not_yet",
    "commitments_dropped",
)
MONTH_COMMITMENT_FIELDS = ("commitments", "commitments_done", "commitments_answered")
# Answered at a check-back: every status but the first.
ANSWERED_FIELDS = (
    "commitments_done",
    "commitments_partly",
    "commitments_not_yet",
    "commitments_dropped",
)
CHECKBACK_FIELDS = (
    "open_people_sent_none",
    "open_people_sent_one",
    "open_people_sent_two",
    "unanswered_people",
)
# A commitment's status values (``aar.models.Commitment``): still open, never answered,
# and answered at a check-back.
STILL_OPEN = ("open", "partly", "not_yet")
UNANSWERED = "open"
ANSWERED_STATUSES = ("done", "partly", "not_yet", "dropped")
MONTH_FIELDS = (
    "sessions",
    "participants",
    "submitted",
    "open",
    "received",
    "late",
    *MONTH_COMMITMENT_FIELDS,
)
# Each change runs in the caller's transaction (no savepoint of its own), or in one of
# its own when called outside any (a script, a factory).
_in_transaction = transaction.atomic(savepoint=False)
SUBMITTED, DRAFT = "submitted", "draft"  # the AAR's status values (``aar.models.AAR``)
# What a session's role row keeps: of its people on the roster, and of its commitments.
ROLE_ROSTER_FIELDS = ("participants", "submitted", "late")
ROLE_FIELDS = (*ROLE_ROSTER_FIELDS, *MONTH_COMMITMENT_FIELDS)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def local_month(moment: datetime.datetime) -> datetime.date:
    """The month (its first day) of a moment, in the site's time zone."""
    return timezone.localdate(moment).replace(day=1)


def is_late(submitted_at, deadline: datetime.date) -> bool:
    """Submitted after the deadline's day ended, in the site's time zone (as
    ``aar.models.AAR.is_late`` says)."""
    return submitted_at is not None and timezone.localdate(submitted_at) > deadline


def answered(tally: SessionTally) -> int:
    """The commitments of a session's tally row answered at a check-back."""
    return sum(getattr(tally, field) for field in ANSWERED_FIELDS)


def _add_to_month(organisation_id: int, month: datetime.date, **deltas: int) -> None:
    """Add to an organisation-month row, making it if it is not there yet."""
    deltas = {field: n for field, n in deltas.items() if n}
    if not deltas:
        return
    rows = OrganisationMonth.objects.filter(organisation_id=organisation_id, month=month)
    changes = {field: F(field) + n for field, n in deltas.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint: another writer may make it first
            OrganisationMonth.objects.create(organisation_id=organisation_id, month=month)
    except IntegrityError:
        pass
    rows.update(**changes)


def _add_to_months(changes: dict[tuple[int, datetime.date], Counter]) -> None:
    """Several rows at once, in key order, so two writers never wait on each other in
    opposite orders."""
    for (organisation_id, month), deltas in sorted(changes.items()):
        _add_to_month(organisation_id, month, **deltas)


def _lock(session_id: int) -> tuple[SessionTally, AssistSession]:
    """Lock the session's tally row, then read what keys its month (after the lock)."""
    tally = SessionTally.objects.select_for_update().get(session_id=session_id)
    session = AssistSession.objects.only("organiser_id", "aar_deadline").get(pk=session_id)
    return tally, session


def _share(tally: SessionTally, sign: int = 1) -> Counter:
    """What a session adds to its deadline month."""
    return Counter(
        sessions=sign,
        participants=sign * tally.participants,
        submitted=sign * tally.submitted,
        open=sign * tally.is_open,
        late=sign * tally.late,
        commitments=sign * tally.commitments,
        commitments_done=sign * tally.commitments_done,
        commitments_answered=sign * answered(tally),
    )


def _add_to_role(session_id: int, role: str, **deltas: int) -> None:
    """Add to a session's role row, making it if it is not there yet (the caller holds
    the session's tally row, so no other writer makes it meanwhile)."""
    deltas = {field: n for field, n in deltas.items() if n and field in ROLE_FIELDS}
    if not deltas:
        return
    rows = SessionRoleTally.objects.filter(session_id=session_id, role=role)
    if not rows.update(**{field: F(field) + n for field, n in deltas.items()}):
        SessionRoleTally.objects.create(session_id=session_id, role=role, **deltas)


@_in_transaction
def change(session_id: int, role: str | None = None, **deltas: int) -> None:
    """Add ``deltas`` (``participants``, ``invited``, ``submitted``, ``drafts``,
    ``late``) to a session's counts, and what they change to its organisation's month
    and, given the people's ``role``, to the session's row of that role."""
    tally, session = _lock(session_id)
    if role is not None:
        _add_to_role(session_id, role, **deltas)
    was_open = tally.is_open
    for field, n in deltas.items():
        setattr(tally, field, getattr(tally, field) + n)
    tally.save(update_fields=ROSTER_FIELDS)
    _add_to_month(
        session.organiser_id,
        month_of(session.aar_deadline),
        participants=deltas.get("participants", 0),
        submitted=deltas.get("submitted", 0),
        late=deltas.get("late", 0),
        open=tally.is_open - was_open,
    )


# --- Sessions -------------------------------------------------------------------------


@_in_transaction
def session_added(session: AssistSession) -> None:
    """A new session: counts of nothing, and one more session in its deadline month."""
    SessionTally.objects.create(session=session)
    _add_to_month(session.organiser_id, month_of(session.aar_deadline), sessions=1)


def _late_counted(session_id: int, deadline: datetime.date) -> int:
    """The session's people on the roster whose AAR was submitted after ``deadline``'s
    day: what ``late`` becomes when the deadline changes."""
    return Participant.objects.filter(
        session_id=session_id,
        removed_at__isnull=True,
        aar__status=SUBMITTED,
        aar__submitted_at__date__gt=deadline,
    ).count()


def _received(session_id: int) -> Counter:
    """The session's submitted AARs by month received (people taken off included)."""
    times = Participant.objects.filter(
        session_id=session_id, aar__status=SUBMITTED, aar__submitted_at__isnull=False
    ).values_list("aar__submitted_at", flat=True)
    return Counter(local_month(moment) for moment in times)


@_in_transaction
def session_moved(session_id: int, *, organiser_id: int, deadline: datetime.date) -> None:
    """Call before a session's organiser or deadline changes, with the new ones: moves
    its share from the old month to the new, and its AARs received to the new organiser.
    """
    tally, old = _lock(session_id)
    changes: dict = {}
    before = (old.organiser_id, month_of(old.aar_deadline))
    after = (organiser_id, month_of(deadline))
    late = tally.late
    if deadline != old.aar_deadline:
        late = _late_counted(session_id, deadline)
        recount_roles(session_id, deadline=deadline)
    if before != after or late != tally.late:
        changes[before] = _share(tally, -1)
        if late != tally.late:
            tally.late = late
            tally.save(update_fields=["late"])
        changes.setdefault(after, Counter()).update(_share(tally, 1))
    if old.organiser_id != organiser_id:
        for month, n in _received(session_id).items():
            changes.setdefault((old.organiser_id, month), Counter())["received"] -= n
            changes.setdefault((organiser_id, month), Counter())["received"] += n
    _add_to_months(changes)


@_in_transaction
def session_forgotten(session_id: int) -> None:
    """Call before deleting a session: takes its share out of its organisation's months
    (its tally row goes with it)."""
    tally, session = _lock(session_id)
    changes = {(session.organiser_id, month_of(session.aar_deadline)): _share(tally, -1)}
    for month, n in _received(session_id).items():
        changes.setdefault((session.organiser_id, month), Counter())["received"] -= n
    _add_to_months(changes)


# --- People and AARs ------------------------------------------------------------------


@_in_transaction
def participant_added(participant: Participant) -> None:
    """A new person on a roster (with no AAR yet)."""
    if participant.removed_at is None:
        change(
            participant.session_id,
            participant.role,
            participants=1,
            invited=int(participant.invited_at is not None),
        )


@_in_transaction
def participant_left(participant: Participant, aar_status: str | None, submitted_at=None) -> None:
    """A person (read under their row lock) taken off the roster or deleted, with their
    AAR's status and submission time then. Their AAR stays counted in the month it was
    received."""
    if participant.removed_at is None:
        _tally, session = _lock(participant.session_id)
        late = aar_status == SUBMITTED and is_late(submitted_at, session.aar_deadline)
        change(
            participant.session_id,
            participant.role,
            participants=-1,
            invited=-int(participant.invited_at is not None),
            submitted=-int(aar_status == SUBMITTED),
            drafts=-int(aar_status == DRAFT),
            late=-int(late),
        )


@_in_transaction
def aar_changed(
    participant: Participant, *, before: str | None, after: str | None, submitted_at
) -> None:
    """An AAR's status went from ``before`` to ``after`` (None: no AAR, before it was
    written or after it was deleted). The caller holds the person's row lock
    (``aar_save``) and passes the row as read then."""
    if before == after:
        return
    tally, session = _lock(participant.session_id)
    submitted = (after == SUBMITTED) - (before == SUBMITTED)
    changes: dict = {}
    if participant.removed_at is None:
        was_open = tally.is_open
        late = submitted * is_late(submitted_at, session.aar_deadline)
        tally.submitted += submitted
        tally.drafts += (after == DRAFT) - (before == DRAFT)
        tally.late += late
        tally.save(update_fields=ROSTER_FIELDS)
        _add_to_role(participant.session_id, participant.role, submitted=submitted, late=late)
        key = (session.organiser_id, month_of(session.aar_deadline))
        changes[key] = Counter(submitted=submitted, late=late, open=tally.is_open - was_open)
    if submitted_at is not None and submitted:
        # Often the same row as the deadline's month: then one update for both.
        key = (session.organiser_id, local_month(submitted_at))
        changes.setdefault(key, Counter())["received"] += submitted
    _add_to_months(changes)


def checkbacks_counted(session_ids=None) -> dict[int, tuple[int, int, int, int]]:
    """Fresh ``CHECKBACK_FIELDS`` of the sessions that have any (all when None): two
    grouped queries over the people with a commitment still open."""
    people = Participant.objects.filter(removed_at__isnull=True, erased_at__isnull=True)
    if session_ids is not None:
        people = people.filter(session_id__in=session_ids)
    counts: dict[int, list[int]] = {}
    by_sent = (
        people.filter(aar__commitments__status__in=STILL_OPEN)
        .order_by()
        .values_list("session_id", "checkbacks_sent")
        .annotate(n=Count("pk", distinct=True))
    )
    for session_id, sent, n in by_sent:
        counts.setdefault(session_id, [0, 0, 0, 0])[min(sent, 2)] += n
    unanswered = (
        people.filter(checkbacks_sent__gt=0, aar__commitments__status=UNANSWERED)
        .order_by()
        .values_list("session_id")
        .annotate(n=Count("pk", distinct=True))
    )
    for session_id, n in unanswered:
        counts.setdefault(session_id, [0, 0, 0, 0])[3] = n
    return {pk: tuple(row) for pk, row in counts.items()}


def checkbacks_kept() -> dict[int, tuple[int, int, int, int]]:
    return {
        pk: tuple(counts)
        for pk, *counts in SessionTally.objects.values_list("session_id", *CHECKBACK_FIELDS)
        if any(counts)
    }


@_in_transaction
def recount_checkbacks(session_id: int) -> None:
    """Count afresh the people of one session a check-back may concern, its tally row
    locked: after their commitments change, a check-back is sent to them, or they are
    taken off the roster or erased."""
    tally = SessionTally.objects.select_for_update().filter(session_id=session_id).first()
    if tally is None:  # the session is being deleted
        return
    fresh = checkbacks_counted([session_id]).get(session_id, (0, 0, 0, 0))
    if fresh != tuple(getattr(tally, field) for field in CHECKBACK_FIELDS):
        for field, n in zip(CHECKBACK_FIELDS, fresh, strict=True):
            setattr(tally, field, n)
        tally.save(update_fields=CHECKBACK_FIELDS)


@_in_transaction
def commitments_changed(session_id: int, fresh: dict[str, int]) -> None:
    """A session's commitment counts are now ``fresh`` (``COMMITMENT_FIELDS``, counted
    by ``aar.commitments`` after a write): kept on its tally row and, for those a month
    adds up, on its deadline month; and the people a check-back may concern are counted
    again. The caller may hold the person's row lock."""
    tally, session = _lock(session_id)
    recount_checkbacks(session_id)
    _recount_role_commitments(session_id)
    deltas = {field: n - getattr(tally, field) for field, n in fresh.items()}
    if not any(deltas.values()):
        return
    for field, n in fresh.items():
        setattr(tally, field, n)
    tally.save(update_fields=list(fresh))
    _add_to_month(
        session.organiser_id,
        month_of(session.aar_deadline),
        commitments=deltas.get("commitments", 0),
        commitments_done=deltas.get("commitments_done", 0),
        commitments_answered=sum(deltas.get(field, 0) for field in ANSWERED_FIELDS),
    )


# --- The sessions' role rows -----------------------------------------------------------


def roles_counted(session_ids=None, *, deadline: datetime.date | None = None) -> dict:
    """Fresh role rows, ``{(session_id, role): ROLE_FIELDS counts}``, of the sessions
    (all when None), from the roster and its AARs and commitments; late by ``deadline``
    when given (a deadline about to change), else by each session's own."""
    people = Participant.objects.all()
    if session_ids is not None:
        people = people.filter(session_id__in=session_ids)
    roster = Q(removed_at__isnull=True)
    submitted = roster & Q(aar__status=SUBMITTED)
    late = submitted & Q(aar__submitted_at__date__gt=deadline or F("session__aar_deadline"))
    commitment = "aar__commitments"
    # People are counted distinct: the commitments' join repeats them.
    rows = (
        people.order_by()
        .values_list("session_id", "role")
        .annotate(
            n_participants=Count("pk", filter=roster, distinct=True),
            n_submitted=Count("pk", filter=submitted, distinct=True),
            n_late=Count("pk", filter=late, distinct=True),
            n_commitments=Count(commitment),
            n_done=Count(commitment, filter=Q(aar__commitments__status="done")),
            n_answered=Count(commitment, filter=Q(aar__commitments__status__in=ANSWERED_STATUSES)),
        )
    )
    return {(session_id, role): tuple(counts) for session_id, role, *counts in rows}


def roles_kept(session_ids=None) -> dict:
    rows = SessionRoleTally.objects.all()
    if session_ids is not None:
        rows = rows.filter(session_id__in=session_ids)
    return {
        (session_id, role): tuple(counts)
        for session_id, role, *counts in rows.values_list("session_id", "role", *ROLE_FIELDS)
        if any(counts)  # a row whose counts all fell back to 0 may stay
    }


def _keep_roles(fresh: dict, kept: dict) -> None:
    """Write the role rows that differ from ``fresh``, and delete those no longer there."""
    gone = [key for key in kept if key not in fresh]
    for session_id, role in gone:
        SessionRoleTally.objects.filter(session_id=session_id, role=role).delete()
    for (session_id, role), counts in fresh.items():
        if kept.get((session_id, role)) == counts:
            continue
        values = dict(zip(ROLE_FIELDS, counts, strict=True))
        SessionRoleTally.objects.update_or_create(session_id=session_id, role=role, defaults=values)


@_in_transaction
def recount_roles(session_id: int, *, deadline: datetime.date | None = None) -> None:
    """Count one session's role rows afresh, its tally row locked: after a roster
    import, a person's role changed, or (with the new ``deadline``) before its deadline
    changes."""
    _lock(session_id)
    _keep_roles(roles_counted([session_id], deadline=deadline), roles_kept([session_id]))


def _recount_role_commitments(session_id: int) -> None:
    """The commitment counts of one session's role rows, afresh (its row locked)."""
    fresh = roles_counted([session_id])
    kept = roles_kept([session_id])
    people = len(ROLE_ROSTER_FIELDS)
    # The roster's counts stay as kept; only the commitments' are taken from ``fresh``.
    merged = {
        key: kept.get(key, counts)[:people] + counts[people:] for key, counts in fresh.items()
    }
    _keep_roles(merged, kept)


@_in_transaction
def participant_role_changed(participant: Participant) -> None:
    """Call after a person's role was saved: their counts move to the new role's row."""
    recount_roles(participant.session_id)


# --- Recounts: after bulk writes, and to check or repair ------------------------------


def counted(session_ids=None) -> dict[int, tuple[int, ...]]:
    """Fresh roster counts of the sessions (all when None), from the rows."""
    sessions = AssistSession.objects.all()
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    roster = Q(participants__removed_at__isnull=True)
    # The keys may not reuse the relation's name ("participants").
    rows = (
        sessions.order_by()
        .values_list("pk")
        .annotate(
            people=Count("participants", filter=roster),
            people_invited=Count(
                "participants", filter=roster & Q(participants__invited_at__isnull=False)
            ),
            people_submitted=Count(
                "participants", filter=roster & Q(participants__aar__status=SUBMITTED)
            ),
            people_drafts=Count("participants", filter=roster & Q(participants__aar__status=DRAFT)),
            people_late=Count(
                "participants",
                filter=roster
                & Q(participants__aar__status=SUBMITTED)
                & Q(participants__aar__submitted_at__date__gt=F("aar_deadline")),
            ),
        )
    )
    return {pk: tuple(counts) for pk, *counts in rows}


@_in_transaction
def recount_session(session_id: int) -> None:
    """Count one session's roster afresh, after a bulk write to its roster (an import),
    and correct its month. AARs received are not recounted here: their writers call
    ``aar_changed`` (and ``recount_all`` counts everything)."""
    tally, _session = _lock(session_id)
    fresh = counted([session_id])[session_id]
    deltas = {
        field: new - getattr(tally, field)
        for field, new in zip(ROSTER_FIELDS, fresh, strict=True)
        if new != getattr(tally, field)
    }
    if deltas:
        change(session_id, **deltas)
    recount_roles(session_id)


def months_counted() -> dict[tuple[int, datetime.date], tuple[int, ...]]:
    """Fresh organisation-month rows (``MONTH_FIELDS``) from the session tallies and the
    AARs."""
    rows: dict = {}

    def row(key):
        return rows.setdefault(key, Counter())

    shares = SessionTally.objects.select_related("session").only(
        "session__organiser_id",
        "session__aar_deadline",
        *ROSTER_FIELDS,
        "commitments",
        *ANSWERED_FIELDS,
    )
    for tally in shares:
        counts = row((tally.session.organiser_id, month_of(tally.session.aar_deadline)))
        counts["sessions"] += 1
        counts["participants"] += tally.participants
        counts["submitted"] += tally.submitted
        counts["late"] += tally.late
        counts["open"] += tally.participants > tally.submitted
        counts["commitments"] += tally.commitments
        counts["commitments_done"] += tally.commitments_done
        counts["commitments_answered"] += answered(tally)
    received = Participant.objects.filter(
        aar__status=SUBMITTED, aar__submitted_at__isnull=False
    ).values_list("session__organiser_id", "aar__submitted_at")
    for organiser_id, moment in received:
        row((organiser_id, local_month(moment)))["received"] += 1
    return {key: tuple(counts[f] for f in MONTH_FIELDS) for key, counts in rows.items()}


def months_kept() -> dict[tuple[int, datetime.date], tuple[int, ...]]:
    return {
        (organisation_id, month): tuple(counts)
        for organisation_id, month, *counts in OrganisationMonth.objects.values_list(
            "organisation_id", "month", *MONTH_FIELDS
        )
        if any(counts)  # a row whose counts all fell back to 0 may stay
    }


def sessions_kept() -> dict[int, tuple[int, ...]]:
    return {
        pk: tuple(counts)
        for pk, *counts in SessionTally.objects.values_list("session_id", *ROSTER_FIELDS)
    }


@transaction.atomic
def recount_all() -> None:
    """Count everything afresh: after a bulk load (the demo, the benchmark, a restore)
    or to repair. Holds the tables' rows for the transaction."""
    fresh = counted()
    SessionTally.objects.filter(~Q(session_id__in=list(fresh))).delete()
    have = set(SessionTally.objects.values_list("session_id", flat=True))
    SessionTally.objects.bulk_create(SessionTally(session_id=pk) for pk in fresh if pk not in have)
    tallies = list(SessionTally.objects.all())
    for tally in tallies:
        for field, n in zip(ROSTER_FIELDS, fresh[tally.session_id], strict=True):
            setattr(tally, field, n)
    checkbacks = checkbacks_counted()
    for tally in tallies:
        for field, n in zip(
            CHECKBACK_FIELDS, checkbacks.get(tally.session_id, (0, 0, 0, 0)), strict=True
        ):
            setattr(tally, field, n)
    SessionTally.objects.bulk_update(tallies, (*ROSTER_FIELDS, *CHECKBACK_FIELDS), batch_size=500)
    recount_all_roles()
    recount_months()


@transaction.atomic
def recount_all_roles() -> None:
    """Every session's role rows afresh (the end of ``recount_all``)."""
    SessionRoleTally.objects.all().delete()
    SessionRoleTally.objects.bulk_create(
        (
            SessionRoleTally(
                session_id=session_id, role=role, **dict(zip(ROLE_FIELDS, counts, strict=True))
            )
            for (session_id, role), counts in roles_counted().items()
        ),
        batch_size=1000,
    )


@transaction.atomic
def recount_months() -> None:
    """Every organisation-month row afresh from the session tallies and the AARs (the
    end of ``recount_all``, and of ``aar.commitments.recount_all``)."""
    OrganisationMonth.objects.all().delete()
    OrganisationMonth.objects.bulk_create(
        OrganisationMonth(
            organisation_id=organisation_id,
            month=month,
            **dict(zip(MONTH_FIELDS, counts, strict=True)),
        )
        for (organisation_id, month), counts in months_counted().items()
    )
