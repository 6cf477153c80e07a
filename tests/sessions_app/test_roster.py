"""Adding, editing and removing participants one at a time, and the roster partial."""

import pytest
from django.urls import reverse

from aar.models import AAR
from sessions_app.models import Participant
from tests.factories import AARFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _add(session):
    return reverse("sessions_app:participant_add", args=[session.pk])


def _edit(participant):
    return reverse("sessions_app:participant_edit", args=[participant.session_id, participant.pk])


def _remove(participant):
    return reverse("sessions_app:participant_remove", args=[participant.session_id, participant.pk])


def _data(**overrides):
    return {
        "full_name": "น้ำฝน ศรีสุข",
        "email": "Namfon@Example.org",
        "organisation": "",
        "role": "host",
        "language": "th",
        **overrides,
    }


@pytest.fixture
def person(assist_session):
    return ParticipantFactory(session=assist_session, full_name="ผู้ใหญ่ลี่", email="lee@example.org")


# Persona matrix -------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["add", "edit", "remove"])
def test_anonymous_is_sent_to_sign_in(client, person, url_name):
    url = {"add": _add(person.session), "edit": _edit(person), "remove": _remove(person)}[url_name]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(url, _data()).status_code == 302
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("url_name", ["add", "edit", "remove"])
def test_outsider_gets_404(outsider, person, url_name):
    url = {"add": _add(person.session), "edit": _edit(person), "remove": _remove(person)}[url_name]
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, _data()).status_code == 404
    person.refresh_from_db()
    assert person.full_name == "ผู้ใหญ่ลี่"


@pytest.mark.parametrize("url_name", ["add", "edit", "remove"])
def test_read_only_member_gets_403(member, person, url_name):
    url = {"add": _add(person.session), "edit": _edit(person), "remove": _remove(person)}[url_name]
    assert member.get(url).status_code == 403
    assert member.post(url, _data()).status_code == 403
    person.refresh_from_db()
    assert person.full_name == "ผู้ใหญ่ลี่"
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
@pytest.mark.parametrize("url_name", ["add", "edit", "remove"])
def test_editors_get_the_pages(request, persona, person, url_name):
    url = {"add": _add(person.session), "edit": _edit(person), "remove": _remove(person)}[url_name]
    assert request.getfixturevalue(persona).get(url).status_code == 200


def test_participant_of_another_session_is_404(facilitator, assist_session):
    elsewhere = ParticipantFactory()
    url = reverse("sessions_app:participant_edit", args=[assist_session.pk, elsewhere.pk])
    assert facilitator.get(url).status_code == 404


# Add and edit -------------------------------------------------------------------


def test_add_saves_the_person_with_a_normalised_email(facilitator, assist_session):
    host = assist_session.host
    response = facilitator.post(_add(assist_session), _data(organisation=host.pk))
    assert response.status_code == 302
    participant = assist_session.participants.get()
    assert participant.full_name == "น้ำฝน ศรีสุข"
    assert participant.email == "namfon@example.org"
    assert participant.organisation == host
    assert participant.token


def test_add_form_offers_the_host_organisation_first(facilitator, assist_session):
    response = facilitator.get(_add(assist_session))
    assert response.context["form"]["organisation"].value() == assist_session.host_id


def test_add_another_comes_back_to_the_form(facilitator, assist_session):
    response = facilitator.post(_add(assist_session), {**_data(), "add_another": "1"})
    assert response.url == _add(assist_session)


def test_email_already_on_the_roster_is_refused_beside_the_field(facilitator, person):
    response = facilitator.post(
        _add(person.session), _data(email="LEE@example.org", full_name="ใหม่")
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "ผู้ใหญ่ลี่" in response.context["form"].errors["email"][0]
    # What was typed stays.
    assert "ใหม่" in response.content.decode()
    assert person.session.participants.count() == 1


def test_email_is_optional(facilitator, assist_session):
    facilitator.post(_add(assist_session), _data(email=""))
    facilitator.post(_add(assist_session), _data(email="", full_name="คนที่สอง"))
    assert assist_session.participants.filter(email="").count() == 2


def test_blank_name_is_refused(facilitator, assist_session):
    response = facilitator.post(_add(assist_session), _data(full_name="   "))
    assert "full_name" in response.context["form"].errors
    assert not assist_session.participants.exists()


def test_edit_saves_and_keeps_own_email(facilitator, person):
    other = OrganisationFactory()
    response = facilitator.post(
        _edit(person),
        _data(
            full_name="ผู้ใหญ่ลี่ บุญมา", email="lee@example.org", organisation=other.pk, language="en"
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "ผู้ใหญ่ลี่ บุญมา"
    assert person.organisation == other
    assert person.language == "en"


def test_edit_cannot_take_someone_elses_email(facilitator, person):
    other = ParticipantFactory(session=person.session, email="other@example.org")
    response = facilitator.post(_edit(other), _data(email="lee@example.org"))
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.email == "other@example.org"


# Remove -------------------------------------------------------------------------


def test_remove_asks_first_and_get_changes_nothing(facilitator, person):
    response = facilitator.get(_remove(person))
    assert response.status_code == 200
    assert Participant.objects.filter(pk=person.pk, removed_at__isnull=True).exists()


def test_removing_someone_who_wrote_nothing_deletes_them(facilitator, person):
    response = facilitator.post(_remove(person))
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("draft", [True, False])
def test_removing_someone_with_an_aar_keeps_it_in_the_archive(facilitator, person, draft):
    aar = AARFactory(participant=person, draft=draft)
    page = facilitator.get(_remove(person)).content.decode()
    assert "alert-warning" in page
    response = facilitator.post(_remove(person))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.removed_at is not None
    assert AAR.objects.filter(pk=aar.pk).exists()
    # Off the roster, and the personal link no longer works.
    detail = facilitator.get(person.session.get_absolute_url())
    assert person not in list(detail.context["participants"])
    assert facilitator.get(person.get_aar_url()).status_code == 404


def test_model_remove_reports_whether_kept(person):
    assert person.remove() is False
    kept = ParticipantFactory()
    AARFactory(participant=kept)
    assert kept.remove() is True
    assert Participant.objects.filter(pk=kept.pk).exists()


# The roster partial on the session page ---------------------------------------------


def test_roster_shows_each_person_with_aar_status(facilitator, assist_session):
    ParticipantFactory(session=assist_session, full_name="ไม่มี AAR", email="")
    AARFactory(participant=ParticipantFactory(session=assist_session, full_name="ร่าง"), draft=True)
    done = ParticipantFactory(session=assist_session, full_name="ส่งแล้ว", language="en")
    AARFactory(participant=done)
    html = facilitator.get(assist_session.get_absolute_url()).content.decode()
    for text in (
        "ไม่มี AAR",
        "ร่าง",
        "ส่งแล้ว",
        done.email,
        "ภาษาอังกฤษ",  # the person's language, in the reader's
        "text-bg-success",
        "text-bg-warning",
    ):
        assert text in html, text
    assert _edit(done) in html
    assert _remove(done) in html
    assert reverse("sessions_app:participant_links", args=[assist_session.pk]) in html


def test_read_only_member_sees_the_roster_without_edit_links(member, person):
    html = member.get(person.session.get_absolute_url()).content.decode()
    assert "ผู้ใหญ่ลี่" in html
    assert _edit(person) not in html
    assert _remove(person) not in html
    assert reverse("sessions_app:participant_links", args=[person.session_id]) not in html


def test_empty_roster_says_so(facilitator, assist_session):
    html = facilitator.get(assist_session.get_absolute_url()).content.decode()
    assert "empty-state" in html
    assert _add(assist_session) in html
