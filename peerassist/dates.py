"""Dates as Thai readers expect them: Buddhist-era years and Thai month names in Thai,
Django's formats in English. Used by templates (the ``thaidate`` filter), emails,
exports and charts."""

import datetime

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
