"""The session page: everything about the session, in the layout of the source post."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AARFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _url(session):
    return reverse("sessions_app:session_detail", args=[session.pk])


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    response = client.get(_url(assist_session))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_outsider_gets_404(outsider, assist_session):
    assert outsider.get(_url(assist_session)).status_code == 404


def test_missing_session_is_404(facilitator):
    assert facilitator.get(reverse("sessions_app:session_detail", args=[999999])).status_code == 404


def test_read_only_member_sees_the_page_without_edit_buttons(member, assist_session):
    response = member.get(_url(assist_session))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    html = response.content.decode()
    assert reverse("sessions_app:session_edit", args=[assist_session.pk]) not in html
    assert reverse("sessions_app:session_delete", args=[assist_session.pk]) not in html


def test_read_only_member_is_not_shown_the_walkin_screen_or_code(member, assist_session):
    html = member.get(_url(assist_session)).content.decode()
    assert reverse("sessions_app:walkin_screen", args=[assist_session.pk]) not in html
    assert reverse("sessions_app:walkin_qr", args=[assist_session.pk]) not in html
    assert assist_session.walkin_code not in html


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_are_offered_the_walkin_screen(request, persona, assist_session):
    html = request.getfixturevalue(persona).get(_url(assist_session)).content.decode()
    assert reverse("sessions_app:walkin_screen", args=[assist_session.pk]) in html


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_see_edit_and_delete(request, persona, assist_session):
    response = request.getfixturevalue(persona).get(_url(assist_session))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    html = response.content.decode()
    assert reverse("sessions_app:session_edit", args=[assist_session.pk]) in html
    assert reverse("sessions_app:session_delete", args=[assist_session.pk]) in html


def test_editors_are_offered_archive_once_there_are_aars(facilitator, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=True)
    html = facilitator.get(_url(assist_session)).content.decode()
    assert reverse("sessions_app:session_archive", args=[assist_session.pk]) in html
    assert reverse("sessions_app:session_delete", args=[assist_session.pk]) not in html


def test_page_shows_everything_about_the_session(facilitator, settings, assist_session, org):
    helper = OrganisationFactory(name="กรมอนามัย", name_en="Department of Health", short_name="อน.")
    assist_session.peers.add(helper)
    assist_session.context = "บริบท\nบรรทัดที่สอง"
    assist_session.summary = "สรุปของคุณอำนวย"
    assist_session.advice = "คำแนะนำ"
    assist_session.source_url = "https://www.gotoknow.org/posts/123"
    assist_session.place = "https://meet.example.org/abc"
    assist_session.date = datetime.date(2026, 11, 22)
    assist_session.aar_deadline = datetime.date(2026, 11, 29)
    assist_session.save()
    response = facilitator.get(_url(assist_session))
    html = response.content.decode()
    for text in (
        assist_session.title,
        "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ",  # who hosted
        "กรมอนามัย",  # who helped
        org.name,
        assist_session.purpose,
        "บริบท\nบรรทัดที่สอง",
        "สรุปของคุณอำนวย",
        "คำแนะนำ",
        'href="https://www.gotoknow.org/posts/123"',
        'href="https://meet.example.org/abc"',
        "22 พฤศจิกายน 2569",  # date, Buddhist era
        "29 พฤศจิกายน 2569",  # AAR deadline
        "09:00",
        'class="pre-wrap',
        'id="roster-heading"',  # the roster partial is included
    ):
        assert text in html, text
    facilitator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = facilitator.get(_url(assist_session)).content.decode()
    assert "Department of Health" in english
    assert "22 November 2026" in english
    assert "Who helped" in english


def test_place_that_is_not_a_link_is_plain_text(facilitator, assist_session):
    html = facilitator.get(_url(assist_session)).content.decode()
    assert "ห้องประชุม 1" in html
    assert 'href="ห้องประชุม 1"' not in html


def test_roster_gets_active_participants_with_their_aars(facilitator, assist_session):
    kept = ParticipantFactory(session=assist_session, full_name="ข")
    first = ParticipantFactory(session=assist_session, full_name="ก")
    ParticipantFactory(session=assist_session, full_name="ค", removed_at=timezone.now())
    response = facilitator.get(_url(assist_session))
    assert list(response.context["participants"]) == [first, kept]
    assert response.context["session"] == assist_session


def test_archived_session_is_still_reachable(member, assist_session):
    assist_session.archive()
    response = member.get(_url(assist_session))
    assert response.status_code == 200
    assert "alert-warning" in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_page_runs_the_same_number_of_queries(
    facilitator, assist_session, django_assert_num_queries, count
):
    for i, participant in enumerate(ParticipantFactory.create_batch(count, session=assist_session)):
        if i % 2:
            AARFactory(participant=participant)
    # 1 session, 2 user, 3 the session with organiser/host/facilitator and the
    # coordinator check, 4 peers, 5 participants with organisation and AAR (someone on
    # the roster has an AAR, so the editor's archive-or-delete needs no query of its own),
    # 6 the lessons it drew on (lessons/_session_reused.html, each with its lesson).
    with django_assert_num_queries(6):
        response = facilitator.get(_url(assist_session))
    assert response.status_code == 200
    assert len(response.context["participants"]) == count
    assert response.context["has_aars"] is True


@pytest.mark.parametrize(
    "writer", ["nobody", "on the roster", "taken off the roster"], ids=lambda w: w
)
def test_an_aar_anywhere_in_the_session_means_archive_not_delete(
    facilitator, assist_session, writer
):
    ParticipantFactory(session=assist_session)
    if writer != "nobody":
        person = ParticipantFactory(session=assist_session)
        AARFactory(participant=person, draft=True)
        if writer == "taken off the roster":
            person.remove()
    assert facilitator.get(_url(assist_session)).context["has_aars"] is (writer != "nobody")


def test_roster_links_are_the_reversed_urls(facilitator, assist_session):
    people = ParticipantFactory.create_batch(3, session=assist_session)
    html = facilitator.get(_url(assist_session)).content.decode()
    for person in people:
        for name in ("participant_link", "participant_edit", "participant_remove"):
            url = reverse(f"sessions_app:{name}", args=[assist_session.pk, person.pk])
            assert f'href="{url}"' in html
