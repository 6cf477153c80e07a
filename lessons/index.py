"""Keeping the search index (``SearchEntry``) current: the only writer of its rows.

Called through ``aar.signals.text_changed`` by every writer of searchable text, inside
its transaction: an AAR's rows are rebuilt from the AAR (answers, commitments and their
outcomes), a session's own rows from the session (recommendations and responses, the
review of the method). Only what differs is written, so an autosave that changed
nothing costs one small read. Deleting a session, an AAR or a person deletes their rows
by foreign key; on SQLite the FTS5 table follows its content table by the triggers of
migration 0002, as a B-tree index follows its table.

The theme counts (``lessons.themes``) are kept here too, from the same difference: the
words of the answer rows written are added, those of the rows deleted taken out. Only
submitted AARs count, so a draft's answer rows are marked (their ``position`` starts at
``DRAFT_POSITION``): its submission rewrites them, unmarked, and that adds their words.
The rows themselves say what was counted; an AAR's old status is not needed, and no
writer has to pass it.
"""

from importlib import import_module

from django.db import connection, transaction
from django.db.models import Count

from aar.models import AAR, MethodReview, Recommendation, parts_of
from lessons import themes
from lessons.models import SearchEntry
from sessions_app.models import AssistSession

Kind = SearchEntry.Kind
# What makes two rows the same, for writing only what changed.
_FIELDS = (
    "kind", "part", "aar_id", "participant_id", "recommendation_id", "commitment_id",
    "anonymous", "position", "text",
)  # fmt: skip


# Added to the position of a draft's answer rows: not counted in the themes (a question
# set has at most eight questions, so no submitted AAR's row reaches it).
DRAFT_POSITION = 1000


def _key(row: SearchEntry) -> tuple:
    return tuple(getattr(row, name) for name in _FIELDS)


_KIND, _PART, _POSITION, _TEXT = (_FIELDS.index(f) for f in ("kind", "part", "position", "text"))


def _counted(keys) -> list[tuple[str, str]]:
    """(question key, text) of the answer rows that count in the themes (a submitted
    AAR's), from rows' keys."""
    return [
        (key[_PART], key[_TEXT])
        for key in keys
        if key[_KIND] == Kind.ANSWER and key[_POSITION] < DRAFT_POSITION
    ]


def aar_rows(aar: AAR, session_id: int, commitments=None) -> list[SearchEntry]:
    """The rows of one AAR: each answer that has text, each commitment and its outcome.
    ``commitments``: already loaded (the full rebuild), or read here."""
    common = {"session_id": session_id, "aar_id": aar.pk}
    common["participant_id"] = aar.participant_id
    start = 0 if aar.is_submitted else DRAFT_POSITION
    rows = [
        SearchEntry(
            **common,
            kind=Kind.ANSWER,
            part=part.key,
            anonymous=aar.is_anonymous(part.key),
            position=start + n,
            text=aar.answer(part.key).strip(),
        )
        for n, part in enumerate(parts_of(aar.question_set))
    ]
    if commitments is None:
        commitments = aar.commitments.all()
    hidden = aar.is_anonymous(AAR.COMMITMENTS_KEY)
    for commitment in commitments:
        for kind, text in ((Kind.COMMITMENT, commitment.text), (Kind.OUTCOME, commitment.outcome)):
            rows.append(
                SearchEntry(
                    **common,
                    kind=kind,
                    part=AAR.COMMITMENTS_KEY,
                    commitment_id=commitment.pk,
                    anonymous=hidden,
                    position=commitment.position,
                    text=text.strip(),
                )
            )
    return [row for row in rows if row.text]


def session_rows(session_id: int, recommendations=None, review=None) -> list[SearchEntry]:
    """The session's own rows: its current recommendations with the host's responses,
    and the team's review of the method."""
    if recommendations is None:
        recommendations = Recommendation.objects.current().filter(session_id=session_id)
        review = MethodReview.objects.filter(session_id=session_id).first()
    rows = []
    for recommendation in recommendations:
        common = {"session_id": session_id, "recommendation_id": recommendation.pk}
        common["participant_id"] = recommendation.given_by_id
        common["position"] = recommendation.position
        rows.append(SearchEntry(**common, kind=Kind.RECOMMENDATION, text=recommendation.text))
        rows.append(SearchEntry(**common, kind=Kind.RESPONSE, text=recommendation.response_reason))
    if review is not None:
        rows += [
            SearchEntry(
                session_id=session_id,
                kind=Kind.METHOD,
                part=name,
                position=n,
                text=getattr(review, name),
            )
            for n, name in enumerate(MethodReview.FIELDS)
        ]
    for row in rows:
        row.text = row.text.strip()
    return [row for row in rows if row.text]


def _replace(existing, wanted: list[SearchEntry]) -> tuple[int, bool, list, list]:
    """Write the difference between the rows there are and the rows wanted. Returns how
    many rows were written or deleted, whether any of them is anonymous, and the keys of
    the rows deleted and of those written."""
    have: dict[tuple, list[int]] = {}
    for row in existing:
        have.setdefault(_key(row), []).append(row.pk)
    new = []
    for row in wanted:
        pks = have.get(_key(row))
        if pks:
            pks.pop()
        else:
            new.append(row)
    stale = {pk: key for key, pks in have.items() for pk in pks}
    if stale:
        SearchEntry.objects.filter(pk__in=stale).delete()
    if new:
        SearchEntry.objects.bulk_create(new)
    anonymous_at = _FIELDS.index("anonymous")
    anonymous = any(row.anonymous for row in new) or any(
        key[anonymous_at] for key in stale.values()
    )
    return len(stale) + len(new), anonymous, list(stale.values()), [_key(row) for row in new]


@transaction.atomic(savepoint=False)
def reindex_aar(aar_id: int, aar: AAR | None = None, session_id: int | None = None) -> int:
    """``aar`` and ``session_id``: as its writer just saved it (not read again), or
    read here."""
    if aar is None or session_id is None:
        aar = AAR.objects.select_related("participant", "question_set").filter(pk=aar_id).first()
        if aar is not None:
            session_id = aar.participant.session_id
    existing = SearchEntry.objects.filter(aar_id=aar_id)
    wanted = aar_rows(aar, session_id) if aar is not None else []
    changed, anonymous, gone, written = _replace(existing, wanted)
    if session_id is not None:
        if aar is None:
            # Deleted: its rows went with it, and with them what was counted for it.
            _recount_session_month(session_id)
        else:
            counted_gone, counted_written = _counted(gone), _counted(written)
            if counted_gone or counted_written:  # a draft's autosave counts nothing
                parts = themes.theme_parts(aar.question_set)
                delta = themes.answers_delta(counted_gone, counted_written, parts)
                _themes_changed(session_id, delta)
    # The session's anonymous rows are recounted when this AAR's change may move their
    # count: an anonymous row came or went, the AAR has anonymous parts (its submission
    # counts it in), or it was deleted (its rows went with it, by foreign key). Most
    # saves are of AARs with no anonymous part and skip it.
    may_move = anonymous or aar is None or bool(aar.anonymous)
    if may_move and session_id is not None:
        hold_back(session_id)
    return changed


def hold_back(session_id: int) -> None:
    """Mark the session's anonymous rows of each question ``held_back`` while fewer than
    ``AAR.ANONYMOUS_MIN`` submitted AARs answered it without a name (the commitments
    count as one question). Recounted for the one session after each change of its
    AARs' rows: a handful of rows, on the session's index."""
    anonymous = SearchEntry.objects.filter(session_id=session_id, anonymous=True)
    writers = dict(
        anonymous.filter(aar__status=AAR.Status.SUBMITTED)
        .values("part")
        .annotate(n=Count("aar_id", distinct=True))
        .values_list("part", "n")
    )
    for part in set(anonymous.values_list("part", flat=True)):
        held = writers.get(part, 0) < AAR.ANONYMOUS_MIN
        anonymous.filter(part=part).exclude(held_back=held).update(held_back=held)


def _themes_changed(session_id: int, delta) -> None:
    """Add an AAR's change of words to its session's organisation and month (one
    query for them, only when some counted word changed)."""
    if not any(delta.values()):
        return
    organiser_id, date = AssistSession.objects.values_list("organiser_id", "date").get(
        pk=session_id
    )
    themes.counts_changed(organisation_id=organiser_id, month=themes.month_of(date), delta=delta)


def _recount_session_month(session_id: int) -> None:
    session = AssistSession.objects.filter(pk=session_id).values_list("organiser_id", "date")
    for organiser_id, date in session:
        themes.recount_month(organisation_id=organiser_id, month=themes.month_of(date))


@transaction.atomic(savepoint=False)
def reindex_session(session_id: int) -> int:
    existing = SearchEntry.objects.filter(session_id=session_id, aar__isnull=True)
    return _replace(existing, session_rows(session_id))[0]


def on_text_changed(
    sender, *, session_id: int, aar_id: int | None = None, aar=None, **kwargs
) -> None:
    if aar_id is not None:
        reindex_aar(aar_id, aar, session_id)
    else:
        reindex_session(session_id)


def _sqlite_engine():
    """The statements of migration 0002 that made SQLite's engine: the FTS5 table, its
    three triggers, and its "rebuild" command."""
    return import_module("lessons.migrations.0002_search_engines").SQLITE


def rebuild(batch: int = 2000) -> int:
    """Rebuild the whole index from the text (``manage.py search_rebuild``; the benchmark
    times it), and the theme counts (``lessons.themes.rebuild_themes``). Returns how many
    rows the index holds.

    On SQLite the FTS5 table is filled once at the end by its own "rebuild" command, with
    its triggers off meanwhile: row by row through the triggers, 166,000 rows took 147 s
    against 10 s (bench, scale 0.2). All in one transaction, triggers included."""
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic():
        if sqlite:
            with connection.cursor() as cursor:
                for name in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER lessons_searchentry_{name}")
        _rebuild_rows(batch)
        if sqlite:
            with connection.cursor() as cursor:
                for statement in _sqlite_engine()[1:]:  # the triggers, then "rebuild"
                    cursor.execute(statement)
        themes.rebuild_themes()
    return SearchEntry.objects.count()


def _rebuild_rows(batch: int) -> None:
    """Every row again, from the text; then which anonymous rows are held back."""
    SearchEntry.objects.all().delete()
    aars = (
        AAR.objects.select_related("participant", "question_set")
        .prefetch_related("commitments")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(aars.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        rows = [
            row
            for aar in chunk
            for row in aar_rows(aar, aar.participant.session_id, aar.commitments.all())
        ]
        SearchEntry.objects.bulk_create(rows, batch_size=batch)
        last = chunk[-1].pk
    reviews = {review.session_id: review for review in MethodReview.objects.all()}
    by_session: dict[int, list] = {}
    for recommendation in Recommendation.objects.current().order_by("session_id", "position"):
        by_session.setdefault(recommendation.session_id, []).append(recommendation)
    for session_id in sorted(set(by_session) | set(reviews)):
        SearchEntry.objects.bulk_create(
            session_rows(session_id, by_session.get(session_id, []), reviews.get(session_id))
        )
    sessions = SearchEntry.objects.filter(anonymous=True).values_list("session_id", flat=True)
    for session_id in sorted(set(sessions)):
        hold_back(session_id)
