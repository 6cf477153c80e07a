import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from aar.exports import neutralise
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

THAI = "น้ำใจ ผู้ใหญ่ลี่ เรียนรู้ 🙏\nบรรทัดสอง"
EVIL = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def filled(assist_session):
    for index, text in enumerate([THAI, *EVIL]):
        participant = ParticipantFactory(
            session=assist_session, full_name=f"คนที่ {index}" if index else "=cmd|' /C calc'!A0"
        )
        AARFactory(participant=participant, goal=text)
    ParticipantFactory(session=assist_session, full_name="ยังไม่เขียน")
    return assist_session


def _csv_rows(response):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read Thai"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_session_export_round_trips_thai_and_neutralises_formulas(coordinator, filled, fmt):
    response = coordinator.get(reverse("followup:session_export", args=[filled.pk, fmt]))
    assert response.status_code == 200
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    header, body = rows[0], rows[1:]
    goal = header.index("เป้าหมายของฉัน")
    goals = [row[goal] for row in body]
    assert THAI in goals
    for evil in EVIL:
        assert "'" + evil in goals and evil not in goals
    names = [row[0] for row in body]
    assert "'=cmd|' /C calc'!A0" in names
    assert "ยังไม่เขียน" in names  # missing people are listed too


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dashboard_export_follows_the_filters(coordinator, filled, fmt, org):
    from tests.factories import AssistSessionFactory

    AssistSessionFactory(organiser=org, title="=อีกวงหนึ่ง")
    url = reverse("followup:dashboard_export", args=[fmt])
    rows = (_csv_rows if fmt == "csv" else _xlsx_rows)(coordinator.get(url))
    titles = [row[1] for row in rows[1:]]
    assert set(titles) == {filled.title, "'=อีกวงหนึ่ง"}
    rows = (_csv_rows if fmt == "csv" else _xlsx_rows)(coordinator.get(url, {"q": "อีกวง"}))
    assert [row[1] for row in rows[1:]] == ["'=อีกวงหนึ่ง"]


def test_exports_are_for_members_only(outsider, client, filled):
    url = reverse("followup:session_export", args=[filled.pk, "csv"])
    assert outsider.get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_unknown_format_is_404(coordinator, filled):
    assert (
        coordinator.get(reverse("followup:session_export", args=[filled.pk, "pdf"])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1", "'=1"),
        ("\t=1", "'\t=1"),
        ("ปกติ", "ปกติ"),
        (3, 3),
        (None, None),
        # Spaces or control characters before the sign: still a formula to a spreadsheet.
        ('\x01=HYPERLINK("http://evil")', '\'\x01=HYPERLINK("http://evil")'),
        ("\x00+1", "'\x00+1"),
        (" =1", "' =1"),
        ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"),
        ("a=1", "a=1"),
        ("1-2", "1-2"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


SMUGGLED = ['\x01=HYPERLINK("http://evil","x")', "\x1b+1+1", "\x07\x08-2", "\x0b@SUM(A1)"]


def test_xlsx_control_characters_before_a_formula_never_make_a_live_formula(
    coordinator, assist_session
):
    for index, text in enumerate(SMUGGLED):
        participant = ParticipantFactory(session=assist_session, full_name=f"\x02=cmd|{index}")
        AARFactory(participant=participant, goal=text)
    url = reverse("followup:session_export", args=[assist_session.pk, "xlsx"])
    sheet = openpyxl.load_workbook(io.BytesIO(coordinator.get(url).content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells), [c.value for c in cells]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    for text in SMUGGLED:
        # The control characters are dropped (XLSX cannot hold them); the rest is text.
        cleaned = "".join(ch for ch in text if ord(ch) >= 32)
        assert "'" + cleaned in texts
    assert "'=cmd|0" in texts


def test_csv_control_characters_before_a_formula_are_neutralised(coordinator, assist_session):
    for text in SMUGGLED:
        AARFactory(participant=ParticipantFactory(session=assist_session), goal=text)
    url = reverse("followup:session_export", args=[assist_session.pk, "csv"])
    cells = [cell for row in _csv_rows(coordinator.get(url)) for cell in row]
    for text in SMUGGLED:
        assert "'" + text in cells and text not in cells
