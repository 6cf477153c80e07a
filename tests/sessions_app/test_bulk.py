"""The bulk-add parser: pure functions, no database."""

import pytest

from sessions_app import bulk
from sessions_app.models import Organisation, Participant

HOST = Organisation(
    pk=1, name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
)
KMI = Organisation(pk=2, name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส.")
INDEX = bulk.OrganisationIndex.build([HOST, KMI])


def parse(text, **kwargs):
    kwargs.setdefault("organisations", INDEX)
    kwargs.setdefault("host_id", HOST.pk)
    return bulk.parse(text, **kwargs)


def test_thai_names_with_combining_marks_are_kept_exactly():
    rows = parse(
        "น้ำฝน ศรีสุข, namfon@example.org, สสส., ทีมเจ้าภาพ\nผู้ใหญ่ลี่ บุญมา, lee@example.org, สคส., คุณลิขิต"
    )
    assert [row.full_name for row in rows] == ["น้ำฝน ศรีสุข", "ผู้ใหญ่ลี่ บุญมา"]
    assert all(row.ok for row in rows)
    assert rows[0].organisation is HOST
    assert rows[0].role == Participant.Role.HOST
    assert rows[1].organisation is KMI
    assert rows[1].role == Participant.Role.NOTE_TAKER


def test_bom_crlf_and_header_row_are_handled():
    lines = ["\ufeffName,Email,Organisation,Role", "สมชาย ใจดี,SOMCHAI@Example.org,KMI,peer", "", ""]
    data = "\r\n".join(lines).encode()
    rows = parse(bulk.decode(data))
    assert len(rows) == 1
    assert rows[0].full_name == "สมชาย ใจดี"
    assert rows[0].email == "somchai@example.org"
    assert rows[0].line == 2


def test_tabs_from_a_spreadsheet_paste_and_commas_in_quoted_names():
    rows = parse("Jaidee, Somchai\tsomchai@example.org\tthaihealth\tHost team\n")
    assert rows[0].full_name == "Jaidee, Somchai"
    assert rows[0].organisation is HOST
    quoted = parse('"Jaidee, Somchai", somchai@example.org, สคส, ทีมเพื่อน')
    assert quoted[0].full_name == "Jaidee, Somchai"
    assert quoted[0].organisation is KMI
    assert quoted[0].role == Participant.Role.PEER


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("peer", "peer"),
        ("Peer team", "peer"),
        ("ทีมเพื่อน", "peer"),
        ("คุณอำนวย", "facilitator"),
        ("Facilitator (คุณอำนวย)", "facilitator"),
        ("คุณลิขิต", "note_taker"),
        ("note-taker", "note_taker"),
        ("  HOST  ", "host"),
        ("ผู้ประสานงาน", "coordinator"),
        ("observer", "observer"),
    ],
)
def test_roles_match_by_code_english_or_thai(text, role):
    assert bulk.match_role(text) == role


def test_organisations_match_by_any_name_ignoring_case_and_spaces():
    for text in ("สสส.", "สสส", "thaihealth", "Thai Health", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ"):
        assert INDEX.find(text) == (HOST, None), text


def test_empty_role_is_host_team_for_the_host_and_peer_otherwise():
    rows = parse("ก, , สสส.\nข, , สคส.\nค")
    assert [row.role for row in rows] == ["host", "peer", "peer"]
    assert rows[2].organisation is None
    assert all(row.ok for row in rows)


def test_every_kind_of_error_is_reported_on_its_row():
    rows = parse(
        "\n".join(
            [
                "ก, not-an-email, สสส., peer",
                "ข, b@example.org, Nowhere Org, peer",
                "ค, c@example.org, สสส., captain",
                ", d@example.org, สสส., peer",
                "จ, c@example.org, สสส., peer",
                "ฉ, taken@example.org, สสส., peer",
                "ช, g@example.org, สสส., peer, th, extra",
                "ซ, h@example.org, สสส., peer, klingon",
            ]
        ),
        existing_emails=["Taken@example.org"],
    )
    errors = [" ".join(row.errors) for row in rows]
    assert "not-an-email" in errors[0]
    assert "Nowhere Org" in errors[1]
    assert "captain" in errors[2]
    assert errors[3]  # missing name
    assert "3" in errors[4]  # also on line 3
    assert "taken@example.org" in errors[5]
    assert errors[6]  # too many columns
    assert "klingon" in errors[7]
    assert not any(row.ok for row in rows)


def test_language_column_is_optional():
    rows = parse("Jane Doe, jane@example.org, KMI, peer, English")
    assert rows[0].language == "en"


def test_ambiguous_organisation_prefers_the_sessions_own():
    twin = Organisation(pk=3, name="สสส.", name_en="Other", short_name="")
    index = bulk.OrganisationIndex.build([HOST, twin], preferred_ids=[HOST.pk])
    assert index.find("สสส.") == (HOST, None)
    org, error = bulk.OrganisationIndex.build([HOST, twin]).find("สสส.")
    assert org is None and error


def test_binary_file_is_refused():
    with pytest.raises(bulk.BulkInputError):
        bulk.decode(b"PK\x03\x04\x00\x00binary")


def test_invalid_utf8_is_refused():
    with pytest.raises(bulk.BulkInputError):
        bulk.decode("สมชาย,a@example.org".encode("tis-620"))


def test_over_one_megabyte_is_refused():
    with pytest.raises(bulk.BulkInputError):
        bulk.decode(b"a" * (bulk.MAX_BYTES + 1))
    with pytest.raises(bulk.BulkInputError):
        parse("ก" * bulk.MAX_BYTES)


def test_over_a_thousand_rows_is_refused_but_a_thousand_is_fine():
    lines = [f"คน {i}, p{i}@example.org, สสส., peer" for i in range(bulk.MAX_ROWS)]
    assert len(parse("\n".join(lines))) == bulk.MAX_ROWS
    with pytest.raises(bulk.BulkInputError):
        parse("\n".join([*lines, "คนเกิน, extra@example.org, สสส., peer"]))
