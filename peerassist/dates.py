"""Dates as Thai readers expect them: Buddhist-era years and Thai month names in Thai,
Django's formats in English. Used by templates (the ``thaidate`` filter), emails,
exports and charts."""

import datetime
import re

from django.utils import formats, timezone, translation

THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
THAI_MONTHS_LONG = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
BUDDHIST_ERA_OFFSET = 543


def format_thai_date(value, *, long: bool = False, with_time: bool = False) -> str:
    """A date (or datetime, shown in local time) in the active language.

    In Thai the year is Buddhist era: 24 พ.ย. 2569 for 24 Nov 2026.
    """
    if value in (None, ""):
        return ""
    time_part = None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        time_part = value.strftime("%H:%M")
        value = value.date()
    if translation.get_language() == "th":
        months = THAI_MONTHS_LONG if long else THAI_MONTHS_SHORT
        text = f"{value.day} {months[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"
        if with_time and time_part:
            text += f" {time_part} น."
        return text
    text = formats.date_format(value, "j F Y" if long else "j M Y")
    if with_time and time_part:
        text += f", {time_part}"
    return text


# --- Dates typed by people ------------------------------------------------------------
# A date field accepts a Christian-era year in this range; in Thai, also the same range in
# the Buddhist era. The two ranges do not overlap, so the year alone says which era it is.
CE_YEARS = range(1900, 2201)
BE_YEARS = range(CE_YEARS.start + BUDDHIST_ERA_OFFSET, CE_YEARS.stop + BUDDHIST_ERA_OFFSET)
# Longer than any date anyone types: refused before any parsing (a pasted essay).
MAX_TYPED_LENGTH = 40

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES = {
    name.replace(".", ""): number
    for number, names in enumerate(zip(THAI_MONTHS_SHORT, THAI_MONTHS_LONG, strict=True), 1)
    for name in names
}
# [0-9], not \d: Python's \d also matches other scripts' digits (１２３, ๑๒๓).
_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})\s*[-/. ]\s*([0-9]{1,2})\s*[-/. ]\s*([0-9]+)")
_DIGITS_ONLY = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")  # 02122569: a phone's keypad
_MONTH_NAMED = re.compile(r"([0-9]{1,2})\s*([^\s0-9]+)\s*([0-9]+)")


class TypedDateError(ValueError):
    """Why a typed date was refused: a ``code`` for the form's error message, and the
    ``params`` it names (the year typed, the year that was probably meant)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def format_typed_date(value: datetime.date, *, buddhist_era: bool) -> str:
    """How a date field shows its value: 2/12/2569 in Thai, 2/12/2026 in English."""
    year = value.year + BUDDHIST_ERA_OFFSET if buddhist_era else value.year
    return f"{value.day}/{value.month}/{year}"


def parse_typed_date(text: str, *, buddhist_era: bool) -> datetime.date:
    """The date a person typed: day/month/year (2/12/2569, 2.12.2026, 02122569,
    2 ธ.ค. 2569) or ISO (2026-12-02). Thai digits are read as digits.

    With ``buddhist_era`` (the Thai interface) a year in BE_YEARS is Buddhist era and a
    year in CE_YEARS Christian era. Without it, a Buddhist-era year is refused with the
    year to type. Raises TypedDateError.
    """
    text = " ".join(text.split()).translate(_THAI_DIGITS)
    if not text or len(text) > MAX_TYPED_LENGTH:
        raise TypedDateError("invalid")
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text) or _DIGITS_ONLY.fullmatch(text):
        day, month, year = match.groups()
    elif (match := _MONTH_NAMED.fullmatch(text)) and match[2].replace(".", "") in _MONTH_NAMES:
        day, year = match[1], match[3]
        month = _MONTH_NAMES[match[2].replace(".", "")]
    else:
        raise TypedDateError("invalid")
    if len(year) != 4:
        raise TypedDateError("short_year" if len(year) <= 2 else "invalid")
    ce_year = _christian_era_year(int(year), buddhist_era=buddhist_era)
    try:
        return datetime.date(ce_year, int(month), int(day))
    except ValueError:
        raise TypedDateError("no_such_date", day=int(day), month=int(month), year=year) from None


def _christian_era_year(year: int, *, buddhist_era: bool) -> int:
    if year in CE_YEARS:
        return year
    if year in BE_YEARS:
        if buddhist_era:
            return year - BUDDHIST_ERA_OFFSET
        raise TypedDateError("buddhist_era", year=year, ce_year=year - BUDDHIST_ERA_OFFSET)
    if buddhist_era and year - BUDDHIST_ERA_OFFSET in BE_YEARS:
        # 3112 for 2569: 543 added to a year that was already Buddhist era.
        raise TypedDateError("era_added_twice", year=year, be_year=year - BUDDHIST_ERA_OFFSET)
    if buddhist_era and CE_YEARS.stop <= year < BE_YEARS.start:
        raise TypedDateError("between_eras", year=year)
    raise TypedDateError("year_out_of_range", year=year)
