"""Commitments on the participant's AAR page (issue 16): the rows under "What I will do
next", saved with the AAR in one go, or not at all."""

import datetime
import re

import pytest
from django.urls import reverse

from aar.commitments import checkback_save
from aar.models import AAR, Commitment
from tests.factories import AARFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

FULL = {
    "goal": "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้",
    "achieved": "ได้เห็นความแตกต่างชัดเจน",
    "not_achieved": "ยังไม่เห็นการตอบรับ เพราะเวลาน้อย",
    "next_steps": "ติดตามผลหลังกิจกรรม",
    "sharing": "organisers",
}


@pytest.fixture
def participant(db):
    return ParticipantFactory()


def url(participant):
    return reverse("aar:entry", args=[participant.token])


def rows_data(rows, *, total=5, initial=0) -> dict:
    """The formset's fields as the page posts them."""
    data = {
        "commitments-TOTAL_FORMS": str(max(total, len(rows))),
        "commitments-INITIAL_FORMS": str(initial),
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "5",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"commitments-{i}-{key}"] = value
    return data


def post(client, participant, rows, action="draft", **extra):
    return client.post(url(participant), {**FULL, **rows_data(rows, **extra), "action": action})


def buddhist(date: datetime.date) -> str:
    return f"{date.day}/{date.month}/{date.year + 543}"


def text_boxes(html: str) -> list[str]:
    return re.findall(r'<textarea name="commitments-(\d+)-text"', html)


def box_text(html: str, i: int) -> str:
    match = re.search(
        rf'<textarea name="commitments-{i}-text"[^>]*>\n?(.*?)</textarea>', html, re.S
    )
    return match.group(1)


def test_a_new_page_shows_five_empty_rows_under_the_fourth_part(client, participant):
    html = client.get(url(participant)).content.decode()
    assert text_boxes(html) == ["0", "1", "2", "3", "4"]
    assert html.index('name="next_steps"') < html.index('name="commitments-0-text"')
    assert html.index('name="commitments-4-text"') < html.index('name="sharing"')
    assert 'maxlength="500"' in html
    assert 'name="commitments-TOTAL_FORMS" value="5"' in html
    # The fourth part's own box is unchanged.
    assert re.search(r'<textarea name="next_steps"[^>]*maxlength="20000"', html)


def test_saved_commitments_come_first_then_empty_rows_up_to_five(client, participant):
    aar = AARFactory(participant=participant)
    first = CommitmentFactory(aar=aar, text="อันแรก", position=0)
    second = CommitmentFactory(aar=aar, text="อันที่สอง", position=1)
    html = client.get(url(participant)).content.decode()
    assert text_boxes(html) == ["0", "1", "2", "3", "4"]
    assert box_text(html, 0) == "อันแรก" and box_text(html, 1) == "อันที่สอง"
    assert box_text(html, 2) == ""
    assert f'name="commitments-0-id" value="{first.pk}"' in html
    assert f'name="commitments-1-id" value="{second.pk}"' in html


def test_commitments_are_saved_with_the_aar_and_a_buddhist_era_date_is_read(client, participant):
    due = participant.session.date + datetime.timedelta(days=30)
    response = post(
        client,
        participant,
        [{"text": "ทดลองวงเล่าเรื่อง", "due_date": buddhist(due)}, {"text": "เขียน blog"}],
    )
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert list(aar.commitments.values_list("text", "due_date", "position")) == [
        ("ทดลองวงเล่าเรื่อง", due, 0),
        ("เขียน blog", None, 1),
    ]
    html = client.get(url(participant)).content.decode()
    assert box_text(html, 0) == "ทดลองวงเล่าเรื่อง"
    assert f'value="{buddhist(due)}"' in html  # shown in the Buddhist era, as typed


def test_empty_rows_are_ignored_wherever_they_are(client, participant):
    response = post(
        client,
        participant,
        [{"text": "  "}, {"text": "หนึ่ง"}, {"text": "", "due_date": ""}, {"text": "สอง"}, {}],
    )
    assert response.status_code == 302
    assert list(Commitment.objects.values_list("text", "position")) == [("หนึ่ง", 0), ("สอง", 1)]


def test_an_edit_keeps_the_commitment_and_its_answers(client, participant):
    aar = AARFactory(participant=participant)
    kept = CommitmentFactory(aar=aar, text="เดิม", position=0)
    gone = CommitmentFactory(aar=aar, text="จะลบ", position=1)
    checkback_save(participant=participant, answers={kept.pk: ("partly", "ได้ครึ่งหนึ่ง")})
    response = post(
        client,
        participant,
        [{"id": str(kept.pk), "text": "เดิม แก้ถ้อยคำ"}, {"id": str(gone.pk), "text": ""}],
        initial=2,
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.text, kept.status, kept.outcome) == ("เดิม แก้ถ้อยคำ", "partly", "ได้ครึ่งหนึ่ง")
    assert kept.answers.count() == 1
    assert not Commitment.objects.filter(pk=gone.pk).exists()


def test_the_version_history_holds_the_commitments(client, participant):
    due = participant.session.date + datetime.timedelta(days=7)
    post(client, participant, [{"text": "ก่อน", "due_date": due.isoformat()}])
    post(client, participant, [{"text": "หลัง"}])
    versions = AAR.objects.get(participant=participant).versions.all()
    assert [v.commitments for v in versions] == [
        [{"text": "หลัง", "due_date": None}],
        [{"text": "ก่อน", "due_date": due.isoformat()}],
    ]


def test_more_than_five_is_refused_beside_the_rows_and_everything_typed_stays(client):
    participant = ParticipantFactory(language="en")
    rows = [{"text": f"commitment number {n}"} for n in range(1, 7)]
    response = post(client, participant, rows)
    assert response.status_code == 200
    html = response.content.decode()
    message = "You can write up to 5 commitments."
    summary = html[
        html.index('class="error-summary') : html.index("</div>", html.index("error-summary"))
    ]
    assert message in summary
    # Above the rows too, inside the commitments' fieldset.
    fieldset = html[html.index('id="commitments"') :]
    assert fieldset.index(message) < fieldset.index('name="commitments-0-text"')
    assert [box_text(html, i) for i in range(6)] == [row["text"] for row in rows]
    assert FULL["goal"] in html
    assert not AAR.objects.exists() and not Commitment.objects.exists()


def test_a_date_before_the_session_is_refused_beside_its_row(client):
    participant = ParticipantFactory(language="en")
    session = participant.session
    session.date = datetime.date(2026, 11, 24)
    session.save()
    response = post(
        client,
        participant,
        [
            {"text": "fine", "due_date": "2026-11-24"},
            {"text": "too early", "due_date": "23/11/2026"},
        ],
    )
    assert response.status_code == 200
    html = response.content.decode()
    error = "The date must be on or after the session, 24 November 2026."
    assert f'id="id_commitments-1-due_date_error">{error}</div>' in html
    assert 'href="#id_commitments-1-due_date">Commitment 2: ' + error in html
    assert 'id="id_commitments-0-due_date_error"' not in html
    assert 'value="23/11/2026"' in html
    assert not AAR.objects.exists()


def test_a_10000_character_commitment_is_refused_and_nothing_is_saved_or_lost(client, participant):
    essay = "ก" * 10_000
    response = post(client, participant, [{"text": "สั้น"}, {"text": essay}])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_commitments-1-text_error"' in html
    assert "500" in html[html.index('id="id_commitments-1-text_error"') :][:200]
    assert box_text(html, 1) == essay  # still in its box
    assert re.search(r'name="commitments-1-text"[^>]*aria-invalid="true"', html)
    assert FULL["not_achieved"] in html
    # Nothing half-saved: not the commitments, not the four parts.
    assert not AAR.objects.exists() and not Commitment.objects.exists()


def test_an_invalid_commitment_keeps_an_existing_aar_unchanged(client, participant):
    aar = AARFactory(participant=participant, goal="เดิม")
    data = {**FULL, **rows_data([{"text": "x" * 501}]), "goal": "ใหม่", "action": "submit"}
    response = client.post(url(participant), data)
    assert response.status_code == 200
    aar.refresh_from_db()
    assert aar.goal == "เดิม" and not aar.commitments.exists()


def test_a_date_without_words_is_an_error_not_silently_dropped(client):
    participant = ParticipantFactory(language="en")
    due = participant.session.date + datetime.timedelta(days=3)
    response = post(client, participant, [{"text": "", "due_date": due.isoformat()}])
    assert response.status_code == 200
    assert "Please write what you will do, or clear the date." in response.content.decode()
    assert not AAR.objects.exists()


def test_another_persons_commitment_id_makes_a_new_one(client, participant):
    theirs = CommitmentFactory(text="ของคนอื่น")
    response = post(client, participant, [{"id": str(theirs.pk), "text": "ของฉัน"}])
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.text == "ของคนอื่น"
    mine = Commitment.objects.get(aar__participant=participant)
    assert mine.text == "ของฉัน" and mine.pk != theirs.pk


def test_a_garbled_id_is_a_new_commitment_not_an_error(client, participant):
    response = post(client, participant, [{"id": "abc'--", "text": "ใหม่"}])
    assert response.status_code == 302
    assert Commitment.objects.get().text == "ใหม่"


def test_a_post_without_the_rows_leaves_the_commitments_alone(client, participant):
    aar = AARFactory(participant=participant)
    CommitmentFactory(aar=aar, text="อยู่ต่อ")
    response = client.post(url(participant), {**FULL, "action": "submit"})
    assert response.status_code == 302
    assert list(aar.commitments.values_list("text", flat=True)) == ["อยู่ต่อ"]


def test_more_rows_than_the_guard_are_not_read(client, participant):
    response = post(client, participant, [{"text": "x"}], total=1000)
    assert response.status_code == 200
    assert not AAR.objects.exists()


def test_switching_language_saves_the_commitments_of_a_draft(client, participant):
    due = participant.session.date + datetime.timedelta(days=10)
    response = post(client, participant, [{"text": "หนึ่ง", "due_date": buddhist(due)}], action="en")
    assert response.status_code == 302
    assert Commitment.objects.get().due_date == due
    html = client.get(url(participant)).content.decode()
    assert '<html lang="en">' in html
    assert f'value="{due.day}/{due.month}/{due.year}"' in html  # Christian era in English


def test_commitments_changed_in_another_tab_are_not_overwritten(client, participant):
    post(client, participant, [{"text": "จากแท็บแรก"}])
    aar = AAR.objects.get(participant=participant)
    html = client.get(url(participant)).content.decode()
    old_version = re.search(r'name="loaded_version" value="([^"]*)"', html).group(1)
    post(client, participant, [{"text": "จากแท็บที่สอง"}])  # another tab, a newer save
    data = {**FULL, **rows_data([{"text": "จากแท็บแรก แก้แล้ว"}]), "action": "draft"}
    response = client.post(url(participant), {**data, "loaded_version": old_version})
    assert response.status_code == 409
    html = response.content.decode()
    assert box_text(html, 0) == "จากแท็บแรก แก้แล้ว"  # what was typed stays
    conflict = html[html.index('class="aar-conflict') :]
    assert "จากแท็บที่สอง" in conflict[: conflict.index("</ol>")]
    assert list(aar.commitments.values_list("text", flat=True)) == ["จากแท็บที่สอง"]


def test_your_commitments_card_shows_each_status_and_the_check_back_link(client, participant):
    aar = AARFactory(participant=participant)
    CommitmentFactory(aar=aar, text="ทำเสร็จแล้ว", status="done")
    CommitmentFactory(aar=aar, text="ยังค้างอยู่")
    html = client.get(url(participant)).content.decode()
    card = html[html.index('class="card aar-commitments-card') :]
    card = card[: card.index("</section>")]
    assert "ทำเสร็จแล้ว" in card and "ยังค้างอยู่" in card
    assert "ทำแล้ว" in card and "ยังไม่มีคำตอบ" in card  # the statuses, in Thai
    assert reverse("aar:checkback", args=[participant.token]) in card
    assert "สิ่งที่คุณตั้งใจจะทำ" in card
    assert "เพิ่มสิ่งที่ตั้งใจจะทำอีกข้อ" in html and "สิ่งที่ตั้งใจจะทำ ข้อ 1" in html


def test_no_card_without_commitments(client, participant):
    AARFactory(participant=participant)
    html = client.get(url(participant)).content.decode()
    assert "aar-commitments-card" not in html
    assert reverse("aar:checkback", args=[participant.token]) not in html


def test_a_closed_session_shows_the_card_and_no_rows(client, participant):
    aar = AARFactory(participant=participant)
    CommitmentFactory(aar=aar, text="ยังต้องติดตาม")
    participant.session.close()
    html = client.get(url(participant)).content.decode()
    assert "aar-commitments-card" in html and "ยังต้องติดตาม" in html
    assert reverse("aar:checkback", args=[participant.token]) in html
    assert not text_boxes(html)


@pytest.mark.parametrize("n", [1, 5])
def test_the_page_with_commitments_takes_the_same_queries(
    client, participant, n, django_assert_num_queries
):
    aar = AARFactory(participant=participant)
    CommitmentFactory.create_batch(n, aar=aar)
    # participant with session/host/organisation/AAR (1), peers prefetch (1),
    # the AAR's commitments (1), the host's responses to recommendations (1: the
    # session has been held)
    with django_assert_num_queries(4):
        response = client.get(url(participant))
    assert len(re.findall(r'name="commitments-\d+-id" value="\d+"', response.content.decode())) == n


def test_thai_by_the_link_for_an_english_speaker(client):
    participant = ParticipantFactory(language="en")
    aar = AARFactory(participant=participant)
    due = datetime.date(2027, 1, 5)
    CommitmentFactory(aar=aar, text="Try a story circle", status="partly", due_date=due)
    html = client.get(url(participant) + "?lang=th").content.decode()
    assert '<html lang="th">' in html
    card = html[html.index('class="card aar-commitments-card') :]
    assert "ทำไปบางส่วน" in card and "5 มกราคม 2570" in card
    assert 'value="5/1/2570"' in html  # the date in its box, Buddhist era
    assert "?lang=th" in card  # the check-back page opens in the same language
    english = client.get(url(participant)).content.decode()
    assert "Partly done" in english and 'value="5/1/2027"' in english
