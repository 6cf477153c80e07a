"""Search in a real browser (issue 18): a coordinator searches a Thai word on a 360 px
phone, in Thai, and sees the results with the matches marked, each mark a whole Thai
character cluster (no vowel or tone mark cut off its consonant); then the same page on a
desktop. The axe check passes on both.

Screenshots: test-results/screenshots/search-*.png.
"""

import pytest

from aar.models import AAR
from sessions_app.models import Participant
from tests.browser.conftest import SCREENSHOTS, has_horizontal_scroll, signed_in
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
# Typed without its last tone mark: the marks must still take in the whole "รู้".
TYPED = "เรียนรู"


@pytest.fixture
def lessons(org, coordinator_user):
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    session = AssistSessionFactory(
        title="Micro Peer Assist สคส. กับ สสส.", organiser=org, host=host, peers=[org]
    )
    named = ParticipantFactory(
        session=session, full_name="สมศรี ใจดี", organisation=host, role=Participant.Role.HOST
    )
    AARFactory(
        participant=named,
        goal="อยากรู้ว่าทีมอื่นทำวงแลกเปลี่ยนเรียนรู้อย่างไรให้คนกล้าเล่าเรื่องที่ไม่สำเร็จ",
        achieved="ได้เรียนรู้ว่าผู้บริหารต้องฟังก่อน ไม่ตัดสิน",
        sharing=AAR.Sharing.ORGANISATIONS,
    )
    hidden = ParticipantFactory(
        session=session, full_name="วรรณา มีสุข", organisation=org, role=Participant.Role.PEER
    )
    AARFactory(
        participant=hidden,
        goal="มาฟังวิธีทำงานของเพื่อน",
        not_achieved="ยังไม่ได้เรียนรู้วิธีวัดผล เพราะเวลาน้อย",
        anonymous=["not_achieved"],
    )
    return session


# Each <mark>: its text, and whether it or the text after it starts with a combining
# mark (a Thai vowel above or below, a tone mark): that would be a split cluster.
MARKS = """() => [...document.querySelectorAll('main mark')].map(m => {
  const after = m.nextSibling ? m.nextSibling.textContent : '';
  return {text: m.textContent,
          split: /^\\p{M}/u.test(m.textContent) || /^\\p{M}/u.test(after)};
})"""


def test_a_thai_search_on_a_phone_marks_whole_words(
    live_server, lessons, coordinator_user, phone_page, axe_check, screenshot
):
    page = phone_page
    signed_in(page.context, live_server, coordinator_user)
    page.goto(f"{live_server.url}/lessons/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.fill("#id_q", TYPED)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "q=" in page.url  # a GET: the search is its address
    assert page.locator("main ol > li").count() == 3
    marks = page.evaluate(MARKS)
    assert marks and all(not mark["split"] for mark in marks), marks
    # Looked for as its words (เรียน, รู: PyThaiNLP); next to each other they are marked
    # as one, and every mark ends with the tone mark its consonant carries.
    assert "เรียนรู้" in {mark["text"] for mark in marks}
    assert {mark["text"] for mark in marks} <= {"เรียนรู้", "เรียน", "รู้"}
    body = page.locator("main").inner_text()
    assert "สมศรี ใจดี" in body
    assert "วรรณา" not in body  # her answer is shown without her name
    assert not has_horizontal_scroll(page)
    screenshot(page, "search-results-phone-th")
    axe_check(page)
    # The filters open without JavaScript's help (a <details>) and stay usable.
    page.click("main details summary")
    assert page.locator("#id_part").is_visible()
    screenshot(page, "search-filters-phone-th")
    axe_check(page)


def test_the_same_search_on_a_desktop(
    live_server, lessons, coordinator_user, browser, axe_check, screenshot
):
    # Twice the pixels: the close-up of a result shows each mark's edges.
    context = browser.new_context(viewport=WIDE, locale="th-TH", device_scale_factor=2)
    try:
        signed_in(context, live_server, coordinator_user)
        page = context.new_page()
        page.goto(f"{live_server.url}/lessons/?q={TYPED}")
        assert page.locator("main ol > li").count() == 3
        assert all(not mark["split"] for mark in page.evaluate(MARKS))
        screenshot(page, "search-results-desktop-th")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("main ol > li").first.screenshot(
            path=str(SCREENSHOTS / "search-result-closeup-th.png")
        )
        axe_check(page)
        # A bad filter: the error beside it, what was typed kept.
        page.goto(f"{live_server.url}/lessons/?q={TYPED}&date_from=32/13/2569")
        assert page.locator("#id_date_from").input_value() == "32/13/2569"
        assert page.locator("#id_date_from").get_attribute("aria-invalid") == "true"
        screenshot(page, "search-error-desktop-th")
        axe_check(page)
    finally:
        context.close()
