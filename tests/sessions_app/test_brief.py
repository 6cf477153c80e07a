"""The host's brief (issue 17, item 1): written by the session's editors before it is
held, shown on the session page and in the invitations."""

import pytest
from django.core import mail
from django.urls import reverse

from sessions_app import roster_services
from sessions_app.forms import BRIEF_MAX_LENGTH
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

BRIEF = {
    "brief_problem": "ทีมงานแลกเปลี่ยนเรียนรู้กันน้อย",
    "brief_learn": "อยากรู้ว่าองค์กรอื่นเริ่มวงเล่าเรื่องอย่างไร",
    "brief_outcome": "ได้แนวทางเริ่มวงเล็กๆ ภายในเดือนหน้า",
    "brief_questions": "เริ่มจากใคร?\nใช้เวลาเท่าไร?",
    "brief_reading": "อ่านก่อน: https://example.org/km-guide",
}


def _url(session):
    return reverse("sessions_app:session_brief", args=[session.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("client", 302),
        ("outsider", 404),
        ("member", 403),
        ("facilitator", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_write_the_brief(request, assist_session, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(_url(assist_session)).status_code == status
    response = client.post(_url(assist_session), BRIEF)
    assert response.status_code == (302 if status == 200 else status)
    assist_session.refresh_from_db()
    assert assist_session.has_brief is (status == 200)


def test_the_brief_is_saved_as_typed_and_shown_on_the_session_page(facilitator, assist_session):
    response = facilitator.post(_url(assist_session), BRIEF, follow=True)
    assist_session.refresh_from_db()
    assert assist_session.brief_questions == "เริ่มจากใคร?\nใช้เวลาเท่าไร?"
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#brief")
    assert "ทีมงานแลกเปลี่ยนเรียนรู้กันน้อย" in html
    assert 'href="https://example.org/km-guide"' in html  # the link is a link
    assert "บันทึกโจทย์ของเจ้าภาพแล้ว" in html  # the message, in Thai


def test_an_empty_brief_has_an_empty_state_and_a_link_to_write_it(
    facilitator, member, assist_session
):
    html = facilitator.get(assist_session.get_absolute_url()).content.decode()
    assert "ยังไม่มีโจทย์ของเจ้าภาพ" in html and _url(assist_session) in html
    # A read-only member sees the brief's place, not the link to write it.
    assert (
        _url(assist_session) not in member.get(assist_session.get_absolute_url()).content.decode()
    )


def test_too_long_is_refused_beside_the_field_and_nothing_is_saved(facilitator, assist_session):
    data = {**BRIEF, "brief_reading": "ก" * (BRIEF_MAX_LENGTH + 1)}
    response = facilitator.post(_url(assist_session), data)
    assert response.status_code == 200
    assert "brief_reading" in response.context["form"].errors
    html = response.content.decode()
    assert "ทีมงานแลกเปลี่ยนเรียนรู้กันน้อย" in html  # what was typed stays
    assist_session.refresh_from_db()
    assert not assist_session.has_brief


def test_the_invitation_carries_the_brief(assist_session):
    for name, value in BRIEF.items():
        setattr(assist_session, name, value)
    assist_session.save()
    person = ParticipantFactory(session=assist_session, email="peer@example.org", language="th")
    roster_services.invitation_send(participant=person)
    [message] = mail.outbox
    assert "โจทย์ของเจ้าภาพ" in message.body and "เริ่มจากใคร?" in message.body
    html, _mime = message.alternatives[0]
    assert 'href="https://example.org/km-guide"' in html and "ใช้เวลาเท่าไร?" in html


def test_an_invitation_without_a_brief_says_nothing_of_it(assist_session):
    person = ParticipantFactory(session=assist_session, email="peer@example.org", language="en")
    roster_services.invitation_send(participant=person)
    assert "brief" not in mail.outbox[0].body.lower()


@pytest.mark.parametrize("lines", [1, 200])
def test_the_brief_page_and_the_session_page_cost_the_same_queries_however_long_the_brief(
    facilitator, assist_session, lines, django_assert_num_queries
):
    for name in BRIEF:
        setattr(assist_session, name, "\n".join(["บรรทัด https://example.org/"] * lines))
    assist_session.save()
    # auth session + user (2); the session with the editor's rights (1)
    with django_assert_num_queries(3):
        assert facilitator.get(_url(assist_session)).status_code == 200
    # The brief rides on the session's row: the session page's count is unchanged (its 7th
    # query is the lessons the session drew on, lessons/_session_reused.html).
    with django_assert_num_queries(7):
        assert facilitator.get(assist_session.get_absolute_url()).status_code == 200
