import pytest
from django.core import mail
from django.urls import reverse

from aar.models import ReminderLog
from sessions_app.models import AssistSession
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def url(session):
    return reverse("followup:session", args=[session.pk])


def test_persona_matrix(client, outsider, member, coordinator, facilitator, assist_session):
    assert client.get(url(assist_session)).status_code == 302
    assert outsider.get(url(assist_session)).status_code == 404
    for persona in (member, coordinator, facilitator):
        assert persona.get(url(assist_session)).status_code == 200
    remind = reverse("followup:remind_all", args=[assist_session.pk])
    assert coordinator.get(remind).status_code == 405
    assert outsider.post(remind).status_code == 404


def test_each_participant_shows_status_invites_and_reminders(coordinator, assist_session):
    done = ParticipantFactory(session=assist_session, full_name="ส่งแล้ว")
    AARFactory(participant=done)
    drafting = ParticipantFactory(session=assist_session, full_name="ร่างอยู่")
    AARFactory(participant=drafting, draft=True)
    ParticipantFactory(session=assist_session, full_name="ยังไม่เขียน")
    response = coordinator.get(url(assist_session))
    statuses = {p.full_name: p.followup_status for p in response.context["participants"]}
    assert statuses == {"ส่งแล้ว": "submitted", "ร่างอยู่": "draft", "ยังไม่เขียน": "missing"}
    html = response.content.decode()
    assert drafting.get_aar_url() in html


def test_send_reminders_to_everyone_missing_says_who_was_skipped(coordinator, assist_session):
    ParticipantFactory(session=assist_session, full_name="มีอีเมล", language="en")
    ParticipantFactory(session=assist_session, full_name="ไม่มีอีเมล", email="")
    AARFactory(participant=ParticipantFactory(session=assist_session, full_name="ส่งแล้ว"))
    response = coordinator.post(reverse("followup:remind_all", args=[assist_session.pk]), follow=True)
    html = response.content.decode()
    assert "ไม่มีอีเมล" in html and "ไม่มีที่อยู่อีเมล" in html
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Reminder" in message.subject  # in the participant's language
    assert ParticipantFactory._meta.model.objects.get(full_name="มีอีเมล").get_absolute_aar_url() in message.body
    log = ReminderLog.objects.get()
    assert log.channel == "email" and log.sent_by.username == "coordinator"

    # Within 24 hours nobody is reminded again, and the page says so.
    response = coordinator.post(reverse("followup:remind_all", args=[assist_session.pk]), follow=True)
    assert len(mail.outbox) == 1
    assert "เตือนไปแล้วเมื่อไม่ถึง 24 ชั่วโมง" in response.content.decode()


def test_remind_one_and_copied_reminder_are_logged(coordinator, assist_session):
    person = ParticipantFactory(session=assist_session)
    coordinator.post(reverse("followup:remind_one", args=[assist_session.pk, person.pk]))
    coordinator.post(reverse("followup:reminder_copied", args=[assist_session.pk, person.pk]))
    person.refresh_from_db()
    assert person.reminders_sent == 2
    assert list(ReminderLog.objects.order_by("sent_at", "pk").values_list("channel", flat=True)) == ["email", "copied"]


def test_reminder_text_for_chat_has_the_link(coordinator, assist_session):
    person = ParticipantFactory(session=assist_session)
    html = coordinator.get(url(assist_session)).content.decode()
    assert person.get_absolute_aar_url() in html


def test_closed_session_gets_no_reminder(coordinator, assist_session):
    ParticipantFactory(session=assist_session)
    assist_session.status = AssistSession.Status.CLOSED
    assist_session.save()
    coordinator.post(reverse("followup:remind_all", args=[assist_session.pk]))
    assert mail.outbox == []


@pytest.mark.parametrize("people", [5, 50])
def test_query_count_is_the_same_for_5_and_50_participants(coordinator, assist_session, people, django_assert_num_queries):
    for i in range(people):
        p = ParticipantFactory(session=assist_session)
        if i % 2:
            AARFactory(participant=p)
    # auth session + user (2), session (1), can-edit check (1), roster with AARs (1)
    with django_assert_num_queries(5):
        assert coordinator.get(url(assist_session)).status_code == 200
