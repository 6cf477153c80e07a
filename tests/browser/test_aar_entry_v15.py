"""Issue 15 on a phone (360×740, Thai): the submit button stays in reach, and the error
summary takes the reader to each missing part."""

import pytest

from aar.models import AAR
from tests.browser.conftest import PHONE, has_horizontal_scroll, wait_until
from tests.factories import AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def participant():
    session = AssistSessionFactory(
        purpose="สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร " * 4,
        summary="ทีมเจ้าภาพเสนอแนวทางของตัวเอง เริ่มจากวงเล่าเรื่องเล็กๆ",
    )
    return ParticipantFactory(session=session, full_name="วรรณา มีสุข")


def _in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_submit_stays_in_reach_while_writing(live_server, phone_page, participant, screenshot):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    submit = "button[value=submit]"
    # The buttons sit at the end of a long form, and still show at the bottom of the screen.
    assert page.locator("#aar-form > p.form-text").last.bounding_box()["y"] > PHONE["height"]
    assert _in_viewport(page, submit) and _in_viewport(page, "button[value=draft]")
    page.fill("textarea[name=achieved]", "ได้เห็นความแตกต่าง\n" * 12)
    assert _in_viewport(page, submit)
    # A box brought into view by focus (Tab, or a link in the error summary) is not
    # hidden under the bar.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.focus("textarea[name=next_steps]")
    # Bootstrap scrolls smoothly: wait for the scrolling to settle.
    wait_until(
        page,
        """() => { const box = document.activeElement.getBoundingClientRect();
            const bar = document.querySelector(".aar-actions").getBoundingClientRect();
            return box.top >= 0 && box.bottom <= bar.top; }""",
        timeout=3000,
    )
    screenshot(page, "aar-form-sticky-bar-phone-th")
    assert not has_horizontal_scroll(page)
    # The draft button is the quieter one: not filled.
    colours = page.evaluate(
        """() => ["submit", "draft"].map(v => getComputedStyle(
            document.querySelector(`button[value=${v}]`)).backgroundColor)"""
    )
    assert colours[0] != colours[1] and colours[1] in ("rgba(0, 0, 0, 0)", "transparent")


def test_a_new_aar_is_private_unless_the_person_chooses(live_server, phone_page, participant):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    assert page.is_checked("input[name=sharing][value=organisers]")
    page.fill("textarea[name=goal]", "อยากเรียนรู้")
    page.click("button[value=draft]")
    page.wait_for_load_state()
    assert AAR.objects.get(participant=participant).sharing == AAR.Sharing.ORGANISERS


def test_error_summary_takes_focus_and_its_links_focus_the_fields(
    live_server, phone_page, participant, axe_check, screenshot
):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    page.fill("textarea[name=goal]", "อยากเรียนรู้")
    page.click("button[value=submit]")
    page.wait_for_selector(".error-summary")
    # error_summary.js is a deferred script: it may run just after the summary is parsed.
    wait_until(page, "document.activeElement.classList.contains('error-summary')")
    links = page.locator(".error-summary a")
    assert links.count() == 3
    axe_check(page)
    screenshot(page, "aar-form-error-summary-phone-th")

    links.nth(1).click()  # 3. สิ่งที่ยังไม่บรรลุ
    assert page.evaluate("document.activeElement.id") == "id_not_achieved"
    # Bootstrap scrolls smoothly: wait for the label to arrive in view.
    wait_until(
        page,
        """() => { const r = document.querySelector("label[for=id_not_achieved]")
            .getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }""",
        timeout=3000,
    )
    page.keyboard.type("เวลาน้อย")
    assert page.input_value("textarea[name=not_achieved]") == "เวลาน้อย"
    assert page.input_value("textarea[name=goal]") == "อยากเรียนรู้"  # kept


def test_the_without_my_name_boxes_survive_a_reload_before_saving(
    live_server, phone_page, participant
):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    page.fill("textarea[name=not_achieved]", "เวลาไม่พอ เพราะงานประจำล้นมือ")
    page.check("input[name=anonymous][value=not_achieved]")
    page.wait_for_timeout(400)  # the local copy is written a moment after a change
    page.reload()
    # Nothing reached the server; the browser's copy brought back the words and the box.
    assert not AAR.objects.filter(participant=participant).exists()
    assert page.input_value("textarea[name=not_achieved]") == "เวลาไม่พอ เพราะงานประจำล้นมือ"
    assert page.is_checked("input[name=anonymous][value=not_achieved]")
    assert not page.is_checked("input[name=anonymous][value=goal]")
    page.click("button[value=draft]")
    page.wait_for_load_state()
    assert AAR.objects.get(participant=participant).anonymous == ["not_achieved"]
