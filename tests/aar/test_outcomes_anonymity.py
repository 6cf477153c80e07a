"""The outcomes page and its export honour commitments shown without the writer's name
(issue 18, item 2): no name and no role beside them, their place in the list says
nothing of who wrote them, and named commitments keep their name."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aar.models import AAR, Commitment
from sessions_app.models import Participant
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
URL = reverse("followup:outcomes")
S = Commitment.Status

NAMED = "กนก มีชื่อ"
NAMED_TEXT = "ข สัญญาแบบมีชื่อ"
# Writers who asked to show their commitments without their name. Their texts sort the
# other way round from their names (ขจร before ฮูก, ฮ/ง texts after ก/ค).
SECRET = {
    "ขจร ลับนาม": ["ฮ สัญญาลับของขจร", "ค สัญญาลับของขจร"],
    "ฮูก ลับนาม": ["ก สัญญาลับของฮูก"],
}
SECRET_TEXTS = sorted(text for texts in SECRET.values() for text in texts)
EVIL = '=HYPERLINK("http://evil")'


def _writer(session, name, texts, *, anonymous=(), sharing="participants", role=None):
    person = ParticipantFactory(session=session, full_name=name, role=role or Participant.Role.PEER)
    aar = AARFactory(participant=person, anonymous=list(anonymous), sharing=sharing)
    for position, text in enumerate(texts):
        CommitmentFactory(
            aar=aar,
            position=position,
            text=text,
            status=S.DONE,
            outcome=f"ผลของ {text}",
            answered_at=timezone.now(),
        )
    return aar


@pytest.fixture
def writers(assist_session):
    """One named writer (a host, whose goal alone is anonymous: the commitments keep the
    name), two who show their commitments without their name (one of them organisers
    only)."""
    named = _writer(
        assist_session, NAMED, [NAMED_TEXT], anonymous=["goal"], role=Participant.Role.HOST
    )
    first, second = SECRET
    secret = [
        _writer(assist_session, first, SECRET[first], anonymous=["commitments"]),
        _writer(
            assist_session,
            second,
            SECRET[second],
            anonymous=["goal", "commitments"],
            sharing=AAR.Sharing.ORGANISERS,
        ),
    ]
    return named, secret


def _rows_on_page(html: str) -> list[str]:
    body = html[html.index('id="list-heading"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def _export(client, fmt: str, **params) -> list[list[str]]:
    response = client.get(reverse("followup:outcomes_export", args=[fmt]), params)
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


# --- The page -------------------------------------------------------------------------


def test_the_page_shows_anonymous_commitments_without_name_or_role(coordinator, writers):
    html = coordinator.get(URL).content.decode()
    rows = _rows_on_page(html)
    assert len(rows) == 4
    peer_role = Participant.Role.PEER.label
    for text in SECRET_TEXTS:
        (row,) = [row for row in rows if text in row]
        assert "ไม่ระบุชื่อ" in row  # "Anonymous"
        for name in (*SECRET, NAMED):
            assert name not in row
        assert str(peer_role) not in row
        assert f"ผลของ {text}" in row  # what happened is still there
        assert 'text-nowrap">' not in row.split("ผลของ")[1]  # but not when it was said
    # Nowhere else on the page either: these writers have no named commitment.
    for name in SECRET:
        assert name not in html
    assert 'id="without-name-note"' in html


def test_a_named_commitment_keeps_its_name_and_role(coordinator, writers):
    rows = _rows_on_page(coordinator.get(URL).content.decode())
    (row,) = [row for row in rows if NAMED_TEXT in row]
    assert NAMED in row
    assert str(Participant.Role.HOST.label) in row
    assert "ไม่ระบุชื่อ" not in row
    assert 'text-nowrap">' in row.split("ผลของ")[1]  # with when it was answered


def test_anonymous_commitments_follow_the_named_ones_by_their_text(coordinator, writers):
    rows = _rows_on_page(coordinator.get(URL).content.decode())
    texts = [next(t for t in (NAMED_TEXT, *SECRET_TEXTS) if t in row) for row in rows]
    # Named first, then by the words (ก ค ฮ), not by their writers (ขจร's two, then ฮูก's).
    assert texts == [NAMED_TEXT, *SECRET_TEXTS]


def test_organisers_only_aars_still_appear_for_organisers(coordinator, writers):
    _named, secret = writers
    assert secret[1].sharing == AAR.Sharing.ORGANISERS
    html = coordinator.get(URL).content.decode()
    assert "ก สัญญาลับของฮูก" in html


def test_a_page_without_anonymous_commitments_has_no_note(coordinator, assist_session):
    _writer(assist_session, NAMED, [NAMED_TEXT])
    html = coordinator.get(URL).content.decode()
    assert NAMED in html and 'id="without-name-note"' not in html


def test_the_status_filter_keeps_them_anonymous(coordinator, writers):
    html = coordinator.get(URL, {"commitment": S.DONE}).content.decode()
    for text in SECRET_TEXTS:
        assert text in html
    for name in SECRET:
        assert name not in html


def test_outsiders_never_see_them(outsider, writers):
    html = outsider.get(URL).content.decode()
    for text in (NAMED_TEXT, *SECRET_TEXTS):
        assert text not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_the_page_queries_stay_constant_with_anonymous_rows(coordinator, org):
    counts = []
    for sessions in (2, 12):
        while org.organised_sessions.count() < sessions:
            session = AssistSessionFactory(organiser=org)
            _writer(session, "ผู้มีชื่อ", ["ก", "ข"])
            _writer(session, "ผู้ไม่ระบุ", ["ค", "ง"], anonymous=["commitments"])
        counts.append(_queries(coordinator))
    assert counts[0] == counts[1], counts


# --- The export -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_never_puts_a_name_beside_an_anonymous_commitment(coordinator, writers, fmt):
    rows = _export(coordinator, fmt)
    header, body = rows[0], rows[1:]
    name, role, text = 3, 4, 5
    assert len(body) == 4
    flat = "\n".join("\t".join(row) for row in body)
    for secret_name in SECRET:
        assert secret_name not in flat  # no named row for them at all
    for row in body:
        if row[text] in SECRET_TEXTS:
            assert row[name] == "ไม่ระบุชื่อ"
            assert row[role] == ""
            assert NAMED not in row
            assert row[8] == f"ผลของ {row[text]}"  # the outcome stays with its text
            assert row[9] == ""  # no time of answering: it could tie it to the writer
        else:
            assert row[text] == NAMED_TEXT
            assert row[name] == NAMED and row[role] == str(Participant.Role.HOST.label)
            assert row[9]  # answered, with its time
    # Named rows first, then the anonymous ones by their text.
    assert [row[text] for row in body] == [NAMED_TEXT, *SECRET_TEXTS]
    assert len(header) == len(body[0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_anonymous_rows_of_each_session_follow_its_named_ones(coordinator, org, fmt):
    import datetime

    older = AssistSessionFactory(organiser=org, title="วงเก่า", date=datetime.date(2025, 1, 5))
    newer = AssistSessionFactory(organiser=org, title="วงใหม่", date=datetime.date(2025, 6, 5))
    for session in (older, newer):
        _writer(session, f"คนมีชื่อ {session.title}", [f"ฮ มีชื่อ {session.title}"])
        _writer(
            session,
            f"คนลับ {session.title}",
            [f"ข ลับ {session.title}", f"ก ลับ {session.title}"],
            anonymous=["commitments"],
        )
    body = _export(coordinator, fmt)[1:]
    assert [(row[1], row[5]) for row in body] == [
        ("วงใหม่", "ฮ มีชื่อ วงใหม่"),
        ("วงใหม่", "ก ลับ วงใหม่"),
        ("วงใหม่", "ข ลับ วงใหม่"),
        ("วงเก่า", "ฮ มีชื่อ วงเก่า"),
        ("วงเก่า", "ก ลับ วงเก่า"),
        ("วงเก่า", "ข ลับ วงเก่า"),
    ]
    assert not any("คนลับ" in cell for row in body for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_anonymous_rows_stay_injection_safe(coordinator, assist_session, fmt):
    _writer(assist_session, "ผู้เขียนสูตร", [EVIL], anonymous=["commitments"])
    body = _export(coordinator, fmt)[1:]
    (row,) = body
    assert row[5] == "'" + EVIL
    assert row[8] == "ผลของ " + EVIL  # not at the start of the cell: left as it is
    assert "ผู้เขียนสูตร" not in row
