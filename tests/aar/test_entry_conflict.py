"""Two tabs (or a phone and a laptop) saving one AAR: the later save notices that the
AAR changed since its page was loaded, shows both texts and loses neither."""

import re

import pytest
from django.urls import reverse

from aar.models import AAR, AARVersion
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

FULL = {
    "goal": "เป้าหมายจากแท็บแรก",
    "achieved": "ได้เห็นความแตกต่าง",
    "not_achieved": "เวลาน้อย",
    "next_steps": "ติดตามผล",
    "sharing": "participants",
}


@pytest.fixture
def participant():
    return ParticipantFactory()


def url(participant):
    return reverse("aar:entry", args=[participant.token])


def loaded_version(client, participant) -> str:
    """The version a freshly opened page carries in its form."""
    html = client.get(url(participant)).content.decode()
    return re.search(r'name="loaded_version" value="([^"]*)"', html).group(1)


def save(client, participant, version, action="draft", **changes):
    data = {**FULL, **changes, "action": action, "loaded_version": version}
    return client.post(url(participant), data)


def test_a_fresh_page_carries_the_version_it_was_loaded_with(client, participant):
    assert loaded_version(client, participant) == ""
    save(client, participant, "")
    aar = AAR.objects.get(participant=participant)
    assert loaded_version(client, participant) == aar.updated_at.isoformat()


def test_second_tab_saving_over_a_newer_save_is_refused_and_shows_both_texts(client, participant):
    first_tab = loaded_version(client, participant)
    second_tab = loaded_version(client, participant)
    assert save(client, participant, first_tab, goal="ข้อความแท็บหนึ่ง").status_code == 302

    response = save(client, participant, second_tab, goal="ข้อความแท็บสอง")

    assert response.status_code == 409
    html = response.content.decode()
    # The participant's new text stays in the box; the saved text is shown beside it.
    assert re.search(r"<textarea[^>]*name=\"goal\"[^>]*>ข้อความแท็บสอง</textarea>", html)
    assert 'class="aar-conflict-text' in html and "ข้อความแท็บหนึ่ง" in html
    # Nothing was saved by the refused post.
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "ข้อความแท็บหนึ่ง"
    assert AARVersion.objects.filter(aar=aar).count() == 1


def test_only_the_parts_that_differ_are_shown_twice(client, participant):
    first_tab = loaded_version(client, participant)
    second_tab = loaded_version(client, participant)
    save(client, participant, first_tab, goal="หนึ่ง")
    html = save(client, participant, second_tab, goal="สอง").content.decode()
    assert html.count('class="aar-conflict-text') == 1


def test_saving_again_from_the_conflict_page_keeps_the_new_text(client, participant):
    first_tab = loaded_version(client, participant)
    second_tab = loaded_version(client, participant)
    save(client, participant, first_tab, goal="หนึ่ง")
    conflict = save(client, participant, second_tab, goal="สอง").content.decode()
    version = re.search(r'name="loaded_version" value="([^"]*)"', conflict).group(1)

    assert save(client, participant, version, goal="สอง").status_code == 302

    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "สอง"
    # Both texts are in the history.
    assert sorted(version.goal for version in aar.versions.all()) == ["สอง", "หนึ่ง"]


def test_two_first_saves_from_two_tabs_conflict_too(client, participant):
    first_tab = second_tab = loaded_version(client, participant)
    save(client, participant, first_tab, goal="หนึ่ง")
    assert save(client, participant, second_tab, goal="สอง").status_code == 409
    assert AAR.objects.get(participant=participant).goal == "หนึ่ง"


def test_the_same_text_posted_twice_is_no_conflict(client, participant):
    version = loaded_version(client, participant)
    assert save(client, participant, version).status_code == 302
    assert save(client, participant, version).status_code == 302


def test_a_submit_over_a_newer_save_is_refused_and_not_submitted(client, participant):
    first_tab = loaded_version(client, participant)
    second_tab = loaded_version(client, participant)
    save(client, participant, first_tab, goal="หนึ่ง")
    assert save(client, participant, second_tab, action="submit", goal="สอง").status_code == 409
    aar = AAR.objects.get(participant=participant)
    assert aar.status == AAR.Status.DRAFT and aar.goal == "หนึ่ง"


def test_a_post_without_a_version_saves_as_before(client, participant):
    save(client, participant, "", goal="หนึ่ง")
    data = {**FULL, "goal": "สอง", "action": "draft"}
    assert client.post(url(participant), data).status_code == 302
    assert AAR.objects.get(participant=participant).goal == "สอง"
