"""Lessons with a life (issue 19): the one way a view loads a lesson, and the only writers
of lessons, their sources, their status and their reuses.

- A lesson belongs to one organisation. Its members read it; its coordinators create
  it, change it, move its status and record where it was reused (``get_lesson_for_user``).
- ``lesson_create``: from search rows the creator may read (``lessons.search.readable``),
  each kept as a ``LessonSource`` that points at its place, not at the row (the index is
  rewritten when an AAR changes), and the first status change ('' → identified).
- ``lesson_move``: one step forward only (``Lesson.STEPS``); validated and applied need
  a reason, applied and verified need evidence, both text and a link. The lesson's row
  is locked first, so two moves posted together make one step, not two.
- ``reuse_add`` / ``reuse_remove``: a session of the lesson's organisation drew on it.

``by=None`` is the system (the demo command): it records no one and reads everything.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lessons.models import Lesson, LessonReuse, LessonSource, LessonStatusChange, SearchEntry
from lessons.reading import organisations_of
from lessons.search import readable
from sessions_app.models import AssistSession, Membership, Organisation

MAX_SOURCES = 50


class LessonError(Exception):
    """A change the rules refuse: nothing was saved. ``field`` names the form field the
    message belongs beside (or None for the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Who may do what ----------------------------------------------------------------------


def lessons_for(user):
    """The lessons ``user`` may read: those of their organisations."""
    if not user.is_authenticated:
        return Lesson.objects.none()
    return Lesson.objects.filter(organisation__in=organisations_of(user))


def coordinated_organisations(user):
    """The organisations ``user`` coordinates: where they may make and change lessons."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    )


def can_create_lessons(user) -> bool:
    return coordinated_organisations(user).exists()


def coordinates_lesson(user, lesson: Lesson) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=lesson.organisation_id, role=Membership.Role.COORDINATOR
    ).exists()


def get_lesson_for_user(request, pk, *, edit: bool = False) -> tuple[Lesson, bool]:
    """The one way a view loads a lesson: 404 for anyone outside its organisation; 403
    for a plain member when ``edit``. Returns (lesson, whether the user may change it)."""
    lesson = get_object_or_404(
        lessons_for(request.user).select_related("organisation", "owner", "created_by"),
        pk=pk,
    )
    can_edit = coordinates_lesson(request.user, lesson)
    if edit and not can_edit:
        raise PermissionDenied
    return lesson, can_edit


def owners_for(organisations):
    """The people a lesson of ``organisations`` may be given to: their members."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation__in=organisations, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def is_member(user, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def reuse_sessions(lesson: Lesson):
    """The sessions that may be recorded as drawing on ``lesson``: those its organisation
    organised, so everyone who sees the session page may read the lesson it names."""
    return AssistSession.objects.filter(organiser_id=lesson.organisation_id)


# --- Writers ------------------------------------------------------------------------------


def _source_from(entry: SearchEntry, *, lesson: Lesson, by) -> LessonSource:
    return LessonSource(
        lesson=lesson,
        session_id=entry.session_id,
        kind=entry.kind,
        part=entry.part,
        aar_id=entry.aar_id,
        recommendation_id=entry.recommendation_id,
        commitment_id=entry.commitment_id,
        added_by=by,
    )


@transaction.atomic
def lesson_create(*, organisation, title, statement, owner, sources, by) -> Lesson:
    """A new lesson of ``organisation``, identified, from ``sources`` (search rows, each
    of which ``by`` may read), with its first status change. Raises LessonError (nothing
    saved) for no sources, too many, a row ``by`` may not read, an organisation ``by``
    does not coordinate, or an owner who is not a member of the organisation."""
    pks = sorted({entry.pk for entry in sources})
    if not pks:
        raise LessonError(_("Choose at least one search result to make a lesson of."), "entry")
    if len(pks) > MAX_SOURCES:
        raise LessonError(
            _("A lesson can have at most %(max)s sources.") % {"max": MAX_SOURCES}, "entry"
        )
    if by is not None and not coordinated_organisations(by).filter(pk=organisation.pk).exists():
        raise LessonError(_("Choose an organisation you coordinate."), "organisation")
    allowed = SearchEntry.objects.all() if by is None else readable(by)
    rows = list(allowed.filter(pk__in=pks).order_by("pk"))
    if len(rows) != len(pks):
        raise LessonError(_("Some of the chosen results are not yours to use."), "entry")
    if owner is not None and not is_member(owner, organisation):
        raise LessonError(_("The owner must be a member of the organisation."), "owner")
    lesson = Lesson.objects.create(
        organisation=organisation,
        title=title,
        statement=statement,
        owner=owner,
        status=Lesson.Status.IDENTIFIED,
        created_by=by,
    )
    _sources_add(lesson=lesson, rows=rows, by=by)
    LessonStatusChange.objects.create(
        lesson=lesson, from_status="", to_status=Lesson.Status.IDENTIFIED, changed_by=by
    )
    return lesson


def _place_key(row) -> tuple:
    return (
        row.session_id,
        row.kind,
        row.part,
        row.aar_id,
        row.recommendation_id,
        row.commitment_id,
    )


def _sources_add(*, lesson: Lesson, rows, by) -> int:
    """Keep each row's place as a source of ``lesson``, once (several index rows can be
    one place, and a place may be a source already). Returns how many were added."""
    seen = {_place_key(source) for source in lesson.sources.all()}
    kept = []
    for row in rows:
        if _place_key(row) not in seen:
            seen.add(_place_key(row))
            kept.append(_source_from(row, lesson=lesson, by=by))
    LessonSource.objects.bulk_create(kept)
    return len(kept)


@transaction.atomic
def sources_add(*, lesson: Lesson, sources, by) -> int:
    """Add ``sources`` (search rows ``by`` may read; ``by=None``: the system) to
    ``lesson``, those not there already. Raises LessonError for a row ``by`` may not
    read (nothing saved)."""
    pks = sorted({entry.pk for entry in sources})
    allowed = SearchEntry.objects.all() if by is None else readable(by)
    rows = list(allowed.filter(pk__in=pks).order_by("pk"))
    if len(rows) != len(pks):
        raise LessonError(_("Some of the chosen results are not yours to use."), "entry")
    return _sources_add(lesson=lesson, rows=rows, by=by)


@transaction.atomic
def lesson_edit(*, lesson: Lesson, title, statement, owner, by) -> Lesson:
    """Change a lesson's title, statement and owner (its status moves only by
    ``lesson_move``)."""
    if owner is not None and not is_member(owner, lesson.organisation):
        raise LessonError(_("The owner must be a member of the organisation."), "owner")
    lesson.title, lesson.statement, lesson.owner = title, statement, owner
    lesson.save(update_fields=["title", "statement", "owner", "updated_at"])
    return lesson


def move_problems(
    *, from_status, to_status, reason="", evidence="", evidence_url=""
) -> list[LessonError]:
    """What is wrong with moving from ``from_status`` to ``to_status`` with these: each
    a LessonError naming its field. Empty when the move may be made."""
    expected = Lesson.STEPS.get(from_status)
    if expected is None:
        return [LessonError(_("This lesson is verified: its status cannot move further."))]
    if to_status != expected:
        return [
            LessonError(
                _("A lesson moves one step at a time: from %(from)s only to %(to)s.")
                % {
                    "from": Lesson.Status(from_status).label,
                    "to": Lesson.Status(expected).label,
                }
            )
        ]
    problems = []
    if to_status in Lesson.NEEDS_REASON and not reason.strip():
        problems.append(
            LessonError(_("Say why the lesson is %(status)s.") % _status_words(to_status), "reason")
        )
    if to_status in Lesson.NEEDS_EVIDENCE:
        if not evidence.strip():
            problems.append(
                LessonError(
                    _("Describe the evidence that the lesson is %(status)s.")
                    % _status_words(to_status),
                    "evidence",
                )
            )
        if not evidence_url.strip():
            problems.append(LessonError(_("Give a link to the evidence."), "evidence_url"))
    return problems


def _status_words(status) -> dict:
    return {"status": str(Lesson.Status(status).label).lower()}


@transaction.atomic
def lesson_move(*, lesson: Lesson, to_status, reason="", evidence="", evidence_url="", by):
    """Move ``lesson`` one step forward to ``to_status`` and keep the change (who, when,
    why, evidence). The row is locked and read again first: a second post of the same
    move finds the lesson moved already and is refused. Raises LessonError, the first
    problem of ``move_problems`` (nothing saved)."""
    current = Lesson.objects.select_for_update().get(pk=lesson.pk)
    problems = move_problems(
        from_status=current.status,
        to_status=to_status,
        reason=reason,
        evidence=evidence,
        evidence_url=evidence_url,
    )
    if problems:
        raise problems[0]
    change = LessonStatusChange.objects.create(
        lesson=current,
        from_status=current.status,
        to_status=to_status,
        reason=reason.strip(),
        evidence=evidence.strip(),
        evidence_url=evidence_url.strip(),
        changed_by=by,
    )
    current.status = to_status
    current.save(update_fields=["status", "updated_at"])
    lesson.status, lesson.updated_at = current.status, current.updated_at
    return change


@transaction.atomic
def reuse_add(*, lesson: Lesson, session: AssistSession, note: str = "", by) -> LessonReuse:
    """Record that ``session`` drew on ``lesson``. Raises LessonError (nothing saved)
    for a session not of the lesson's organisation or one already recorded."""
    if session.organiser_id != lesson.organisation_id:
        raise LessonError(_("Choose a session organised by the lesson's organisation."), "session")
    if LessonReuse.objects.filter(lesson=lesson, session=session).exists():
        raise LessonError(_("That session is already recorded as drawing on it."), "session")
    try:
        with transaction.atomic():
            reuse = LessonReuse.objects.create(
                lesson=lesson, session=session, note=note.strip(), noted_by=by
            )
    except IntegrityError:  # the same record posted twice at once
        raise LessonError(
            _("That session is already recorded as drawing on it."), "session"
        ) from None
    Lesson.objects.filter(pk=lesson.pk).update(updated_at=reuse.noted_at)
    return reuse


@transaction.atomic
def reuse_remove(*, reuse: LessonReuse, by) -> None:
    """Take back a record of reuse (it was recorded by mistake)."""
    LessonReuse.objects.filter(pk=reuse.pk).delete()


# --- Reading the sources ------------------------------------------------------------------


def _place(source: LessonSource) -> Q:
    """The search row that holds a source's text. Its kind and part with the ids it has
    name it; the ids it lacks are left out, not asked to be NULL: "commitment_id IS
    NULL" led SQLite to read nearly every row by that index (558 ms over 100,000 AARs,
    bench, issue 19)."""
    ids = {
        name: getattr(source, name)
        for name in ("aar_id", "recommendation_id", "commitment_id")
        if getattr(source, name) is not None
    }
    return Q(session_id=source.session_id, kind=source.kind, part=source.part, **ids)


def sources_for(user, sources: list[LessonSource]) -> list[tuple[LessonSource, SearchEntry]]:
    """Each source with the search row that holds its text, when ``user`` may read it
    there (``lessons.search.readable``), else None: the text, the writer and even the
    session of a source the user could not open are never shown. One query."""
    if not sources:
        return []
    condition = Q()
    for source in sources:
        condition |= _place(source)
    rows = (
        readable(user)
        .filter(condition)
        .select_related("session", "participant__organisation", "aar__question_set")
    )
    by_place = {}
    for row in rows.order_by("position", "pk"):
        by_place.setdefault(_place_key(row), row)
    return [(source, by_place.get(_place_key(source))) for source in sources]
