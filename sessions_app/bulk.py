"""Bulk add: read pasted lines or a CSV into checked roster rows.

Pure functions, no database writes: the caller passes the organisations and the emails
already on the roster, and gets back every row with its errors. Nothing is saved here;
``services.roster_import`` saves the rows once every one of them is valid.

Accepted input, one person a line: ``name, email, organisation, role[, language]``,
comma-separated (a CSV from Excel or Google Sheets, UTF-8 with or without a BOM) or
tab-separated (cells pasted straight from a spreadsheet). A header row is skipped.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions_app.models import Participant

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
NAME_MAX_LENGTH = Participant._meta.get_field("full_name").max_length
EMAIL_MAX_LENGTH = Participant._meta.get_field("email").max_length

BOM = "\ufeff"


class BulkInputError(ValueError):
    """The input as a whole cannot be read: not text, too big, too many rows."""


def normalise(text: str) -> str:
    """A matching key: NFC, case-folded, without spaces or full stops (สคส. = สคส)."""
    return re.sub(r"[\s.]+", "", unicodedata.normalize("NFC", text).casefold())


# Role aliases, matched after ``normalise``: the code, the English and Thai labels, and
# the words people type in Thai KM circles.
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    Participant.Role.FACILITATOR: (
        "facilitator", "Facilitator (คุณอำนวย)", "chief facilitator", "คุณอำนวย",
        "คุณอำนวยใหญ่", "ผู้อำนวยความสะดวก", "วิทยากรกระบวนการ", "กระบวนกร",
    ),
    Participant.Role.NOTE_TAKER: (
        "note_taker", "note-taker", "note taker", "notetaker", "Note-taker (คุณลิขิต)",
        "scribe", "คุณลิขิต", "ผู้จดบันทึก", "ผู้บันทึก",
    ),
    Participant.Role.HOST: (
        "host", "Host team", "host participant", "ทีมเจ้าภาพ", "เจ้าภาพ", "ฝ่ายเจ้าภาพ",
        "ผู้ขอรับความช่วยเหลือ",
    ),
    Participant.Role.PEER: (
        "peer", "Peer team", "peer participant", "peers", "ทีมเพื่อน", "เพื่อน",
        "ทีมเพื่อนช่วยเพื่อน", "เพื่อนช่วยเพื่อน", "ผู้ให้ความช่วยเหลือ",
    ),
    Participant.Role.COORDINATOR: ("coordinator", "ผู้ประสานงาน", "ผู้ประสาน"),
    Participant.Role.OBSERVER: ("observer", "ผู้สังเกตการณ์", "ผู้สังเกต"),
}  # fmt: skip

ROLES: dict[str, str] = {
    normalise(alias): code for code, aliases in ROLE_ALIASES.items() for alias in aliases
}
for _code, _label in Participant.Role.choices:
    ROLES.setdefault(normalise(str(_label)), _code)

LANGUAGES: dict[str, str] = {
    normalise(alias): code
    for code, aliases in {
        Participant.Language.THAI: ("th", "thai", "ไทย", "ภาษาไทย"),
        Participant.Language.ENGLISH: ("en", "english", "อังกฤษ", "ภาษาอังกฤษ"),
    }.items()
    for alias in aliases
}

HEADER_NAMES = {normalise(w) for w in ("name", "full name", "ชื่อ", "ชื่อ-นามสกุล", "ชื่อ นามสกุล")}
HEADER_EMAILS = {normalise(w) for w in ("email", "e-mail", "อีเมล", "อีเมล์")}


def match_role(text: str) -> str | None:
    return ROLES.get(normalise(text))


def match_language(text: str) -> str | None:
    return LANGUAGES.get(normalise(text))


@dataclass
class OrganisationIndex:
    """Organisations by Thai name, English name and short name. Where a name fits more
    than one, the session's own organisations (host and peers) win."""

    keys: dict[str, list] = field(default_factory=dict)
    preferred_ids: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, organisations: Iterable, preferred_ids: Iterable[int] = ()):
        index = cls(preferred_ids=set(preferred_ids))
        for org in organisations:
            for name in {normalise(n) for n in (org.name, org.name_en, org.short_name) if n}:
                index.keys.setdefault(name, []).append(org)
        return index

    def find(self, text: str):
        """(organisation, error): one of them is None."""
        matches = self.keys.get(normalise(text), [])
        if len(matches) > 1:
            preferred = [org for org in matches if org.pk in self.preferred_ids]
            matches = preferred if preferred else matches
        if len(matches) == 1:
            return matches[0], None
        if not matches:
            return None, _("Unknown organisation “%(name)s”.") % {"name": text}
        return None, _("“%(name)s” fits more than one organisation; use its full name.") % {
            "name": text
        }


@dataclass
class Row:
    line: int
    full_name: str = ""
    email: str = ""
    organisation_text: str = ""
    role_text: str = ""
    language_text: str = ""
    organisation: object = None
    role: str = ""
    language: str = Participant.Language.THAI
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return Participant.Role(self.role).label if self.role else self.role_text

    @property
    def language_label(self) -> str:
        return Participant.Language(self.language).label

    def participant_fields(self) -> dict:
        return {
            "full_name": self.full_name,
            "email": self.email,
            "organisation": self.organisation,
            "role": self.role,
            "language": self.language,
        }


def decode(data: bytes) -> str:
    """Bytes from an uploaded file to text, refusing anything that is not UTF-8 text."""
    if len(data) > MAX_BYTES:
        raise BulkInputError(_("The file is larger than 1 MB. Split it into smaller files."))
    if b"\x00" in data:
        raise BulkInputError(
            _("This file is not text. Save the sheet as “CSV UTF-8” and upload that.")
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BulkInputError(
            _("This file is not UTF-8 text. Save the sheet as “CSV UTF-8” and upload that.")
        ) from None
    return text.removeprefix(BOM)


def check_size(text: str) -> None:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise BulkInputError(_("The text is larger than 1 MB. Add the people in smaller parts."))
    if "\x00" in text:
        raise BulkInputError(_("The text contains characters that are not text."))


def _cells(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank line. Tabs win where a line has them:
    cells pasted from a spreadsheet are tab-separated, and names may contain commas."""
    text = text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    delimiter = "\t" if any("\t" in line for line in lines) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    rows = []
    try:
        for cells in reader:
            cells = [" ".join(cell.split()) for cell in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error:
        raise BulkInputError(
            _('The text could not be read as CSV. Check the quotation marks (").')
        ) from None
    return rows


def _is_header(cells: list[str]) -> bool:
    first = normalise(cells[0]) if cells else ""
    second = normalise(cells[1]) if len(cells) > 1 else ""
    return first in HEADER_NAMES or second in HEADER_EMAILS


def parse(
    text: str,
    *,
    organisations: OrganisationIndex,
    existing_emails: Iterable[str] = (),
    host_id: int | None = None,
) -> list[Row]:
    """Every row with its errors. Raises BulkInputError when the input cannot be read."""
    check_size(text)
    lines = _cells(text)
    if lines and _is_header(lines[0][1]):
        lines = lines[1:]
    if len(lines) > MAX_ROWS:
        raise BulkInputError(
            _("There are %(count)s rows; at most %(max)s can be added at once.")
            % {"count": len(lines), "max": MAX_ROWS}
        )
    existing = {email.strip().lower() for email in existing_emails if email}
    seen: dict[str, int] = {}
    rows = []
    for line, cells in lines:
        cells = cells + [""] * (5 - len(cells))
        row = Row(
            line=line,
            full_name=cells[0],
            email=cells[1].lower(),
            organisation_text=cells[2],
            role_text=cells[3],
            language_text=cells[4],
        )
        if any(cells[5:]):
            row.errors.append(_("Too many columns: name, email, organisation, role."))
        _check_name(row)
        _check_email(row, existing, seen)
        _check_organisation(row, organisations)
        _check_role(row, host_id)
        _check_language(row)
        rows.append(row)
    return rows


def _check_name(row: Row) -> None:
    if not row.full_name:
        row.errors.append(_("The name is missing."))
    elif len(row.full_name) > NAME_MAX_LENGTH:
        row.errors.append(
            _("The name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH}
        )


def _check_email(row: Row, existing: set[str], seen: dict[str, int]) -> None:
    if not row.email:
        return
    if len(row.email) > EMAIL_MAX_LENGTH:
        # validate_email allows 320; the roster's column holds fewer (PostgreSQL refuses).
        row.errors.append(
            _("The email address is longer than %(max)s characters.") % {"max": EMAIL_MAX_LENGTH}
        )
        return
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("“%(email)s” is not an email address.") % {"email": row.email})
        return
    if row.email in existing:
        row.errors.append(_("%(email)s is already on the roster.") % {"email": row.email})
    elif row.email in seen:
        row.errors.append(
            _("%(email)s is also on line %(line)s.") % {"email": row.email, "line": seen[row.email]}
        )
    else:
        seen[row.email] = row.line


def _check_organisation(row: Row, organisations: OrganisationIndex) -> None:
    if not row.organisation_text:
        return
    row.organisation, error = organisations.find(row.organisation_text)
    if error:
        row.errors.append(error)


def _check_role(row: Row, host_id: int | None) -> None:
    if not row.role_text:
        # Nothing typed: people from the host organisation are the host team.
        host = row.organisation is not None and row.organisation.pk == host_id
        row.role = Participant.Role.HOST if host else Participant.Role.PEER
        return
    role = match_role(row.role_text)
    if role is None:
        row.errors.append(_("Unknown role “%(role)s”.") % {"role": row.role_text})
    else:
        row.role = role


def _check_language(row: Row) -> None:
    if not row.language_text:
        return
    language = match_language(row.language_text)
    if language is None:
        row.errors.append(
            _("Unknown language “%(language)s”: use th or en.") % {"language": row.language_text}
        )
    else:
        row.language = language


ROLE_HELP = gettext_lazy(
    "Roles: host team (ทีมเจ้าภาพ), peer team (ทีมเพื่อน), facilitator (คุณอำนวย), "
    "note-taker (คุณลิขิต), coordinator (ผู้ประสานงาน), observer (ผู้สังเกตการณ์)."
)
