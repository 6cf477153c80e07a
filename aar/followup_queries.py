"""Follow-up in the database: which sessions are overdue or missing AARs, and where each
person stands. These read sessions and roster rows with their AARs and follow-up counts,
so they live above both apps, here in ``aar``: ``sessions_app`` knows nothing of them.

Each takes a QuerySet and returns one, so they chain like QuerySet methods:
``most_urgent_first(sessions_with_followup(AssistSession.objects.for_user(user)))``.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from aar.models import AAR
from sessions_app.models import AssistSession, OrganisationMonth

# An overdue session's missing count is scaled above any roster's size.
URGENCY_SCALE = 1_000_000


def overdue(today: datetime.date) -> Q:
    """On sessions: the deadline has passed with someone on the roster still missing a
    submitted AAR (from the session's follow-up tally). The deadline day itself is not
    overdue yet."""
    return Q(aar_deadline__lt=today, tally__participants__gt=F("tally__submitted"))


def sessions_with_followup(sessions):
    """Counts for follow-up, all in SQL so they can be filtered and ordered:
    ``participant_count``, ``aar_count``, ``draft_count``, ``invited_count``,
    ``missing_count``, ``is_overdue`` and ``urgency``."""
    today = timezone.localdate()
    return sessions.annotate(
        participant_count=F("tally__participants"),
        aar_count=F("tally__submitted"),
        draft_count=F("tally__drafts"),
        invited_count=F("tally__invited"),
        missing_count=F("tally__participants") - F("tally__submitted"),
    ).annotate(
        is_overdue=models.Case(
            models.When(overdue(today), then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        ),
        # Overdue first, then most missing, as one number; none missing scores 0.
        urgency=F("missing_count")
        * models.Case(
            models.When(aar_deadline__lt=today, then=models.Value(URGENCY_SCALE)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        ),
    )


def sessions_needing_followup(sessions, kind: str):
    """Filter ``sessions_with_followup`` rows: ``overdue``, ``missing`` (AARs missing),
    ``complete`` (every AAR in) or ``not_invited`` (nobody on the roster invited)."""
    people = Q(participant_count__gt=0)
    return sessions.filter(
        {
            "overdue": Q(is_overdue=True),
            "missing": Q(missing_count__gt=0),
            "complete": people & Q(missing_count=0),
            "not_invited": people & Q(invited_count=0),
        }[kind]
    )


def most_urgent_first(sessions):
    """Overdue sessions first, then the most AARs missing, then the newest."""
    return sessions.order_by("-urgency", "-date", "-pk")


class MostUrgentFirst:
    """The pks of ``most_urgent_first`` a page (a slice) at a time, without ordering
    every session: the order is three groups, each read in its own order, and the
    totals already say how many sessions each holds.

    1. overdue, someone missing: most missing first (the ``tally_missing`` index);
    2. not yet due, someone missing: the same;
    3. no one missing: newest first.

    A page reads only the groups it covers, so the first page usually costs one short
    query however many sessions there are."""

    def __init__(self, sessions, *, today, count: int, overdue: int, open: int):
        by_missing = ("-tally__missing", "-date", "-pk")
        missing = Q(tally__missing__gt=0)
        self.groups = [
            (sessions.filter(missing, aar_deadline__lt=today).order_by(*by_missing), overdue),
            (
                sessions.filter(missing, aar_deadline__gte=today).order_by(*by_missing),
                open - overdue,
            ),
            (sessions.filter(tally__missing__lte=0).order_by("-date", "-pk"), count - open),
        ]

    def __len__(self) -> int:
        return sum(size for _rows, size in self.groups)

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        pks: list[int] = []
        for rows, size in self.groups:
            if start < size and stop > 0:
                pks += rows.values_list("pk", flat=True)[max(start, 0) : min(stop, size)]
            start, stop = start - size, stop - size
        return pks


def missing_aar(participants):
    """No submitted AAR yet (nothing written, or only a draft)."""
    return participants.exclude(aar__status=AAR.Status.SUBMITTED)


def with_followup_status(participants):
    """Annotate ``followup_state`` (``submitted``, ``late``, ``draft`` or ``missing``, as
    ``followup_status``) and ``urgency`` (0 missing, 1 draft, 2 late, 3 submitted), in
    SQL so lists can be ordered and counted by them."""
    submitted = Q(aar__status=AAR.Status.SUBMITTED)
    late = submitted & Q(aar__submitted_at__date__gt=F("session__aar_deadline"))
    return participants.annotate(
        followup_state=models.Case(
            models.When(late, then=models.Value("late")),
            models.When(submitted, then=models.Value("submitted")),
            models.When(aar__status=AAR.Status.DRAFT, then=models.Value("draft")),
            default=models.Value("missing"),
            output_field=models.CharField(),
        ),
        urgency=models.Case(
            models.When(late, then=models.Value(2)),
            models.When(submitted, then=models.Value(3)),
            models.When(aar__status=AAR.Status.DRAFT, then=models.Value(1)),
            default=models.Value(0),
            output_field=models.IntegerField(),
        ),
    )


def followup_counts(participants) -> dict[str, int]:
    """How many are submitted, late, draft and missing: one query."""
    return with_followup_status(participants).aggregate(
        **{
            state: models.Count("pk", filter=Q(followup_state=state))
            for state in ("submitted", "late", "draft", "missing")
        }
    )


def followup_status(participant) -> str:
    """``submitted``, ``late``, ``draft`` or ``missing`` for one person. Select the AAR
    with the participant (``select_related("aar")``) in lists."""
    try:
        aar = participant.aar
    except ObjectDoesNotExist:
        return "missing"
    if aar.is_submitted:
        return "late" if aar.is_late else "submitted"
    return "draft"


# --- Dashboard totals and chart ---------------------------------------------------------


def followup_totals(sessions, today: datetime.date) -> dict:
    """Sessions, people on their rosters, AARs in, open sessions (someone missing an
    AAR) and overdue ones, of any set of sessions, from their tally rows (one query)."""
    return sessions.order_by().aggregate(
        sessions=Count("pk"),
        participants=Coalesce(Sum("tally__participants"), 0),
        aars=Coalesce(Sum("tally__submitted"), 0),
        open=Count("pk", filter=Q(tally__missing__gt=0)),
        overdue=Count("pk", filter=overdue(today)),
        commitments=Coalesce(Sum("tally__commitments"), 0),
        commitments_done=Coalesce(Sum("tally__commitments_done"), 0),
    )


def organisation_totals(organisations, today: datetime.date) -> dict:
    """The same totals for every active session of ``organisations``, without reading a
    row a session: the organisations' kept monthly totals (by AAR deadline), less the
    archived sessions, plus the sessions due earlier this month (a month's totals say
    how many are still open, not which are past their deadline day). Two queries,
    whose cost does not grow with the organisations' sessions: the commitments made and
    done are kept a month at a time too."""
    first = today.replace(day=1)
    kept = OrganisationMonth.objects.filter(organisation__in=organisations).aggregate(
        sessions=Coalesce(Sum("sessions"), 0),
        participants=Coalesce(Sum("participants"), 0),
        aars=Coalesce(Sum("submitted"), 0),
        # Not "open": the overdue sum below reads the field of that name.
        open_sessions=Coalesce(Sum("open"), 0),
        overdue=Coalesce(Sum("open", filter=Q(month__lt=first)), 0),
        commitments=Coalesce(Sum("commitments"), 0),
        commitments_done=Coalesce(Sum("commitments_done"), 0),
    )
    sessions = AssistSession.objects.filter(organiser__in=organisations)
    archived = Q(archived_at__isnull=False)
    live = (
        sessions.filter(archived | Q(aar_deadline__gte=first))
        .order_by()
        .aggregate(
            sessions=Count("pk", filter=archived),
            participants=Coalesce(Sum("tally__participants", filter=archived), 0),
            aars=Coalesce(Sum("tally__submitted", filter=archived), 0),
            open=Count("pk", filter=archived & Q(tally__missing__gt=0)),
            overdue_archived=Count("pk", filter=archived & overdue(first)),
            overdue_this_month=Count(
                "pk", filter=~archived & Q(aar_deadline__gte=first) & overdue(today)
            ),
            commitments=Coalesce(Sum("tally__commitments", filter=archived), 0),
            commitments_done=Coalesce(Sum("tally__commitments_done", filter=archived), 0),
        )
    )
    return {
        "archived": live["sessions"],
        "sessions": kept["sessions"] - live["sessions"],
        "participants": kept["participants"] - live["participants"],
        "aars": kept["aars"] - live["aars"],
        "open": kept["open_sessions"] - live["open"],
        "overdue": kept["overdue"] - live["overdue_archived"] + live["overdue_this_month"],
        "commitments": kept["commitments"] - live["commitments"],
        "commitments_done": kept["commitments_done"] - live["commitments_done"],
    }


def received_by_month(aars) -> dict[datetime.date, int]:
    """Submitted AARs counted by the month (its first day, local time) they came in."""
    rows = (
        aars.filter(status=AAR.Status.SUBMITTED, submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
        .order_by()
    )
    return {timezone.localtime(month).date(): n for month, n in rows}


def _month_start(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))


def sessions_received_by_month(sessions, first: datetime.date) -> dict[datetime.date, int]:
    """AARs received from ``first`` (a month's first day) on, in any set of sessions."""
    return received_by_month(
        AAR.objects.filter(
            participant__session__in=sessions.values("pk"), submitted_at__gte=_month_start(first)
        )
    )


def organisation_received_by_month(
    organisations, first: datetime.date, *, any_archived: bool = True
) -> dict:
    """The same for every active session of ``organisations``, from their kept monthly
    totals, less the archived sessions' AARs (not looked for when ``any_archived`` is
    False: the totals already counted none)."""
    counts = dict(
        OrganisationMonth.objects.filter(organisation__in=organisations, month__gte=first)
        .values("month")
        .annotate(n=Sum("received"))
        .values_list("month", "n")
        .order_by()
    )
    if not any_archived:
        return counts
    archived = AssistSession.objects.filter(organiser__in=organisations).archived()
    for month, n in sessions_received_by_month(archived, first).items():
        counts[month] = counts.get(month, 0) - n
    return counts
