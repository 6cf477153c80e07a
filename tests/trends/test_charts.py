"""The trends' server-drawn charts (trends/charts.py): names of months and quarters in
Thai with Buddhist-era years, bars to scale, few enough labels for a phone."""

import datetime

from trends.charts import (
    LABEL_SPACING,
    WIDTH,
    bar_chart,
    figure_cells,
    period_label,
    short_period,
)
from trends.queries import LESSON_STATUSES, Figures, periods


def _months(n, start=datetime.date(2025, 11, 1)):
    return periods(start, datetime.date(start.year + 10, 1, 1), "month")[:n]


def test_thai_month_names_with_buddhist_era_years():
    assert period_label(datetime.date(2026, 1, 1), "month", "th") == "ม.ค. 2569"
    assert period_label(datetime.date(2026, 1, 1), "month", "en") == "Jan 2026"


def test_quarters_are_named_by_their_months():
    assert period_label(datetime.date(2026, 10, 1), "quarter", "th") == "ต.ค.–ธ.ค. 2569"
    assert period_label(datetime.date(2026, 4, 1), "quarter", "en") == "Apr–Jun 2026"
    assert short_period(datetime.date(2026, 1, 1), "quarter", "th") == "ม.ค.–มี.ค."


def test_bars_are_to_scale_and_stand_on_the_baseline():
    points = list(zip(_months(3), [10, 5, 0], strict=True))
    chart = bar_chart(points, step="month", language="th")
    tall, half, empty = chart["bars"]
    assert tall["height"] == 2 * half["height"]
    assert tall["y"] + tall["height"] == half["y"] + half["height"] == 160
    assert empty["height"] == 0 and empty["empty"]
    assert [bar["text"] for bar in chart["bars"]] == ["10", "5", "0"]


def test_a_percent_chart_runs_to_100_and_a_missing_figure_is_no_bar():
    points = list(zip(_months(2), [50, None], strict=True))
    chart = bar_chart(points, step="month", language="en", percent=True)
    half, none = chart["bars"]
    assert half["height"] == (160 - 24) / 2
    assert half["text"] == "50%"
    assert none["text"] == "" and none["height"] == 0


def test_the_year_is_shown_under_the_first_label_and_when_it_changes():
    points = [(month, 1) for month in _months(4)]  # Nov 2025 .. Feb 2026
    bars = bar_chart(points, step="month", language="th")["bars"]
    assert [bar["year"] for bar in bars] == ["2568", "", "2569", ""]
    assert [bar["name"] for bar in bars] == ["พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ."]


def test_sixty_months_get_few_labels_far_enough_apart_for_a_phone():
    points = [(month, 3) for month in _months(60)]
    chart = bar_chart(points, step="month", language="th")
    labelled = [bar for bar in chart["bars"] if bar["name"]]
    assert 4 <= len(labelled) <= WIDTH // LABEL_SPACING + 1
    centers = [bar["center"] for bar in labelled]
    assert min(b - a for a, b in zip(centers, centers[1:], strict=False)) >= LABEL_SPACING
    # Columns too narrow for their figure leave it to the table.
    assert not any(bar["show_figure"] for bar in chart["bars"])
    assert all(bar["x"] + bar["width"] <= WIDTH for bar in chart["bars"])


def test_every_bar_has_its_full_name_for_the_table():
    points = [(month, 1) for month in _months(24)]
    bars = bar_chart(points, step="month", language="th")["bars"]
    assert all(bar["label"] for bar in bars)
    assert bars[0]["label"] == "พ.ย. 2568"


def test_the_bars_and_the_charts_table_are_drawn_from_the_figures():
    points = list(zip(_months(3, datetime.date(2026, 1, 1)), [10, None, 0], strict=True))
    chart = bar_chart(points, step="month", language="th")
    svg = str(chart["bars_svg"])
    # A bar with a figure: its column, with its full name and figure as a tooltip.
    assert svg.count("<rect ") == 1
    assert "<title>ม.ค. 2569: 10</title>" in svg
    assert svg.count('<g class="trend-empty">') == 2 and svg.count("</g>") == 3
    # The table says "—" where there is no figure, and 0 where the figure is 0.
    rows = str(chart["table_rows"])
    assert rows.count("<tr>") == 3
    assert '<th scope="row" class="fw-normal">ก.พ. 2569</th><td class="text-end">—</td>' in rows
    assert '<th scope="row" class="fw-normal">มี.ค. 2569</th><td class="text-end">0</td>' in rows


def test_a_trend_tables_row_has_a_cell_a_figure_and_a_dash_for_no_completion():
    empty = Figures()
    cells = str(figure_cells(empty))
    assert cells.count("<td") == 9 + len(LESSON_STATUSES)
    assert '<td class="text-end">—</td>' in cells
    busy = Figures(participants=4, submitted=3, late=1)
    busy.lessons[LESSON_STATUSES[0]] = 2
    cells = str(figure_cells(busy))
    assert '<td class="text-end">75%</td>' in cells
    assert cells.endswith('<td class="text-end">2</td>' + '<td class="text-end">0</td>' * 3)
