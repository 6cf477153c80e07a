"""Issue 15 on the AAR form: the private sharing default, the error summary, the sticky
button bar and a form without an empty ``action``."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from aar.models import AAR
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

FULL = {
    "goal": "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้",
    "achieved": "ได้เห็นความแตกต่างชัดเจน",
    "not_achieved": "ยังไม่เห็นการตอบรับ เพราะเวลาน้อย",
    "next_steps": "ติดตามผลหลังกิจกรรม",
}


@pytest.fixture
def participant(db):
    return ParticipantFactory()


def url(participant):
    return reverse("aar:entry", args=[participant.token])


def checked_sharing(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="sharing" value="(\w+)"[^>]*\bchecked\b', html)


# --- Sharing: nobody's writing is shared unless they choose it ----------------------------


def test_a_new_aar_starts_private_and_the_private_choice_comes_first(client, participant):
    html = client.get(url(participant)).content.decode()
    assert checked_sharing(html) == ["organisers"]
    assert html.index('value="organisers"') < html.index('value="participants"')


def test_an_aar_saved_before_shows_its_stored_choice(client, participant):
    AARFactory(participant=participant, sharing=AAR.Sharing.PARTICIPANTS)
    assert checked_sharing(client.get(url(participant)).content.decode()) == ["participants"]


def test_a_draft_saved_without_touching_the_choice_is_private(client, participant):
    client.post(url(participant), {"goal": FULL["goal"], "action": "draft"})
    assert AAR.objects.get().sharing == AAR.Sharing.ORGANISERS


def test_a_submit_without_a_choice_is_private(client, participant):
    response = client.post(url(participant), {**FULL, "action": "submit"})
    assert response.status_code == 302
    assert AAR.objects.get().sharing == AAR.Sharing.ORGANISERS


def test_a_post_without_a_choice_keeps_the_stored_one(client, participant):
    AARFactory(participant=participant, sharing=AAR.Sharing.PARTICIPANTS)
    response = client.post(url(participant), {**FULL, "action": "submit"})
    assert response.status_code == 302
    assert AAR.objects.get().sharing == AAR.Sharing.PARTICIPANTS


def test_choosing_to_share_is_kept(client, participant):
    client.post(url(participant), {**FULL, "sharing": "participants", "action": "submit"})
    assert AAR.objects.get().sharing == AAR.Sharing.PARTICIPANTS


def test_an_unknown_choice_is_an_error_beside_the_question_and_the_text_stays(client, participant):
    response = client.post(url(participant), {**FULL, "sharing": "everyone", "action": "submit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_sharing_0"' in html  # in the summary, linked to the question
    assert FULL["not_achieved"] in html
    assert not AAR.objects.exists()


# --- The error summary --------------------------------------------------------------------


def test_submitting_with_parts_missing_lists_each_as_a_link_to_its_box(client, participant):
    response = client.post(
        url(participant), {**FULL, "achieved": "", "next_steps": "  ", "action": "submit"}
    )
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary') : html.index("</div>", html.index("error-summary"))
    ]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert re.findall(r'href="#(id_\w+)"', summary) == ["id_achieved", "id_next_steps"]
    # Each problem names its part, in the form's own words.
    assert "กรุณาเขียน “สิ่งที่บรรลุ” ก่อนส่ง" in summary
    assert "กรุณาเขียน “สิ่งที่จะทำต่อไป” ก่อนส่ง" in summary
    assert "ยังอยู่ในช่องด้านล่าง" in html  # nothing was lost
    # Each link's target exists: the text box itself, with the typed text kept elsewhere.
    assert 'id="id_achieved"' in html and FULL["goal"] in html
    # The page title says first that something needs fixing.
    assert re.search(r"<title>มีข้อผิดพลาด: ", html)


def test_the_summary_is_in_english_for_an_english_page(client):
    participant = ParticipantFactory(language="en")
    html = client.post(url(participant), {"goal": "x", "action": "submit"}).content.decode()
    assert "There is a problem" in html and "<title>Error: " in html
    assert 'href="#id_achieved">Please write “What was achieved” before you submit.</a>' in html


def test_no_summary_without_errors(client, participant):
    assert "error-summary" not in client.get(url(participant)).content.decode()
    html = client.post(url(participant), {"goal": "x", "action": "draft"}, follow=True)
    assert "error-summary" not in html.content.decode()


# --- The form and its buttons -------------------------------------------------------------


def test_the_form_has_no_empty_action(client, participant):
    html = client.get(url(participant)).content.decode()
    form = re.search(r'<form id="aar-form"[^>]*>', html).group(0)
    assert "action=" not in form
    assert 'method="post"' in form


def test_submit_is_the_primary_button_and_draft_the_quieter_one(client, participant):
    html = client.get(url(participant)).content.decode()
    bar = html[html.index('<div class="aar-actions">') :]
    bar = bar[: bar.index("</div>")]
    submit = re.search(r'<button[^>]*value="submit"[^>]*>', bar).group(0)
    draft = re.search(r'<button[^>]*value="draft"[^>]*>', bar).group(0)
    assert "btn-primary btn-lg" in submit
    assert "btn-outline-secondary" in draft and "btn-lg" not in draft
    assert bar.index('value="submit"') < bar.index('value="draft"')


def test_the_button_bar_is_sticky_on_a_phone():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "aar.css").read_text()
    rule = re.search(r"\.aar-actions \{([^}]*)\}", css).group(1)
    assert "position: sticky" in rule and "bottom: 0" in rule
