import pytest
from django.urls import reverse

from aar.blog import md_escape
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_and_private(assist_session):
    assist_session.summary = "ข้อสรุปของวง"
    assist_session.advice = "ให้ทุกคนเขียน AAR ลง blog"
    assist_session.save()
    shared = AARFactory(participant=ParticipantFactory(session=assist_session, full_name="คนแบ่งปัน"), goal="เป้าหมายที่แบ่งปัน")
    private = AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="คนส่วนตัว"),
        goal="เป้าหมายส่วนตัวลับ",
        sharing="organisers",
    )
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=True, goal="ร่างยังไม่ส่ง")
    return shared, private


def test_persona_matrix(client, outsider, member, assist_session):
    url = reverse("followup:synthesis", args=[assist_session.pk])
    assert client.get(url).status_code == 302
    assert outsider.get(url).status_code == 404
    assert member.get(url).status_code == 200


def test_synthesis_groups_by_question_and_marks_private(member, assist_session, shared_and_private):
    response = member.get(reverse("followup:synthesis", args=[assist_session.pk]))
    html = response.content.decode()
    assert "ข้อสรุปของวง" in html and "ให้ทุกคนเขียน AAR ลง blog" in html
    questions = response.context["questions"]
    assert [q["name"] for q in questions] == ["goal", "achieved", "not_achieved", "next_steps"]
    goals = [text for _aar, text in questions[0]["answers"]]
    assert sorted(goals) == sorted(["เป้าหมายที่แบ่งปัน", "เป้าหมายส่วนตัวลับ"])  # no drafts
    assert "ส่วนตัว: เฉพาะผู้จัด" in html
    assert "print.css" in html


def test_blog_copy_is_in_the_four_part_form_and_leaves_out_private(coordinator, assist_session, shared_and_private):
    response = coordinator.get(reverse("followup:session_blog", args=[assist_session.pk, "txt"]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    for heading in ("เป้าหมายส่วนตัว", "สิ่งที่บรรลุตามเป้าหมายในครั้งนี้", "สิ่งที่ไม่บรรลุตามเป้าหมายในครั้งนี้", "สิ่งที่จะทำต่อไป"):
        assert heading in text
    assert "เป้าหมายที่แบ่งปัน" in text and "คนแบ่งปัน" in text
    assert "เป้าหมายส่วนตัวลับ" not in text


def test_single_aar_blog_markdown_escapes_markup(coordinator, assist_session):
    participant = ParticipantFactory(session=assist_session, full_name="ผู้เขียน")
    AARFactory(participant=participant, goal="<script>alert(1)</script> [link](http://x) # heading")
    response = coordinator.get(reverse("followup:aar_blog", args=[assist_session.pk, participant.pk, "md"]))
    text = response.content.decode()
    assert "<script>" not in text and "](http" not in text
    assert "&lt;script&gt;" in text and "\\[link\\]" in text
    assert "*ผู้เขียน" in text


def test_md_escape():
    assert md_escape("*a* <b>") == "\\*a\\* &lt;b&gt;"
