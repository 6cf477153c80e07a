"""The search index and its engines: rows follow the text, the engine finds Thai
substrings, and nobody finds what they may not read."""

import datetime

import pytest
from django.db import connection

from aar.models import AAR
from aar.services import aar_save
from lessons import search as lessons_search
from lessons.models import SearchEntry
from lessons.search import parse, search
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def found(user, q, **filters):
    return [(row.kind, row.part, row.text) for row in search(user, parse(q), **filters)]


def test_an_answer_is_found_by_a_thai_substring(assist_session, coordinator_user):
    aar = AARFactory(participant__session=assist_session, not_achieved="ยังไม่เห็นการตอบรับจากชุมชน")
    assert ("answer", "not_achieved", "ยังไม่เห็นการตอบรับจากชุมชน") in found(coordinator_user, "ตอบรับ")
    assert found(coordinator_user, "ไม่มีคำนี้แน่นอน") == []
    assert SearchEntry.objects.filter(aar=aar).count() == 4


def test_two_character_query_scans_and_finds(assist_session, coordinator_user):
    AARFactory(participant__session=assist_session, goal="ฟังเพื่อน")
    assert parse("ฟั").short
    assert [text for _, _, text in found(coordinator_user, "ฟั")] == ["ฟังเพื่อน"]


def test_fts_syntax_is_searched_as_text(assist_session, coordinator_user):
    AARFactory(participant__session=assist_session, goal='ใช้ "NEAR(a b)" -x * AND (ok)')
    for q in [
        '"',
        "*",
        "NEAR",
        "AND",
        "-",
        "(",
        ")",
        'NEAR(a b)"',
        "' OR 1=1 --",
        "😀",
        "a" * 10000,
    ]:
        list(search(coordinator_user, parse(q)))
    assert found(coordinator_user, '"NEAR(a')


def test_an_outsider_finds_nothing(assist_session, outsider_user):
    AARFactory(participant__session=assist_session, goal="ความลับของเจ้าภาพ")
    assert found(outsider_user, "ความลับ") == []


def test_staff_of_a_participating_organisation_read_only_widely_shared_aars(
    assist_session, django_user_model
):
    peer_org = OrganisationFactory()
    reader = django_user_model.objects.create_user("peer_reader")
    MembershipFactory(user=reader, organisation=peer_org)
    writer = ParticipantFactory(session=assist_session, organisation=peer_org)
    AARFactory(participant=writer, goal="บทเรียนจากหน้างาน", sharing=AAR.Sharing.PARTICIPANTS)
    assert found(reader, "บทเรียน") == []
    aar_save(participant=writer, data={"sharing": AAR.Sharing.ORGANISATIONS}, submit=True)
    assert [text for _, _, text in found(reader, "บทเรียน")] == ["บทเรียนจากหน้างาน"]


def test_the_engine_is_the_databases_own(assist_session):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'lessons_searchentry_%%'"
            )
            assert len(cursor.fetchall()) == 3
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["lessons_searchentry_text_trgm"],
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]


def _anonymous_aar(session, text):
    writer = ParticipantFactory(session=session)
    AARFactory(participant=writer)
    return aar_save(
        participant=writer,
        data={
            "not_achieved": text,
            "sharing": AAR.Sharing.ORGANISATIONS,
            "anonymous": ["not_achieved"],
        },
        submit=True,
    )


def test_anonymous_rows_are_held_back_until_three_people_answer_that_way(assist_session):
    held = lambda: sorted(  # noqa: E731
        SearchEntry.objects.filter(anonymous=True).values_list("held_back", flat=True)
    )
    first = _anonymous_aar(assist_session, "งบประมาณไม่พอ")
    _anonymous_aar(assist_session, "คนไม่พอ")
    assert held() == [True, True]
    third = _anonymous_aar(assist_session, "เวลาไม่พอ")
    assert held() == [False, False, False]
    # One of the three deleted (the admin), or erased: the other two are held back again.
    from aar.services import aar_delete

    aar_delete(aar=third)
    assert held() == [True, True]
    assert SearchEntry.objects.filter(aar=first, part="goal", held_back=False).exists()


def test_a_rebuild_finds_the_same_and_keeps_the_engine_current(assist_session, coordinator_user):
    from lessons.index import rebuild

    aar = AARFactory(participant__session=assist_session, goal="สร้างชุมชนนักปฏิบัติ")
    before = sorted(SearchEntry.objects.values_list("kind", "part", "text"))
    rebuild()
    assert sorted(SearchEntry.objects.values_list("kind", "part", "text")) == before
    assert found(coordinator_user, "นักปฏิบัติ") == [("answer", "goal", "สร้างชุมชนนักปฏิบัติ")]
    # The engine follows writes after a rebuild too (SQLite: its triggers are back).
    aar_save(participant=aar.participant, data={"goal": "ตลาดนัดความรู้"}, submit=True)
    assert found(coordinator_user, "นักปฏิบัติ") == []
    assert found(coordinator_user, "ตลาดนัด") == [("answer", "goal", "ตลาดนัดความรู้")]
    test_the_engine_is_the_databases_own(assist_session)


def test_submitting_the_third_anonymous_draft_releases_the_others(assist_session):
    for text in ("งบประมาณไม่พอ", "คนไม่พอ"):
        _anonymous_aar(assist_session, text)
    writer = ParticipantFactory(session=assist_session)
    data = {"not_achieved": "เวลาไม่พอ", "sharing": AAR.Sharing.ORGANISATIONS}
    aar_save(participant=writer, data={**data, "anonymous": ["not_achieved"]}, submit=False)
    assert set(SearchEntry.objects.filter(anonymous=True).values_list("held_back", flat=True)) == {
        True
    }
    # The same words, now submitted: no row changes, yet the count does.
    aar_save(participant=writer, data=data, submit=True)
    assert set(SearchEntry.objects.filter(anonymous=True).values_list("held_back", flat=True)) == {
        False
    }


def _texts(rows):
    return [row.text for row in rows]


def test_relevance_puts_the_densest_answer_first_and_date_the_newest_session(
    assist_session, coordinator_user
):
    older = AssistSessionFactory(
        organiser=assist_session.organiser,
        date=assist_session.date - datetime.timedelta(days=30),
    )
    AARFactory(
        participant__session=older, goal="ทีม ทีม ทีม", achieved="", not_achieved="", next_steps=""
    )
    AARFactory(
        participant__session=assist_session,
        goal="เรื่องยาวที่พูดถึงทีมเพียงครั้งเดียว " * 5,
        achieved="",
        not_achieved="",
        next_steps="",
    )
    by_relevance = _texts(search(coordinator_user, parse("ทีม")))
    assert by_relevance[0] == "ทีม ทีม ทีม"
    by_date = _texts(search(coordinator_user, parse("ทีม"), sort="date"))
    assert by_date[-1] == "ทีม ทีม ทีม"


def test_only_the_newest_matches_are_found_and_ranked(
    assist_session, coordinator_user, monkeypatch
):
    monkeypatch.setattr(lessons_search, "COUNT_LIMIT", 2)
    aars = [
        AARFactory(
            participant__session=assist_session,
            goal=f"บทเรียน {i}",
            achieved="",
            not_achieved="",
            next_steps="",
        )
        for i in range(4)
    ]
    hits = lessons_search.found(coordinator_user, parse("บทเรียน"))
    newest = SearchEntry.objects.filter(aar__in=aars).order_by("-pk")
    assert [hit.pk for hit in hits] == list(newest.values_list("pk", flat=True)[:3])
    assert lessons_search.count_of(hits) == (2, True)
    assert len(lessons_search.ranked(hits)) == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's engine")
def test_sqlite_reads_the_matches_in_the_engines_order_and_sorts_nothing(
    assist_session, coordinator_user
):
    """FTS5 hands the matches over newest first and the search stops at the limit: no
    temporary B-tree sorts every match (a common word took 420 ms so over 100,000 AARs,
    3 ms in the engine's order: BENCHMARKS.md, issue 18)."""
    AARFactory(participant__session=assist_session, goal="บทเรียนจากหน้างาน")
    rows = lessons_search.newest_first(
        lessons_search.matching(lessons_search.readable(coordinator_user), parse("บทเรียน"))
    )
    sql, params = rows.values_list("pk", flat=True)[:10].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert plan[0].startswith(f"SCAN {lessons_search.FTS} VIRTUAL TABLE")
    assert not [step for step in plan if "TEMP B-TREE FOR ORDER BY" in step], plan
    assert list(rows.values_list("text", flat=True)) == ["บทเรียนจากหน้างาน"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's engine")
def test_postgresql_matches_the_text_itself_on_its_trigram_index(assist_session, coordinator_user):
    """A Thai word is a plain LIKE and a word with case an ILIKE, both served by pg_trgm's
    index on the text; UPPER() of every row read cost twice the match (migration
    lessons 0003)."""
    AARFactory(participant__session=assist_session, goal="เห็ดนางฟ้า and Feedback")
    readable = lessons_search.readable(coordinator_user)
    for q, operator in [("นางฟ้า", "~~"), ("feedback", "~~*")]:
        rows = lessons_search.matching(readable, parse(q))
        sql, params = rows.values_list("pk", flat=True).query.sql_with_params()
        with connection.cursor() as cursor:
            # Only a bitmap scan is left to the planner: the trigram index, if it serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "lessons_searchentry_text_trgm" in plan, plan
        assert f"text {operator} " in plan and "upper(" not in plan.lower(), plan
        assert len(rows) == 1
