"""The year in review in a real browser (issue 20): in Thai on a 360 px phone (no page
wider than the screen), then in print: the navigation hidden, and Chromium's own
print-to-PDF makes an A4 document with the Thai text in it.

Screenshots: test-results/screenshots/review-*.png; the PDF: test-results/review-th.pdf.
"""

import datetime
import re

import pytest
from django.utils import timezone

from aar.method_review import method_review_save
from tests.browser.conftest import SCREENSHOTS, has_horizontal_scroll, signed_in
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

THAI_FONT = rb"/BaseFont /[A-Z]{6}\+(?:Loma|Garuda|Norasi|Kinnari|Waree|Sawasdee|Umpush|Laksaman|Purisa|Tlwg|Sarabun|Noto\w*Thai)"

TITLES = (
    "Peer Assist: วงเล่าเรื่องข้ามเวรของพยาบาลโรงพยาบาลชุมชน",
    "Peer Assist: ชวนคนรุ่นใหม่เข้าวงเล่าเรื่อง",
    "Peer Assist: ตลาดสีเขียวของชุมชน",
)


@pytest.fixture
def year(org, coordinator_user):
    this_year = timezone.localdate().year
    host = OrganisationFactory(name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", short_name="สสส.")
    for n, title in enumerate(TITLES):
        session = AssistSessionFactory(
            organiser=org, host=host, title=title, date=datetime.date(this_year, 2 + 3 * n, 10)
        )
        for k in range(4):
            person = ParticipantFactory(session=session, full_name=f"ผู้เข้าร่วม {n}{k}")
            if k < 3:
                day = session.aar_deadline + datetime.timedelta(days=2 if k == 2 else -3)
                AARFactory(
                    participant=person,
                    submitted_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(9))
                    ),
                    not_achieved="เวลาไม่พอ คุยได้แค่ภาพรวม ยังไม่ได้ลงรายละเอียด",
                    next_steps="จะนัดทีมติดตามผลทุกเดือน",
                )
                CommitmentFactory(aar=person.aar, text="นัดทีมคุยเรื่องนี้ภายในสองสัปดาห์")
        method_review_save(
            session=session,
            data={
                "worked": "เจ้าภาพเล่าโจทย์ชัด เพื่อนถามตรงจุด",
                "did_not_work": "เวลาไม่พอ ช่วงถามตอบสั้นเกินไป",
                "change_next": "ส่งคำถามล่วงหน้าหนึ่งสัปดาห์",
            },
            user=coordinator_user,
        )
    return this_year


def test_year_in_review_in_thai_on_a_phone_and_in_print(
    live_server, org, year, coordinator_user, phone_page, axe_check, screenshot
):
    page = phone_page
    signed_in(page.context, live_server, coordinator_user)
    page.goto(f"{live_server.url}/followup/trends/review/")
    assert not has_horizontal_scroll(page)
    screenshot(page, "review-chooser-phone-th")
    axe_check(page)
    page.get_by_role("link", name=f"พ.ศ. {year + 543}").click()
    page.wait_for_url(f"**/followup/trends/review/{org.pk}/{year}/")
    heading = page.locator("h1").inner_text()
    assert f"พ.ศ. {year + 543}" in heading, heading
    body = page.locator("main").inner_text()
    assert all(title in body for title in TITLES)
    assert "เวลาไม่พอ" in body  # the review of the method's recurring point
    assert not has_horizontal_scroll(page)
    screenshot(page, "review-phone-th")
    axe_check(page)

    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("main nav").first.is_visible()
    assert not page.locator("main .btn").first.is_visible()
    assert page.locator("h1").is_visible()
    screenshot(page, "review-print-th")

    # The page as an A4 sheet shows it (794 CSS pixels wide): a table, not cards.
    page.set_viewport_size({"width": 794, "height": 1123})
    assert page.locator("table.review-table thead").is_visible()
    screenshot(page, "review-print-a4-th")

    # Chromium's print-to-PDF (headless), A4 as the stylesheet asks.
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000, len(pdf)
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "review-th.pdf").write_bytes(pdf)
    # A4 is 595 x 842 points.
    assert re.search(rb"/MediaBox \[0 0 59[45][.0-9]* 84[12][.0-9]*\]", pdf)
    # The Thai text is set in a Thai font, embedded (fonts-thai-tlwg: Loma, Garuda, ...),
    # not boxes of a font without Thai.
    assert re.search(THAI_FONT, pdf), re.findall(rb"/BaseFont /([\w+-]+)", pdf)


def test_year_in_review_in_english_shows_the_christian_year(
    live_server, org, year, coordinator_user, browser, axe_check, screenshot
):
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-GB")
    try:
        signed_in(context, live_server, coordinator_user)
        page = context.new_page()
        page.goto(f"{live_server.url}/followup/trends/review/{org.pk}/{year}/")
        if page.locator("html").get_attribute("lang") != "en":
            page.click("header button[name=language]")
            page.wait_for_selector("html[lang=en]")
        heading = page.locator("h1").inner_text()
        assert str(year) in heading and str(year + 543) not in heading, heading
        screenshot(page, "review-desktop-en")
        axe_check(page)
        # A Buddhist-era year typed into the address: a clear message, and the year meant.
        page.goto(f"{live_server.url}/followup/trends/review/{org.pk}/{year + 543}/")
        assert page.locator(".alert").is_visible()
        assert page.get_by_role("link", name=str(year)).count() >= 1
        axe_check(page)
    finally:
        context.close()
