"""The admin writes AARs through aar_save: nothing bypasses the history."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from aar.models import AARVersion
from tests.factories import AARFactory, AARVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    return client


def test_an_admin_edit_of_an_aar_keeps_a_version_under_the_admins_name(admin_client):
    aar = AARFactory(goal="เดิม")
    AARVersionFactory(aar=aar)
    data = {
        "participant": aar.participant_id,
        # The answers, as the admin's JSON box holds them.
        "answers": json.dumps({**aar.answers, "goal": "แก้โดยผู้ดูแล"}),
        "sharing": aar.sharing,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:aar_aar_change", args=[aar.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    aar.refresh_from_db()
    assert aar.goal == "แก้โดยผู้ดูแล" and aar.is_submitted
    newest = AARVersion.objects.filter(aar=aar).first()
    assert newest.goal == "แก้โดยผู้ดูแล" and newest.saved_by == "root"
    assert AARVersion.objects.filter(aar=aar).count() == 2


def test_the_history_cannot_be_edited_in_the_admin(admin_client):
    version = AARVersionFactory()
    url = reverse("admin:aar_aarversion_change", args=[version.pk])
    response = admin_client.post(url, {"goal": "rewritten"})
    version.refresh_from_db()
    assert version.goal != "rewritten"
    assert response.status_code in (302, 403)
