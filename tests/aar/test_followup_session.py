"""The per-session follow-up page and its reminder buttons."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aar.models import ReminderLog
from peerassist.mail import queue_email
from sessions_app.models import AssistSession, Participant
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def url(session):
    return reverse("followup:session", args=[session.pk])


@pytest.fixture
def person(assist_session):
    return ParticipantFactory(session=assist_session, full_name="ยังไม่เขียน")


def post_urls(session, person):
    return [
        reverse("followup:remind_all", args=[session.pk]),
        reverse("followup:remind_one", args=[session.pk, person.pk]),
        reverse("followup:reminder_copied", args=[session.pk, person.pk]),
    ]


def test_page_persona_matrix(client, outsider, member, coordinator, facilitator, assist_session):
    response = client.get(url(assist_session))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url(assist_session)).status_code == 404
    for persona in (member, coordinator, facilitator):
        assert persona.get(url(assist_session)).status_code == 200


def test_reminder_buttons_persona_matrix(
    client, outsider, member, facilitator, coordinator, assist_session, person
):
    for target in post_urls(assist_session, person):
        response = client.post(target)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert outsider.post(target).status_code == 404
        assert coordinator.get(target).status_code == 405  # a GET never sends anything
        # Reading follow-up is open to every member; reminding needs edit rights.
        assert member.post(target).status_code == 403
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    for target in post_urls(assist_session, person):
        assert facilitator.post(target).status_code == 302
    # The facilitator reminded everyone missing (one email), was then stopped by the
    # 24-hour rule on "send reminder", and logged a copied reminder.
    assert [m.to for m in mail.outbox] == [[person.email]]
    person.refresh_from_db()
    assert person.reminders_sent == 2
    assert sorted(ReminderLog.objects.values_list("channel", flat=True)) == ["copied", "email"]


@pytest.mark.parametrize("name", ["remind_all", "remind_one", "reminder_copied"])
def test_read_only_member_cannot_send_or_log_reminders(member, assist_session, person, name):
    args = [assist_session.pk] if name == "remind_all" else [assist_session.pk, person.pk]
    response = member.post(reverse(f"followup:{name}", args=args))
    assert response.status_code == 403
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    person.refresh_from_db()
    assert person.reminders_sent == 0


def test_erase_link_is_shown_to_coordinators_only(coordinator, facilitator, assist_session, person):
    erase = reverse("followup:participant_erase", args=[assist_session.pk, person.pk])
    response = coordinator.get(url(assist_session))
    assert response.context["can_erase"] is True
    assert erase in response.content.decode()
    response = facilitator.get(url(assist_session))
    assert not response.context["can_erase"]
    assert erase not in response.content.decode()


def test_an_erased_person_keeps_their_row_without_link_or_reminder(coordinator, assist_session):
    from aar.services import participant_erase

    erased = participant_erase(
        participant=ParticipantFactory(session=assist_session), erased_by=None
    )
    response = coordinator.get(url(assist_session))
    assert [p.pk for p in response.context["participants"]] == [erased.pk]
    assert response.context["counts"]["missing"] == 1
    html = response.content.decode()
    assert erased.full_name in html
    assert erased.get_aar_url() not in html
    assert reverse("followup:remind_one", args=[assist_session.pk, erased.pk]) not in html


def test_reminder_for_a_participant_of_another_session_is_404(coordinator, assist_session, org):
    from tests.factories import AssistSessionFactory

    other = ParticipantFactory(session=AssistSessionFactory(organiser=org))
    target = reverse("followup:remind_one", args=[assist_session.pk, other.pk])
    assert coordinator.post(target).status_code == 404
    assert mail.outbox == []


def test_each_participant_shows_status_invites_and_reminders(coordinator, assist_session):
    done = ParticipantFactory(session=assist_session, full_name="ส่งแล้ว")
    AARFactory(participant=done)
    late = ParticipantFactory(session=assist_session, full_name="ส่งช้า")
    AARFactory(participant=late, submitted_at=timezone.now() + datetime.timedelta(days=30))
    drafting = ParticipantFactory(
        session=assist_session,
        full_name="ร่างอยู่",
        invited_at=timezone.now(),
        reminders_sent=2,
        last_reminded_at=timezone.now(),
    )
    AARFactory(participant=drafting, draft=True)
    ParticipantFactory(session=assist_session, full_name="ยังไม่เขียน")
    gone = ParticipantFactory(session=assist_session, full_name="ออกไปแล้ว")
    AARFactory(participant=gone, draft=True)
    gone.remove()
    response = coordinator.get(url(assist_session))
    rows = [(p.full_name, p.followup_state) for p in response.context["participants"]]
    # Most urgent first: missing, then drafts, then late, then submitted.
    assert rows == [
        ("ยังไม่เขียน", "missing"),
        ("ร่างอยู่", "draft"),
        ("ส่งช้า", "late"),
        ("ส่งแล้ว", "submitted"),
    ]
    assert response.context["counts"] == {"submitted": 1, "late": 1, "draft": 1, "missing": 1}
    assert response.context["missing_total"] == 2
    html = response.content.decode()
    assert drafting.get_aar_url() in html
    assert "ออกไปแล้ว" not in html  # removed from the roster
    assert "ล่าสุด" in html  # when the last reminder went


def test_send_reminders_to_everyone_missing_says_who_was_skipped(coordinator, assist_session):
    ParticipantFactory(session=assist_session, full_name="มีอีเมล", language="en")
    ParticipantFactory(session=assist_session, full_name="ไม่มีอีเมล", email="")
    AARFactory(participant=ParticipantFactory(session=assist_session, full_name="ส่งแล้ว"))
    response = coordinator.post(
        reverse("followup:remind_all", args=[assist_session.pk]), follow=True
    )
    html = response.content.decode()
    assert "ไม่มีอีเมล" in html and "ไม่มีที่อยู่อีเมล" in html
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Reminder" in message.subject  # in the participant's language
    assert Participant.objects.get(full_name="มีอีเมล").get_absolute_aar_url() in message.body
    log = ReminderLog.objects.get()
    assert log.channel == "email" and log.sent_by.username == "coordinator"

    # Within 24 hours nobody is reminded again, and the page says so.
    response = coordinator.post(
        reverse("followup:remind_all", args=[assist_session.pk]), follow=True
    )
    assert len(mail.outbox) == 1
    assert "เตือนไปแล้วเมื่อไม่ถึง 24 ชั่วโมง" in response.content.decode()


def test_everyone_in_says_so(coordinator, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session))
    response = coordinator.post(
        reverse("followup:remind_all", args=[assist_session.pk]), follow=True
    )
    assert mail.outbox == []
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_remind_one_and_copied_reminder_are_logged(coordinator, assist_session, person):
    response = coordinator.post(reverse("followup:remind_one", args=[assist_session.pk, person.pk]))
    assert response.status_code == 302 and response["Location"] == url(assist_session)
    coordinator.post(reverse("followup:reminder_copied", args=[assist_session.pk, person.pk]))
    person.refresh_from_db()
    assert person.reminders_sent == 2
    channels = ReminderLog.objects.order_by("sent_at", "pk").values_list("channel", flat=True)
    assert list(channels) == ["email", "copied"]


def test_copied_reminder_logged_in_the_background_answers_204(coordinator, assist_session, person):
    response = coordinator.post(
        reverse("followup:reminder_copied", args=[assist_session.pk, person.pk]),
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 204
    assert ReminderLog.objects.get().channel == "copied"


def test_reminder_text_for_chat_has_the_link_and_a_copy_button(coordinator, assist_session, person):
    html = coordinator.get(url(assist_session)).content.decode()
    assert person.get_absolute_aar_url() in html
    assert "js-copy" in html and "js/followup.js" in html
    assert reverse("followup:reminder_copied", args=[assist_session.pk, person.pk]) in html


def test_closed_session_gets_no_reminder(coordinator, assist_session, person):
    assist_session.status = AssistSession.Status.CLOSED
    assist_session.save()
    response = coordinator.post(
        reverse("followup:remind_all", args=[assist_session.pk]), follow=True
    )
    assert mail.outbox == []
    assert "ยังไม่เขียน" in response.content.decode()
    assert "วงนี้ปิดรับ AAR แล้ว" in response.content.decode()  # skipped, and why


def test_empty_roster(coordinator, assist_session):
    response = coordinator.get(url(assist_session))
    assert response.context["participants"] == []
    assert reverse("followup:remind_all", args=[assist_session.pk]) not in response.content.decode()


@pytest.mark.parametrize("people", [5, 50])
def test_query_count_is_the_same_for_5_and_50_participants(
    coordinator, assist_session, people, django_assert_num_queries
):
    for i in range(people):
        p = ParticipantFactory(session=assist_session)
        if i % 3 == 1:
            AARFactory(participant=p)
        elif i % 3 == 2:
            AARFactory(participant=p, draft=True)
        if i % 2:
            p.mark_invited()
            queue_email(
                _email(p),
                key=f"q{i}",
                kind="invitation",
                session_pk=assist_session.pk,
                participant_pk=p.pk,
            )
    # auth session + user (2), session with the can-edit check (1),
    # roster with AARs and statuses (1), the latest emails (1), status counts (1),
    # the session's question set, which the ready reminder text lists (1)
    with django_assert_num_queries(7):
        assert coordinator.get(url(assist_session)).status_code == 200


def _email(person):
    from django.core.mail import EmailMultiAlternatives

    return EmailMultiAlternatives("เชิญเขียน AAR", "ลิงก์", to=[person.email])


def test_each_person_shows_whether_their_latest_email_went(
    coordinator, assist_session, monkeypatch
):
    """The worker's outcome is visible: sent, or failed with the reason."""
    sent, failing = ParticipantFactory.create_batch(2, session=assist_session)
    queue_email(
        _email(sent),
        key="a",
        kind="invitation",
        session_pk=assist_session.pk,
        participant_pk=sent.pk,
    )

    def fail(*args, **kwargs):
        raise OSError("mailbox unavailable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    queue_email(
        _email(failing),
        key="b",
        kind="invitation",
        session_pk=assist_session.pk,
        participant_pk=failing.pk,
    )
    html = coordinator.get(url(assist_session)).content.decode()
    rows = {
        p.full_name: html[html.index(p.full_name) : html.index(p.full_name) + 3000]
        for p in (sent, failing)
    }
    assert "อีเมลล่าสุด: ส่งแล้ว" in rows[sent.full_name]
    assert "อีเมลล่าสุด: ส่งไม่สำเร็จ" in rows[failing.full_name]
    assert "mailbox unavailable" in rows[failing.full_name]
