"""The Peer Assist's own steps brought together (issue 17): the synthesis and its print
view hold the brief, the recommendations with the host's responses and the review of
the method; the recommendations export; the participant's pages link to the page
before the session and show the host's responses after it; "My goal" starts from the
expectation; the session page links every step; the emails list the session's own
questions."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aar.method_review import method_review_save
from aar.models import AuditEntry, QuestionSet, Recommendation, SessionQuestionSet
from aar.recommendations import recommendation_add, response_save
from aar.services import participant_erase
from sessions_app import roster_services
from sessions_app.models import Participant
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(assist_session, other_org):
    assist_session.peers.add(other_org)
    return ParticipantFactory(
        session=assist_session, role=Participant.Role.PEER, organisation=other_org
    )


@pytest.fixture
def owner(assist_session):
    return ParticipantFactory(session=assist_session, role=Participant.Role.HOST)


def _recommend(session, n, *, peer=None, owner=None, respond=True):
    rows = []
    for i in range(n):
        r = recommendation_add(session=session, text=f"ข้อเสนอที่ {i} ✨", given_by=peer, theme="ทีม")
        if respond and owner is not None:
            response_save(
                recommendation=r,
                response=Recommendation.Response.NOT_ADOPTED if i % 2 else "adopt",
                reason="งบไม่พอ" if i % 2 else "",
                owner=owner,
            )
        rows.append(r)
    return rows


# --- The synthesis and its print view ----------------------------------------------------


def test_the_synthesis_holds_the_brief_the_responses_and_the_review(
    facilitator, facilitator_user, assist_session, peer, owner
):
    assist_session.brief_problem = "ทีมแลกเปลี่ยนกันน้อย"
    assist_session.save()
    _recommend(assist_session, 2, peer=peer, owner=owner)
    method_review_save(
        session=assist_session,
        data={"worked": "เปิดวงด้วยเรื่องเล่า", "did_not_work": "", "change_next": "เวลามากขึ้น"},
        user=facilitator_user,
    )
    html = facilitator.get(reverse("followup:synthesis", args=[assist_session.pk])).content
    html = html.decode()
    for text in ("ทีมแลกเปลี่ยนกันน้อย", "ข้อเสนอที่ 0 ✨", "งบไม่พอ", "เปิดวงด้วยเรื่องเล่า"):
        assert text in html
    assert 'media="print"' in html  # the print view is the same page, printed
    assert "นำไปใช้" in html  # the response, in Thai


def test_the_synthesis_says_when_there_is_nothing_yet(facilitator, assist_session):
    html = facilitator.get(reverse("followup:synthesis", args=[assist_session.pk])).content
    assert "ยังไม่มีการบันทึกข้อเสนอแนะ" in html.decode()


@pytest.mark.parametrize("count", [2, 200])
def test_the_synthesis_takes_the_same_queries_with_200_recommendations(
    facilitator, assist_session, peer, owner, count, django_assert_num_queries
):
    _recommend(assist_session, count, peer=peer, owner=owner, respond=False)
    Recommendation.objects.filter(session=assist_session).update(
        response="adopt", response_owner=owner, responded_at=timezone.now()
    )
    # auth session + user (2), session (1), AARs (1), peers (1), recommendations with
    # givers and owners (1), the review of the method (1), and the session's question
    # set, read from the session as no AAR is in yet (1)
    with django_assert_num_queries(8):
        response = facilitator.get(reverse("followup:synthesis", args=[assist_session.pk]))
    assert response.content.decode().count("ข้อเสนอที่") == count


# --- The recommendations export ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_recommendations_export_has_the_responses(
    coordinator, assist_session, peer, owner, fmt
):
    rows = _recommend(assist_session, 2, peer=peer, owner=owner)
    Recommendation.objects.filter(pk=rows[0].pk).update(text='=HYPERLINK("x")')
    response = coordinator.get(
        reverse("followup:recommendations_export", args=[assist_session.pk, fmt])
    )
    assert response.status_code == 200
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        table = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert len(table) == 3
    first, second = table[1], table[2]
    assert first[1].startswith("'=")  # a formula is never run by the spreadsheet
    assert peer.full_name in first and owner.full_name in first
    assert "ไม่นำไปใช้" in second and "งบไม่พอ" in second
    assert AuditEntry.objects.filter(detail=f"recommendations {fmt}").count() == 1


def test_the_recommendations_export_is_404_to_outsiders(outsider, assist_session):
    url = reverse("followup:recommendations_export", args=[assist_session.pk, "csv"])
    assert outsider.get(url).status_code == 404


# --- The participant's pages -------------------------------------------------------------


def test_before_the_session_the_aar_page_links_to_the_page_before(client, assist_session):
    assist_session.date = timezone.localdate() + datetime.timedelta(days=3)
    assist_session.save()
    person = ParticipantFactory(session=assist_session)
    html = client.get(reverse("aar:entry", args=[person.token])).content.decode()
    assert reverse("aar:before", args=[person.token]) in html


def test_after_the_session_the_link_shows_the_hosts_responses(client, assist_session, peer, owner):
    _recommend(assist_session, 2, peer=peer, owner=owner)
    html = client.get(reverse("aar:entry", args=[peer.token])).content.decode()
    assert reverse("aar:before", args=[peer.token]) not in html  # the day has passed
    assert "ข้อเสนอที่ 1 ✨" in html and "งบไม่พอ" in html
    AARFactory(participant=peer)
    thanks = client.get(reverse("aar:thanks", args=[peer.token])).content.decode()
    assert "งบไม่พอ" in thanks


def test_a_recommendation_without_a_response_is_not_shown_to_participants(
    client, assist_session, peer, owner
):
    _recommend(assist_session, 1, peer=peer, respond=False)
    html = client.get(reverse("aar:entry", args=[peer.token])).content.decode()
    assert "ข้อเสนอที่ 0" not in html


def test_my_goal_starts_from_the_expectation_and_shows_it_beside(client, assist_session):
    person = ParticipantFactory(session=assist_session, expectation="อยากรู้วิธีเปิดวง")
    html = client.get(reverse("aar:entry", args=[person.token])).content.decode()
    assert html.count("อยากรู้วิธีเปิดวง") == 2  # in the box, and beside it
    assert 'id="expectation"' in html


def test_an_aar_already_begun_is_not_overwritten_by_the_expectation(client, assist_session):
    person = ParticipantFactory(session=assist_session, expectation="อยากรู้วิธีเปิดวง")
    AARFactory(participant=person, goal="เป้าหมายที่เขียนเอง", draft=True)
    html = client.get(reverse("aar:entry", args=[person.token])).content.decode()
    assert "เป้าหมายที่เขียนเอง" in html
    assert html.count("อยากรู้วิธีเปิดวง") == 1  # only beside, for comparison


def test_the_expectation_is_erased_with_the_person_and_is_in_their_data(
    client, coordinator_user, assist_session
):
    person = ParticipantFactory(session=assist_session, expectation="อยากรู้วิธีเปิดวง")
    data = client.get(reverse("aar:my_data_json", args=[person.token])).json()
    assert data["participant"]["expectation"] == "อยากรู้วิธีเปิดวง"
    participant_erase(participant=person, erased_by=coordinator_user)
    person.refresh_from_db()
    assert person.expectation == ""


# --- The session page links every step --------------------------------------------------


def test_the_session_page_links_each_step_for_editors(facilitator, assist_session):
    html = facilitator.get(assist_session.get_absolute_url()).content.decode()
    for name in ("followup:recommendations", "followup:synthesis", "followup:session"):
        assert reverse(name, args=[assist_session.pk]) in html
    for name in ("followup:session_question_set", "followup:method_review"):
        assert reverse(name, args=[assist_session.pk]) in html


def test_readers_are_not_shown_links_to_editors_pages(member, assist_session):
    html = member.get(assist_session.get_absolute_url()).content.decode()
    assert reverse("followup:recommendations", args=[assist_session.pk]) in html
    assert reverse("followup:method_review", args=[assist_session.pk]) not in html
    assert reverse("followup:session_question_set", args=[assist_session.pk]) not in html


# --- The emails list the session's own questions ---------------------------------------


def test_the_invitation_lists_the_armys_questions_and_links_the_page_before(assist_session):
    assist_session.date = timezone.localdate() + datetime.timedelta(days=7)
    assist_session.aar_deadline = assist_session.date + datetime.timedelta(days=7)
    assist_session.save()
    SessionQuestionSet.objects.create(
        session=assist_session, question_set=QuestionSet.objects.get(slug="army")
    )
    person = ParticipantFactory(session=assist_session)
    roster_services.invitation_send(participant=person)
    body = mail.outbox[-1].body
    assert "1. อะไรคือสิ่งที่ควรจะเกิดขึ้น" in body
    assert "เป้าหมายของฉัน" not in body
    assert reverse("aar:before", args=[person.token]) in body


def test_the_invitation_after_the_session_has_the_four_parts_and_no_page_before(
    assist_session,
):
    person = ParticipantFactory(session=assist_session)
    roster_services.invitation_send(participant=person)
    body = mail.outbox[-1].body
    assert "4. " in body and "อะไรคือสิ่งที่ควรจะเกิดขึ้น" not in body
    assert reverse("aar:before", args=[person.token]) not in body


@pytest.mark.parametrize("count", [2, 200])
def test_the_session_page_takes_the_same_queries_with_200_recommendations(
    facilitator, assist_session, peer, owner, count, django_assert_num_queries
):
    """The session page links the recommendations (it is in sessions_app, which reads
    nothing of the AAR app): 200 recommendations with responses cost it nothing."""
    _recommend(assist_session, count, peer=peer, owner=owner, respond=False)
    Recommendation.objects.filter(session=assist_session).update(
        response="adapt", response_owner=owner, responded_at=timezone.now()
    )
    # (6, and a 7th for the lessons the session drew on: lessons/_session_reused.html.)
    with django_assert_num_queries(7):
        response = facilitator.get(assist_session.get_absolute_url())
    assert (
        reverse("followup:recommendations", args=[assist_session.pk]) in response.content.decode()
    )


def test_only_the_host_team_sees_the_link_to_respond_on_their_aar_page(
    client, assist_session, peer, owner
):
    url = reverse("aar:host_responses", args=[owner.token])
    assert url in client.get(reverse("aar:entry", args=[owner.token])).content.decode()
    html = client.get(reverse("aar:entry", args=[peer.token])).content.decode()
    assert reverse("aar:host_responses", args=[peer.token]) not in html
