"""The trends' figures: per organisation and month, added up by period or by
organisation. A fixed number of queries, whatever the number of sessions.

Months are those of the sessions' AAR deadlines, as in ``OrganisationMonth`` (the
organisations' kept monthly totals): a session counts in the month its AARs are due.
Archived sessions count too: they were held.

Public, for the other trends pages:

- ``visible_organisations(user)``: the organisations whose figures ``user`` may see;
  ``get_organisation_for_user(request, pk)``: one of them, or 404;
- ``add_months``, ``months_apart``, ``month_start``, ``FIRST_YEAR``, ``last_year()``;
- ``Figures``: one cell's counts and the rates drawn from them;
- ``organisation_months(organisations=..., first=..., last=..., role="", by=BOTH)`` ->
  ``{(organisation_id, month): Figures}``, or summed by the database over the
  organisations (``by=(BY_MONTH,)``) or the months (``by=(BY_ORGANISATION,)``);
- ``periods(first, last, step)``, ``period_of(month, step)``;
- ``by_period(cells, periods_, step)``, ``by_organisation(cells, organisation_ids)``,
  ``by_organisation_and_period(cells, organisation_ids, periods_, step)``.

What each figure is:

- ``sessions``: sessions due that month (with a role chosen: those with someone of the
  role on the roster);
- ``participants``: people on the rosters (not taken off); ``submitted``: of them, with
  a submitted AAR; completion is submitted ÷ participants: everyone on the roster is
  asked for an AAR;
- ``late``: AARs submitted after the session's AAR deadline (Bangkok date), plus
  ``missing_late``: people still without a submitted AAR once the deadline has passed;
- ``commitments`` made in the AARs, ``commitments_done``, and ``checkbacks_answered``:
  commitments with an answer at a check-back (done, partly, not yet or dropped);
- ``lessons``: the lessons the organisation recorded that month (by the month they were
  created, Bangkok time), by their status now. The role filter does not apply to them.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, DateField, F, Func, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lessons.models import Lesson
from sessions_app.models import AssistSession, Organisation, OrganisationMonth, SessionRoleTally

MONTH, QUARTER = "month", "quarter"
# The first year with figures; the last is next year.
FIRST_YEAR = 2000
LESSON_STATUSES = tuple(Lesson.Status.values)
COUNTS = (
    "sessions",
    "participants",
    "submitted",
    "late",
    "missing_late",
    "commitments",
    "commitments_done",
    "checkbacks_answered",
)


def last_year() -> int:
    """The last year a period may reach: next year."""
    return timezone.localdate().year + 1


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return datetime.date(year, index + 1, 1)


def months_apart(first: datetime.date, last: datetime.date) -> int:
    """How many months from ``first`` to ``last``, both counted: Jan to Mar is 3."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def visible_organisations(user):
    """The organisations whose figures ``user`` may see: those they are a member of
    (coordinator or facilitator), the rule of ``AssistSession.objects.for_user``."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name", "pk")


def get_organisation_for_user(request, pk) -> Organisation:
    """The one way a trends view loads an organisation: 404 unless the person may see
    its figures (``visible_organisations``)."""
    return get_object_or_404(visible_organisations(request.user), pk=pk)


class Figures:
    """The counts of one cell (an organisation and month) or of a sum of cells."""

    __slots__ = (*COUNTS, "lessons")

    def __init__(self, **counts):
        for name in COUNTS:
            setattr(self, name, counts.get(name, 0) or 0)
        self.lessons = dict.fromkeys(LESSON_STATUSES, 0)

    def add(self, other: "Figures") -> "Figures":
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, n in other.lessons.items():
            self.lessons[status] += n
        return self

    @property
    def completion(self) -> int | None:
        """AARs submitted of people on the rosters, in whole percent (None: nobody)."""
        return round(100 * self.submitted / self.participants) if self.participants else None

    @property
    def late_total(self) -> int:
        return self.late + self.missing_late

    @property
    def commitments_percent(self) -> int | None:
        made = self.commitments
        return round(100 * self.commitments_done / made) if made else None

    @property
    def lessons_total(self) -> int:
        return sum(self.lessons.values())

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "completion": self.completion,
            "late_total": self.late_total,
            "commitments_percent": self.commitments_percent,
            "lessons": dict(self.lessons),
            "lessons_total": self.lessons_total,
        }


def period_of(month: datetime.date, step: str) -> datetime.date:
    """The first month of the period (month or quarter) holding ``month``."""
    if step == QUARTER:
        return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return month.replace(day=1)


def periods(first: datetime.date, last: datetime.date, step: str) -> list[datetime.date]:
    """The periods' first months from the one holding ``first`` to the one holding
    ``last``."""
    size = 3 if step == QUARTER else 1
    start, end = period_of(first, step), period_of(last, step)
    result = []
    while start <= end:
        result.append(start)
        start = add_months(start, size)
    return result


# On SQLite, Django's TruncMonth of a date calls a Python function for every row: at the
# benchmark's 2,100 AARs that was most of the trends page's query time. This does the
# same with the database's own functions (SQLite's strftime, PostgreSQL's date_trunc).
class MonthOf(Func):
    """The first day of a date's month."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return connection.ops.date_trunc_sql("month", sql, tuple(params))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime('%%Y-%%m-01', {sql})", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"DATE_TRUNC('month', {sql})::date", params


def _cell(cells, organisation_id, month) -> Figures:
    key = (organisation_id, month)
    if key not in cells:
        cells[key] = Figures()
    return cells[key]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# What ``organisation_months`` groups its cells by.
BY_ORGANISATION, BY_MONTH = "organisation", "month"
BOTH = (BY_ORGANISATION, BY_MONTH)


def organisation_months(
    *,
    organisations,
    first: datetime.date,
    last: datetime.date,
    role: str = "",
    today: datetime.date | None = None,
    by: tuple[str, ...] = BOTH,
) -> dict[tuple[int | None, datetime.date | None], Figures]:
    """The figures of each organisation and month from ``first`` to ``last`` (first days
    of months), for ``organisations`` (Organisation objects or ids). Only cells with
    something in them are returned.

    ``by`` says what a cell is: an organisation and a month (the default), or, added up
    by the database, a month of them all (``(BY_MONTH,)``: keys ``(None, month)``, for the
    trends over time) or an organisation over the whole period (``(BY_ORGANISATION,)``:
    keys ``(organisation, None)``, for the comparison). Fifty organisations over five
    years are 3,000 cells, and adding them up in Python was a third of the trends page.

    Without a role: three queries, none reading a row per participant or AAR: the kept
    monthly totals (``OrganisationMonth``), this month's sessions past their deadline
    (their tally rows), and the lessons. With a role: the sessions' kept rows of that
    role (``SessionRoleTally``), and the lessons."""
    ids = [getattr(o, "pk", o) for o in organisations]
    today = today or timezone.localdate()
    cells: dict = {}
    if not ids:
        return cells
    end = add_months(last, 1)
    if role:
        _from_role_rows(cells, by, ids, first, end, role, today)
    else:
        _from_kept_totals(cells, by, ids, first, end, today)
    _lessons(cells, by, ids, first, end)
    return cells


def _grouped(rows, by: tuple[str, ...], organisation: str, month: str):
    """``rows`` (a values queryset) grouped by what ``by`` names, as ``values_list`` rows
    that start with the organisation and the month (None for what is not grouped)."""
    pairs = ((BY_ORGANISATION, organisation), (BY_MONTH, month))
    fields = [name for key, name in pairs if key in by]
    return fields, rows.order_by().values_list(*fields)


def _key(by, row) -> tuple:
    """A cell's key from a ``_grouped`` row: (organisation, month), None where summed."""
    values = iter(row)
    organisation = next(values) if BY_ORGANISATION in by else None
    month = _as_date(next(values)) if BY_MONTH in by else None
    return organisation, month


def _from_kept_totals(cells, by, ids, first, end, today) -> None:
    """The figures the code keeps (``sessions_app.tally``): the organisations' monthly
    totals, late AARs and answered commitments included, so no query reads a row a
    session or an AAR. People still missing once the deadline passed are the month's
    participants less its AARs for a month whose last day has passed; for this month
    (and later ones) only the sessions whose deadline has passed count, read from their
    tally rows: this month's sessions at most."""
    this_month = month_start(today)
    rows = OrganisationMonth.objects.filter(
        organisation_id__in=ids, month__gte=first, month__lt=end
    )
    fields, rows = _grouped(rows, by, "organisation_id", "month")
    kept = rows.annotate(
        n_sessions=Sum("sessions"),
        n_participants=Sum("participants"),
        n_submitted=Sum("submitted"),
        n_late=Sum("late"),
        n_made=Sum("commitments"),
        n_done=Sum("commitments_done"),
        n_answered=Sum("commitments_answered"),
        n_missing=Coalesce(
            Sum(F("participants") - F("submitted"), filter=Q(month__lt=this_month)), 0
        ),
    )
    group = len(fields)
    for row in kept:
        sessions, people, submitted, late, made, done, answered, missing = row[group:]
        cell = _cell(cells, *_key(by, row))
        cell.sessions += sessions
        cell.participants += people
        cell.submitted += submitted
        cell.late += late
        cell.commitments += made
        cell.commitments_done += done
        cell.checkbacks_answered += answered
        cell.missing_late += missing
    if not first <= this_month < end:
        return
    due = AssistSession.objects.filter(
        organiser_id__in=ids, aar_deadline__gte=this_month, aar_deadline__lt=today
    )
    missing = Coalesce(Sum("tally__missing"), 0)
    if BY_ORGANISATION in by:
        counts = due.order_by().values_list("organiser_id").annotate(missing=missing)
    else:
        counts = [(None, due.aggregate(missing=missing)["missing"])]
    for org, n in counts:
        _cell(cells, org, this_month if BY_MONTH in by else None).missing_late += n


def _from_role_rows(cells, by, ids, first, end, role, today) -> None:
    """The figures of one role from the sessions' kept role rows
    (``SessionRoleTally``), added up in one query: a row a session, not a row a person.
    A session counts when someone of the role is on its roster; people still missing
    once the deadline passed are counted for the sessions whose deadline has passed."""
    past = Q(session__aar_deadline__lt=today)
    rows = SessionRoleTally.objects.filter(
        role=role,
        session__organiser_id__in=ids,
        session__aar_deadline__gte=first,
        session__aar_deadline__lt=end,
    ).annotate(month=MonthOf("session__aar_deadline"))
    fields, rows = _grouped(rows, by, "session__organiser_id", "month")
    rows = rows.annotate(
        n_sessions=Count("pk", filter=Q(participants__gt=0)),
        n_participants=Sum("participants"),
        n_submitted=Sum("submitted"),
        n_late=Sum("late"),
        n_missing_late=Coalesce(Sum(F("participants") - F("submitted"), filter=past), 0),
        n_commitments=Sum("commitments"),
        n_done=Sum("commitments_done"),
        n_answered=Sum("commitments_answered"),
    )
    group = len(fields)
    for row in rows:
        sessions, people, submitted, late, missing, made, done, answered = row[group:]
        cell = _cell(cells, *_key(by, row))
        cell.sessions += sessions
        cell.participants += people
        cell.submitted += submitted
        cell.late += late
        cell.missing_late += missing
        cell.commitments += made
        cell.commitments_done += done
        cell.checkbacks_answered += answered


class LocalMonthOf(Func):
    """The first day of a moment's month in the site's time zone, by the database's own
    functions: Django's TruncMonth calls a Python function for every row on SQLite
    (2,400 calls, a fifth of the trends page at the funder's scale). SQLite keeps
    moments as UTC text: the zone's offset is added, fixed, as Asia/Bangkok has no
    daylight saving."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = timezone.get_current_timezone().utcoffset(datetime.datetime(2000, 1, 1))
        seconds = int(offset.total_seconds())
        return f"strftime('%%Y-%%m-01', {sql}, '{seconds:+d} seconds')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        return f"DATE_TRUNC('month', {sql} AT TIME ZONE %s)::date", (*params, zone)


def _month_start(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))


def _lessons(cells, by, ids, first, end) -> None:
    rows = Lesson.objects.filter(
        organisation_id__in=ids,
        created_at__gte=_month_start(first),
        created_at__lt=_month_start(end),
    ).annotate(month=LocalMonthOf("created_at"))
    fields, rows = _grouped(rows, by, "organisation_id", "month")
    group = len(fields)
    for row in rows.values_list(*fields, "status").annotate(n=Count("pk")):
        status, n = row[group:]
        cell = _cell(cells, *_key(by, row))
        cell.lessons[status] = cell.lessons.get(status, 0) + n


def by_period(
    cells, periods_: list[datetime.date], step: str
) -> list[tuple[datetime.date, Figures]]:
    """Every organisation's cells added up a period at a time, in order; periods with
    nothing in them are there too, with zeros."""
    sums = {period: Figures() for period in periods_}
    for (_org, month), figures in cells.items():
        period = period_of(month, step)
        if period in sums:
            sums[period].add(figures)
    return list(sums.items())


def by_organisation(cells, organisation_ids) -> dict[int, Figures]:
    """Each organisation's cells added up over the whole period (zeros for none)."""
    sums = {org: Figures() for org in organisation_ids}
    for (org, _month), figures in cells.items():
        if org in sums:
            sums[org].add(figures)
    return sums


def by_organisation_and_period(
    cells, organisation_ids, periods_: list[datetime.date], step: str
) -> dict[int, dict[datetime.date, Figures]]:
    """Each organisation's figures a period at a time (zeros where nothing)."""
    sums = defaultdict(dict)
    for org in organisation_ids:
        for period in periods_:
            sums[org][period] = Figures()
    for (org, month), figures in cells.items():
        period = period_of(month, step)
        if org in sums and period in sums[org]:
            sums[org][period].add(figures)
    return dict(sums)


def total(rows) -> Figures:
    """The sum of some figures."""
    result = Figures()
    for figures in rows:
        result.add(figures)
    return result
