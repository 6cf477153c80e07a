"""Before the session, /aar/<token>/before/: each person's expectation, and the host's
brief written by the host team, through the personal link, until the end of the
session day."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aar.before_forms import EXPECTATION_MAX_LENGTH
from sessions_app.forms import BRIEF_MAX_LENGTH
from sessions_app.models import AssistSession, Participant
from tests.factories import AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

BRIEF = {
    "brief_problem": "ทีมใหม่ไม่กล้าถามคำถาม",
    "brief_learn": "วิธีเปิดวงให้คนพูด",
    "brief_outcome": "ได้สามวิธีไปลองใช้",
    "brief_questions": "เคยลองอะไรแล้วได้ผล?",
    "brief_reading": "https://example.org/notes",
}


@pytest.fixture
def session(db):
    """A session today: still open for what is written before it."""
    return AssistSessionFactory(date=timezone.localdate(), status=AssistSession.Status.PLANNED)


@pytest.fixture
def host(session):
    return ParticipantFactory(session=session, role=Participant.Role.HOST)


@pytest.fixture
def peer(session):
    return ParticipantFactory(
        session=session, role=Participant.Role.PEER, organisation=session.host
    )


def url(participant, lang=""):
    return reverse("aar:before", args=[participant.token]) + (f"?lang={lang}" if lang else "")


def test_an_unknown_link_gets_the_friendly_404(client):
    response = client.get(reverse("aar:before", args=["no-such-link"]))
    assert response.status_code == 404
    assert client.post(reverse("aar:before", args=["no-such-link"])).status_code == 404


def test_a_replaced_link_gets_404(client, peer):
    old = url(peer)
    peer.regenerate_token()
    assert client.get(old).status_code == 404


def test_the_page_shows_the_session_and_the_form_in_thai(client, peer):
    response = client.get(url(peer))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert peer.session.title in html
    assert str(peer.session.date.year + 543) in html  # the Buddhist-era year
    assert 'name="expectation"' in html
    # A peer sees the brief, never its boxes.
    assert 'name="brief_problem"' not in html
    # Usable without JavaScript: a plain form with a submit button.
    assert '<form method="post"' in html and 'type="submit"' in html


def test_a_get_changes_nothing(client, peer):
    client.get(url(peer) + "?expectation=x")
    peer.refresh_from_db()
    assert peer.expectation == "" and peer.expectation_at is None


def test_the_expectation_is_saved_with_its_time(client, peer):
    moment = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    peer.session.date = moment.date()
    peer.session.save(update_fields=["date"])
    with time_machine.travel(moment, tick=False):
        response = client.post(url(peer, "en"), {"expectation": "อยากเรียนวิธีตั้งคำถาม"})
    assert response.status_code == 302 and response.url == url(peer, "en")
    peer.refresh_from_db()
    assert peer.expectation == "อยากเรียนวิธีตั้งคำถาม"
    assert peer.expectation_at == moment
    page = client.get(response.url).content.decode()
    assert "What you hope to learn or contribute is saved." in page
    assert "อยากเรียนวิธีตั้งคำถาม" in page


def test_saving_the_same_text_again_keeps_its_time(client, peer):
    client.post(url(peer), {"expectation": "ฟัง"})
    peer.refresh_from_db()
    first = peer.expectation_at
    response = client.post(url(peer, "en"), {"expectation": "ฟัง"})
    peer.refresh_from_db()
    assert peer.expectation_at == first
    assert "Nothing has changed" in client.get(response.url).content.decode()


def test_a_too_long_expectation_is_refused_beside_the_box_and_kept(client, peer):
    text = "ก" * (EXPECTATION_MAX_LENGTH + 1)
    response = client.post(url(peer, "en"), {"expectation": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        f"at most {EXPECTATION_MAX_LENGTH:,}" in html or f"at most {EXPECTATION_MAX_LENGTH}" in html
    )
    assert 'id="id_expectation"' in html and "is-invalid" in html
    assert text in html  # what was typed is kept
    assert '<a class="alert-link" href="#id_expectation">' in html
    peer.refresh_from_db()
    assert peer.expectation == ""


def test_errors_are_in_the_pages_language(client, peer):
    text = "ก" * (EXPECTATION_MAX_LENGTH + 1)
    thai = client.post(url(peer), {"expectation": text}).content.decode()
    english = client.post(url(peer, "en"), {"expectation": text}).content.decode()
    assert "Ensure this value has at most" in english
    assert "Ensure this value has at most" not in thai


def test_after_the_session_day_the_page_is_read_only(client, peer):
    peer.expectation = "ที่เขียนไว้ก่อน"
    peer.save(update_fields=["expectation"])
    # The next day (Bangkok) it is read-only, with a link to the AAR page.
    tomorrow = datetime.datetime.combine(
        peer.session.date + datetime.timedelta(days=1),
        datetime.time(0, 1),
        tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"),
    )
    with time_machine.travel(tomorrow, tick=False):
        html = client.get(url(peer, "en")).content.decode()
    assert 'name="expectation"' not in html  # no box, only the text
    assert "ที่เขียนไว้ก่อน" in html
    assert "can no longer be changed" in html
    assert reverse("aar:entry", args=[peer.token]) in html


def test_until_the_end_of_the_session_day_in_bangkok(client, peer):
    late = datetime.datetime.combine(
        peer.session.date, datetime.time(23, 59), tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok")
    )
    with time_machine.travel(late, tick=False):
        assert client.post(url(peer), {"expectation": "ทันพอดี"}).status_code == 302
    peer.refresh_from_db()
    assert peer.expectation == "ทันพอดี"


def test_a_post_after_the_day_is_refused_and_saves_nothing(client, session, host):
    session.date = timezone.localdate() - datetime.timedelta(days=1)
    session.save(update_fields=["date"])
    response = client.post(url(host, "en"), {"expectation": "สายไป", **BRIEF})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "สายไป" in html  # shown so it can be copied, not lost
    host.refresh_from_db()
    session.refresh_from_db()
    assert host.expectation == "" and host.expectation_at is None
    assert not session.has_brief


def test_a_closed_session_is_read_only(client, session, peer):
    session.close()
    html = client.get(url(peer, "en")).content.decode()
    assert 'name="expectation"' not in html and "This session is closed" in html
    response = client.post(url(peer, "en"), {"expectation": "ปิดแล้วก็ยังเขียน"})
    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.expectation == ""


def test_a_host_team_member_writes_the_brief(client, session, host):
    html = client.get(url(host)).content.decode()
    for name in AssistSession.BRIEF_FIELDS:
        assert f'name="{name}"' in html
    response = client.post(url(host, "en"), {"expectation": "อยากได้ทางเลือก", **BRIEF})
    assert response.status_code == 302
    session.refresh_from_db()
    host.refresh_from_db()
    for name, text in BRIEF.items():
        assert getattr(session, name) == text
    assert host.expectation == "อยากได้ทางเลือก"
    page = client.get(response.url).content.decode()
    assert "The host&#x27;s brief is saved." in page or "The host's brief is saved." in page


def test_the_brief_form_changes_only_the_brief(client, session, host):
    title = session.title
    client.post(url(host), {"expectation": "", **BRIEF, "title": "เปลี่ยนชื่อ", "purpose": "x"})
    session.refresh_from_db()
    assert session.brief_problem == BRIEF["brief_problem"]
    assert (session.title, session.purpose) == (title, AssistSessionFactory.purpose)


def test_a_too_long_brief_part_is_refused_and_nothing_is_half_saved(client, session, host):
    long_text = "ข" * (BRIEF_MAX_LENGTH + 1)
    response = client.post(
        url(host, "en"), {"expectation": "ได้บันทึกไหม", **BRIEF, "brief_learn": long_text}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert long_text in html and BRIEF["brief_problem"] in html and "ได้บันทึกไหม" in html
    assert '<a class="alert-link" href="#id_brief_learn">' in html
    session.refresh_from_db()
    host.refresh_from_db()
    assert not session.has_brief
    assert host.expectation == ""  # not half-saved: the expectation waits for the brief


def test_a_post_without_the_brief_leaves_it_alone(client, session, host):
    session.brief_problem = "เขียนไว้แล้ว"
    session.save(update_fields=["brief_problem"])
    assert client.post(url(host), {"expectation": "แค่ความคาดหวัง"}).status_code == 302
    session.refresh_from_db()
    assert session.brief_problem == "เขียนไว้แล้ว"


def test_a_post_without_the_expectation_leaves_it_alone(client, session, host):
    host.expectation = "ความคาดหวังเดิม"
    host.save(update_fields=["expectation"])
    assert client.post(url(host), BRIEF).status_code == 302
    host.refresh_from_db()
    session.refresh_from_db()
    assert host.expectation == "ความคาดหวังเดิม"
    assert session.brief_problem == BRIEF["brief_problem"]


def test_a_peer_cannot_change_the_brief(client, session, peer):
    session.brief_problem = "ของเจ้าภาพ"
    session.save(update_fields=["brief_problem"])
    html = client.get(url(peer)).content.decode()
    assert "ของเจ้าภาพ" in html and 'name="brief_problem"' not in html
    response = client.post(
        url(peer), {"expectation": "ของฉัน", **BRIEF, **{f"brief-{k}": v for k, v in BRIEF.items()}}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    peer.refresh_from_db()
    assert session.brief_problem == "ของเจ้าภาพ"
    for name in ("brief_learn", "brief_outcome", "brief_questions", "brief_reading"):
        assert getattr(session, name) == ""
    assert peer.expectation == "ของฉัน"


@pytest.mark.parametrize("role", [r for r in Participant.Role if r != Participant.Role.HOST])
def test_only_the_host_team_gets_the_brief_form(client, session, role):
    person = ParticipantFactory(session=session, role=role)
    assert 'name="brief_problem"' not in client.get(url(person)).content.decode()


def test_after_the_day_the_host_sees_the_brief_read_only(client, session, host):
    session.brief_problem = "โจทย์ที่เขียนไว้"
    session.date = timezone.localdate() - datetime.timedelta(days=1)
    session.save(update_fields=["brief_problem", "date"])
    html = client.get(url(host)).content.decode()
    assert "โจทย์ที่เขียนไว้" in html and 'name="brief_problem"' not in html


def test_a_removed_person_gets_404(client, peer):
    peer.removed_at = timezone.now()
    peer.save(update_fields=["removed_at"])
    assert client.get(url(peer)).status_code == 404


def test_english_by_the_link_or_the_persons_language(client, peer):
    thai = client.get(url(peer))
    assert thai["Content-Language"] == "th"
    response = client.get(url(peer, "en"))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "What I hope to learn or contribute" in html and "Before the session" in html
    assert 'href="?lang=th"' in html  # the switch back
    english = ParticipantFactory(session=peer.session, language="en", role="peer")
    assert '<html lang="en">' in client.get(url(english)).content.decode()


def test_other_methods_are_refused(client, peer):
    assert client.put(url(peer)).status_code == 405


def test_the_link_is_rate_limited_like_the_aar_page(client, peer, settings):
    settings.RATELIMIT_TOKEN_PER_MINUTE = 2
    codes = [client.get(url(peer)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
