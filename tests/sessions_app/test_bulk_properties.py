"""Property tests for the bulk-add parser (sessions_app/bulk.py): whatever is pasted or
uploaded, it answers with rows and their errors, never a crash; and a valid row comes
back exactly as typed, after its documented normalisation.

The normalisation: each cell has its whitespace runs collapsed to one space
(``" ".join(cell.split())``), the email is lower-cased, and a leading byte-order mark is
dropped from the text. Pure functions: no database.
"""

import csv
import io

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from sessions_app import bulk
from sessions_app.models import Organisation, Participant
from tests.helpers import examples

HOST = Organisation(
    pk=1, name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
)
KMI = Organisation(pk=2, name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส.")
INDEX = bulk.OrganisationIndex.build([HOST, KMI])
EMAIL_MAX = Participant._meta.get_field("email").max_length

FAST = examples(150)


def parse(text: str) -> list[bulk.Row]:
    return bulk.parse(text, organisations=INDEX, host_id=HOST.pk)


def collapsed(text: str) -> str:
    return " ".join(text.split())


def assert_rows_are_well_formed(rows: list[bulk.Row], text: str) -> None:
    """What any input gives back: rows, each normalised, each ok or saying why not."""
    assert isinstance(rows, list)
    assert len(rows) <= text.count("\n") + text.count("\r") + 1
    lines = [row.line for row in rows]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    for row in rows:
        assert row.line >= 1
        for cell in (row.full_name, row.organisation_text, row.role_text, row.language_text):
            assert cell == collapsed(cell)
        if row.ok:
            # Everything an ok row holds fits the database and the choices.
            assert 0 < len(row.full_name) <= bulk.NAME_MAX_LENGTH
            assert len(row.email) <= EMAIL_MAX
            assert row.role in Participant.Role.values
            assert row.language in Participant.Language.values
            assert row.organisation in (None, HOST, KMI)
        else:
            assert all(isinstance(error, str) and error for error in row.errors)


# Any text at all ------------------------------------------------------------------


@FAST
@given(text=st.text(max_size=400))
@example(text='"unclosed, quote\n')
@example(text="\ufeff\ufeffname\r\r\n\t,")
@example(text="a\u2028b, x@example.org\u2029\x85, สสส.")
def test_any_pasted_text_gives_rows_or_a_reason(text):
    try:
        rows = parse(text)
    except bulk.BulkInputError as error:
        # Only what cannot be read as a whole: here (small inputs) a NUL character.
        assert "\x00" in text
        assert str(error)
    else:
        assert "\x00" not in text
        assert_rows_are_well_formed(rows, text)


@FAST
@given(data=st.binary(max_size=400))
@example(data=b"\xef\xbb\xbfname,email\r\nA,a@example.org\r\n")
@example(data="น้ำฝน".encode()[:-1])
def test_any_uploaded_bytes_are_decoded_exactly_or_refused(data):
    try:
        text = bulk.decode(data)
    except bulk.BulkInputError as error:
        assert str(error)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return  # not UTF-8: refused, rightly
        assert b"\x00" in data  # UTF-8, but not text
    else:
        assert text == data.decode("utf-8").removeprefix(bulk.BOM)
        assert_rows_are_well_formed(parse(text), text)


@FAST
@given(text=st.text(max_size=400), bom=st.booleans())
def test_any_text_saved_as_csv_utf8_reads_as_if_pasted(text, bom):
    assume("\x00" not in text)
    data = (bulk.BOM if bom else "").encode() + text.encode("utf-8")
    decoded = bulk.decode(data)
    # One byte-order mark is the file's own, and dropped.
    assert decoded == (text if bom else text.removeprefix(bulk.BOM))
    assert_rows_are_well_formed(parse(decoded), decoded)


# Valid rows come back exactly -------------------------------------------------------


def name_chars(exclude: str = ""):
    """Any Unicode but control characters (tabs and newlines among them), surrogates and
    the byte-order mark, which at the very start is read as the file's own mark."""
    return st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufeff" + exclude)


# Typed with ", " between cells: no comma, and no quote (one would start a quoted cell).
TYPED = name_chars(',"')
# Cells pasted from a spreadsheet are tab-separated: commas are fine.
TABBED = name_chars('"')
# Written by Excel as CSV, quoted where needed: anything goes.
ANY = name_chars()
ORGANISATIONS = [
    (text, org)
    for org in (HOST, KMI)
    for name in (org.name, org.name_en, org.short_name)
    for text in (name, name.upper(), name.rstrip("."), f"  {name} ")
]
ROLES = [
    (alias, code)
    for code, aliases in bulk.ROLE_ALIASES.items()
    for alias in (*aliases, *(alias.upper() for alias in aliases))
] + [(str(label), code) for code, label in Participant.Role.choices]
LANGUAGES = [("", Participant.Language.THAI), ("th", "th"), ("ไทย", "th"), ("EN", "en")]


@st.composite
def people(draw, chars):
    """A row to paste: (name, email, (organisation text, organisation), (role text,
    role), (language text, language))."""
    name = draw(st.text(chars, min_size=1, max_size=60).filter(collapsed))
    email = draw(st.emails())
    organisation = draw(st.sampled_from([("", None), *ORGANISATIONS]))
    role = draw(st.sampled_from([("", None), *ROLES]))
    language = draw(st.sampled_from(LANGUAGES))
    return name, email, organisation, role, language


def roster(chars):
    return st.lists(people(chars), min_size=1, max_size=8, unique_by=lambda p: p[1].lower()).filter(
        # A first line that looks like a header is skipped, as documented.
        lambda rows: bulk.normalise(collapsed(rows[0][0])) not in bulk.HEADER_NAMES
    )


def _line(person, *, delimiter: str | None) -> str:
    """Cells joined as typed (", " or a tab), or as Excel writes CSV (None)."""
    name, email, (org_text, _org), (role_text, _role), (language_text, _language) = person
    cells = [name, email, org_text, role_text, language_text]
    if delimiter is not None:
        return delimiter.join(cells)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().removesuffix("\n")


def _assert_read_back(rows: list[bulk.Row], persons) -> None:
    assert len(rows) == len(persons)
    for row, person in zip(rows, persons, strict=True):
        name, email, (_, org), (_, role), (_, language) = person
        assert row.errors == [], (person, row.errors)
        assert row.full_name == collapsed(name)
        assert row.email == email.lower()
        assert row.organisation is org
        expected_role = role or (Participant.Role.HOST if org is HOST else Participant.Role.PEER)
        assert row.role == expected_role
        assert row.language == language


@FAST
@given(persons=roster(TYPED), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_typed_rows_come_back_exactly(persons, newline):
    text = newline.join(_line(p, delimiter=", ") for p in persons) + newline
    _assert_read_back(parse(text), persons)


@FAST
@given(persons=roster(ANY), bom=st.booleans())
def test_csv_rows_come_back_exactly_from_an_upload(persons, bom):
    text = "\r\n".join(_line(p, delimiter=None) for p in persons) + "\r\n"
    data = (bulk.BOM if bom else "").encode() + text.encode("utf-8")
    _assert_read_back(parse(bulk.decode(data)), persons)


@FAST
@given(persons=roster(TABBED))
def test_spreadsheet_cells_pasted_with_tabs_come_back_exactly(persons):
    text = "\n".join(_line(p, delimiter="\t") for p in persons)
    _assert_read_back(parse(text), persons)


@pytest.mark.parametrize("length", [EMAIL_MAX, EMAIL_MAX + 1, 320])
def test_an_email_too_long_for_the_roster_is_a_row_error(length):
    email = "a" * (length - len("@example.org")) + "@example.org"
    (row,) = parse(f"ผู้ใหญ่ลี่, {email}, สสส., host")
    assert row.email == email
    assert row.ok is (length <= EMAIL_MAX)
