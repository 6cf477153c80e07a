"""The participant's journey on a phone (360×740), in Thai."""

import pytest

from aar.models import AAR
from tests.browser.conftest import PHONE, has_horizontal_scroll
from tests.factories import AssistSessionFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)

PARTS = {
    "goal": "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้ของ สสส. และเล่าของ สคส. ให้ฟัง",
    "achieved": "ได้เล่าให้เห็นความแตกต่างค่อนข้างชัดเจน 🙂",
    "not_achieved": "ยังไม่เห็นสัญญาณการตอบรับ เพราะเวลาน้อยเกินไป",
    "next_steps": "ติดตามผลว่า สสส. ตอบสนองอย่างไร\nและชวนเขียน AAR ลง blog",
}


@pytest.fixture
def participant():
    host = OrganisationFactory(name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", short_name="สสส.")
    peer = OrganisationFactory(name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", short_name="สคส.")
    session = AssistSessionFactory(
        title="Micro Peer Assist สคส. กับ สสส.",
        host=host,
        peers=[peer],
        purpose="สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร",
        summary="ทีม สสส. เสนอแนวทางของตัวเอง เริ่มจากวงเล่าเรื่องเล็กๆ",
    )
    return ParticipantFactory(session=session, full_name="วรรณา (อ้อ) มีสุข")


def test_write_reload_restore_submit_and_edit(
    live_server, phone_page, participant, axe_check, screenshot
):
    page = phone_page
    link = f"{live_server.url}/aar/{participant.token}/"
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_label("1. เป้าหมายของฉัน").is_visible()
    axe_check(page)
    screenshot(page, "aar-form-phone-th")
    assert not has_horizontal_scroll(page)

    page.fill("textarea[name=goal]", PARTS["goal"])
    page.fill("textarea[name=achieved]", PARTS["achieved"])
    page.wait_for_timeout(400)  # the local copy is written a moment after typing
    page.reload()
    assert page.input_value("textarea[name=goal]") == PARTS["goal"]
    assert page.input_value("textarea[name=achieved]") == PARTS["achieved"]
    assert page.get_by_role("status").filter(has_text="กู้คืน").count() == 1
    screenshot(page, "aar-form-restored-phone-th")

    page.fill("textarea[name=not_achieved]", PARTS["not_achieved"])
    page.fill("textarea[name=next_steps]", PARTS["next_steps"])
    page.click("button[value=submit]")
    page.wait_for_url(f"**/aar/{participant.token}/thanks/")
    assert page.get_by_text("ขอบคุณสำหรับ AAR ของคุณ").is_visible()
    assert page.get_by_text(PARTS["not_achieved"]).is_visible()
    axe_check(page)
    screenshot(page, "aar-thanks-phone-th")
    assert not has_horizontal_scroll(page)
    # The server has it, so the browser's copy is gone.
    assert page.evaluate(f"localStorage.getItem('peerassist:aar:{participant.token}')") is None

    aar = AAR.objects.get(participant=participant)
    # Browsers send a text area's line breaks as CRLF; we keep exactly what was sent.
    assert aar.is_submitted and aar.next_steps.replace("\r\n", "\n") == PARTS["next_steps"]

    page.click("text=แก้ไข AAR ของฉัน")
    page.fill("textarea[name=next_steps]", "ติดตามผลทุกเดือน")
    page.click("button[value=submit]")
    page.wait_for_url("**/thanks/")
    aar.refresh_from_db()
    assert aar.next_steps == "ติดตามผลทุกเดือน"


def test_switch_language_mid_way_keeps_the_text(live_server, phone_page, participant, screenshot):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    page.fill("textarea[name=goal]", PARTS["goal"])
    page.fill("textarea[name=next_steps]", PARTS["next_steps"])
    page.click("header button[name=action][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_label("1. My goal").is_visible()
    assert page.input_value("textarea[name=goal]") == PARTS["goal"]
    assert page.input_value("textarea[name=next_steps]") == PARTS["next_steps"]
    screenshot(page, "aar-form-phone-en")
    page.click("header button[name=action][value=th]")
    page.wait_for_selector("html[lang=th]")
    assert page.input_value("textarea[name=goal]") == PARTS["goal"]


def test_works_without_javascript(live_server, browser, participant, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/aar/{participant.token}/")
        page.fill("textarea[name=goal]", PARTS["goal"])
        page.click("button[value=draft]")
        page.wait_for_load_state()
        assert page.input_value("textarea[name=goal]") == PARTS["goal"]
        assert AAR.objects.get(participant=participant).status == AAR.Status.DRAFT

        page.click("button[value=submit]")  # three parts missing: errors, text kept
        page.wait_for_load_state()
        assert page.locator(".invalid-feedback").count() == 3
        assert page.input_value("textarea[name=goal]") == PARTS["goal"]
        screenshot(page, "aar-form-errors-nojs-phone-th")
        # (axe needs JavaScript; the error state is checked in the next test)

        for name in ("achieved", "not_achieved", "next_steps"):
            page.fill(f"textarea[name={name}]", PARTS[name])
        page.click("button[value=submit]")
        page.wait_for_url("**/thanks/")
        assert AAR.objects.get(participant=participant).is_submitted
    finally:
        context.close()


def test_error_state_is_accessible(live_server, phone_page, participant, axe_check):
    phone_page.goto(f"{live_server.url}/aar/{participant.token}/")
    phone_page.fill("textarea[name=goal]", PARTS["goal"])
    phone_page.click("button[value=submit]")
    phone_page.wait_for_selector(".invalid-feedback")
    axe_check(phone_page)


def test_unknown_link_page_is_accessible(live_server, phone_page, axe_check, screenshot):
    response = phone_page.goto(f"{live_server.url}/aar/not-a-real-token-0123456789abcdef/")
    assert response.status == 404
    assert phone_page.get_by_text("ไม่พบลิงก์นี้").is_visible()
    assert phone_page.get_by_text("This link does not work").is_visible()
    axe_check(phone_page)
    screenshot(phone_page, "aar-404-phone")
