"""The check-back page, /aar/<token>/commitments/: how each commitment went, answered
through the personal link, also once the session is closed or archived."""

import datetime
import re

import pytest
from django.urls import reverse

from aar.commitments import checkback_save
from aar.models import Commitment, CommitmentAnswer
from tests.factories import AARFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(db):
    return ParticipantFactory()


@pytest.fixture
def commitment(participant):
    return CommitmentFactory(
        aar=AARFactory(participant=participant),
        text="ทดลองวงเล่าเรื่องกับทีม",
        due_date=participant.session.date + datetime.timedelta(days=30),
    )


def url(participant):
    return reverse("aar:checkback", args=[participant.token])


def answer(commitment, status="", outcome="") -> dict:
    return {f"c{commitment.pk}-status": status, f"c{commitment.pk}-outcome": outcome}


def test_the_page_lists_each_commitment_with_its_form_in_thai(client, participant, commitment):
    due = commitment.due_date
    response = client.get(url(participant))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert re.search(r"<title>[^<]*" + re.escape(participant.session.title), html)
    assert commitment.text in html
    assert f"{due.day} " in html and str(due.year + 543) in html  # by when, Buddhist era
    assert "ยังไม่มีคำตอบ" in html  # current status: no answer yet
    for label in ("ทำแล้ว", "ทำไปบางส่วน", "ยังไม่ได้ทำ", "ไม่ทำแล้ว"):
        assert label in html
    radios = re.findall(rf'name="c{commitment.pk}-status" value="(\w+)"', html)
    assert radios == ["done", "partly", "not_yet", "dropped"]
    assert f'name="c{commitment.pk}-outcome"' in html
    # The page's own words, in Thai.
    assert "ติดตามผลสิ่งที่ตั้งใจจะทำ" in html and "บันทึกคำตอบ" in html
    assert "เกิดอะไรขึ้น: อะไรช่วยให้ทำได้ อะไรเป็นอุปสรรค" in html


def test_english_by_the_link_or_the_persons_language(client, participant, commitment):
    html = client.get(url(participant) + "?lang=en").content.decode()
    assert '<html lang="en">' in html and "How did it go?" in html and "Partly done" in html
    english = ParticipantFactory(language="en")
    CommitmentFactory(aar=AARFactory(participant=english))
    assert '<html lang="en">' in client.get(url(english)).content.decode()


def test_an_answer_is_saved_with_its_history_and_leads_back(client, participant, commitment):
    response = client.post(url(participant), answer(commitment, "partly", "ทีมยังไม่ว่าง"))
    assert response.status_code == 302 and response.url == url(participant)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.outcome) == ("partly", "ทีมยังไม่ว่าง")
    assert commitment.answers.get().saved_by == participant.full_name
    page = client.get(response.url).content.decode()
    assert "ทีมยังไม่ว่าง" in page


def test_the_language_of_the_link_is_kept_after_saving(client, participant, commitment):
    response = client.post(url(participant) + "?lang=en", answer(commitment, "done", ""))
    assert response.url == url(participant) + "?lang=en"
    assert "Thank you. Your answers are saved." in client.get(response.url).content.decode()


def test_earlier_answers_show_under_the_commitment(client, participant, commitment):
    checkback_save(participant=participant, answers={commitment.pk: ("not_yet", "ติดงานอื่น")})
    checkback_save(participant=participant, answers={commitment.pk: ("partly", "เริ่มแล้ว")})
    checkback_save(participant=participant, answers={commitment.pk: ("done", "เสร็จแล้ว")})
    html = client.get(url(participant) + "?lang=en").content.decode()
    latest = html[html.index('class="aar-latest-answer') :]
    assert "เสร็จแล้ว" in latest[: latest.index("</div>")]
    history = html[html.index('class="aar-answer-history') : html.index("</details>")]
    assert "Earlier answers (2)" in history
    assert history.index("เริ่มแล้ว") < history.index("ติดงานอื่น")  # newest first
    assert "Partly done" in history and "Not yet" in history
    # The form starts from the current answer.
    assert re.search(rf'name="c{commitment.pk}-status" value="done"[^>]*checked', html)


def test_nothing_chosen_is_a_clear_message_and_nothing_is_saved(client, participant, commitment):
    response = client.post(url(participant) + "?lang=en", answer(commitment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "choose how at least one commitment went" in html
    assert "<title>Error: " in html
    assert not CommitmentAnswer.objects.exists()


def test_words_without_a_status_are_an_error_beside_it_and_are_kept(
    client, participant, commitment
):
    response = client.post(url(participant) + "?lang=en", answer(commitment, "", "ได้ลองบ้าง"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_c{commitment.pk}-status_error"' in html
    assert f'href="#id_c{commitment.pk}-status_0"' in html  # in the summary, to the first radio
    assert re.search(rf'name="c{commitment.pk}-outcome"[^>]*>ได้ลองบ้าง</textarea>', html)
    assert not CommitmentAnswer.objects.exists()


def test_an_unknown_status_is_refused(client, participant, commitment):
    response = client.post(url(participant), answer(commitment, "open", "x"))
    assert response.status_code == 200
    assert f'id="id_c{commitment.pk}-status_error"' in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_an_overlong_answer_is_refused_and_kept(client, participant, commitment):
    text = "ข" * 5_001
    response = client.post(url(participant), answer(commitment, "done", text))
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not CommitmentAnswer.objects.exists()


def test_the_same_answer_again_changes_nothing(client, participant, commitment):
    client.post(url(participant), answer(commitment, "done", "ok"))
    response = client.post(url(participant) + "?lang=en", answer(commitment, "done", "ok"))
    assert response.status_code == 302
    assert commitment.answers.count() == 1
    assert "Nothing has changed" in client.get(response.url).content.decode()


@pytest.mark.parametrize("state", ["closed", "archived"])
def test_a_closed_or_archived_session_still_takes_answers(client, participant, commitment, state):
    session = participant.session
    session.close() if state == "closed" else session.archive()
    assert client.get(url(participant)).status_code == 200
    response = client.post(url(participant), answer(commitment, "dropped", "เปลี่ยนแผน"))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "dropped"


def test_a_removed_participant_gets_the_friendly_404(client, participant, commitment):
    assert participant.remove()  # kept in the archive: they wrote an AAR
    page = client.get(url(participant))
    assert page.status_code == 404
    assert "ไม่พบลิงก์นี้" in page.content.decode() and commitment.text not in page.content.decode()
    response = client.post(url(participant), answer(commitment, "done", ""))
    assert response.status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_an_unknown_link_gets_the_friendly_404(client):
    assert client.get(reverse("aar:checkback", args=["no-such-token-0123"])).status_code == 404


def test_another_persons_commitment_in_the_post_is_not_changed(client, participant, commitment):
    theirs = CommitmentFactory(aar=AARFactory(participant=ParticipantFactory()))
    data = {**answer(commitment, "done", "ของฉัน"), **answer(theirs, "dropped", "แอบแก้")}
    response = client.post(url(participant), data)
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.status, theirs.outcome) == ("open", "")
    assert not theirs.answers.exists()
    commitment.refresh_from_db()
    assert commitment.status == "done"


def test_only_another_persons_commitment_in_the_post_saves_nothing(client, participant, commitment):
    theirs = CommitmentFactory(aar=AARFactory(participant=ParticipantFactory()))
    response = client.post(url(participant), answer(theirs, "dropped", "แอบแก้"))
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_no_commitments_is_a_friendly_page_with_the_way_back(client, participant):
    response = client.get(url(participant) + "?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No commitments yet" in html
    assert reverse("aar:entry", args=[participant.token]) in html
    assert "<form" not in html.split("<main", 1)[1]
    assert client.post(url(participant), {}).status_code == 200  # nothing to answer


def test_a_get_never_changes_anything(client, participant, commitment):
    client.get(
        url(participant) + "?" + "&".join(f"{k}={v}" for k, v in answer(commitment, "done").items())
    )
    commitment.refresh_from_db()
    assert commitment.status == "open" and not CommitmentAnswer.objects.exists()


def test_other_methods_are_refused(client, participant):
    assert client.put(url(participant)).status_code == 405


@pytest.mark.parametrize("n", [1, 10])
def test_the_page_takes_the_same_queries_however_many_commitments(
    client, participant, n, django_assert_num_queries
):
    aar = AARFactory(participant=participant)
    for commitment in CommitmentFactory.create_batch(n, aar=aar):
        checkback_save(participant=participant, answers={commitment.pk: ("partly", "a")})
        checkback_save(participant=participant, answers={commitment.pk: ("done", "b")})
    # participant with session/host/organisation/AAR (1), peers prefetch (1),
    # the commitments (1), their answers (1)
    with django_assert_num_queries(4):
        response = client.get(url(participant))
    assert response.content.decode().count('class="card mb-3 aar-checkback"') == n
    assert Commitment.objects.count() == n
