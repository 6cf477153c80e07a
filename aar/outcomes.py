"""Outcomes of commitments, for coordinators: what became of what people said they would
do, across the sessions they may see.

Every figure is a sum of the sessions' tally rows (``SessionTally``: the commitments by
status, kept by ``aar.commitments``; the people a check-back concerns, kept by
``sessions_app.tally.recount_checkbacks``), never a count of commitments or people per
request: at the benchmark's 2,000 sessions the check-backs counted from the roster took
130 ms a request.
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce

from aar.models import AAR, Commitment
from sessions_app.models import Organisation, SessionTally

Status = Commitment.Status
# The figures of a session or an organisation, in the order the page shows them.
FIGURES = ("made", "open", "done", "partly", "not_yet", "dropped")
# The tally field summed for each figure ("open" is made less the answered ones).
TALLY_SUMS = {
    "made": "commitments",
    "done": "commitments_done",
    "partly": "commitments_partly",
    "not_yet": "commitments_not_yet",
    "dropped": "commitments_dropped",
}
# Whether a commitment's writer asked to show their commitments without their name: the
# AAR's "anonymous" list (JSON) read as text, the same on SQLite and PostgreSQL.
SHOWN_WITHOUT_NAME = Q(anonymous_text__contains=f'"{AAR.COMMITMENTS_KEY}"')
# The list's order: the newest session first, then by person, then as they wrote them;
# in each session, the commitments shown without a name come after the named ones, by
# their text: among the names, their place would tell who wrote them.
LIST_ORDER = (
    "-aar__participant__session__date",
    "-aar__participant__session_id",
    "without_name",
    "person_name",
    "person_id",
    "person_position",
    "unnamed_text",
    "pk",
)


def _unnamed(named, unnamed, output_field):
    """``named`` for a commitment under its writer's name, ``unnamed`` for one shown
    without it."""
    return Case(When(SHOWN_WITHOUT_NAME, then=unnamed), default=named, output_field=output_field)


def _rows(sessions, status: str):
    """The commitments written in ``sessions``' AARs (a QuerySet of sessions, or their
    pks), with their person and session, in the list's order. ``status``: one of
    ``Commitment.Status``, or ``still_open``."""
    rows = Commitment.objects.filter(aar__participant__session__in=sessions)
    if status == "still_open":
        rows = rows.still_open()
    elif status:
        rows = rows.filter(status=status)
    return (
        rows.select_related("aar__participant__session__organiser")
        .alias(anonymous_text=Cast("aar__anonymous", models.TextField()))
        .alias(
            without_name=_unnamed(Value(False), Value(True), models.BooleanField()),
            person_name=_unnamed(F("aar__participant__full_name"), Value(""), models.TextField()),
            person_id=_unnamed(F("aar__participant_id"), Value(0), models.BigIntegerField()),
            person_position=_unnamed(F("position"), Value(0), models.IntegerField()),
            unnamed_text=_unnamed(Value(""), F("text"), models.TextField()),
        )
        .only(
            "text",
            "due_date",
            "status",
            "outcome",
            "answered_at",
            "position",
            "aar__anonymous",
            "aar__participant__full_name",
            "aar__participant__role",
            "aar__participant__session__title",
            "aar__participant__session__date",
            "aar__participant__session__organiser__name",
            "aar__participant__session__organiser__name_en",
            "aar__participant__session__organiser__short_name",
        )  # fmt: skip
        .order_by(*LIST_ORDER)
    )


def commitments_in(sessions, *, status: str = ""):
    """Every commitment of ``sessions`` (for the export), in the list's order."""
    return _rows(sessions.values("pk"), status)


def _matching(counts: dict, status: str) -> int:
    """How many of a session's commitments (its tally's counts) have ``status``."""
    if status == "still_open":
        return counts["made"] - counts["done"] - counts["dropped"]
    if status == Status.OPEN:
        return (
            counts["made"]
            - counts["done"]
            - counts["partly"]
            - counts["not_yet"]
            - counts["dropped"]
        )
    if status:
        return counts[status]
    return counts["made"]


class CommitmentList:
    """The commitments of ``sessions`` in the list's order, for a ``Paginator``, without
    sorting them all: the sessions' tally rows say how many each holds (one query of a
    row a session), so a page's slice finds the few sessions it spans and reads only
    their commitments. At the benchmark's 2,000 sessions and 61,500 commitments the
    page's list took 146 ms as one ordered, counted query over every commitment."""

    def __init__(self, sessions, *, status: str = ""):
        self.sessions = sessions
        self.status = status
        self._counts = None

    def _sessions(self) -> list[tuple[int, int]]:
        """(session pk, its matching commitments), newest session first."""
        if self._counts is None:
            rows = (
                self.sessions.filter(tally__commitments__gt=0)
                .order_by("-date", "-pk")
                .values_list("pk", *(f"tally__{field}" for field in TALLY_SUMS.values()))
            )
            self._counts = [
                (pk, _matching(dict(zip(TALLY_SUMS, counts, strict=True)), self.status))
                for pk, *counts in rows
            ]
        return self._counts

    def count(self) -> int:
        return sum(n for _pk, n in self._sessions())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Commitment]:
        start, stop = window.start or 0, window.stop
        chosen, skipped, seen = [], 0, 0
        for pk, n in self._sessions():
            if seen + n > start and (stop is None or seen < stop):
                if not chosen:
                    skipped = start - seen
                chosen.append(pk)
            seen += n
        if not chosen:
            return []
        rows = _rows(chosen, self.status)
        return list(rows[skipped : None if stop is None else skipped + stop - start])


def _with_share(row: dict) -> dict:
    """Add ``open`` (no answer yet) and ``share_done`` (done ÷ made, a whole percent, or
    None when nothing was made) to a row of sums."""
    made = row["made"]
    row["open"] = made - row["done"] - row["partly"] - row["not_yet"] - row["dropped"]
    row["share_done"] = round(100 * row["done"] / made) if made else None
    return row


def _sums(prefix: str = "") -> dict:
    return {name: Coalesce(Sum(f"{prefix}{field}"), 0) for name, field in TALLY_SUMS.items()}


def _checkbacks(today: datetime.date, prefix: str = "", session: str = "") -> dict:
    """The check-back figures of a session's tally row (``prefix`` "tally__" from the
    session, ``session`` "session__" from the tally row), kept by
    ``sessions_app.tally.recount_checkbacks``:

    - ``due``: people with a commitment still open who were not yet sent a check-back
      whose day has passed (none sent when two are due count too);
    - ``unanswered``: people sent a check-back who have a commitment never answered.

    People erased or taken off the roster are not counted: no check-back goes to them."""
    none, one = F(f"{prefix}open_people_sent_none"), F(f"{prefix}open_people_sent_one")
    due = models.Case(
        models.When(**{f"{session}checkback_second_on__lte": today}, then=none + one),
        models.When(**{f"{session}checkback_first_on__lte": today}, then=none),
        default=models.Value(0),
        output_field=models.IntegerField(),
    )
    return {"due": due, "unanswered": F(f"{prefix}unanswered_people")}


def figures_by_session(session_ids: list[int], today: datetime.date) -> dict[int, dict]:
    """The figures of each session in ``session_ids``: its tally row (one query)."""
    rows = SessionTally.objects.filter(session_id__in=session_ids).values(
        "session_id",
        **{name: F(field) for name, field in TALLY_SUMS.items()},
        **_checkbacks(today, session="session__"),
    )
    return {row.pop("session_id"): _with_share(row) for row in rows}


def figures_by_organisation(sessions, today: datetime.date) -> list[dict]:
    """The figures of each organisation that organised any of ``sessions`` with a
    commitment: sums of the sessions' tally rows (one query), ordered by the
    organisation's label."""
    rows = (
        sessions.filter(tally__commitments__gt=0)
        .order_by()
        .values("organiser_id", "organiser__name", "organiser__name_en", "organiser__short_name")
        .annotate(
            **_sums("tally__"),
            **{name: Sum(sql) for name, sql in _checkbacks(today, prefix="tally__").items()},
        )
    )
    result = []
    for row in rows:
        organisation = Organisation(
            pk=row["organiser_id"],
            name=row["organiser__name"],
            name_en=row["organiser__name_en"],
            short_name=row["organiser__short_name"],
        )
        figures = {name: row[name] for name in (*TALLY_SUMS, "due", "unanswered")}
        result.append({"organisation": organisation, **_with_share(figures)})
    result.sort(key=lambda row: row["organisation"].label)
    return result


def total_of(rows: list[dict]) -> dict:
    """The figures of several rows added up (no query)."""
    total = {name: sum(row[name] for row in rows) for name in (*TALLY_SUMS, "due", "unanswered")}
    return _with_share(total)
