"""The dashboard's month chart shows the months that have data (issue 15): from the
first month with an AAR (at most 12 months back, at least 3 months shown) to this month,
with the empty months labelled lightly and the labels legible on a phone."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
URL = reverse("followup:dashboard")
NOW = datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)


def _aars(org, *, months_ago: int, count: int = 1):
    """``count`` AARs submitted in the month ``months_ago`` before March 2026."""
    year, month = divmod(2026 * 12 + 2 - months_ago, 12)
    submitted = datetime.datetime(year, month + 1, 10, 9, tzinfo=datetime.UTC)
    session = AssistSessionFactory(organiser=org, date=submitted.date())
    for person in ParticipantFactory.create_batch(count, session=session):
        AARFactory(participant=person, submitted_at=submitted)


def _chart(client, **params):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params)
    return response.context["chart"], response.content.decode()


def test_chart_starts_at_the_first_month_with_data(coordinator, org):
    with time_machine.travel(NOW, tick=False):
        _aars(org, months_ago=4, count=2)
        _aars(org, months_ago=1, count=3)
    chart, html = _chart(coordinator)
    assert [bar["label"] for bar in chart] == [
        "พ.ย. 68",
        "ธ.ค. 68",
        "ม.ค. 69",
        "ก.พ. 69",
        "มี.ค. 69",
    ]
    assert [bar["count"] for bar in chart] == [2, 0, 0, 3, 0]
    assert [bar["empty"] for bar in chart] == [False, True, True, False, True]
    # The year stands under the first bar and under January only.
    assert [bar["year"] for bar in chart] == ["68", "", "69", "", ""]
    # The tallest bar is full height; the others in proportion.
    assert [bar["height"] for bar in chart] == [53, 0, 0, 80, 0]
    # Empty months are drawn with the lighter class; the caption names the range.
    assert html.count('class="month-empty"') == 3 and html.count('class="month-with-data"') == 2
    assert "AAR ที่ได้รับในแต่ละเดือน พ.ย. 68 ถึง มี.ค. 69" in html
    # Drawn to scale: 40 units a month, 32 px a month.
    assert 'viewBox="0 0 200 150" width="160"' in html


def test_one_busy_month_still_shows_three(coordinator, org):
    with time_machine.travel(NOW, tick=False):
        _aars(org, months_ago=0, count=2)
    chart, _html = _chart(coordinator)
    assert [bar["label"] for bar in chart] == ["ม.ค. 69", "ก.พ. 69", "มี.ค. 69"]
    assert [bar["count"] for bar in chart] == [0, 0, 2]


def test_no_data_shows_three_empty_months(coordinator, org):
    chart, html = _chart(coordinator)
    assert len(chart) == 3 and all(bar["empty"] for bar in chart)
    assert 'class="month-with-data"' not in html


def test_at_most_twelve_months_ending_this_month(coordinator, org):
    with time_machine.travel(NOW, tick=False):
        _aars(org, months_ago=15)  # older than the chart: left out
        _aars(org, months_ago=11)
    chart, _html = _chart(coordinator)
    assert len(chart) == 12
    assert chart[0]["label"] == "เม.ย. 68" and chart[0]["count"] == 1
    assert chart[-1]["label"] == "มี.ค. 69"
    assert sum(bar["count"] for bar in chart) == 1


def test_filtered_chart_counts_the_chosen_sessions_in_english(coordinator, org):
    with time_machine.travel(NOW, tick=False):
        _aars(org, months_ago=5)
    coordinator.cookies["peerassist_language"] = "en"
    chart, html = _chart(coordinator, status="held")  # counted from the sessions
    assert [bar["label"] for bar in chart] == [
        "Oct 25", "Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26",
    ]  # fmt: skip
    assert chart[0]["count"] == 1 and chart[0]["month"] == "Oct" and chart[0]["year"] == "25"
    assert "AARs received per month, Oct 25 to Mar 26" in html


def test_labels_stay_at_least_11_px_on_a_360_px_phone(coordinator, org):
    """A full year is the widest chart. On a 360 px screen the page's content is 336 px
    wide (Bootstrap's container padding), and the SVG shrinks to fit: its labels, in
    the SVG's units, must still come out at 11 px or more."""
    with time_machine.travel(NOW, tick=False):
        _aars(org, months_ago=11)
    _chart_bars, html = _chart(coordinator)
    width = int(re.search(r'viewBox="0 0 (\d+) 150"', html).group(1))
    css = (Path(settings.BASE_DIR) / "static/css/followup.css").read_text()
    font = re.search(r"\.month-chart \.label, \.month-chart \.count \{ font-size: (\d+)px", css)
    assert font, "the chart's label size is no longer where this test reads it"
    assert int(font.group(1)) * 336 / width >= 11
