"""A coordinator follows up on the demo data, end to end."""

import pytest
from django.core.management import call_command

from sessions_app.models import AssistSession
from tests.browser.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

OVERDUE = "Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน"


def test_coordinator_follows_up_the_overdue_session(
    live_server, page, sign_in, axe_check, screenshot
):
    call_command("load_demo", verbosity=0)
    session = AssistSession.objects.get(title=OVERDUE)
    sign_in(page, "demo", "peerassist-demo")

    page.goto(f"{live_server.url}/followup/")
    row = page.locator("tr", has_text=OVERDUE)
    assert row.locator(".badge", has_text="เลยกำหนด").is_visible()
    missing_before = int(row.locator("td").nth(6).inner_text())
    axe_check(page)
    screenshot(page, "followup-dashboard-th")

    row.get_by_role("link", name=OVERDUE).click()
    page.wait_for_url(f"**/followup/sessions/{session.pk}/")
    page.get_by_role("button", name="ส่งข้อความแจ้งเตือนทางอีเมลถึง").click()
    page.wait_for_load_state()
    # สมชาย has no email: the page says he was skipped, and why.
    assert page.get_by_text("ข้าม สมชาย บันทึกดี: ไม่มีที่อยู่อีเมล").is_visible()
    assert page.get_by_text("ส่งข้อความแจ้งเตือนแล้ว").is_visible()
    axe_check(page)
    screenshot(page, "followup-session-th")

    # A missing participant writes their AAR through the personal link.
    person = session.participants.get(full_name="พว.ปราณี ชื่นชม")
    page.goto(f"{live_server.url}{person.get_aar_url()}")
    for name, text in [
        ("goal", "อยากรู้วิธีแลกเปลี่ยนข้ามเวร"),
        ("achieved", "ได้แนวทางทำวงเล่าเรื่องสั้นๆ ตอนส่งเวร"),
        ("not_achieved", "ยังไม่ได้ลองจริง เพราะเวลาน้อย"),
        ("next_steps", "ลองทำวงเล่าเรื่องทุกวันศุกร์"),
    ]:
        page.fill(f"textarea[name={name}]", text)
    # A new AAR is private (organisers only) until its writer chooses to share it; the
    # blog-ready copy below takes shared AARs only.
    page.check("input[name=sharing][value=participants]")
    page.click("button[value=submit]")
    page.wait_for_url("**/thanks/")

    page.goto(f"{live_server.url}/followup/")
    row = page.locator("tr", has_text=OVERDUE)
    assert int(row.locator("td").nth(6).inner_text()) == missing_before - 1
    assert row.locator(".badge", has_text="เลยกำหนด").is_visible()  # others still missing

    page.goto(f"{live_server.url}/followup/sessions/{session.pk}/synthesis/")
    assert page.get_by_text("ลองทำวงเล่าเรื่องทุกวันศุกร์").first.is_visible()
    axe_check(page)
    screenshot(page, "followup-synthesis-th")
    # Copy puts the blog-ready text, as the page shows it, on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    copy = page.locator("button.js-copy")
    copy.click()
    wait_until(page, "el => el.textContent === el.dataset.copiedLabel", copy.element_handle())
    blog = page.input_value("#blog-md")
    assert "ลองทำวงเล่าเรื่องทุกวันศุกร์" in blog
    assert page.evaluate("navigator.clipboard.readText()") == blog

    page.click("header button[name=language]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_text("What we learned").first.is_visible()
    axe_check(page)
    screenshot(page, "followup-synthesis-en")
    for path in ("/followup/", f"/followup/sessions/{session.pk}/"):
        page.goto(f"{live_server.url}{path}")
        axe_check(page)
    screenshot(page, "followup-session-en")
