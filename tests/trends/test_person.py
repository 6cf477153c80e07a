"""A person's history across sessions: one email across rosters, only the sessions the
viewer may see, AARs on time or late, commitments made and done, a flat query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aar.commitments import checkback_save
from aar.models import Commitment
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "malee@example.org"


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20)))


def url(person):
    return reverse("trends:person", args=[person.pk])


@pytest.fixture
def history(org, other_org):
    """มาลี in three of KMI's sessions (on time, late, none) and one of another
    organisation's that KMI's people may not see."""
    first = AssistSessionFactory(organiser=org, date=datetime.date(2026, 3, 1), title="วงแรก")
    second = AssistSessionFactory(organiser=org, date=datetime.date(2026, 5, 1), title="วงที่สอง")
    third = AssistSessionFactory(organiser=org, date=datetime.date(2026, 7, 1), title="วงที่สาม")
    hidden = AssistSessionFactory(
        organiser=other_org, date=datetime.date(2026, 6, 1), title="วงที่มองไม่เห็น"
    )
    one = ParticipantFactory(session=first, email=EMAIL, full_name="มาลี ทองดี")
    AARFactory(participant=one, submitted_at=at(datetime.date(2026, 3, 3)))  # on time
    two = ParticipantFactory(session=second, email="Malee@Example.org ", full_name="มาลี ท.")
    AARFactory(participant=two, submitted_at=at(datetime.date(2026, 5, 20)))  # late
    ParticipantFactory(session=third, email=EMAIL, full_name="มาลี ทองดี")  # none
    secret = ParticipantFactory(session=hidden, email=EMAIL, full_name="มาลี ทองดี")
    AARFactory(participant=secret, submitted_at=at(datetime.date(2026, 6, 2)))
    CommitmentFactory(aar=secret.aar, text="ความลับขององค์กรอื่น")
    done = CommitmentFactory(aar=one.aar, text="จัดวงเล่าเรื่อง")
    CommitmentFactory(aar=one.aar, text="เขียนคู่มือ")
    CommitmentFactory(aar=two.aar, text="ชวนทีมอื่น")
    checkback_save(participant=one, answers={done.pk: (Commitment.Status.DONE, "ทำแล้ว")})
    ParticipantFactory(session=first, email="someone@example.org", full_name="คนอื่น")
    return {"one": one, "two": two, "secret": secret}


def test_anonymous_is_sent_to_sign_in(client, history):
    response = client.get(url(history["one"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_outsider_gets_404(outsider, history):
    assert outsider.get(url(history["one"])).status_code == 404


def test_someone_who_cannot_see_the_session_gets_404_for_its_row(coordinator, history):
    # The same person's row in the other organisation's session is not ours to open.
    assert coordinator.get(url(history["secret"])).status_code == 404


def test_coordinator_and_member_see_the_history(coordinator, member, history):
    for client in (coordinator, member):
        assert client.get(url(history["one"])).status_code == 200


def test_post_is_refused(coordinator, history):
    assert coordinator.post(url(history["one"])).status_code == 405


def test_history_across_sessions_of_one_email(coordinator, history):
    response = coordinator.get(url(history["two"]))
    rows = response.context["history"]
    assert [r["participant"].session.title for r in rows] == ["วงที่สาม", "วงที่สอง", "วงแรก"]
    assert [r["state"] for r in rows] == ["missing", "late", "on_time"]
    assert [(r["made"], r["done"]) for r in rows] == [(0, 0), (1, 0), (2, 1)]
    assert response.context["totals"] == {
        "sessions": 3,
        "written": 2,
        "on_time": 1,
        "late": 1,
        "drafts": 0,
        "missing": 1,
        "made": 3,
        "done": 1,
    }
    page = response.content.decode()
    assert "วงที่มองไม่เห็น" not in page and "ความลับขององค์กรอื่น" not in page
    assert "คนอื่น" not in page
    assert "มาลี ทองดี" in page  # the other spelling of the name is named
    assert "1 มี.ค. 2569" in page  # Thai dates in the Buddhist era


def test_a_person_without_email_is_only_their_own_row(coordinator, org, history):
    session = AssistSessionFactory(organiser=org)
    nobody = ParticipantFactory(session=session, email="", full_name="สมชาย ใจดี")
    ParticipantFactory(session=AssistSessionFactory(organiser=org), email="", full_name="อีกคน")
    response = coordinator.get(url(nobody))
    assert [r["participant"].pk for r in response.context["history"]] == [nobody.pk]
    assert "ไม่มีอีเมลในรายชื่อ" in response.content.decode()


def test_a_draft_is_not_written(coordinator, org):
    session = AssistSessionFactory(organiser=org)
    person = ParticipantFactory(session=session)
    AARFactory(participant=person, draft=True)
    totals = coordinator.get(url(person)).context["totals"]
    assert (totals["written"], totals["drafts"]) == (0, 1)


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_sessions(coordinator, org):
    # session and user (2), the person's row (1), their rows with sessions and AARs (1),
    # their commitments counted (1)
    def person_in(n, email):
        rows = []
        for i in range(n):
            session = AssistSessionFactory(organiser=org, date=datetime.date(2026, 1 + i % 12, 1))
            row = ParticipantFactory(session=session, email=email)
            AARFactory(participant=row, submitted_at=at(datetime.date(2026, 1 + i % 12, 2 + i % 9)))
            CommitmentFactory(aar=row.aar)
            rows.append(row)
        return rows[0]

    few, many = person_in(2, "few@example.org"), person_in(10, "many@example.org")
    counts = [_queries(coordinator, url(p)) for p in (few, many)]
    assert counts[0] == counts[1], counts
    assert counts[0] == 5, counts


def test_the_follow_up_session_page_links_each_person_to_their_history(coordinator, history):
    session = history["one"].session
    page = coordinator.get(reverse("followup:session", args=[session.pk])).content.decode()
    assert url(history["one"]) in page
