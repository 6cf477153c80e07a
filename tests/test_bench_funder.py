"""The funder's benchmark (bench/funder.py, issue 20): its data generator at a tiny size
makes what it says and leaves every kept count true, and its report replaces only its
own section of BENCHMARKS.md."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from aar import commitments
from aar.models import AAR, Commitment, CommitmentAnswer
from bench import funder, funder_data
from lessons.models import Lesson, LessonStatusChange, ThemeCount
from sessions_app import tally
from sessions_app.models import AssistSession, Membership, OrganisationMonth, Participant

pytestmark = pytest.mark.django_db

TINY = {"organisations": 3, "sessions": 30, "people": 6, "months": 6}


@pytest.fixture
def made():
    return funder_data.generate(**TINY)


def test_the_generator_makes_what_it_says(made):
    assert made["organisations"] == 3
    assert made["sessions"] == AssistSession.objects.count() == 30
    assert made["participants"] == Participant.objects.count() == 30 * 6
    assert made["aars"] == AAR.objects.count()
    assert made["submitted"] == AAR.objects.filter(status="submitted").count()
    assert 0 < made["submitted"] < made["participants"]
    assert made["commitments"] == Commitment.objects.count() > 0
    assert made["checkback_answers"] == CommitmentAnswer.objects.count()
    assert made["lessons"] == Lesson.objects.count() > 0
    assert made["lesson_status_changes"] == LessonStatusChange.objects.count()
    # Every session within the six months up to this month, none ahead of today.
    today = timezone.localdate()
    oldest = funder_data.add_months(today.replace(day=1), -5)
    dates = AssistSession.objects.values_list("date", flat=True)
    assert min(dates) >= oldest and max(dates) <= today
    # The two users: one coordinates every organisation, the other one.
    bench = Membership.objects.filter(user__username=funder_data.BENCH_USER, role="coordinator")
    assert bench.count() == 3
    assert Membership.objects.filter(user__username=funder_data.ONE_ORG_USER).count() == 1
    # The person of many sessions and the person of one.
    assert Participant.objects.filter(email=funder_data.ONCE_EMAIL).count() == 1
    assert Participant.objects.filter(email=funder_data.BUSY_EMAIL).count() == 3


def test_late_aars_are_counted_as_made(made):
    late = [
        aar
        for aar in AAR.objects.filter(status="submitted").select_related("participant__session")
        if timezone.localdate(aar.submitted_at) > aar.participant.session.aar_deadline
    ]
    assert made["late"] == len(late)


def test_the_kept_counts_are_true(made):
    """The tallies, the organisations' months, the commitments' and check-backs' counts
    agree with a fresh count, as ``recount_followup`` checks them."""
    assert tally.sessions_kept() == tally.counted()
    assert tally.months_kept() == tally.months_counted()
    assert commitments.kept() == commitments.counted()
    assert tally.checkbacks_kept() == tally.checkbacks_counted()
    call_command("recount_followup")  # raises CommandError when they disagree
    months = OrganisationMonth.objects.aggregate(
        sessions=Sum("sessions"), participants=Sum("participants"), submitted=Sum("submitted")
    )
    on_roster = AAR.objects.filter(status="submitted", participant__removed_at__isnull=True)
    assert months == {
        "sessions": 30,
        "participants": 30 * 6,
        "submitted": on_roster.count(),
    }
    assert ThemeCount.objects.exists()


def test_lessons_and_their_changes_spread_over_the_months(made):
    months = {
        timezone.localdate(moment).replace(day=1)
        for moment in Lesson.objects.values_list("created_at", flat=True)
    }
    assert len(months) > 1
    for change in LessonStatusChange.objects.select_related("lesson"):
        assert change.changed_at >= change.lesson.created_at
        assert change.changed_at <= timezone.now()


def test_the_section_replaces_only_its_own(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\nabove\n")
    start, end = funder.MARKS
    funder.write(path, f"{start}\nfirst\n{end}")
    assert path.read_text() == f"# Benchmarks\n\nabove\n\n{start}\nfirst\n{end}\n"
    path.write_text(path.read_text() + "\nbelow\n")
    funder.write(path, f"{start}\nsecond\n{end}")
    text = path.read_text()
    assert "first" not in text and "second" in text
    assert text.startswith("# Benchmarks\n\nabove\n") and text.endswith("\nbelow\n")


def test_the_table_marks_a_miss_and_a_changing_count():
    def row(page, p50, queries, *, target=False, smaller=None):
        return {
            "page": page,
            "p50": p50,
            "p95": p50,
            "queries": queries,
            "inprocess_ms": p50,
            "target": target,
            "smaller": smaller,
        }

    result = {
        "database": "sqlite",
        "rows": [
            row(funder.HEALTHZ, 2.0, 0),
            row(funder.ADMIN, 100.0, 6),
            row("fast", 10.0, 5, target=True, smaller={"queries": 5, "what": "one"}),
            row("slow", 30.0, 5, target=True, smaller={"queries": 6, "what": "one"}),
        ],
    }
    text, misses, changing = funder.table(result)
    assert [m.split(" (")[0] for m in misses] == ["slow"]
    assert [c.split(" (")[0] for c in changing] == ["slow"]
    assert "| fast | 10.0 |" in text and "| yes |" in text and "**MISSED**" in text


def test_a_new_month_means_building_again():
    december = funder._params(datetime.date(2026, 12, 31))
    assert december == funder._params(datetime.date(2026, 12, 1))
    assert funder._params(datetime.date(2027, 1, 1)) != december
