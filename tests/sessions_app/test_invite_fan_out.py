"""Invite all: the request enqueues one task and answers at once; the task renders and
queues each invitation once, however often it runs."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from peerassist.models import OutgoingEmail
from sessions_app import roster_services
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _invite_all(session):
    return reverse("sessions_app:participants_invite_all", args=[session.pk])


@pytest.fixture
def roster(assist_session):
    people = ParticipantFactory.create_batch(3, session=assist_session)
    written = ParticipantFactory(session=assist_session)
    AARFactory(participant=written)
    return {
        "to_invite": people,
        "written": written,
        "no_email": ParticipantFactory(session=assist_session, email=""),
        "removed": ParticipantFactory(session=assist_session, removed_at=timezone.now()),
    }


def test_the_request_only_enqueues_one_task(facilitator, roster, settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    session = roster["written"].session
    response = facilitator.post(_invite_all(session), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    texts = [str(m) for m in response.context["messages"]]
    assert "3 invitations are on their way." in texts
    [result] = default_task_backend.results
    assert result.task.name == "invitations_fan_out"
    assert result.args == [session.pk]
    # Nothing rendered or queued in the request itself.
    assert OutgoingEmail.objects.count() == 0
    assert not session.participants.filter(invited_at__isnull=False).exists()


def test_nothing_to_invite_enqueues_nothing(facilitator, assist_session, settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    facilitator.post(_invite_all(assist_session))
    assert default_task_backend.results == []


def test_the_task_invites_each_uninvited_person_once(roster):
    session = roster["written"].session
    assert roster_services.invitations_fan_out.call(session.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in roster["to_invite"])
    # Run again (a retry, or a second click's task): nobody is invited twice.
    assert roster_services.invitations_fan_out.call(session.pk) == 0
    assert len(mail.outbox) == 3
    assert OutgoingEmail.objects.filter(kind="invitation").count() == 3
    invited = set(
        session.participants.filter(invited_at__isnull=False).values_list("pk", flat=True)
    )
    assert invited == {p.pk for p in roster["to_invite"]}


def test_a_deleted_session_queues_nothing(assist_session):
    pk = assist_session.pk
    assist_session.delete()
    assert roster_services.invitations_fan_out.call(pk) == 0
    assert mail.outbox == []


def test_through_the_page_everyone_gets_their_invitation(facilitator, roster):
    session = roster["written"].session
    facilitator.post(_invite_all(session))
    assert len(mail.outbox) == 3
    facilitator.post(_invite_all(session), follow=True)
    assert len(mail.outbox) == 3
