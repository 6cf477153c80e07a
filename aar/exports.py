"""CSV and XLSX exports. Thai opens correctly in Excel, and no cell can run a formula."""

import csv
import io
import unicodedata

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from aar.privacy import text_order

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may skip these before reading "=": "\x01=HYPERLINK(...)" or " =1".
FORMULA_SIGNS = ("=", "+", "-", "@")


def date_column(label: str) -> str:
    """A date column's header, naming the era of its cells. Exports keep ISO dates in
    the Christian era (what spreadsheets sort and read as dates), while the Thai
    interface shows Buddhist-era years: the header says which one the reader is seeing."""
    return _("%(label)s (CE, YYYY-MM-DD)") % {"label": label}


def datetime_column(label: str) -> str:
    """As ``date_column``, for a date and a time (Bangkok time, 24-hour clock)."""
    return _("%(label)s (CE, YYYY-MM-DD HH:MM)") % {"label": label}


# In a writer's row, in place of an answer they asked to show without their name.
SHOWN_WITHOUT_NAME = gettext_lazy("(shown without name)")


def anonymous_rows(width: int, answers, *, label: str) -> list[list[str]]:
    """One row per answer shown without its writer's name: ``label`` in the first
    column, the text in its own column (``answers`` are (column, text)), every other
    cell empty, so that nothing (name, organisation, role, email, times) ties it to the
    writer. By column, then by text: their order says nothing of who wrote them."""
    rows = []
    for column, text in sorted(answers, key=lambda pair: (pair[0], *text_order(pair[1]))):
        row = [""] * width
        row[0] = label
        row[column] = text
        rows.append(row)
    return rows


def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cc"


def neutralise(value):
    """A cell that a spreadsheet would read as a formula gets a leading apostrophe,
    also when spaces or control characters come before the formula's sign."""
    if not isinstance(value, str):
        return value
    start = 0
    while start < len(value) and _ignorable(value[start]):
        start += 1
    if value.startswith(FORMULA_STARTS) or value[start:].startswith(FORMULA_SIGNS):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    # UTF-8 with a BOM: Excel then reads Thai correctly.
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, header: list[str], rows) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    # Control characters are dropped before the formula check: dropped after it,
    # "\x01=HYPERLINK(...)" would become a live formula.
    sheet.append([neutralise(_clean_cell(h)) for h in header])
    for row in rows:
        sheet.append([neutralise(_clean_cell(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _clean_cell(value):
    # XLSX cannot hold control characters; drop them rather than fail the export.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def export_response(fmt: str, filename: str, header: list[str], rows) -> HttpResponse:
    header = [str(label) for label in header]  # labels may be lazy translations
    return (xlsx_response if fmt == "xlsx" else csv_response)(filename, header, list(rows))
