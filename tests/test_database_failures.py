"""A database failure (locked past the busy timeout, disk full, connection lost) ends
in a 503 page in the user's language that keeps every word that was sent."""

import re
import threading

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from aar.models import AAR
from peerassist.middleware import DatabaseFailureMiddleware
from sessions_app.models import AssistSession
from tests.factories import AAR_FORM, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

WORDS = {**AAR_FORM, "goal": "คำที่พิมพ์มายี่สิบนาที\nบรรทัดที่สอง", "action": "submit"}


def fail(*args, **kwargs):
    raise OperationalError("database or disk is full")


@pytest.fixture
def participant():
    return ParticipantFactory()


@pytest.mark.parametrize("error", [OperationalError("database is locked"), InterfaceError()])
def test_a_failed_aar_save_gives_503_with_the_words_in_the_form(
    client, participant, monkeypatch, error
):
    def raise_it(**kwargs):
        raise error

    monkeypatch.setattr("aar.views.aar_save", raise_it)
    response = client.post(reverse("aar:entry", args=[participant.token]), WORDS)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "ยังไม่ได้บันทึก" in html  # "nothing has been saved yet", in Thai
    assert re.search(r'<textarea[^>]*name="goal"[^>]*>\s*คำที่พิมพ์มายี่สิบนาที\nบรรทัดที่สอง<', html)
    assert 'id="aar-form"' in html  # the same form: pressing the button tries again
    assert not AAR.objects.exists()


def test_the_aar_page_speaks_the_participants_language_when_saving_fails(client, monkeypatch):
    participant = ParticipantFactory(language="en")
    monkeypatch.setattr("aar.views.aar_save", fail)
    response = client.post(reverse("aar:entry", args=[participant.token]), WORDS)
    assert response.status_code == 503
    assert "Nothing has been saved yet" in response.content.decode()


def test_a_failure_before_the_form_is_read_still_gives_back_every_word(
    client, participant, monkeypatch
):
    monkeypatch.setattr("aar.personal_link.participant_by_token", fail)
    url = reverse("aar:entry", args=[participant.token])
    response = client.post(url, WORDS)

    assert response.status_code == 503
    html = response.content.decode()
    assert f'<form method="post" action="{url}">' in html
    assert "คำที่พิมพ์มายี่สิบนาที\nบรรทัดที่สอง</textarea>" in html
    assert 'name="action" value="submit"' in html  # the same button is pressed again
    assert "ยังไม่ได้บันทึก" in html


def test_a_failed_session_form_keeps_what_the_facilitator_typed(facilitator, org, monkeypatch):
    monkeypatch.setattr("sessions_app.session_services.session_create", fail)
    host, peer = OrganisationFactory(), OrganisationFactory()
    data = {
        "organiser": org.pk,
        "title": "วงแลกเปลี่ยนที่บันทึกไม่ได้",
        "host": host.pk,
        "peers": [org.pk, peer.pk],
        "purpose": "จุดประสงค์ยาว ๆ ที่ไม่อยากพิมพ์ใหม่",
        "date": "2026-11-22",
        "start_time": "09:30",
        "duration_minutes": "60",
        "status": "held",
        "password": "never echoed",
    }
    response = facilitator.post(reverse("sessions_app:session_create"), data)

    assert response.status_code == 503
    html = response.content.decode()
    assert 'value="วงแลกเปลี่ยนที่บันทึกไม่ได้"' in html
    assert "จุดประสงค์ยาว ๆ ที่ไม่อยากพิมพ์ใหม่" in html
    assert html.count('name="peers"') == 2  # both choices go back
    assert "never echoed" not in html
    assert "csrfmiddlewaretoken" in html  # a fresh token for the retry
    assert not AssistSession.objects.filter(title="วงแลกเปลี่ยนที่บันทึกไม่ได้").exists()


def test_a_failed_page_view_says_try_again_without_a_form(coordinator, monkeypatch):
    monkeypatch.setattr("sessions_app.views.render", fail)
    response = coordinator.get(reverse("sessions_app:home"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "ลองใหม่อีกสักครู่" in html  # "try again shortly"
    assert '<form method="post" action="/">' not in html


def test_other_database_errors_are_not_dressed_up(client, participant, monkeypatch):
    from django.db import IntegrityError

    def integrity(**kwargs):
        raise IntegrityError("a bug, not a busy database")

    monkeypatch.setattr("aar.views.aar_save", integrity)
    client.raise_request_exception = False
    response = client.post(reverse("aar:entry", args=[participant.token]), WORDS)
    assert response.status_code == 500


def test_the_words_of_a_post_that_never_reached_its_view_carry_their_labels(
    client, participant, monkeypatch
):
    monkeypatch.setattr("aar.personal_link.participant_by_token", fail)
    html = client.post(reverse("aar:entry", args=[participant.token]), WORDS).content.decode()
    assert ">เป้าหมายของฉัน</label>" in html  # "My goal", not "goal"


def test_posts_beyond_the_sqlite_writer_slots_get_the_503_page_at_once(settings):
    settings.USES_SQLITE = True  # the slots are SQLite's; the same on either database

    held = threading.Event()
    release = threading.Event()

    def slow_view(request):
        held.set()
        release.wait(10)
        return HttpResponse("saved")

    settings.SQLITE_WRITE_SLOTS = 1
    middleware = DatabaseFailureMiddleware(slow_view)
    middleware.slot_wait = 0.1
    first = RequestFactory().post("/aar/x/", WORDS)
    thread = threading.Thread(target=middleware, args=(first,))
    thread.start()
    try:
        assert held.wait(5)
        second = RequestFactory().post("/aar/x/", WORDS)
        second.LANGUAGE_CODE = "th"
        response = middleware(second)
        assert response.status_code == 503
        assert "คำที่พิมพ์มายี่สิบนาที" in response.content.decode()
    finally:
        release.set()
        thread.join(10)
    # Once the slot is free, posts go through again.
    assert middleware(RequestFactory().post("/aar/x/", WORDS)).content == b"saved"
