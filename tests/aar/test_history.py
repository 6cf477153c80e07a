import pytest
from django.urls import reverse

from aar.models import AARVersion
from tests.factories import AAR_FORM, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client, assist_session):
    participant = ParticipantFactory(session=assist_session)
    entry = reverse("aar:entry", args=[participant.token])
    client.post(entry, {**AAR_FORM, "action": "draft", "goal": "ร่างแรก"})
    client.post(entry, {**AAR_FORM, "action": "submit"})
    client.post(entry, {**AAR_FORM, "action": "submit", "goal": "แก้ครั้งที่สอง"})
    return participant


def history_url(participant):
    return reverse("history:aar", args=[participant.session.pk, participant.pk])


def test_every_save_keeps_a_version_with_who_and_when(edited):
    versions = list(AARVersion.objects.filter(aar__participant=edited).order_by("saved_at", "pk"))
    assert [v.goal for v in versions] == ["ร่างแรก", "ก", "แก้ครั้งที่สอง"]
    assert [v.status for v in versions] == ["draft", "submitted", "submitted"]
    assert all(v.saved_by == edited.full_name and v.saved_at for v in versions)


def test_organisers_see_earlier_versions(coordinator, member, edited):
    for client in (coordinator, member):
        html = client.get(history_url(edited)).content.decode()
        assert "ร่างแรก" in html and "แก้ครั้งที่สอง" in html


def test_history_persona_matrix(client, outsider, edited):
    response = client.get(history_url(edited))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(history_url(edited)).status_code == 404


@pytest.mark.parametrize("saves", [2, 20])
def test_history_queries_are_constant(
    coordinator, assist_session, saves, django_assert_num_queries
):
    participant = ParticipantFactory(session=assist_session)
    entry = reverse("aar:entry", args=[participant.token])
    for i in range(saves):
        coordinator.post(entry, {**AAR_FORM, "action": "draft", "goal": f"ร่าง {i}"})
    # auth session + user (2), session via membership with the can-edit check (1),
    # participant (1), AAR (1), versions count + page (2)
    with django_assert_num_queries(7):
        coordinator.get(history_url(participant))
