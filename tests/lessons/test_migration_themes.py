"""lessons 0005 counts the themes of a database that already holds AARs: the answer rows
of drafts are marked as not counted, and the submitted AARs' words are counted. Tested
forwards and backwards on a database with AARs in it."""

import datetime

import pytest

from tests.helpers import migrate_to, migrate_to_the_end

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lessons", "0004_lessons_themes")]
AFTER = [("lessons", "0005_mark_drafts_and_count_themes")]


@pytest.fixture
def before_the_counts():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_the_end()


def _aar(apps, session, n, status, not_achieved):
    Participant = apps.get_model("sessions_app", "Participant")
    AAR = apps.get_model("aar", "AAR")
    SearchEntry = apps.get_model("lessons", "SearchEntry")
    person = Participant.objects.create(session=session, full_name=f"คน {n}", token=f"t{n}")
    answers = {"goal": "อยากเรียนรู้", "not_achieved": not_achieved}
    aar = AAR.objects.create(participant=person, status=status, answers=answers)
    for position, (part, text) in enumerate(answers.items()):
        SearchEntry.objects.create(
            session=session, kind="answer", part=part, aar=aar, participant=person,
            position=position, text=text,
        )  # fmt: skip
    return aar


def test_drafts_are_marked_and_submitted_words_counted_then_undone(before_the_counts):
    apps = before_the_counts
    Organisation = apps.get_model("sessions_app", "Organisation")
    AssistSession = apps.get_model("sessions_app", "AssistSession")
    org = Organisation.objects.create(name="สคส.")
    session = AssistSession.objects.create(
        organiser=org,
        host=org,
        title="Peer Assist",
        date=datetime.date(2026, 3, 9),
        aar_deadline=datetime.date(2026, 3, 16),
    )
    _aar(apps, session, 1, "submitted", "งบประมาณไม่พอ")
    draft = _aar(apps, session, 2, "draft", "ผู้บริหารไม่ว่าง")

    apps = migrate_to(AFTER)
    SearchEntry = apps.get_model("lessons", "SearchEntry")
    ThemeCount = apps.get_model("lessons", "ThemeCount")
    positions = set(SearchEntry.objects.filter(aar_id=draft.pk).values_list("position", flat=True))
    assert positions == {1000, 1001}
    words = dict(
        ThemeCount.objects.filter(part="not_achieved", count__gt=0).values_list("word", "count")
    )
    assert words.get("งบประมาณ") == 1
    assert "ผู้บริหาร" not in words  # the draft's
    assert set(ThemeCount.objects.values_list("month", flat=True)) == {datetime.date(2026, 3, 1)}

    apps = migrate_to(BEFORE)
    SearchEntry = apps.get_model("lessons", "SearchEntry")
    positions = set(SearchEntry.objects.filter(aar_id=draft.pk).values_list("position", flat=True))
    assert positions == {0, 1}
    assert not apps.get_model("lessons", "ThemeCount").objects.exists()
