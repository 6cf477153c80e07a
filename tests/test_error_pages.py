"""Our own 400/403/404/500 and CSRF-failure pages, in Thai and in English."""

import pytest
from django.test import Client
from django.urls import reverse

from peerassist import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    client = Client()
    client.cookies["peerassist_language"] = "en"
    return client


def test_404_in_thai_and_english(client, english):
    assert "ไม่พบหน้านี้" in client.get("/nope/").content.decode()
    response = english.get("/nope/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "thai"),
    [
        (views.bad_request, 400, "คำขอไม่ถูกต้อง"),
        (views.permission_denied, 403, "ไม่มีสิทธิ์"),
        (views.server_error, 500, "เกิดข้อผิดพลาด"),
    ],
)
def test_error_handlers_render_our_pages(rf, handler, status, thai):
    request = rf.get("/")
    response = handler(request) if handler is views.server_error else handler(request, None)
    assert response.status_code == status
    assert thai in response.content.decode()


def test_403_for_a_read_only_member_uses_our_page(member, assist_session):
    response = member.post(reverse("sessions_app:session_edit", args=[assist_session.pk]))
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()


def test_csrf_failure_page_says_the_writing_is_still_in_the_browser():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "แบบฟอร์มหมดอายุ" in html
    assert "เบราว์เซอร์นี้เก็บสำเนาไว้" in html


@pytest.mark.django_db
def test_public_pages_have_a_description_and_personal_pages_are_not_indexed(client):
    from tests.factories import ParticipantFactory

    login = client.get("/accounts/login/").content.decode()
    assert '<meta name="description" content="peerassist:' in login
    assert 'name="robots"' not in login
    person = ParticipantFactory()
    for url in (person.get_aar_url(), "/aar/no-such-token-at-all-xxxxxxxxxx/"):
        assert (
            '<meta name="robots" content="noindex, nofollow">' in client.get(url).content.decode()
        )
