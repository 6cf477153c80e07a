"""A post over Django's limit on one request (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) gets a
page of its own: 413, the limit in numbers, the AAR text still in the browser, a way back."""

import pytest
from django.urls import reverse

from aar.models import AAR
from sessions_app.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

THREE_MB = "ก" * 1_000_000  # 3 bytes a Thai letter in UTF-8
FIVE_MB = "Somchai Jaidee, somchai@example.org, KMI, peer\n" * 115_000


def _assert_clear_413(response, back_to: str, *, language: str = "th") -> str:
    assert response.status_code == 413
    page = response.content.decode().replace("\xa0", " ")  # filesizeformat's no-break space
    assert "2.5" in page  # "at most 2.5 MB"
    assert f'href="{back_to}"' in page
    assert f'<html lang="{language}">' in page
    return page


def test_a_three_megabyte_aar_gets_a_clear_413_and_nothing_is_saved(client):
    participant = ParticipantFactory()
    url = reverse("aar:entry", args=[participant.token])
    data = {"goal": THREE_MB, "achieved": "x", "action": "draft", "sharing": "participants"}
    _assert_clear_413(client.post(url, data), url)
    assert not AAR.objects.exists()
    # The way back: the page itself, where the browser still has the text.
    assert client.get(url).status_code == 200


def test_the_413_page_speaks_english_to_an_english_reader(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    participant = ParticipantFactory()
    url = reverse("aar:entry", args=[participant.token])
    response = client.post(url, {"goal": THREE_MB, "action": "draft"})
    page = _assert_clear_413(response, url, language="en")
    assert "at most 2.5 MB" in page
    assert "still kept in this browser" in page
    assert "Bad request" not in page


def test_a_five_megabyte_paste_on_bulk_add_gets_a_clear_413(facilitator, assist_session):
    assert len(FIVE_MB.encode()) > 5_000_000
    url = reverse("sessions_app:participant_bulk_add", args=[assist_session.pk])
    response = facilitator.post(url, {"action": "preview", "text": FIVE_MB})
    _assert_clear_413(response, url)
    assert not Participant.objects.exists()


def test_a_form_with_too_many_fields_gets_a_413_that_says_so(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    participant = ParticipantFactory()
    url = reverse("aar:entry", args=[participant.token])
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(url, fields)
    assert response.status_code == 413
    assert f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields" in response.content.decode()


def test_other_bad_requests_keep_their_400_page(client):
    # A SuspiciousOperation that is not about size, e.g. a bad Host header.
    response = client.get("/", HTTP_HOST="evil example")
    assert response.status_code == 400
