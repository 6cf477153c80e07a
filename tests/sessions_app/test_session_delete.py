"""Deleting a session without AARs, archiving one with AARs; confirmation before both."""

import pytest
from django.urls import reverse

from aar.models import AAR
from sessions_app.models import AssistSession, Participant
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _url(name, session):
    return reverse(f"sessions_app:{name}", args=[session.pk])


@pytest.mark.parametrize("name", ["session_delete", "session_archive", "session_unarchive"])
def test_anonymous_is_sent_to_sign_in(client, assist_session, name):
    response = client.post(_url(name, assist_session))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert AssistSession.objects.filter(pk=assist_session.pk, archived_at=None).exists()


@pytest.mark.parametrize("name", ["session_delete", "session_archive", "session_unarchive"])
def test_outsider_gets_404(outsider, assist_session, name):
    assert outsider.post(_url(name, assist_session)).status_code == 404
    assert AssistSession.objects.filter(pk=assist_session.pk, archived_at=None).exists()


@pytest.mark.parametrize("name", ["session_delete", "session_archive", "session_unarchive"])
def test_read_only_member_gets_403(member, assist_session, name):
    assert member.post(_url(name, assist_session)).status_code == 403
    if name != "session_unarchive":
        assert member.get(_url(name, assist_session)).status_code == 403
    assert AssistSession.objects.filter(pk=assist_session.pk, archived_at=None).exists()


def test_unarchive_is_post_only(facilitator, assist_session):
    assist_session.archive()
    assert facilitator.get(_url("session_unarchive", assist_session)).status_code == 405
    assist_session.refresh_from_db()
    assert assist_session.archived_at is not None


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_delete_asks_for_confirmation_first(request, persona, assist_session):
    response = request.getfixturevalue(persona).get(_url("session_delete", assist_session))
    assert response.status_code == 200
    assert "sessions_app/session_confirm_delete.html" in [t.name for t in response.templates]
    assert AssistSession.objects.filter(pk=assist_session.pk).exists()


def test_session_without_aars_is_deleted_with_its_roster(facilitator, settings, assist_session):
    ParticipantFactory.create_batch(2, session=assist_session)
    facilitator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = facilitator.post(_url("session_delete", assist_session), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sessions_app:home")
    assert "was deleted" in response.content.decode()
    assert not AssistSession.objects.filter(pk=assist_session.pk).exists()
    assert not Participant.objects.exists()


@pytest.mark.parametrize("draft", [True, False])
def test_session_with_aars_cannot_be_deleted(facilitator, assist_session, draft):
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=draft)
    page = facilitator.get(_url("session_delete", assist_session))
    assert page.context["has_aars"] is True
    assert _url("session_archive", assist_session) in page.content.decode()
    response = facilitator.post(_url("session_delete", assist_session))
    assert response.status_code == 302
    assert response.url == _url("session_archive", assist_session)
    assert AssistSession.objects.filter(pk=assist_session.pk).exists()
    assert AAR.objects.count() == 1


def test_aar_of_someone_removed_from_the_roster_still_blocks_delete(facilitator, assist_session):
    from django.utils import timezone

    AARFactory(participant=ParticipantFactory(session=assist_session, removed_at=timezone.now()))
    facilitator.post(_url("session_delete", assist_session))
    assert AssistSession.objects.filter(pk=assist_session.pk).exists()


def test_archive_asks_for_confirmation_then_archives(facilitator, settings, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session))
    page = facilitator.get(_url("session_archive", assist_session))
    assert page.status_code == 200
    assert "sessions_app/session_confirm_archive.html" in [t.name for t in page.templates]
    assist_session.refresh_from_db()
    assert assist_session.archived_at is None

    facilitator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = facilitator.post(_url("session_archive", assist_session), follow=True)
    assert response.redirect_chain[-1][0] == assist_session.get_absolute_url()
    assert "The session was archived" in response.content.decode()
    assist_session.refresh_from_db()
    assert assist_session.archived_at is not None
    assert AAR.objects.count() == 1
    home = facilitator.get(reverse("sessions_app:home"))
    assert assist_session.title not in home.content.decode()


def test_archiving_twice_changes_nothing(coordinator, assist_session):
    assist_session.archive()
    first = assist_session.archived_at
    coordinator.post(_url("session_archive", assist_session))
    assist_session.refresh_from_db()
    assert assist_session.archived_at == first


def test_unarchive_brings_it_back(facilitator, assist_session):
    assist_session.archive()
    response = facilitator.post(_url("session_unarchive", assist_session))
    assert response.status_code == 302
    assist_session.refresh_from_db()
    assert assist_session.archived_at is None
