"""Restoring an earlier version of an AAR (the organisers, from its history): one more
save, so nothing is lost, and search follows it."""

import pytest
from django.urls import reverse

from aar.models import AAR, AARVersion
from aar.on_behalf_views import staff_name
from aar.services import participant_erase
from lessons.search import parse, search
from tests.factories import AAR_FORM, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client, assist_session):
    participant = ParticipantFactory(session=assist_session)
    entry = reverse("aar:entry", args=[participant.token])
    client.post(entry, {**AAR_FORM, "action": "submit", "goal": "ฉบับแรกเรื่องชุมชนนักปฏิบัติ"})
    client.post(entry, {**AAR_FORM, "action": "submit", "goal": "ฉบับแก้เรื่องตลาดนัดความรู้"})
    return participant


def first_version(participant):
    return AARVersion.objects.filter(aar__participant=participant).order_by("saved_at", "pk")[0]


def restore_url(participant, version):
    return reverse("history:restore", args=[participant.session_id, participant.pk, version.pk])


def test_restore_asks_first_then_brings_the_text_back_and_keeps_the_rest(
    coordinator, coordinator_user, edited
):
    version = first_version(edited)
    page = coordinator.get(restore_url(edited, version))
    assert page.status_code == 200
    assert "ฉบับแรกเรื่องชุมชนนักปฏิบัติ" in page.content.decode()
    assert AAR.objects.get(participant=edited).goal == "ฉบับแก้เรื่องตลาดนัดความรู้"  # GET changes nothing

    response = coordinator.post(restore_url(edited, version), follow=True)
    aar = AAR.objects.get(participant=edited)
    assert aar.goal == "ฉบับแรกเรื่องชุมชนนักปฏิบัติ"
    assert aar.status == AAR.Status.SUBMITTED and aar.sharing == AAR.Sharing.PARTICIPANTS
    assert aar.versions.count() == 3  # the restore is a version of its own
    assert aar.versions.first().saved_by == staff_name(coordinator_user)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    # Search follows the restore: the restored words are found, the replaced ones not.
    assert [r.text for r in search(coordinator_user, parse("ชุมชนนักปฏิบัติ"))] == [aar.goal]
    assert list(search(coordinator_user, parse("ตลาดนัดความรู้"))) == []


def test_restore_persona_matrix(client, outsider, member, facilitator, edited):
    url = restore_url(edited, first_version(edited))
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url).status_code == 404
    assert member.get(url).status_code == 403  # reads the history, cannot change it
    assert member.post(url).status_code == 403
    assert facilitator.get(url).status_code == 200
    assert facilitator.put(url).status_code == 405


def test_another_persons_version_is_not_found(coordinator, assist_session, edited):
    other = ParticipantFactory(session=assist_session)
    assert coordinator.get(restore_url(other, first_version(edited))).status_code == 404


def test_an_erased_persons_version_restores_nothing(coordinator, coordinator_user, edited):
    version = first_version(edited)
    participant_erase(participant=edited, erased_by=coordinator_user)
    response = coordinator.post(restore_url(edited, version), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AAR.objects.get(participant=edited).answers == {}


def test_the_newest_version_offers_no_restore(coordinator, edited):
    html = coordinator.get(reverse("history:aar", args=[edited.session_id, edited.pk])).content
    newest, older = AARVersion.objects.filter(aar__participant=edited)[:2]
    assert restore_url(edited, older).encode() in html
    assert restore_url(edited, newest).encode() not in html


def test_history_marks_the_parts_shown_without_name(coordinator, edited):
    aar = AAR.objects.get(participant=edited)
    aar.anonymous = ["not_achieved"]
    aar.save()
    html = coordinator.get(reverse("history:aar", args=[edited.session_id, edited.pk])).content
    assert html.decode().count("แสดงโดยไม่ระบุชื่อ") + html.decode().count("shown without name") == (
        aar.versions.count()
    )
