"""The synthesis page ("what we learned") and its print stylesheet."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def url(session):
    return reverse("followup:synthesis", args=[session.pk])


@pytest.fixture
def shared_and_private(assist_session):
    assist_session.summary = "ข้อสรุปของวง"
    assist_session.advice = "ให้ทุกคนเขียน AAR ลง blog"
    assist_session.save()
    shared = AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="คนแบ่งปัน", role="host"),
        goal="เป้าหมายที่แบ่งปัน",
    )
    private = AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="คนส่วนตัว"),
        goal="เป้าหมายส่วนตัวลับ",
        sharing="organisers",
    )
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=True, goal="ร่างยังไม่ส่ง")
    return shared, private


def test_persona_matrix(client, outsider, member, coordinator, facilitator, assist_session):
    response = client.get(url(assist_session))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url(assist_session)).status_code == 404
    for persona in (member, coordinator, facilitator):
        assert persona.get(url(assist_session)).status_code == 200
    assert coordinator.post(url(assist_session)).status_code == 405


def test_summary_advice_then_answers_grouped_by_question(
    member, assist_session, shared_and_private
):
    response = member.get(url(assist_session))
    html = response.content.decode()
    assert (
        html.index("ข้อสรุปของวง")
        < html.index("ให้ทุกคนเขียน AAR ลง blog")
        < html.index("เป้าหมายที่แบ่งปัน")
    )
    questions = response.context["questions"]
    assert [q["name"] for q in questions] == ["goal", "achieved", "not_achieved", "next_steps"]
    goals = [text for _writer, text in questions[0]["answers"]]
    assert sorted(goals) == sorted(["เป้าหมายที่แบ่งปัน", "เป้าหมายส่วนตัวลับ"])  # no drafts
    assert "ร่างยังไม่ส่ง" not in html
    # Each answer carries its writer's name and role.
    assert html.count("คนแบ่งปัน") >= 4 and "ทีมเจ้าภาพ" in html


def test_organisers_see_private_ones_marked_private(member, assist_session, shared_and_private):
    _shared, private = shared_and_private
    response = member.get(url(assist_session))
    html = response.content.decode()
    assert "เป้าหมายส่วนตัวลับ" in html
    assert html.count("ส่วนตัว: เฉพาะทีมผู้จัด") == 4  # once under each of the four questions
    marked = [
        (writer["name"], text)
        for writer, text in response.context["questions"][0]["answers"]
        if writer["private"]
    ]
    assert marked == [(private.participant.full_name, private.goal)]


def test_late_aar_is_marked_late(member, assist_session):
    AARFactory(
        participant=ParticipantFactory(session=assist_session),
        submitted_at=timezone.now() + datetime.timedelta(days=30),
    )
    assert "ส่งช้า" in member.get(url(assist_session)).content.decode()


def test_empty_state(member, assist_session):
    response = member.get(url(assist_session))
    assert response.context["aars"] == []
    assert "ยังไม่มีใครส่ง AAR" in response.content.decode()


def test_print_stylesheet_makes_an_a4_report(member, assist_session):
    html = member.get(url(assist_session)).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    css = (ROOT / "static/css/print.css").read_text()
    assert "@page { size: A4" in css and "@media print" in css
    assert ".no-print" in css


@pytest.mark.parametrize("people", [5, 50])
def test_query_count_is_the_same_for_5_and_50_aars(
    member, assist_session, people, django_assert_num_queries
):
    for i in range(people):
        AARFactory(
            participant=ParticipantFactory(session=assist_session),
            sharing="organisers" if i % 2 else "participants",
        )
    # auth session + user (2), session with the can-edit check (1), AARs with
    # writers (1), peers, once for the page and the blog copy (1), the
    # recommendations with the host's responses (1), the review of the method (1)
    with django_assert_num_queries(7):
        response = member.get(url(assist_session))
    assert len(response.context["aars"]) == people
