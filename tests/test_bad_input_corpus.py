"""The bad-input corpus (tests/corpus.py) through every form but the AAR's, which
tests/aar/test_entry_properties.py covers.

For each value: never a 500; either saved exactly (after the form's documented
normalisation, asserted precisely) or refused with a message beside the field; and every
page, email, export and blog copy that then shows it keeps it harmless: no markup
unescaped, no spreadsheet formula.
"""

import csv
import datetime
import html
import io
import re
import unicodedata

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from peerassist.dates import CE_YEARS
from sessions_app import bulk
from sessions_app.models import AssistSession, Organisation, Participant
from tests import corpus
from tests.corpus import CORPUS, DANGEROUS_MARKUP
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory
from tests.helpers import session_form_data

pytestmark = pytest.mark.django_db


def _ids() -> list[str]:
    groups = (
        ("xss", corpus.XSS),
        ("sql", corpus.SQLISH),
        ("uni", corpus.UNICODE),
        ("ctl", corpus.CONTROL),
        ("long", corpus.LONG),
    )
    ids = [f"{name}{index}" for name, values in groups for index in range(len(values))]
    assert len(ids) == len(CORPUS), "a new group in tests/corpus.py needs an id here"
    return ids


IDS = _ids()
# A query string of 900 kB (100,000 Thai letters, percent-encoded) never reaches Django:
# servers refuse request lines over a few kB. Bodies and files are where it belongs.
SHORT = [value for value in CORPUS if value not in corpus.LONG]
SHORT_IDS = [id_ for value, id_ in zip(CORPUS, IDS, strict=True) if value not in corpus.LONG]
# Beyond the corpus, for fields that take a number, a date, a choice or a LIKE pattern.
EXTRA = ["99999999999999999999999", "๑๒๓", "１２３", "1e3", "0x10", "9999-12-31", "%", "_", "\\"]
EXTRA_IDS = [f"extra{index}" for index in range(len(EXTRA))]
FORMULA_STARTS = ("=", "+", "-", "@")
NAME_MAX = Participant._meta.get_field("full_name").max_length


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test signs a persona in; the real hasher would make this module minutes long.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    # Walk-in joins are rate limited per address; conftest raises the limit, and a
    # clean cache means no test inherits another's count.
    cache.clear()
    yield
    cache.clear()


# Checks shared by every form --------------------------------------------------------


def _assert_no_markup(text: str) -> None:
    for markup in DANGEROUS_MARKUP:
        assert markup not in text


def _assert_refused(response, field: str | None = None) -> str:
    """Shown again with the reason beside the field (crispy's invalid-feedback)."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    if field is not None:
        assert response.context["form"].errors.get(field), response.context["form"].errors
    _assert_no_markup(page)
    return page


def _django_strip(value: str) -> str:
    """Django's CharField strips surrounding whitespace: its one normalisation."""
    return value.strip()


def _collapsed(value: str) -> str:
    """The roster forms' clean_full_name and bulk add: whitespace runs become one space."""
    return " ".join(value.split())


def _name_accepted(value: str) -> bool:
    # max_length is checked on the stripped value, before clean_full_name collapses it.
    return "\x00" not in value and bool(_collapsed(value)) and len(value.strip()) <= NAME_MAX


def _csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def _xlsx_text(value: str) -> str:
    # XLSX cannot hold control characters: the export drops them (aar/exports.py).
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)


def _formula_like(value: str) -> bool:
    """What a spreadsheet reads as a formula: its sign may follow spaces and control
    characters (Excel and LibreOffice skip them; an XLSX export drops the latter)."""
    return re.sub(r"^[\s\x00-\x1f\x7f-\x9f]+", "", value).startswith(FORMULA_STARTS)


def _neutralised(value: str) -> str:
    return "'" + value if _formula_like(value) else value


def _export_cells(client, url_name: str, args=(), params=None) -> dict[str, list]:
    """Every cell of the CSV and XLSX exports, after checking no cell is a formula."""
    cells = {}
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(url_name, args=[*args, fmt]), params or {})
        assert response.status_code == 200
        rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
        cells[fmt] = [cell for row in rows for cell in row]
        for cell in cells[fmt]:
            if isinstance(cell, str):
                assert not _formula_like(cell), cell[:80]
    return cells


def _assert_exported(cells: dict[str, list], value: str) -> None:
    assert _neutralised(value) in cells["csv"]
    # Control characters are dropped first, then whatever still reads as a formula is text.
    assert _neutralised(_xlsx_text(value)) in cells["xlsx"]


def _page_urls(session, participant) -> dict[str, str]:
    pk, ppk = session.pk, participant.pk
    return {
        "detail": reverse("sessions_app:session_detail", args=[pk]),
        "home": reverse("sessions_app:home"),
        "edit": reverse("sessions_app:session_edit", args=[pk]),
        "links": reverse("sessions_app:participant_links", args=[pk]),
        "link": reverse("sessions_app:participant_link", args=[pk, ppk]),
        "participant_edit": reverse("sessions_app:participant_edit", args=[pk, ppk]),
        "remove": reverse("sessions_app:participant_remove", args=[pk, ppk]),
        "walkin_screen": reverse("sessions_app:walkin_screen", args=[pk]),
        "walkin_join": reverse("sessions_app:walkin_join", args=[session.walkin_code]),
        "dashboard": reverse("followup:dashboard"),
        "followup": reverse("followup:session", args=[pk]),
        "synthesis": reverse("followup:synthesis", args=[pk]),
        "blog_page": reverse("followup:session_blog_page", args=[pk]),
        "aar_blog_page": reverse("followup:aar_blog_page", args=[pk, ppk]),
        "history": reverse("history:aar", args=[pk, ppk]),
        "entry": reverse("aar:entry", args=[participant.token]),
        "thanks": reverse("aar:thanks", args=[participant.token]),
        "blog.md": reverse("followup:session_blog", args=[pk, "md"]),
        "blog.txt": reverse("followup:session_blog", args=[pk, "txt"]),
        "aar_blog.md": reverse("followup:aar_blog", args=[pk, ppk, "md"]),
    }


def _pages_show_safely(client, session, participant, only=None) -> dict[str, str]:
    """The pages and downloads that show the session or the person (all of them, or
    ``only`` those named): all 200, and no markup unescaped in HTML or Markdown."""
    pages = {}
    for name, url in _page_urls(session, participant).items():
        if only is not None and name not in only:
            continue
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
        if name != "blog.txt":  # plain text, served as an attachment: shown as typed
            _assert_no_markup(pages[name])
    return pages


def _invite(client, participant):
    """Send the invitation; return the message, after checking its HTML is escaped."""
    mail.outbox.clear()
    url = reverse("sessions_app:participant_invite", args=[participant.session_id, participant.pk])
    assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    (html_body, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    _assert_no_markup(html_body)
    assert "\n" not in message.subject
    return message, html_body


# The session form -------------------------------------------------------------------

SESSION_TEXT = {
    "title": ["title"],
    "place": ["place"],
    "textareas": ["purpose", "context", "summary", "advice"],
}
CREATE = reverse("sessions_app:session_create")


def _session_data(org, host_org, **overrides):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    return session_form_data(org, host_org, **{"date": yesterday, **overrides})


def _max_length(field: str) -> int | None:
    return AssistSession._meta.get_field(field).max_length


@pytest.mark.parametrize("group", list(SESSION_TEXT))
@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_session_text_is_saved_exactly_or_refused(facilitator, org, host_org, group, value):
    fields = SESSION_TEXT[group]
    response = facilitator.post(
        CREATE, _session_data(org, host_org, **dict.fromkeys(fields, value))
    )
    expected = _django_strip(value)
    limit = _max_length(fields[0])
    if "\x00" in value or (limit and len(expected) > limit):
        _assert_refused(response, fields[0])
        assert not AssistSession.objects.exists()
        return
    assert response.status_code == 302, response.context["form"].errors
    session = AssistSession.objects.get()
    for field in fields:
        assert getattr(session, field) == expected

    person = ParticipantFactory(session=session, full_name="ผู้ใหญ่ลี่", email="lee@example.org")
    AARFactory(participant=person)
    only = {
        "title": None,  # the title is on every page
        "place": ["detail", "edit", "walkin_join"],
        "textareas": ["detail", "edit", "synthesis", "blog_page", "blog.md", "blog.txt"],
    }[group]
    pages = _pages_show_safely(facilitator, session, person, only)
    shown = escape(expected)
    assert shown in pages["detail"]
    if group == "title":
        for name in ("home", "dashboard", "followup", "synthesis", "walkin_join", "entry"):
            assert shown in pages[name], name
        message, html_body = _invite(facilitator, person)
        assert _collapsed(expected) in message.subject
        assert expected in message.body  # plain text: as typed
        assert shown in html_body
        _assert_exported(_export_cells(facilitator, "followup:dashboard_export"), expected)
    if group == "textareas":
        assert expected in pages["blog.txt"]


# Nine fields of 300 kB each would pass Django's 2.5 MB body limit: a 400 before any form.
@pytest.mark.parametrize("value", SHORT + EXTRA, ids=SHORT_IDS + EXTRA_IDS)
def test_session_choice_date_and_number_fields_refuse_the_corpus(facilitator, org, host_org, value):
    fields = [
        "organiser", "host", "peers", "date", "start_time", "duration_minutes",
        "facilitator", "aar_deadline", "status",
    ]  # fmt: skip
    response = facilitator.post(
        CREATE, _session_data(org, host_org, **dict.fromkeys(fields, value))
    )
    _assert_refused(response)
    errors = response.context["form"].errors
    # None is a choice or a time; numbers, dates and deadlines may be (๑๒๓ is 123).
    for field in ("organiser", "host", "peers", "facilitator", "status", "start_time"):
        assert errors.get(field), field
    assert not AssistSession.objects.exists()


@pytest.mark.parametrize("value", CORPUS + EXTRA, ids=IDS + EXTRA_IDS)
def test_session_source_link_is_a_web_address_or_refused(facilitator, org, host_org, value):
    response = facilitator.post(CREATE, _session_data(org, host_org, source_url=value))
    if response.status_code == 200:
        _assert_refused(response, "source_url")
        assert not AssistSession.objects.exists()
        return
    assert response.status_code == 302
    session = AssistSession.objects.get()
    # Never javascript: or any other scheme that runs on click.
    assert session.source_url.startswith("https://")
    page = facilitator.get(session.get_absolute_url()).content.decode()
    assert f'href="{escape(session.source_url)}"' in page
    _assert_no_markup(page)


@pytest.mark.parametrize("value", ["2026-11-22", "9999-12-24", "9999-12-31", "0001-01-01"])
def test_session_dates_at_the_edges_of_the_calendar_never_error(facilitator, org, host_org, value):
    response = facilitator.post(CREATE, _session_data(org, host_org, date=value, status="planned"))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        _assert_refused(response, "date")
        assert not AssistSession.objects.exists()
    else:
        session = AssistSession.objects.get()
        assert session.date.isoformat() == value
        assert session.aar_deadline >= session.date


def _new_org_payload(org, host_org, field: str, value: str) -> dict:
    names = {"name": "กรมอนามัย", "short_name": "", "name_en": "", field: value}
    return {
        **_session_data(org, host_org),
        "add_organisation": "1",
        "new_org-use_as": "peer",
        **{f"new_org-{key}": text for key, text in names.items()},
    }


@pytest.mark.parametrize("field", ["name", "short_name"])
@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_new_organisation_is_saved_normalised_or_refused(facilitator, org, host_org, field, value):
    before = set(Organisation.objects.values_list("pk", flat=True))
    response = facilitator.post(CREATE, _new_org_payload(org, host_org, field, value), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    _assert_no_markup(page)
    # The documented normalisation (OrganisationForm._refuse_duplicate): spaces
    # collapsed, then NFC.
    expected = unicodedata.normalize("NFC", _collapsed(value))
    limit = Organisation._meta.get_field(field).max_length
    if "\x00" in value or len(value.strip()) > limit or (field == "name" and not expected):
        assert response.context["org_form"].errors.get(field)
        assert "invalid-feedback" in page
        assert set(Organisation.objects.values_list("pk", flat=True)) == before
        return
    new = Organisation.objects.exclude(pk__in=before).get()
    assert getattr(new, field) == expected
    # Back on the session form, ticked as a peer.
    assert response.redirect_chain
    assert str(new.pk) in response.context["form"].initial["peers"]
    # Shown as a choice in the form at once, and on the session page once saved.
    assert escape(str(new)) in page
    data = _session_data(org, new if field == "name" else host_org)
    assert facilitator.post(CREATE, data).status_code == 302
    session = AssistSession.objects.get()
    person = ParticipantFactory(session=session, organisation=new)
    AARFactory(participant=person)
    pages = _pages_show_safely(facilitator, session, person, ["detail", "followup", "blog.md"])
    assert escape(new.label) in pages["followup"]
    cells = _export_cells(facilitator, "followup:session_export", [session.pk])
    _assert_exported(cells, new.label)


@pytest.mark.parametrize("field", ["name", "short_name"])
def test_new_organisation_name_that_nfc_lengthens_still_fits_its_column(
    facilitator, org, host_org, field
):
    # U+0958 (DEVANAGARI QA) becomes two characters under NFC: a name that fitted as
    # typed would no longer fit the column (PostgreSQL refuses it; SQLite keeps it).
    limit = Organisation._meta.get_field(field).max_length
    value = "\u0958" * (limit // 2 + 1)
    before = Organisation.objects.count()
    response = facilitator.post(CREATE, _new_org_payload(org, host_org, field, value))
    assert response.status_code == 200
    assert response.context["org_form"].errors.get(field)
    assert "invalid-feedback" in response.content.decode()
    assert Organisation.objects.count() == before


# One person at a time: add and edit ------------------------------------------------


def _participant_data(**overrides):
    return {
        "full_name": "น้ำฝน ศรีสุข",
        "email": "namfon@example.org",
        "organisation": "",
        "role": "host",
        "language": "th",
        **overrides,
    }


def _assert_person_shown_safely(client, session, person, name, *, everywhere=False):
    """Where the person's name is shown. Every page once (adding one person); the
    other forms store the same field, so two pages do for them."""
    AARFactory(participant=person, goal="เป้าหมาย")
    if not everywhere:
        pages = _pages_show_safely(client, session, person, ["detail", "followup"])
        assert escape(name) in pages["detail"]
        assert escape(name) in pages["followup"]
        return
    pages = _pages_show_safely(client, session, person)
    shown = escape(name)
    for page in ("detail", "links", "link", "followup", "synthesis", "history"):
        assert shown in pages[page], page
    assert name in pages["blog.txt"]
    _assert_exported(_export_cells(client, "followup:session_export", [session.pk]), name)
    message, html_body = _invite(client, person)
    assert name in message.body
    assert shown in html_body


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_participant_add_saves_the_name_or_refuses(facilitator, assist_session, value):
    url = reverse("sessions_app:participant_add", args=[assist_session.pk])
    response = facilitator.post(url, _participant_data(full_name=value))
    if not _name_accepted(value):
        _assert_refused(response, "full_name")
        assert not Participant.objects.exists()
        return
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.full_name == _collapsed(value)
    # The success message carries the name: escaped on the page it lands on.
    landed = facilitator.get(response.url).content.decode()
    assert escape(person.full_name) in landed
    _assert_no_markup(landed)
    _assert_person_shown_safely(
        facilitator, assist_session, person, person.full_name, everywhere=True
    )


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_participant_edit_saves_the_name_or_refuses(facilitator, assist_session, value):
    person = ParticipantFactory(session=assist_session, full_name="ผู้ใหญ่ลี่", email="lee@example.org")
    url = reverse("sessions_app:participant_edit", args=[assist_session.pk, person.pk])
    response = facilitator.post(url, _participant_data(full_name=value, email="lee@example.org"))
    person.refresh_from_db()
    if not _name_accepted(value):
        _assert_refused(response, "full_name")
        assert person.full_name == "ผู้ใหญ่ลี่"
        return
    assert response.status_code == 302
    assert person.full_name == _collapsed(value)
    _assert_person_shown_safely(facilitator, assist_session, person, person.full_name)


@pytest.mark.parametrize("value", CORPUS + EXTRA, ids=IDS + EXTRA_IDS)
@pytest.mark.parametrize("view", ["add", "edit"])
def test_participant_forms_refuse_the_corpus_as_email_and_choices(
    facilitator, assist_session, view, value
):
    person = ParticipantFactory(session=assist_session, full_name="ผู้ใหญ่ลี่", email="lee@example.org")
    args = [assist_session.pk] if view == "add" else [assist_session.pk, person.pk]
    url = reverse(f"sessions_app:participant_{view}", args=args)
    data = _participant_data(email=value, organisation=value, role=value, language=value)
    response = facilitator.post(url, data)
    _assert_refused(response, "email")
    for field in ("organisation", "role", "language"):
        assert response.context["form"].errors.get(field), field
    assert list(Participant.objects.values_list("full_name", "email")) == [
        ("ผู้ใหญ่ลี่", "lee@example.org")
    ]


# Bulk add: pasted lines and CSV files ------------------------------------------------


def _bulk_url(session):
    return reverse("sessions_app:participant_bulk_add", args=[session.pk])


def _csv_line(*cells: str) -> str:
    """One row as Excel writes it: quoted where a cell has commas, quotes or newlines."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _hidden_text(page: str) -> str:
    """The previewed text as a browser sends it back: the hidden field's value."""
    match = re.search(r'<input type="hidden" name="text" value="([^"]*)"', page)
    assert match, "the preview has no confirm form"
    return html.unescape(match.group(1))


def _preview_then_confirm(client, session, *, text="", file=None):
    """Preview; when every row is fine, confirm with what the page sent back.

    Returns (preview response, confirm response or None)."""
    data = {"action": "preview", "text": text}
    if file is not None:
        data["file"] = file
    preview = client.post(_bulk_url(session), data)
    assert preview.status_code == 200
    page = preview.content.decode()
    _assert_no_markup(page)
    if "rows" not in preview.context or preview.context["error_count"]:
        return preview, None
    confirm = client.post(_bulk_url(session), {"action": "confirm", "text": _hidden_text(page)})
    return preview, confirm


def _assert_bulk_outcome(client, session, value, preview, confirm):
    """A name cell holding ``value`` is saved collapsed, or its row shows why not."""
    if "\x00" in value:
        assert confirm is None
        assert preview.context["form"].errors
        assert "invalid-feedback" in preview.content.decode()
    elif not _collapsed(value) or len(_collapsed(value)) > bulk.NAME_MAX_LENGTH:
        assert confirm is None
        assert preview.context["error_count"] == 1
        assert "text-danger-emphasis" in preview.content.decode()
    else:
        assert confirm is not None, preview.context.get("rows")
        assert confirm.status_code == 302
        person = Participant.objects.get()
        assert person.full_name == _collapsed(value)
        assert person.email == "person@example.org"
        assert person.organisation == session.host
        assert person.role == Participant.Role.PEER
        _assert_person_shown_safely(client, session, person, person.full_name)
        return
    assert not Participant.objects.exists()


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_bulk_paste_saves_the_name_cell_or_shows_the_row_error(facilitator, assist_session, value):
    text = _csv_line(value, "Person@Example.org", "สสส.", "peer")
    preview, confirm = _preview_then_confirm(facilitator, assist_session, text=text)
    _assert_bulk_outcome(facilitator, assist_session, value, preview, confirm)


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_bulk_csv_file_saves_the_name_cell_or_shows_the_row_error(
    facilitator, assist_session, value
):
    data = _csv_line(value, "Person@Example.org", "สสส.", "peer").encode()
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    preview, confirm = _preview_then_confirm(facilitator, assist_session, file=upload)
    if "\x00" in value:  # a file with NUL is not text at all
        assert preview.context["form"].errors.get("file")
        assert not Participant.objects.exists()
        return
    _assert_bulk_outcome(facilitator, assist_session, value, preview, confirm)


@pytest.mark.parametrize("value", SHORT, ids=SHORT_IDS)
def test_bulk_paste_as_it_comes_saves_what_the_preview_showed(facilitator, assist_session, value):
    """Unquoted, in every column and as a whole line: a quote may start a CSV quoted
    cell, so what is read is what the preview shows, and exactly that is saved."""
    text = f"{value}\nผู้ใหญ่ลี่, {value}, {value}, {value}, {value}\n{value}\t{value}\n"
    preview, confirm = _preview_then_confirm(facilitator, assist_session, text=text)
    if confirm is None:
        if "rows" in preview.context:
            assert preview.context["error_count"] >= 1
            assert "text-danger-emphasis" in preview.content.decode()
        else:
            assert preview.context["form"].errors.get("text")
        assert not Participant.objects.exists()
        return
    assert confirm.status_code == 302
    previewed = sorted((row.full_name, row.email) for row in preview.context["rows"])
    saved = sorted(Participant.objects.values_list("full_name", "email"))
    assert saved == previewed
    page = facilitator.get(confirm.url).content.decode()
    _assert_no_markup(page)
    for name, _email in saved:
        assert escape(name) in page


BOM_CSV = "\ufeffชื่อ,อีเมล,องค์กร,บทบาท\r\nน้ำฝน ศรีสุข,namfon@example.org,สสส.,ทีมเจ้าภาพ\r\n"
BAD_FILES = {
    "latin1": "Zoë Müller,zoe@example.org,KMI,host\n".encode("latin-1"),
    "tis620": "น้ำฝน ศรีสุข,namfon@example.org,สสส.,host\n".encode("tis-620"),
    "cut_utf8": "น้ำฝน".encode()[:-1] + b",namfon@example.org,,host\n",
    "ff_bytes": b"\xff\xfe\xfd\n",
    "nul": b"Namfon,namfon@example.org,,host\n\x00\n",
    "utf16": "น้ำฝน ศรีสุข,namfon@example.org,สสส.,host\n".encode("utf-16"),
    "too_big": b"a,b@example.org,,host\n" * (bulk.MAX_BYTES // 20),
    "xlsx": b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bulk_file_that_is_not_utf8_text_or_too_big_is_refused(facilitator, assist_session, name):
    data = BAD_FILES[name]
    if name == "too_big":
        assert len(data) > bulk.MAX_BYTES
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    preview, confirm = _preview_then_confirm(facilitator, assist_session, file=upload)
    assert confirm is None
    assert preview.context["form"].errors.get("file")
    assert "invalid-feedback" in preview.content.decode()
    assert not Participant.objects.exists()


def test_bulk_file_with_a_bom_and_windows_line_ends_is_read_exactly(facilitator, assist_session):
    upload = SimpleUploadedFile("roster.csv", BOM_CSV.encode(), content_type="text/csv")
    preview, confirm = _preview_then_confirm(facilitator, assist_session, file=upload)
    assert confirm is not None and confirm.status_code == 302
    person = Participant.objects.get()
    assert person.full_name == "น้ำฝน ศรีสุข"  # no BOM stuck to the name, header skipped
    assert person.email == "namfon@example.org"
    assert person.role == Participant.Role.HOST


def test_bulk_paste_over_one_megabyte_is_refused(facilitator, assist_session):
    text = "น้ำฝน ศรีสุข, , สสส., host\n" * (bulk.MAX_BYTES // 40)
    assert len(text.encode()) > bulk.MAX_BYTES
    preview, confirm = _preview_then_confirm(facilitator, assist_session, text=text)
    assert confirm is None
    assert preview.context["form"].errors.get("text")
    assert not Participant.objects.exists()


def test_bulk_email_too_long_for_the_roster_is_a_row_error(facilitator, assist_session):
    # Django's validate_email allows 320 characters; the roster's column holds 254.
    email = "a" * 300 + "@example.org"
    text = _csv_line("ผู้ใหญ่ลี่", email, "สสส.", "peer")
    preview, confirm = _preview_then_confirm(facilitator, assist_session, text=text)
    assert confirm is None
    assert preview.context["error_count"] == 1
    assert "254" in preview.content.decode()
    confirm = facilitator.post(_bulk_url(assist_session), {"action": "confirm", "text": text})
    assert confirm.status_code == 200
    assert not Participant.objects.exists()


@pytest.mark.parametrize("value", SHORT, ids=SHORT_IDS)
def test_bulk_confirm_with_tampered_text_never_errors(facilitator, assist_session, value):
    """The hidden field is checked again: a changed value is previewed, never saved."""
    text = _csv_line("ผู้ใหญ่ลี่", value, value, value)
    response = facilitator.post(_bulk_url(assist_session), {"action": "confirm", "text": text})
    assert response.status_code == 200
    _assert_no_markup(response.content.decode())
    assert not Participant.objects.exists()


# Walk-in -----------------------------------------------------------------------------


def _join_url(session):
    return reverse("sessions_app:walkin_join", args=[session.walkin_code])


def _walkin_data(session, **overrides):
    return {
        "full_name": "ผู้ใหญ่ลี่ บุญมา",
        "email": "lee@example.org",
        "organisation": session.host_id,
        "role": "peer",
        "language": "th",
        **overrides,
    }


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_walkin_saves_the_name_or_refuses(client, facilitator, assist_session, value):
    response = client.post(_join_url(assist_session), _walkin_data(assist_session, full_name=value))
    if not _name_accepted(value):
        _assert_refused(response, "full_name")
        assert not Participant.objects.exists()
        return
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.full_name == _collapsed(value)
    assert person.joined_by_walkin
    # The welcome message names them on their AAR page.
    landed = client.get(response.url)
    assert landed.status_code == 200
    assert escape(person.full_name) in landed.content.decode()
    _assert_no_markup(landed.content.decode())
    _assert_person_shown_safely(facilitator, assist_session, person, person.full_name)


@pytest.mark.parametrize("value", CORPUS + EXTRA, ids=IDS + EXTRA_IDS)
def test_walkin_refuses_the_corpus_as_email_and_choices(client, assist_session, value):
    data = _walkin_data(assist_session, email=value, organisation=value, role=value, language=value)
    response = client.post(_join_url(assist_session), data)
    _assert_refused(response, "email")
    for field in ("organisation", "role", "language"):
        assert response.context["form"].errors.get(field), field
    assert not Participant.objects.exists()


WALKIN_EMAILS = {
    "removed": "  Removed@Example.ORG ",
    "other_session": "elsewhere@example.org",
    "on_roster_mixed_case": "LEE@EXAMPLE.ORG",
}


@pytest.mark.parametrize("case", WALKIN_EMAILS)
def test_walkin_with_the_emails_of_removed_or_other_session_people_never_leaks(
    client, assist_session, case, mailoutbox
):
    from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

    removed = ParticipantFactory(session=assist_session, email="removed@example.org")
    AARFactory(participant=removed, draft=True)  # so removal keeps them, marked removed
    assert removed.remove()
    ParticipantFactory(session=AssistSessionFactory(), email="elsewhere@example.org")
    ParticipantFactory(session=assist_session, email="lee@example.org")
    before = set(Participant.objects.values_list("pk", "removed_at"))

    response = client.post(
        _join_url(assist_session), _walkin_data(assist_session, email=WALKIN_EMAILS[case])
    )

    assert response.status_code in (200, 302)
    page = response.content.decode() + (
        client.get(response.url).content.decode() if response.status_code == 302 else ""
    )
    for person in Participant.objects.exclude(joined_by_walkin=True):
        assert person.token not in page and person.token not in response.get("Location", "")
    if case == "other_session":  # joins this session as someone new
        assert (
            Participant.objects.filter(session=assist_session, joined_by_walkin=True).count() == 1
        )
    else:  # nobody added, nobody brought back
        assert set(Participant.objects.values_list("pk", "removed_at")) == before
    assert not any(removed.token in m.body for m in mailoutbox)


# Follow-up dashboard filters (GET) -------------------------------------------------

FILTERS = ["q", "organisation", "facilitator", "status", "followup", "date_from", "date_to"]


@pytest.mark.parametrize("value", SHORT + EXTRA, ids=SHORT_IDS + EXTRA_IDS)
def test_dashboard_filters_never_error_and_say_why_they_refuse(coordinator, assist_session, value):
    # Every filter at once: each field is checked on its own, so each says why.
    params = dict.fromkeys([*FILTERS, "page"], value)
    response = coordinator.get(reverse("followup:dashboard"), params)
    assert response.status_code == 200
    page = response.content.decode()
    _assert_no_markup(page)
    form = response.context["form"]
    assert form.errors, "no filter can accept all of these at once"
    assert "invalid-feedback" in page
    for param in FILTERS:
        if param == "q" and "\x00" not in value:
            assert not form.errors.get("q")  # any text may be searched for
        elif (
            param in ("date_from", "date_to")
            and re.fullmatch(r"\d{4}-\d\d-\d\d", value)
            and int(value[:4]) in CE_YEARS
        ):
            assert not form.errors.get(param)  # a real date, in the years a date field takes
        else:
            assert form.errors.get(param), param
    # An invalid filter shows every session rather than none: the reason is on the page.
    assert [s.pk for s in response.context["page_obj"].object_list] == [assist_session.pk]
    _export_cells(coordinator, "followup:dashboard_export", params=params)

    alone = coordinator.get(reverse("followup:dashboard"), {"page": value})
    assert alone.status_code == 200
    assert alone.context["page_obj"].number == 1  # one page: any page number shows it
    _assert_no_markup(alone.content.decode())


# Every value a title can hold (NUL cannot: the form refuses it, as tested above).
TITLES = [
    (v, i) for v, i in zip(SHORT + EXTRA, SHORT_IDS + EXTRA_IDS, strict=True) if "\x00" not in v
]


@pytest.mark.parametrize("value", [v for v, _ in TITLES], ids=[i for _, i in TITLES])
def test_dashboard_title_search_finds_the_title_exactly(coordinator, assist_session, value):
    title = _django_strip(value)
    match = AssistSessionFactory(
        organiser=assist_session.organiser, host=assist_session.host, title=title
    )
    response = coordinator.get(reverse("followup:dashboard"), {"q": value})
    assert response.status_code == 200
    assert [s.pk for s in response.context["page_obj"].object_list] == [match.pk]
    page = response.content.decode()
    assert escape(title) in page
    _assert_no_markup(page)
    cells = _export_cells(coordinator, "followup:dashboard_export", params={"q": value})
    _assert_exported(cells, title)
    assert assist_session.title not in cells["csv"]


# Over the limit of one request (corpus.HUGE) ------------------------------------------


@pytest.mark.parametrize("value", corpus.HUGE, ids=["thai3mb", "ascii5mb"])
def test_huge_posts_get_the_413_page_from_every_form(
    client, facilitator, org, host_org, assist_session, value
):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE no form sees the value: Django refuses the body,
    and the page says the limit instead of a bare "Bad request"."""
    participant = ParticipantFactory(session=assist_session, full_name="ผู้ใหญ่ลี่")
    add = reverse("sessions_app:participant_add", args=[assist_session.pk])
    posts = {
        "session": (facilitator, CREATE, _session_data(org, host_org, purpose=value)),
        "person": (facilitator, add, _participant_data(full_name=value)),
        "bulk": (facilitator, _bulk_url(assist_session), {"action": "preview", "text": value}),
        "walkin": (
            client,
            _join_url(assist_session),
            _walkin_data(assist_session, full_name=value),
        ),
        "aar": (client, reverse("aar:entry", args=[participant.token]), {"goal": value}),
    }
    for name, (who, url, data) in posts.items():
        response = who.post(url, data)
        assert response.status_code == 413, name
        page = response.content.decode()
        assert "2.5" in page, name
        assert f'href="{url}"' in page, name  # the way back
        _assert_no_markup(page)
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["ผู้ใหญ่ลี่"]
    assert AssistSession.objects.count() == 1
