"""Invitation emails: one person or everyone not yet invited, in each person's language."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from sessions_app import roster_services
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _invite(p):
    return reverse("sessions_app:participant_invite", args=[p.session_id, p.pk])


def _invite_all(session):
    return reverse("sessions_app:participants_invite_all", args=[session.pk])


@pytest.fixture
def dated_session(assist_session, settings):
    settings.SITE_URL = "https://peerassist.example.org"
    assist_session.date = datetime.date(2026, 11, 22)
    assist_session.aar_deadline = datetime.date(2026, 11, 29)
    assist_session.title = "Micro Peer Assist สคส. กับ สสส."
    assist_session.save()
    return assist_session


@pytest.fixture
def thai(dated_session):
    return ParticipantFactory(
        session=dated_session, full_name="น้ำฝน ศรีสุข", email="namfon@example.org", language="th"
    )


@pytest.fixture
def english(dated_session):
    return ParticipantFactory(
        session=dated_session, full_name="Jane Doe", email="jane@example.org", language="en"
    )


def test_thai_invitation_is_in_thai_with_buddhist_era_deadline_and_link(thai):
    assert roster_services.invitation_send(participant=thai) is True
    [message] = mail.outbox
    assert message.to == ["namfon@example.org"]
    assert "Micro Peer Assist สคส. กับ สสส." in message.subject
    assert "AAR" in message.subject
    assert "น้ำฝน ศรีสุข" in message.body
    assert "29 พฤศจิกายน 2569" in message.body  # the deadline, Buddhist era
    assert "22 พฤศจิกายน 2569" in message.body  # the session date
    assert f"https://peerassist.example.org/aar/{thai.token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://peerassist.example.org/aar/{thai.token}/"' in html


def test_english_invitation_is_in_english(english):
    roster_services.invitation_send(participant=english)
    [message] = mail.outbox
    assert "You are invited to write your AAR for" in message.subject
    assert "Dear Jane Doe" in message.body
    assert "29 November 2026" in message.body
    assert "2569" not in message.body
    assert f"/aar/{english.token}/" in message.body


def test_invitation_does_not_change_the_page_language(thai, english, facilitator):
    facilitator.post(_invite(english))
    html = facilitator.get(reverse("sessions_app:participant_links", args=[thai.session_id]))
    assert html.wsgi_request.LANGUAGE_CODE == "th"


def test_invitation_time_is_recorded(thai):
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC), tick=False
    ):
        roster_services.invitation_send(participant=thai)
    thai.refresh_from_db()
    assert thai.invited_at == datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)


def test_no_email_sends_nothing(dated_session):
    nobody = ParticipantFactory(session=dated_session, email="")
    assert roster_services.invitation_send(participant=nobody) is False
    assert mail.outbox == []
    nobody.refresh_from_db()
    assert nobody.invited_at is None


# Views -------------------------------------------------------------------------------


def test_anonymous_outsider_member_cannot_send(client, outsider, member, thai):
    assert client.post(_invite(thai)).status_code == 302
    assert outsider.post(_invite(thai)).status_code == 404
    assert member.post(_invite(thai)).status_code == 403
    assert outsider.post(_invite_all(thai.session)).status_code == 404
    assert member.post(_invite_all(thai.session)).status_code == 403
    assert mail.outbox == []


def test_get_is_not_allowed(facilitator, thai):
    assert facilitator.get(_invite(thai)).status_code == 405
    assert facilitator.get(_invite_all(thai.session)).status_code == 405
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editor_sends_one_invitation(request, persona, thai):
    response = request.getfixturevalue(persona).post(_invite(thai))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    thai.refresh_from_db()
    assert thai.invited_at is not None


def test_next_stays_on_our_site(facilitator, thai):
    response = facilitator.post(_invite(thai), {"next": "https://evil.example.com/"})
    assert response.url.startswith("/sessions/")
    page = reverse("sessions_app:participant_link", args=[thai.session_id, thai.pk])
    assert facilitator.post(_invite(thai), {"next": page}).url == page


def test_invite_all_sends_to_those_not_yet_invited_and_counts_the_rest(facilitator, thai, english):
    english.mark_invited()
    ParticipantFactory(session=thai.session, email="")
    ParticipantFactory(session=thai.session, email="")
    response = facilitator.post(_invite_all(thai.session), follow=True)
    assert [m.to for m in mail.outbox] == [["namfon@example.org"]]
    texts = [str(m) for m in response.context["messages"]]
    assert any("1" in t for t in texts)
    assert any("2" in t for t in texts)  # two had no email
    # A second time sends nothing more.
    facilitator.post(_invite_all(thai.session))
    assert len(mail.outbox) == 1


def test_smtp_failure_is_kept_on_the_queued_email_not_a_500(facilitator, thai, monkeypatch):
    """The worker sends, so a refused connection never reaches the request: the page
    answers, and the queued email says it failed and why (the immediate backend of the
    tests cannot wait to retry)."""
    from peerassist.models import OutgoingEmail

    def fail(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    response = facilitator.post(_invite(thai), follow=True)
    assert response.status_code == 200
    email = OutgoingEmail.objects.get(participant_pk=thai.pk)
    assert (email.status, email.kind, email.to) == ("failed", "invitation", thai.email)
    assert "connection refused" in email.last_error
