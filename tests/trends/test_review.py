"""The year in review of an organisation: who may see it, its figures against data built
by hand, impossible years, the Buddhist-era year in Thai, and a flat query count."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aar.commitments import checkback_save
from aar.method_review import method_review_save
from aar.models import Commitment
from lessons.models import Lesson, LessonStatusChange
from sessions_app.models import Membership
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    LessonFactory,
    MembershipFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2026


def url(org, year=YEAR):
    return reverse("trends:review", args=[org.pk, year])


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _session(org, day, **kwargs):
    return AssistSessionFactory(organiser=org, date=day, **kwargs)


def _person(session, *, aar=None, email=None, removed=False):
    """A person on the roster, with a submitted AAR on ``aar`` (a date) or none."""
    kwargs = {"email": email} if email else {}
    person = ParticipantFactory(session=session, **kwargs)
    if aar is not None:
        AARFactory(participant=person, submitted_at=at(aar))
    return person


@pytest.fixture
def year_data(org, other_org):
    """Two sessions of 2026 and one of 2025 for KMI, and one of 2026 of another
    organisation (not counted)."""
    march = _session(org, datetime.date(2026, 3, 10), title="วงเดือนมีนาคม")  # due 17 March
    _person(march, aar=datetime.date(2026, 3, 12))  # on time
    _person(march, aar=datetime.date(2026, 3, 17))  # on time: the deadline day itself
    _person(march, aar=datetime.date(2026, 3, 20))  # late
    _person(march)  # missing
    june = _session(org, datetime.date(2026, 6, 1), title="วงเดือนมิถุนายน")
    writer = _person(june, aar=datetime.date(2026, 6, 2))
    _person(june)
    old = _session(org, datetime.date(2025, 12, 30), title="วงปีก่อน")
    _person(old, aar=datetime.date(2026, 1, 2))
    other = _session(other_org, datetime.date(2026, 5, 1), title="วงขององค์กรอื่น")
    _person(other, aar=datetime.date(2026, 5, 2))
    # Commitments of June's writer: one done, one dropped, one not answered.
    aar = writer.aar
    done = CommitmentFactory(aar=aar, text="จัดวงเล่าเรื่องทุกเดือน")
    dropped = CommitmentFactory(aar=aar, text="เขียนคู่มือ")
    CommitmentFactory(aar=aar, text="ชวนทีมอื่นมาร่วม")
    checkback_save(
        participant=writer,
        answers={done.pk: (Commitment.Status.DONE, "ทำแล้ว"), dropped.pk: ("dropped", "")},
    )
    method_review_save(
        session=march,
        data={"worked": "เจ้าภาพเล่าก่อน", "did_not_work": "เวลาไม่พอ", "change_next": "ขอเวลาครึ่งวัน"},
        user=None,
    )
    method_review_save(
        session=june,
        data={"worked": "คุณลิขิตจดครบ", "did_not_work": "เวลาไม่พอ ถามตอบสั้น", "change_next": ""},
        user=None,
    )
    return {"march": march, "june": june, "old": old, "other": other}


# --- Who may see it ------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, org):
    for address in (url(org), reverse("trends:review_index")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsider_gets_404(outsider, org, year_data):
    assert outsider.get(url(org)).status_code == 404


def test_outsider_gets_404_even_for_an_impossible_year(outsider, org):
    # The year is checked only after the organisation: nothing says KMI exists.
    assert outsider.get(url(org, 1900)).status_code == 404
    assert b"2026" not in outsider.get(url(org, 2569)).content


def test_coordinator_and_facilitator_see_it(coordinator, facilitator, org, year_data):
    for client in (coordinator, facilitator):
        response = client.get(url(org))
        assert response.status_code == 200
        assert "วงเดือนมีนาคม" in response.content.decode()


def test_post_is_refused(coordinator, org):
    assert coordinator.post(url(org)).status_code == 405


def test_chooser_lists_only_my_organisations_and_years(coordinator, org, other_org, year_data):
    response = coordinator.get(reverse("trends:review_index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert url(org, 2026) in page and url(org, 2025) in page
    assert url(other_org, 2026) not in page
    assert "พ.ศ. 2569" in page


# --- The figures -------------------------------------------------------------------------


def test_completion_figures_count_the_years_sessions_only(coordinator, org, year_data):
    response = coordinator.get(url(org))
    c = response.context["completion"]
    assert c == {
        "sessions": 2,
        "participants": 6,
        "invited": 0,
        "submitted": 4,
        "on_time": 3,
        "late": 1,
        "missing": 2,
        "percent": 67,
        "on_time_percent": 75,
    }
    titles = [row["session"].title for row in response.context["rows"]]
    assert titles == ["วงเดือนมีนาคม", "วงเดือนมิถุนายน"]
    march = response.context["rows"][0]
    assert (march["participants"], march["submitted"], march["late"], march["percent"]) == (
        4,
        3,
        1,
        75,
    )


def test_the_late_aar_of_a_december_session_counts_in_its_sessions_year(
    coordinator, org, year_data
):
    # Held 30 December 2025, AAR in on 2 January 2026: 2025's review counts it.
    c = coordinator.get(url(org, 2025)).context["completion"]
    assert (c["sessions"], c["submitted"], c["on_time"]) == (1, 1, 1)


def test_commitment_outcomes(coordinator, org, year_data):
    c = coordinator.get(url(org)).context["commitments"]
    assert (c["made"], c["done"], c["dropped"], c["open"], c["share_done"]) == (3, 1, 1, 1, 33)


def test_method_reviews_are_grouped_by_question_with_recurring_words(coordinator, org, year_data):
    method = coordinator.get(url(org)).context["method"]
    assert method["count"] == 2
    did_not_work = next(q for q in method["questions"] if q["name"] == "did_not_work")
    assert [a["text"] for a in did_not_work["answers"]] == ["เวลาไม่พอ", "เวลาไม่พอ ถามตอบสั้น"]
    assert ("เวลา", 2) in did_not_work["recurring"]
    change = next(q for q in method["questions"] if q["name"] == "change_next")
    assert len(change["answers"]) == 1  # June left it empty


def test_top_themes_and_lessons(coordinator, org, other_org, year_data):
    made = LessonFactory(organisation=org, title="กันเวลาถามตอบ")
    moved = LessonFactory(organisation=org, title="นัดวงติดตามผล", status="validated")
    old = LessonFactory(organisation=org, title="บทเรียนปีก่อน")
    LessonFactory(organisation=other_org, title="บทเรียนขององค์กรอื่น")
    Lesson.objects.filter(pk=made.pk).update(created_at=at(datetime.date(2026, 5, 1)))
    Lesson.objects.filter(pk__in=[moved.pk, old.pk]).update(
        created_at=at(datetime.date(2025, 5, 1))
    )
    Lesson.objects.filter(organisation=other_org).update(created_at=at(datetime.date(2026, 5, 1)))
    change = LessonStatusChange.objects.create(
        lesson=moved, from_status="identified", to_status="validated"
    )
    LessonStatusChange.objects.filter(pk=change.pk).update(changed_at=at(datetime.date(2026, 2, 1)))
    response = coordinator.get(url(org))
    not_achieved = dict(response.context["themes"]["not_achieved"])
    # The factory's AAR: "ยังไม่เห็นสัญญาณการตอบรับ เพราะเวลาน้อย", four in the year.
    assert not_achieved.get("เวลา") == 4
    groups = {g["status"]: g["lessons"] for g in response.context["lessons"]["groups"]}
    assert groups["identified"] == [made]
    assert groups["validated"] == [moved]
    assert response.context["lessons"]["count"] == 2
    page = response.content.decode()
    assert "บทเรียนปีก่อน" not in page and "บทเรียนขององค์กรอื่น" not in page


def test_thai_shows_the_buddhist_year_and_english_the_christian(coordinator, org, year_data):
    thai = coordinator.get(url(org)).content.decode()
    assert "พ.ศ. 2569" in thai
    assert "10 มี.ค. 2569" in thai
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = coordinator.get(url(org), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026" in english
    assert "2569" not in english


def test_an_empty_year_says_so(coordinator, org):
    page = coordinator.get(url(org, 2020)).content.decode()
    assert "ไม่มีวงในปีนี้" in page


def test_print_stylesheet_is_linked_and_is_a4(coordinator, org):
    from pathlib import Path

    page = coordinator.get(url(org)).content.decode()
    assert "css/review.css" in page
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "review.css").read_text()
    assert "size: A4" in css and "@media print" in css


# --- Impossible years ------------------------------------------------------------------


@pytest.mark.parametrize("year", [1900, 9999, 1999, 2569])
def test_impossible_year_in_the_address_is_a_404_with_a_message(coordinator, org, year):
    response = coordinator.get(url(org, year))
    assert response.status_code == 404
    page = response.content.decode()
    assert "alert" in page
    if year == 2569:
        assert "พุทธศักราช" in page
        assert url(org, 2026) in page  # the year meant, one click away
    else:
        assert "ไม่มีรายงานทบทวนรอบปี" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1900", "ไม่มี"),
        ("9999", ""),
        ("3112", "543"),  # 543 added to a year already Buddhist era
        ("ปีนี้", ""),
    ],
)
def test_chooser_puts_the_message_beside_the_year(coordinator, org, typed, message):
    response = coordinator.get(
        reverse("trends:review_index"), {"organisation": org.pk, "year": typed}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "year" in form.errors
    page = response.content.decode()
    assert 'id="id_year"' in page and "is-invalid" in page
    assert message in form.errors["year"][0]
    assert f'value="{typed}"' in page  # what was typed stays


@pytest.mark.parametrize("typed", ["2569", "2026", "๒๕๖๙"])
def test_chooser_reads_a_thai_year_in_either_era(coordinator, org, typed):
    response = coordinator.get(
        reverse("trends:review_index"), {"organisation": org.pk, "year": typed}
    )
    assert response.status_code == 302
    assert response["Location"] == url(org, 2026)


def test_chooser_in_english_asks_for_the_christian_era_year(coordinator, org):
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator.get(
        reverse("trends:review_index"), {"organisation": org.pk, "year": "2569"}
    )
    assert response.status_code == 200
    assert "2026" in response.context["form"].errors["year"][0]


def test_chooser_redirects_to_the_review(coordinator, org):
    response = coordinator.get(
        reverse("trends:review_index"), {"organisation": org.pk, "year": "2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(org, 2026)


def test_chooser_refuses_an_organisation_that_is_not_mine(coordinator, other_org):
    response = coordinator.get(
        reverse("trends:review_index"), {"organisation": other_org.pk, "year": "2026"}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


# --- Query count ---------------------------------------------------------------------------


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(org, n):
    for i in range(n):
        session = _session(org, datetime.date(YEAR, 1 + i % 12, 5 + i))
        for k in range(3):
            person = _person(session, aar=datetime.date(YEAR, 1 + i % 12, 6 + i) if k else None)
            if k == 1:
                CommitmentFactory(aar=person.aar)
        method_review_save(session=session, data={"worked": f"ข้อ {i}"}, user=None)


def test_query_count_does_not_grow_with_the_sessions(coordinator, coordinator_user, org, other_org):
    # session and user (2), organisation (1), sessions with their tallies (1), late AARs
    # (1), themes of two parts (2), lessons (1), reviews of the method (1)
    small, large = other_org, org
    MembershipFactory(user=coordinator_user, organisation=small, role=Membership.Role.COORDINATOR)
    _fill(small, 2)
    _fill(large, 10)
    counts = [_queries(coordinator, url(o)) for o in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[0] == 9, counts


def test_chooser_query_count_does_not_grow(coordinator, org):
    _fill(org, 2)
    few = _queries(coordinator, reverse("trends:review_index"))
    for year in (2021, 2022, 2023):
        _session(org, datetime.date(year, 5, 5))
    assert _queries(coordinator, reverse("trends:review_index")) == few
