"""Question sets generalised the AAR's storage: the four parts' columns became
``answers`` (aar 0010–0012). Tested forwards and backwards on a database with AARs and
their versions in it: no word is lost either way."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# sessions_app stays at its newest: only the AAR app moves.
SESSIONS = ("sessions_app", "0013_participant_expectation")
BEFORE = [("aar", "0009_recount_followup"), SESSIONS]
AFTER = [("aar", "0012_remove_four_part_columns"), SESSIONS]
FOUR = ("goal", "achieved", "not_achieved", "next_steps")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def at_the_four_columns():
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_latest())  # leave the database as the other tests expect it


def _aars(apps, count=3):
    """AARs with versions, written as the four columns held them (Thai, English, empty,
    and a long text), through the models of that time."""
    Organisation = apps.get_model("sessions_app", "Organisation")
    AssistSession = apps.get_model("sessions_app", "AssistSession")
    Participant = apps.get_model("sessions_app", "Participant")
    AAR = apps.get_model("aar", "AAR")
    AARVersion = apps.get_model("aar", "AARVersion")
    org = Organisation.objects.create(name="สคส.")
    session = AssistSession.objects.create(
        organiser=org,
        host=org,
        title="Peer Assist",
        date=datetime.date(2026, 1, 5),
        aar_deadline=datetime.date(2026, 1, 12),
    )
    texts = {}
    for n in range(count):
        person = Participant.objects.create(session=session, full_name=f"คน {n}", token=f"t{n}")
        parts = {
            "goal": f"เป้าหมาย {n} ✨",
            "achieved": "What went well\nline two",
            "not_achieved": "" if n == 0 else "ยังไม่ได้ " * 500,
            "next_steps": f"ทำต่อ {n}",
        }
        aar = AAR.objects.create(participant=person, status="submitted", **parts)
        AARVersion.objects.create(aar=aar, status="draft", saved_by="x", **parts)
        AARVersion.objects.create(
            aar=aar, status="submitted", saved_by="x", **{**parts, "goal": "ร่างแรก"}
        )
        texts[aar.pk] = parts
    return texts


def test_forwards_every_part_of_every_aar_and_version_is_in_answers(at_the_four_columns):
    texts = _aars(at_the_four_columns)
    apps = _migrate(AFTER)
    AAR = apps.get_model("aar", "AAR")
    AARVersion = apps.get_model("aar", "AARVersion")
    for aar in AAR.objects.all():
        assert aar.answers == texts[aar.pk]
        assert aar.question_set_id is None  # the default: KMI's four parts
    for version in AARVersion.objects.all():
        expected = texts[version.aar_id]
        if version.status == "submitted":
            expected = {**expected, "goal": "ร่างแรก"}
        assert version.answers == expected
    assert set(apps.get_model("aar", "QuestionSet").objects.values_list("slug", flat=True)) == {
        "kmi",
        "army",
    }


def test_backwards_the_columns_come_back_word_for_word(at_the_four_columns):
    texts = _aars(at_the_four_columns)
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    AAR = apps.get_model("aar", "AAR")
    for aar in AAR.objects.all():
        assert {name: getattr(aar, name) for name in FOUR} == texts[aar.pk]
    firsts = apps.get_model("aar", "AARVersion").objects.filter(status="submitted")
    assert {version.goal for version in firsts} == {"ร่างแรก"}


def test_backwards_refuses_rather_than_lose_answers_to_another_set(at_the_four_columns):
    texts = _aars(at_the_four_columns, count=1)
    apps = _migrate(AFTER)
    AAR = apps.get_model("aar", "AAR")
    army = apps.get_model("aar", "QuestionSet").objects.get(slug="army")
    AAR.objects.update(question_set=army, answers={"supposed": "ควรเกิด", "happened": "เกิด"})
    with pytest.raises(RuntimeError, match="another question set"):
        _migrate(BEFORE)
    # Nothing was lost: still the Army answers, under the new storage.
    apps = _migrate(AFTER)
    aar = apps.get_model("aar", "AAR").objects.get(pk=next(iter(texts)))
    assert aar.answers == {"supposed": "ควรเกิด", "happened": "เกิด"}


def test_zz_the_built_in_sets_are_there_after_the_migration_tests():
    """Runs after the tests above (same module, in order): their flush must not take
    the built-in sets from the tests that follow (aar.apps.ensure_built_in_sets puts
    them back after every flush, as Django does its content types)."""
    from aar.models import QuestionSet

    assert set(QuestionSet.objects.values_list("slug", flat=True)) >= {"kmi", "army"}
