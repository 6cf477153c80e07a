"""Every rendered AAR form carries a one-time key: the same post twice (a retry after a
lost response, a double tap, a replayed request) saves once and answers the same; an
old or foreign key is refused and changes nothing."""

import re
import socket
import time
import urllib.parse

import pytest
from django.urls import reverse

from aar.forms import new_submit_key
from aar.models import AAR, AARVersion
from tests.factories import AAR_FORM, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant():
    return ParticipantFactory(language="en")


def url(participant):
    return reverse("aar:entry", args=[participant.token])


def rendered_form(client, participant) -> dict:
    html = client.get(url(participant)).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert hidden["submit_key"], "every rendered form carries a key"
    return {**AAR_FORM, **hidden}


def test_each_rendering_has_its_own_key(client, participant):
    assert (
        rendered_form(client, participant)["submit_key"]
        != (rendered_form(client, participant)["submit_key"])
    )


def test_two_identical_submits_save_once_and_answer_the_same(client, participant):
    form = rendered_form(client, participant)
    first = client.post(url(participant), {**form, "action": "submit"})
    second = client.post(url(participant), {**form, "action": "submit"})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("aar:thanks", args=[participant.token])
    aar = AAR.objects.get(participant=participant)
    assert aar.is_submitted
    assert AARVersion.objects.filter(aar=aar).count() == 1


def test_a_replayed_draft_save_changes_nothing(client, participant):
    form = rendered_form(client, participant)
    client.post(url(participant), {**form, "action": "draft"})
    aar = AAR.objects.get(participant=participant)
    updated_at = aar.updated_at
    response = client.post(url(participant), {**form, "action": "draft"})
    assert response.status_code == 302 and response.url == url(participant)
    aar.refresh_from_db()
    assert aar.updated_at == updated_at
    assert aar.versions.count() == 1


def test_an_old_key_after_newer_saves_is_refused_and_changes_nothing(client, participant):
    old = rendered_form(client, participant)
    client.post(url(participant), {**old, "action": "draft", "goal": "first"})
    newer = rendered_form(client, participant)
    client.post(url(participant), {**newer, "action": "draft", "goal": "second"})

    # Replayed as it was first sent: the AAR has changed since, so it is a conflict.
    response = client.post(url(participant), {**old, "action": "draft", "goal": "first"})
    assert response.status_code == 409
    # Replayed without the version it was loaded with (a crafted replay): the used key
    # alone refuses it.
    del old["loaded_version"]
    response = client.post(url(participant), {**old, "action": "draft", "goal": "first"})
    assert response.status_code == 409
    assert "This form was sent before" in response.content.decode()
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "second" and aar.versions.count() == 2


def test_a_key_made_for_another_link_is_refused(client, participant):
    other = ParticipantFactory()
    form = {**rendered_form(client, participant), "submit_key": new_submit_key(other.token)}
    response = client.post(url(participant), {**form, "action": "submit", "goal": "mine"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This form was not made for this personal link" in html
    assert ">mine</textarea>" in html  # the text is kept
    assert not AAR.objects.filter(participant=participant).exists()


def test_a_forged_key_is_refused(client, participant):
    form = {**rendered_form(client, participant), "submit_key": "made-up:key"}
    response = client.post(url(participant), {**form, "action": "submit"})
    assert "This form was not made for this personal link" in response.content.decode()
    assert not AARVersion.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_retry_after_the_response_was_cut_off_saves_once(live_server, client):
    participant = ParticipantFactory(language="en")
    form = rendered_form(client, participant)
    body = urllib.parse.urlencode({**form, "action": "submit"}).encode()
    address = urllib.parse.urlsplit(live_server.url)
    request = (
        f"POST {url(participant)} HTTP/1.1\r\nHost: {address.hostname}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    # The connection drops before the response is read: the browser never learns
    # whether the save went through.
    with socket.create_connection((address.hostname, address.port), timeout=10) as s:
        s.sendall(request)
    deadline = time.monotonic() + 20
    while not AARVersion.objects.filter(aar__participant=participant).exists():
        assert time.monotonic() < deadline, "the first post was never saved"
        time.sleep(0.05)

    retry = client.post(url(participant), {**form, "action": "submit"})

    assert retry.status_code == 302
    assert retry.url == reverse("aar:thanks", args=[participant.token])
    assert AARVersion.objects.filter(aar__participant=participant).count() == 1
