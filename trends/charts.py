"""Bar charts drawn on the server as SVG (``templates/trends/_chart.html``), and the
names of months and quarters, in Thai with Buddhist-era years.

The parts repeated a bar or a period at a time (the bars, the chart's table, the trend
table's cells) are built here as strings, each text escaped with ``html.escape``: at 60
months, template loops took 6 of the trends page's 28 ms, and ``format_html`` still 1.5 ms
a chart (BENCHMARKS.md, findings of 2026-12-08).

The dashboard's month chart (``aar.dashboard_views._month_chart``) draws a column of
40 units a month at its natural size. A trend may cover 60 months, so here the chart is
always ``WIDTH`` units wide and shrinks or grows with the page (width 100%): the columns
share the width, and only every few columns get a label, so that labels stay at least
``LABEL_SPACING`` units apart, about 50 px on a 360 px phone.
"""

import datetime
import math
from html import escape

from django.utils.safestring import SafeString

from peerassist.dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS_SHORT
from trends.queries import QUARTER

WIDTH = 480
HEIGHT = 210
BASELINE = 160  # the bars stand on it
BAR_TOP = 24  # room above the tallest bar for its figure
NAME_Y = BASELINE + 20  # the bars' labels under the baseline, and their years
YEAR_Y = BASELINE + 40
LABEL_SPACING = 72
# The bars' area leaves room on the left for the scale's figures, and on both sides for
# half a label under the first and the last bar.
LEFT = 44
RIGHT = 20
FIGURE_MIN_COLUMN = 30  # narrower columns show their figure only in the table


def _month_name(month: int, language: str) -> str:
    if language == "th":
        return THAI_MONTHS_SHORT[month - 1]
    return datetime.date(2000, month, 1).strftime("%b")


def _year(year: int, language: str) -> int:
    return year + BUDDHIST_ERA_OFFSET if language == "th" else year


def short_period(period: datetime.date, step: str, language: str) -> str:
    """A period's name under a bar, without the year: ม.ค. or ม.ค.–มี.ค."""
    name = _month_name(period.month, language)
    if step == QUARTER:
        return f"{name}–{_month_name(period.month + 2, language)}"
    return name


def period_label(period: datetime.date, step: str, language: str) -> str:
    """A period's full name: ม.ค. 2569 or ม.ค.–มี.ค. 2569 in Thai, Jan 2026 or
    Jan–Mar 2026 in English."""
    return f"{short_period(period, step, language)} {_year(period.year, language)}"


def bar_chart(
    points: list[tuple[datetime.date, int | None]],
    *,
    step: str,
    language: str,
    percent: bool = False,
) -> dict:
    """A bar a period: ``points`` are (period, value); None is "no figure" (no bar, a
    dash in the table). With ``percent`` the scale runs to 100."""
    count = max(len(points), 1)
    column = (WIDTH - LEFT - RIGHT) / count
    every = max(1, math.ceil(LABEL_SPACING / column))
    values = [value or 0 for _period, value in points]
    peak = 100 if percent else max([*values, 1])
    tallest = BASELINE - BAR_TOP
    bar_width = max(column * 0.7, 1)
    bars = []
    last_year_shown = None
    for index, (period, value) in enumerate(points):
        height = round(tallest * (value or 0) / peak, 1)
        labelled = index % every == 0
        year = _year(period.year, language)
        show_year = labelled and year != last_year_shown
        if show_year:
            last_year_shown = year
        text = "" if value is None else (f"{value}%" if percent else str(value))
        bars.append(
            {
                "label": period_label(period, step, language),
                "value": value,
                "text": text,
                "empty": not value,
                "x": round(LEFT + index * column + (column - bar_width) / 2, 1),
                "width": round(bar_width, 1),
                "center": round(LEFT + index * column + column / 2, 1),
                "height": height,
                "y": round(BASELINE - height, 1),
                "figure_y": round(BASELINE - height - 5, 1),
                "show_figure": bool(text) and column >= FIGURE_MIN_COLUMN,
                "name": short_period(period, step, language) if labelled else "",
                "year": str(year) if show_year else "",
            }
        )
    return {
        "bars": bars,
        "bars_svg": _bars_svg(bars),
        "table_rows": _table_rows(bars),
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": BASELINE + 0.5,
        "left": LEFT,
        # The scale: a line at the tallest bar's height (or 100%), its figure beside it.
        "top": BAR_TOP + 0.5,
        "top_text": "100%" if percent else str(peak),
        "top_text_y": BAR_TOP + 5,
        "zero_text_y": BASELINE + 5,
        "percent": percent,
    }


def _text(x, y, css: str, escaped: str) -> str:
    """A figure or label centred at (x, y); ``escaped`` is already escaped."""
    return f'<text x="{x}" y="{y}" text-anchor="middle" class="{css}">{escaped}</text>'


def _bars_svg(bars: list[dict]) -> SafeString:
    """The bars' SVG: a ``<g>`` a bar, with its column (and its full name and figure as
    a tooltip), its figure above it where there is room, and its label and year under.
    Numbers are ours; every text is escaped."""
    parts = []
    for bar in bars:
        label, text = escape(bar["label"]), escape(bar["text"])
        parts.append(f'<g class="{"trend-empty" if bar["empty"] else "trend-with-data"}">')
        if bar["height"]:
            parts.append(
                f'<rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" '
                f'height="{bar["height"]}" class="bar"><title>{label}: {text or "—"}</title></rect>'
            )
        if bar["show_figure"]:
            parts.append(_text(bar["center"], bar["figure_y"], "figure", text))
        if bar["name"]:
            parts.append(_text(bar["center"], NAME_Y, "label", escape(bar["name"])))
        if bar["year"]:
            parts.append(_text(bar["center"], YEAR_Y, "label label-year", escape(bar["year"])))
        parts.append("</g>")
    return SafeString("".join(parts))


def _table_rows(bars: list[dict]) -> SafeString:
    """The chart's table: a row a bar, its full name and its figure (a dash for none)."""
    return SafeString(
        "".join(
            f'<tr><th scope="row" class="fw-normal">{escape(bar["label"])}</th>'
            f'<td class="text-end">{escape(bar["text"]) or "—"}</td></tr>'
            for bar in bars
        )
    )


def figure_cells(figures) -> SafeString:
    """One row of the trend table's figures (a ``trends.queries.Figures``): the counts,
    completion in percent (a dash without anyone), and the lessons by status. Every one
    is a number of ours (or the dash), so nothing needs escaping."""
    completion = "—" if figures.completion is None else f"{int(figures.completion)}%"
    counts = [
        int(figures.sessions),
        int(figures.participants),
        int(figures.submitted),
        completion,
        int(figures.late),
        int(figures.missing_late),
        int(figures.commitments),
        int(figures.commitments_done),
        int(figures.checkbacks_answered),
        *(int(n) for n in figures.lessons.values()),
    ]
    return SafeString("".join(f'<td class="text-end">{n}</td>' for n in counts))
