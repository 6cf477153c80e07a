"""Trends in a browser (issue 20): in Thai on a 360 px phone the page does not scroll
sideways and the charts are drawn; at desktop width too; axe finds nothing; screenshots
for a person to look at (test-results/screenshots/trends-*.png)."""

import datetime
import os
import shutil

import pytest

from sessions_app.models import Membership
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eighteen_months():
    """Two organisations with sessions over eighteen months, AARs of some of them."""
    user = UserFactory(username="funder")
    for index, name in enumerate(("สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", "มูลนิธิสุขภาพชุมชน")):
        org = OrganisationFactory(name=name, short_name=f"องค์กร {index + 1}")
        MembershipFactory(user=user, organisation=org, role=Membership.Role.COORDINATOR)
        today = datetime.date.today().replace(day=1)
        for back in range(18):
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            date = datetime.date(year, month + 1, 3)
            session = AssistSessionFactory(
                organiser=org, date=date, aar_deadline=date + datetime.timedelta(days=14)
            )
            for person in range(1 + (back + index) % 4):
                participant = ParticipantFactory(session=session)
                if person % 2 == 0:
                    AARFactory(participant=participant)
    return user


def _no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_trends_in_thai_at_360_px(
    live_server, phone_page, sign_in, eighteen_months, axe_check, screenshot
):
    page = phone_page
    sign_in(page, "funder")
    page.goto(f"{live_server.url}/followup/trends/?start=1/2568&end=12/2569")
    assert page.locator("html").get_attribute("lang") == "th"
    assert _no_sideways_scroll(page)
    charts = page.locator("svg.trend-svg")
    assert charts.count() == 4
    first = charts.first
    assert first.is_visible()
    box = first.bounding_box()
    assert box["width"] > 200 and box["x"] + box["width"] <= 360
    assert "ม.ค." in first.inner_html()
    assert page.locator("#chart-sessions-table caption").count() == 1
    axe_check(page)
    screenshot(page, "trends-th-360")
    # The first chart alone, at the phone's size, to read its labels.
    shot = screenshot(page, "trends-th-360")
    page.locator("figure.trend-chart").first.screenshot(
        path=str(shot.with_name("trends-th-360-chart.png"))
    )
    if folder := os.environ.get("SHOTS_DIR"):
        shutil.copy(shot.with_name("trends-th-360-chart.png"), folder)

    page.goto(f"{live_server.url}/followup/trends/organisations/?year=2569&sort=-completion")
    assert _no_sideways_scroll(page)
    axe_check(page)
    screenshot(page, "trends-compare-th-360")


def test_trends_at_desktop_width_and_in_print(
    live_server, page, sign_in, eighteen_months, axe_check, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "funder")
    page.goto(f"{live_server.url}/followup/trends/?step=quarter")
    assert _no_sideways_scroll(page)
    assert page.locator("svg.trend-svg").first.is_visible()
    axe_check(page)
    screenshot(page, "trends-desktop")
    page.emulate_media(media="print")
    assert not page.locator("details.filters").is_visible()
    assert page.locator("svg.trend-svg").first.is_visible()
    screenshot(page, "trends-print")


def test_an_impossible_period_is_explained_beside_the_field(
    live_server, phone_page, sign_in, eighteen_months, axe_check
):
    page = phone_page
    sign_in(page, "funder")
    page.goto(f"{live_server.url}/followup/trends/?year=9999")
    assert page.locator("#id_year_error").is_visible()
    assert page.locator("#id_year").input_value() == "9999"
    assert page.locator("svg.trend-svg").first.is_visible()  # the default period still draws
    axe_check(page)
