"""The participant's AAR page, reached by personal link without an account."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from aar.models import AAR, AARVersion
from sessions_app.models import AssistSession
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))

FULL = {
    "goal": "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้",
    "achieved": "ได้เห็นความแตกต่างชัดเจน",
    "not_achieved": "ยังไม่เห็นการตอบรับ เพราะเวลาน้อย",
    "next_steps": "ติดตามผลหลังกิจกรรม",
    "sharing": "participants",
}


@pytest.fixture
def participant(db):
    return ParticipantFactory(session=AssistSessionFactory(summary="สรุปของคุณอำนวย"))


def url(participant):
    return reverse("aar:entry", args=[participant.token])


def post(client, participant, action="submit", **changes):
    return client.post(url(participant), {**FULL, **changes, "action": action})


def test_page_shows_the_session_context_first_in_thai_with_buddhist_era(client, participant):
    session = participant.session
    session.date = datetime.date(2026, 11, 24)
    session.save()
    response = client.get(url(participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "24 พฤศจิกายน 2569" in html
    assert session.title in html and session.purpose in html and "สรุปของคุณอำนวย" in html
    for label in ("เป้าหมายของฉัน", "สิ่งที่บรรลุ", "สิ่งที่ยังไม่บรรลุ และเพราะอะไร", "สิ่งที่จะทำต่อไป"):
        assert label in html
    assert html.index(session.purpose) < html.index("เป้าหมายของฉัน")


def test_page_opens_in_the_participants_language(client):
    participant = ParticipantFactory(language="en")
    html = client.get(url(participant)).content.decode()
    assert '<html lang="en">' in html
    assert "My goal" in html and "What I will do next" in html


def test_get_never_changes_anything(client, participant):
    client.get(url(participant))
    client.get(url(participant) + "?lang=en")
    assert not AAR.objects.exists()
    participant.refresh_from_db()
    assert participant.language == "th"


def test_draft_with_partial_text_is_saved(client, participant):
    response = post(client, participant, "draft", achieved="", not_achieved="", next_steps="")
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.status == AAR.Status.DRAFT
    assert aar.goal == FULL["goal"] and aar.achieved == ""
    assert aar.submitted_at is None
    page = client.get(url(participant)).content.decode()
    assert FULL["goal"] in page


def test_submit_missing_a_part_shows_the_error_and_keeps_the_text(client, participant):
    response = post(client, participant, "submit", not_achieved="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณาเขียน “สิ่งที่ยังไม่บรรลุ และเพราะอะไร” ก่อนส่ง" in html
    for name in ("goal", "achieved", "next_steps"):
        assert FULL[name] in html
    assert not AAR.objects.exists()


def test_submit_then_edit(client, participant):
    response = post(client, participant)
    assert response["Location"] == reverse("aar:thanks", args=[participant.token])
    aar = AAR.objects.get(participant=participant)
    assert aar.status == AAR.Status.SUBMITTED and aar.submitted_at is not None
    first_submitted = aar.submitted_at

    response = post(client, participant, "submit", next_steps="ติดตามผลทุกเดือน")
    assert response.status_code == 302
    aar.refresh_from_db()
    assert aar.next_steps == "ติดตามผลทุกเดือน"
    assert aar.submitted_at == first_submitted
    assert AARVersion.objects.filter(aar=aar).count() == 2


def test_editing_a_submitted_aar_cannot_blank_a_part(client, participant):
    post(client, participant)
    response = post(client, participant, "submit", goal="")
    assert response.status_code == 200
    assert AAR.objects.get().goal == FULL["goal"]


def test_thanks_page_shows_the_aar_as_written(client, participant):
    post(client, participant)
    html = client.get(reverse("aar:thanks", args=[participant.token])).content.decode()
    assert FULL["not_achieved"] in html
    assert reverse("aar:entry", args=[participant.token]) in html


def test_thanks_page_without_a_submitted_aar_goes_back_to_the_form(client, participant):
    response = client.get(reverse("aar:thanks", args=[participant.token]))
    assert response.status_code == 302


def test_late_submit_is_accepted_and_marked_late(client):
    session = AssistSessionFactory(
        date=datetime.date(2026, 11, 1), aar_deadline=datetime.date(2026, 11, 8)
    )
    participant = ParticipantFactory(session=session)
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=BANGKOK), tick=False):
        response = post(client, participant)
    assert response.status_code == 302
    aar = AAR.objects.get()
    assert aar.is_submitted and aar.is_late
    html = client.get(reverse("aar:thanks", args=[participant.token])).content.decode()
    assert "ส่งช้า" in html


def test_on_time_submit_is_not_late(client):
    session = AssistSessionFactory(
        date=datetime.date(2026, 11, 1), aar_deadline=datetime.date(2026, 11, 8)
    )
    participant = ParticipantFactory(session=session)
    with time_machine.travel(datetime.datetime(2026, 11, 8, 23, 0, tzinfo=BANGKOK), tick=False):
        post(client, participant)
    assert not AAR.objects.get().is_late


def test_closed_session_shows_the_aar_read_only_and_refuses_changes(client):
    participant = ParticipantFactory(
        session=AssistSessionFactory(status=AssistSession.Status.CLOSED)
    )
    AARFactory(participant=participant, goal="เดิม")
    html = client.get(url(participant)).content.decode()
    assert "ปิดรับ AAR แล้ว" in html and "เดิม" in html
    assert "<textarea" not in html
    response = post(client, participant, goal="ใหม่")
    assert response.status_code == 302
    assert AAR.objects.get().goal == "เดิม"


def test_unknown_token_is_a_friendly_404_in_both_languages(client):
    response = client.get(reverse("aar:entry", args=["no-such-token-0123456789abcdef"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบลิงก์นี้" in html and "This link does not work" in html
    assert "คุณอำนวย" in html and "facilitator" in html


def test_regenerated_token_is_404_and_the_new_one_works(client, participant):
    old = participant.token
    participant.regenerate_token()
    assert client.get(reverse("aar:entry", args=[old])).status_code == 404
    assert (
        client.post(reverse("aar:entry", args=[old]), {**FULL, "action": "submit"}).status_code
        == 404
    )
    assert not AAR.objects.exists()
    assert client.get(url(participant)).status_code == 200


def test_removed_participant_link_is_404(client, participant):
    participant.removed_at = participant.created_at
    participant.save()
    assert client.get(url(participant)).status_code == 404


def test_double_post_makes_one_aar(client, participant):
    post(client, participant)
    post(client, participant)
    assert AAR.objects.filter(participant=participant).count() == 1


def test_thai_with_combining_marks_emoji_and_line_breaks_round_trips_exactly(client, participant):
    text = "น้ำใจ ผู้ใหญ่ลี่ กำลังเรียนรู้ 🙏🏽👩🏽‍⚕️\nบรรทัดที่สอง\n\n  ย่อหน้าใหม่ มีช่องว่าง  "
    post(client, participant, goal=text)
    assert AAR.objects.get().goal == text
    html = client.get(url(participant)).content.decode()
    assert text.replace("&", "&amp;") in html


def test_post_without_csrf_cookie_still_saves(participant):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(participant), {**FULL, "action": "submit"})
    assert response.status_code == 302
    assert AAR.objects.get().is_submitted


def test_language_switch_keeps_the_text_and_remembers_the_choice(client, participant):
    response = post(client, participant, "en", goal="ข้อความที่พิมพ์ไว้", next_steps="")
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.language == "en"
    html = client.get(url(participant)).content.decode()
    assert '<html lang="en">' in html and "ข้อความที่พิมพ์ไว้" in html
    assert AAR.objects.get().status == AAR.Status.DRAFT


def test_language_switch_on_a_submitted_aar_shows_the_edits_unsaved(client, participant):
    post(client, participant)
    response = post(client, participant, "en", goal="แก้ไขแล้ว")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "แก้ไขแล้ว" in html
    assert AAR.objects.get().goal == FULL["goal"]


def test_sharing_choice_is_saved(client, participant):
    post(client, participant, sharing="organisers")
    assert AAR.objects.get().sharing == AAR.Sharing.ORGANISERS


def test_token_pages_send_no_referrer(client, participant):
    assert client.get(url(participant))["Referrer-Policy"] == "no-referrer"
    post(client, participant)
    assert (
        client.get(reverse("aar:thanks", args=[participant.token]))["Referrer-Policy"]
        == "no-referrer"
    )


def test_overlong_part_is_refused_clearly_and_kept(client, participant):
    response = post(client, participant, "draft", goal="ก" * 20_001)
    assert response.status_code == 200
    assert "20000" in response.content.decode().replace(",", "")
    assert not AAR.objects.exists()


def _shared_aars(session, n):
    for _ in range(n):
        AARFactory(participant=ParticipantFactory(session=session))


@pytest.mark.parametrize("others", [5, 50])
def test_thanks_page_lists_shared_aars_in_constant_queries(
    client, participant, others, django_assert_num_queries
):
    _shared_aars(participant.session, others)
    AARFactory(
        participant=ParticipantFactory(session=participant.session),
        sharing="organisers",
        goal="ลับเฉพาะผู้จัด",
    )
    post(client, participant)
    # participant + session/host/organisation/own AAR (1), peers prefetch (1),
    # shared count for the paginator (1), shared page with participants (1),
    # the host's responses to recommendations (1),
    # session + messages storage (cookies: none)
    with django_assert_num_queries(5):
        response = client.get(reverse("aar:thanks", args=[participant.token]))
    html = response.content.decode()
    assert "ลับเฉพาะผู้จัด" not in html
    assert html.count('class="card mb-3"') == min(others, 10)


@pytest.mark.parametrize("peers", [1, 5])
def test_entry_page_queries_are_constant(client, participant, peers, django_assert_num_queries):
    from tests.factories import OrganisationFactory

    participant.session.peers.set(OrganisationFactory.create_batch(peers))
    # participant with session/host/organisation/AAR, peers prefetch, and the host's
    # responses to recommendations (the session has been held)
    with django_assert_num_queries(3):
        client.get(url(participant))
