"""A year in review of one organisation, a "retro of retros" (issue 20, item 4): the year's
sessions, their completion figures, the top themes and the lessons, what became of the
commitments, and what the method reviews keep saying.

Scope: the organisations a person belongs to, as the follow-up dashboard counts them
(``AssistSession.objects.for_user``: the sessions an organisation organised are seen by
its members, coordinators and facilitators alike). An organisation outside them is a 404.

A fixed number of queries, whatever the number of sessions (``year_review``): the
sessions with their tally rows, the submitted AARs on time and late by session, the two
parts' top themes, the lessons changed in the year and the method reviews.
"""

import datetime
from collections import Counter

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst

from aar.models import AAR, MethodReview
from lessons.models import Lesson, LessonStatusChange
from lessons.themes import NEXT_STEPS, NOT_ACHIEVED, theme_words, top_themes
from peerassist.dates import BE_YEARS, BUDDHIST_ERA_OFFSET
from sessions_app.models import AssistSession, Organisation, Participant

FIRST_YEAR = 2000
TOP_THEMES = 10
# A word of the method reviews is "recurring" once this many of the year's reviews use it.
RECURRING_MIN = 2
RECURRING_MAX = 8


class BadYear(ValueError):
    """A year no review can be about: ``code`` says why ("buddhist_era" or "range")."""

    def __init__(self, code: str, year: int):
        super().__init__(code)
        self.code = code
        self.year = year


def last_year() -> int:
    """The latest year a review may be asked for: next year (sessions planned ahead)."""
    return timezone.localdate().year + 1


def check_year(year: int) -> int:
    """``year`` if it is a Christian-era year with a review to show; else ``BadYear``:
    a Buddhist-era year (2569 typed for 2026) or one out of range (1900, 9999)."""
    if FIRST_YEAR <= year <= last_year():
        return year
    if year in BE_YEARS and FIRST_YEAR <= year - BUDDHIST_ERA_OFFSET <= last_year():
        raise BadYear("buddhist_era", year)
    raise BadYear("range", year)


def organisations_for(user):
    """The organisations whose year ``user`` may review: those they belong to, in any
    role (the follow-up dashboard's scope)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def get_organisation_for_user(request, pk: int) -> Organisation:
    """The one way the review's views load an organisation: outsiders get 404."""
    return get_object_or_404(organisations_for(request.user), pk=pk)


def years_with_data(user) -> dict[int, list[tuple[int, int]]]:
    """{organisation pk: [(year, sessions that year), ...] newest first} over the
    sessions ``user`` may see, archived ones too: one grouped query."""
    rows = (
        AssistSession.objects.for_user(user)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values_list("organiser_id", "year")
        .annotate(n=Count("pk"))
    )
    years: dict[int, list[tuple[int, int]]] = {}
    for organiser_id, year, n in rows:
        years.setdefault(organiser_id, []).append((year, n))
    for found in years.values():
        found.sort(reverse=True)
    return years


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _sessions(organisation, start, end) -> list[AssistSession]:
    """The year's sessions (by the day they were held, archived ones too), oldest first,
    with their host and kept counts (one query)."""
    return list(
        AssistSession.objects.filter(organiser=organisation, date__gte=start, date__lt=end)
        .select_related("host", "tally")
        .only(
            "title",
            "date",
            "aar_deadline",
            "status",
            "archived_at",
            "host__name",
            "host__name_en",
            "host__short_name",
            "tally__participants",
            "tally__invited",
            "tally__submitted",
            "tally__drafts",
            "tally__commitments",
            "tally__commitments_done",
            "tally__commitments_partly",
            "tally__commitments_not_yet",
            "tally__commitments_dropped",
        )  # fmt: skip
        .order_by("date", "pk")
    )


def _late_by_session(session_ids) -> dict[int, int]:
    """Submitted AARs of people on the roster that came after the end of the deadline day
    (Bangkok), by session (one grouped query)."""
    rows = (
        Participant.objects.filter(
            session_id__in=session_ids, removed_at__isnull=True, aar__status=AAR.Status.SUBMITTED
        )
        .order_by()
        .values_list("session_id")
        .annotate(
            late=Count("pk", filter=Q(aar__submitted_at__date__gt=F("session__aar_deadline")))
        )
    )
    return dict(rows)


COMMITMENT_FIGURES = ("made", "done", "partly", "not_yet", "dropped", "open")


def _commitments(sessions) -> dict:
    """What became of the commitments made in the year's sessions: sums of their kept
    counts (no query), ``open`` being those with no answer yet."""
    made = sum(s.tally.commitments for s in sessions)
    done = sum(s.tally.commitments_done for s in sessions)
    partly = sum(s.tally.commitments_partly for s in sessions)
    not_yet = sum(s.tally.commitments_not_yet for s in sessions)
    dropped = sum(s.tally.commitments_dropped for s in sessions)
    return {
        "made": made,
        "done": done,
        "partly": partly,
        "not_yet": not_yet,
        "dropped": dropped,
        "open": made - done - partly - not_yet - dropped,
        "share_done": _percent(done, made),
    }


def _lessons(organisation, start, end) -> dict:
    """The organisation's lessons made or moved during the year, by their status now
    (one query), in the order of the steps."""
    changed = LessonStatusChange.objects.filter(
        lesson__organisation=organisation, changed_at__gte=_aware(start), changed_at__lt=_aware(end)
    ).values("lesson_id")
    rows = (
        Lesson.objects.filter(
            Q(pk__in=changed)
            | Q(
                organisation=organisation, created_at__gte=_aware(start), created_at__lt=_aware(end)
            )
        )
        .only("title", "status", "updated_at")
        .order_by("title", "pk")
    )
    by_status = {status: [] for status in Lesson.Status.values}
    for lesson in rows:
        by_status.setdefault(lesson.status, []).append(lesson)
    labels = dict(Lesson.Status.choices)
    return {
        "groups": [
            {"status": status, "label": labels.get(status, status), "lessons": found}
            for status, found in by_status.items()
        ],
        "count": sum(len(found) for found in by_status.values()),
    }


def _method_reviews(session_ids) -> dict:
    """The year's reviews of the method (one query): each question's answers, session by
    session, and the words that come back in at least ``RECURRING_MIN`` reviews."""
    reviews = list(
        MethodReview.objects.filter(session_id__in=session_ids)
        .select_related("session")
        .only("session__title", "session__date", *MethodReview.FIELDS)
        .order_by("session__date", "session_id")
    )
    questions = []
    for name in MethodReview.FIELDS:
        answers = [
            {"session": review.session, "text": getattr(review, name).strip()}
            for review in reviews
            if getattr(review, name).strip()
        ]
        words = Counter()
        for answer in answers:
            words.update(theme_words(answer["text"]))
        recurring = [
            (word, n)
            for word, n in sorted(words.items(), key=lambda item: (-item[1], item[0]))
            if n >= RECURRING_MIN
        ][:RECURRING_MAX]
        label = capfirst(MethodReview._meta.get_field(name).verbose_name)
        questions.append({"name": name, "label": label, "answers": answers, "recurring": recurring})
    return {"count": len(reviews), "questions": questions}


def year_review(organisation: Organisation, year: int) -> dict:
    """Everything the year-in-review page shows (a fixed number of queries)."""
    start, end = _year_bounds(year)
    sessions = _sessions(organisation, start, end)
    late = _late_by_session([s.pk for s in sessions])
    rows = []
    for s in sessions:
        counts = s.tally
        s_late = late.get(s.pk, 0)
        rows.append(
            {
                "session": s,
                "participants": counts.participants,
                "submitted": counts.submitted,
                "late": s_late,
                "on_time": counts.submitted - s_late,
                "missing": counts.participants - counts.submitted,
                "percent": _percent(counts.submitted, counts.participants),
                "commitments": counts.commitments,
                "commitments_done": counts.commitments_done,
            }
        )
    participants = sum(r["participants"] for r in rows)
    submitted = sum(r["submitted"] for r in rows)
    late_total = sum(r["late"] for r in rows)
    completion = {
        "sessions": len(rows),
        "participants": participants,
        "invited": sum(s.tally.invited for s in sessions),
        "submitted": submitted,
        "on_time": submitted - late_total,
        "late": late_total,
        "missing": participants - submitted,
        "percent": _percent(submitted, participants),
        "on_time_percent": _percent(submitted - late_total, submitted),
    }
    return {
        "year": year,
        "year_be": year + BUDDHIST_ERA_OFFSET,
        "rows": rows,
        "completion": completion,
        "themes": {
            "not_achieved": top_themes(
                organisation, start, end - datetime.timedelta(days=1), NOT_ACHIEVED, TOP_THEMES
            ),
            "next_steps": top_themes(
                organisation, start, end - datetime.timedelta(days=1), NEXT_STEPS, TOP_THEMES
            ),
        },
        "lessons": _lessons(organisation, start, end),
        "commitments": _commitments(sessions),
        "method": _method_reviews([s.pk for s in sessions]),
    }
