"""A person stops their own reminder emails: the link in every reminder (a page that
works without JavaScript), or one click in their mail program (RFC 8058)."""

import pytest
from django.core import mail
from django.urls import reverse

from aar.followup import reminder_send
from tests.factories import AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return ParticipantFactory(session=AssistSessionFactory())


def url(person):
    return reverse("aar:stop_emails", args=[person.token])


def test_the_page_asks_then_stops_with_one_button_without_javascript(client, person):
    page = client.get(url(person)).content.decode()
    assert "หยุดส่งอีเมลเหล่านี้" in page and '<form method="post">' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    person.refresh_from_db()
    assert person.emails_stopped_at is None  # a GET (a link preview) stops nothing
    page = client.post(url(person)).content.decode()
    person.refresh_from_db()
    assert person.emails_stopped_at is not None
    assert "จะไม่มีอีเมลเกี่ยวกับวงนี้ส่งถึงคุณอีก" in page


def test_one_click_from_the_mail_program_stops_them_without_a_csrf_token(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(url(person), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.emails_stopped_at is not None


def test_a_link_stops_only_its_own_person_and_an_unknown_link_is_404(client, person):
    other = ParticipantFactory(session=person.session)
    client.post(url(person))
    other.refresh_from_db()
    assert other.emails_stopped_at is None
    assert client.post("/aar/not-a-real-token-xxxxxxxxxxxxxxx/stop-emails/").status_code == 404


def test_a_removed_person_gets_the_friendly_404(client, person):
    from tests.factories import AARFactory

    AARFactory(participant=person, draft=True)
    person.remove()
    assert client.get(url(person)).status_code == 404


def test_reminders_carry_the_link_and_header_and_then_skip_the_person(person):
    result = reminder_send(participants=[person])
    assert result.sent == [person]
    message = mail.outbox[0]
    assert url(person) in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith(url(person) + ">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    person.stop_emails()
    person.last_reminded_at = None
    person.save()
    result = reminder_send(participants=[person])
    assert result.sent == [] and result.skipped == [(person, "stopped")]
    assert len(mail.outbox) == 1
