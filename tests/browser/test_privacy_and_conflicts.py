"""PDPA pages, erasure, two tabs, a failed save and the walk-in with a known email, end
to end in Thai, at 360 px (a phone) and at desktop width."""

import json

import pytest
from playwright.sync_api import expect

from aar.models import AAR, AARVersion, AuditEntry
from sessions_app.models import ERASED_NAME, Participant
from tests.browser.conftest import has_horizontal_scroll
from tests.factories import (
    AARFactory,
    AARVersionFactory,
    AssistSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
    ReminderLogFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
BIG = "'🙂'.repeat(230000)"  # a JavaScript expression: too much for one request

PARTS = {
    "goal": "อยากรู้ว่าทีมอื่นชวนคนเล่าเรื่องความสำเร็จเล็กๆ อย่างไร",
    "achieved": "ได้วิธีเปิดวงด้วยคำถามเดียว ใช้ได้ทันทีพรุ่งนี้",
    "not_achieved": "ยังไม่ได้คุยเรื่องการวัดผล เพราะเวลาหมดก่อน",
    "next_steps": "ลองเปิดวงเล่าเรื่องทุกเช้าวันจันทร์\nแล้วเขียนสรุปลงบล็อกภายในสิ้นเดือน",
}


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def width(request):
    return request.param


@pytest.fixture
def sized_page(width, request):
    """The same journey on a 360 px phone and on a 1280 px desktop, both in Thai."""
    return request.getfixturevalue(f"{width}_page")


@pytest.fixture
def session():
    host = OrganisationFactory(name="โรงพยาบาลชุมชนบ้านนา", short_name="รพ.บ้านนา")
    peer = OrganisationFactory(name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", short_name="สคส.")
    return AssistSessionFactory(title="Peer Assist: วงเล่าเรื่องข้ามเวร", host=host, peers=[peer])


@pytest.fixture
def participant(session):
    return ParticipantFactory(session=session, full_name="พว.ปราณี ชื่นชม", email="pranee@example.org")


def _aar_url(live_server, participant) -> str:
    return f"{live_server.url}/aar/{participant.token}/"


def _fill_parts(page, parts: dict) -> None:
    for name, text in parts.items():
        page.fill(f"textarea[name={name}]", text)


def _typed(page, name: str) -> str:
    # Browsers send a text area's line breaks as CRLF; the box itself holds LF.
    return page.input_value(f"textarea[name={name}]").replace("\r\n", "\n")


# --- 1. The participant's own data (PDPA right of access) -----------------------------


def test_participant_reads_and_downloads_their_data(
    live_server, sized_page, width, participant, axe_check, screenshot
):
    aar = AARFactory(participant=participant, **PARTS)
    AARVersionFactory(aar=aar, goal="ร่างแรก: อยากรู้วิธีเล่าเรื่อง", next_steps="")
    AARVersionFactory(aar=aar)
    ReminderLogFactory(participant=participant)
    page = sized_page

    page.goto(_aar_url(live_server, participant))
    notice = page.locator("details.privacy-notice")
    assert notice.locator("summary").inner_text().startswith("ประกาศความเป็นส่วนตัว")
    assert not notice.get_by_text("สิทธิของคุณ").is_visible()  # closed until asked
    notice.locator("summary").click()
    assert notice.get_by_text("สิทธิของคุณ").is_visible()
    axe_check(page)
    screenshot(page, f"privacy-aar-notice-open-{width}-th")
    assert not has_horizontal_scroll(page)

    page.get_by_role("link", name="ดาวน์โหลดข้อมูลทั้งหมดที่เราเก็บเกี่ยวกับคุณ").click()
    page.wait_for_url(f"**/aar/{participant.token}/my-data/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", name="ข้อมูลของฉัน", exact=True).is_visible()
    me = page.locator("section[aria-labelledby=me]")
    assert me.get_by_text("พว.ปราณี ชื่นชม").is_visible()
    assert me.get_by_text("pranee@example.org").is_visible()
    my_aar = page.locator("section[aria-labelledby=my-aar]")
    for text in (PARTS["goal"], PARTS["achieved"], PARTS["not_achieved"]):
        assert my_aar.get_by_text(text).is_visible()
    versions = page.locator("section[aria-labelledby=versions] details")
    assert versions.count() == 2
    versions.first.locator("summary").click()
    assert versions.first.get_by_text("ร่างแรก: อยากรู้วิธีเล่าเรื่อง").is_visible()
    reminders = page.locator("section[aria-labelledby=reminders] li")
    assert reminders.count() == 1
    assert page.locator("details.privacy-notice").count() == 1
    axe_check(page)
    screenshot(page, f"privacy-my-data-{width}-th")
    assert not has_horizontal_scroll(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="ดาวน์โหลดเป็นไฟล์ (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith("peerassist-my-data-")
    assert download.suggested_filename.endswith(".json")
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["participant"]["full_name"] == "พว.ปราณี ชื่นชม"
    assert data["session"]["title"] == "Peer Assist: วงเล่าเรื่องข้ามเวร"
    assert data["aar"]["goal"] == PARTS["goal"]
    assert data["aar"]["next_steps"] == PARTS["next_steps"]
    assert [v["goal"] for v in data["aar_versions"]] == [
        "ร่างแรก: อยากรู้วิธีเล่าเรื่อง",
        PARTS["goal"],
    ]
    assert len(data["reminders"]) == 1

    page.get_by_role("link", name="กลับไปที่ AAR ของฉัน").click()
    page.wait_for_url(f"**/aar/{participant.token}/")


# --- 2. Erasure on request, by a coordinator of the organiser --------------------------


def test_coordinator_erases_a_person_and_the_audit_log_says_so(
    live_server,
    sized_page,
    width,
    sign_in,
    coordinator_user,
    assist_session,
    axe_check,
    screenshot,
):
    leaving = ParticipantFactory(
        session=assist_session, full_name="สมศรี ขอลบ", email="somsri@example.org"
    )
    AARFactory(participant=leaving, goal="ข้อความที่สมศรีขอให้ลบ")
    staying = ParticipantFactory(session=assist_session, full_name="มานพ อยู่ต่อ")
    old_link = _aar_url(live_server, leaving)
    page = sized_page
    sign_in(page, coordinator_user.username)

    page.goto(f"{live_server.url}/followup/sessions/{assist_session.pk}/")
    row = page.locator("tbody tr", has_text="สมศรี ขอลบ")
    row.get_by_role("link", name="ลบข้อมูลส่วนบุคคล").click()
    page.wait_for_url(f"**/followup/sessions/{assist_session.pk}/participants/{leaving.pk}/erase/")
    assert page.get_by_role("heading", name="ลบข้อมูลส่วนบุคคล", exact=True).is_visible()
    assert page.get_by_text("สมศรี ขอลบ").first.is_visible()
    assert page.get_by_role("note").get_by_text("การลบนี้ย้อนกลับไม่ได้").is_visible()
    axe_check(page)
    screenshot(page, f"erase-confirm-{width}-th")
    assert not has_horizontal_scroll(page)
    assert not Participant.objects.get(pk=leaving.pk).is_erased  # nothing until confirmed

    page.get_by_role("button", name="ลบข้อมูลของบุคคลนี้").click()
    page.wait_for_url(f"**/followup/sessions/{assist_session.pk}/")
    assert page.get_by_text("ลบข้อมูลส่วนบุคคลของ สมศรี ขอลบ แล้ว").is_visible()
    erased_row = page.locator("tbody tr", has_text=ERASED_NAME)
    assert erased_row.count() == 1
    assert erased_row.locator(".badge", has_text="ลบข้อมูลแล้ว").first.is_visible()
    assert erased_row.get_by_role("link", name="ลบข้อมูลส่วนบุคคล").count() == 0
    assert page.locator("tbody tr", has_text="มานพ อยู่ต่อ").count() == 1
    assert page.locator("tbody").get_by_text("somsri@example.org").count() == 0
    axe_check(page)
    screenshot(page, f"erase-done-followup-session-{width}-th")

    leaving.refresh_from_db()
    assert leaving.is_erased and leaving.full_name == ERASED_NAME and leaving.email == ""
    assert AAR.objects.get(participant=leaving).goal == ""
    staying.refresh_from_db()
    assert not staying.is_erased

    page.goto(f"{live_server.url}/followup/audit/")
    assert page.get_by_role("heading", name="บันทึกการตรวจสอบ").is_visible()
    entry = page.locator("tbody tr", has_text="ลบข้อมูลตามคำขอ")
    assert entry.count() == 1
    assert entry.get_by_text(f"#{leaving.pk}").is_visible()
    assert entry.get_by_role("link", name=assist_session.title).is_visible()
    assert page.get_by_text("สมศรี").count() == 0  # the log holds no name
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 1
    axe_check(page)
    screenshot(page, f"audit-log-{width}-th")
    if width == "phone":
        assert not has_horizontal_scroll(page)

    # The old personal link no longer opens anything.
    assert page.goto(old_link).status == 404


# --- 3. Two tabs on one AAR -------------------------------------------------------------


def test_second_tab_sees_a_conflict_and_keeps_its_own_text(
    live_server, sized_page, width, participant, axe_check, screenshot
):
    first = sized_page
    second = first.context.new_page()
    link = _aar_url(live_server, participant)
    first_goal = "แท็บแรก: อยากรู้วิธีชวนน้องใหม่เล่าเรื่อง"
    second_goal = "แท็บที่สอง: อยากได้ตัวอย่างคำถามเปิดวง"
    first.goto(link)
    second.goto(link)
    first.fill("textarea[name=goal]", first_goal)
    second.fill("textarea[name=goal]", second_goal)
    second.fill("textarea[name=achieved]", "ได้คำถามเปิดวงสามข้อ")

    first.bring_to_front()
    first.click("button[value=draft]")
    expect(first.get_by_text("บันทึกฉบับร่างแล้ว")).to_be_visible()  # the page after saving
    assert AAR.objects.get(participant=participant).goal == first_goal

    second.bring_to_front()
    with second.expect_response(lambda r: r.request.method == "POST") as response:
        second.click("button[value=draft]")
    assert response.value.status == 409
    expect(second.get_by_role("alert")).to_contain_text("ถูกแก้ไขจากแท็บอื่น")
    assert _typed(second, "goal") == second_goal
    assert _typed(second, "achieved") == "ได้คำถามเปิดวงสามข้อ"
    # The saved text is shown under each part that differs, and only there.
    conflicts = second.locator(".aar-conflict-text")
    assert conflicts.count() == 2
    goal_part = second.locator("div.mb-4", has=second.locator("textarea[name=goal]"))
    assert goal_part.locator(".aar-conflict-text").inner_text() == first_goal
    assert goal_part.get_by_text("ที่บันทึกไว้จากแท็บหรืออุปกรณ์อื่น:").is_visible()
    achieved_part = second.locator("div.mb-4", has=second.locator("textarea[name=achieved]"))
    assert achieved_part.locator(".aar-conflict-text").inner_text() == "—"  # saved empty
    assert AAR.objects.get(participant=participant).goal == first_goal  # nothing saved
    axe_check(second)
    screenshot(second, f"aar-conflict-{width}-th")
    assert not has_horizontal_scroll(second)

    second.click("button[value=draft]")
    expect(second.get_by_text("บันทึกฉบับร่างแล้ว")).to_be_visible()
    assert second.locator(".aar-conflict-text").count() == 0
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == second_goal and aar.status == AAR.Status.DRAFT
    # Nobody's words were lost: the first tab's draft is an earlier version.
    assert [version.goal for version in aar.versions.order_by("saved_at", "pk")] == [
        first_goal,
        second_goal,
    ]


# --- 4. A failed save, then a reload: the browser's copy brings every part back -------


@pytest.mark.parametrize("failure", ["503", "network"])
def test_failed_save_then_reload_restores_every_part(
    live_server, phone_page, participant, failure, axe_check, screenshot
):
    # An earlier draft is on the server; the new text differs in every part.
    AARFactory(participant=participant, draft=True, goal="ร่างเก่า", achieved="", not_achieved="")
    page = phone_page
    link = _aar_url(live_server, participant)

    def fail_posts(route):
        if route.request.method != "POST":
            route.continue_()
        elif failure == "503":  # the database is down: the server answers, saves nothing
            route.fulfill(
                status=503,
                content_type="text/html; charset=utf-8",
                body="<!doctype html><html lang='th'><title>503</title>"
                "<h1>ระบบขัดข้องชั่วคราว</h1></html>",
            )
        else:  # the connection drops
            route.abort("connectionreset")

    page.route(f"**/aar/{participant.token}/", fail_posts)
    page.goto(link)
    _fill_parts(page, PARTS)
    page.check("input[name=sharing][value=organisers]")
    if failure == "503":
        with page.expect_response(lambda r: r.request.method == "POST") as response:
            page.click("button[value=draft]")
        assert response.value.status == 503
        page.get_by_text("ระบบขัดข้องชั่วคราว").wait_for()
    else:
        with page.expect_event("requestfailed") as failed:
            page.click("button[value=draft]")
        assert failed.value.method == "POST"
        # Chromium shows its own error page; let it load before reopening the link.
        page.wait_for_url(lambda url: url.startswith("chrome-error://"))
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "ร่างเก่า" and aar.versions.count() == 0  # the server has nothing new

    page.goto(link)  # a fresh GET, as after reopening the link
    for name, text in PARTS.items():
        assert _typed(page, name) == text, name
    assert page.is_checked("input[name=sharing][value=organisers]")
    note = page.get_by_role("status").filter(has_text="กู้คืน")
    assert note.is_visible()
    assert note.inner_text() == "เรากู้คืนข้อความที่คุณพิมพ์ไว้ในเครื่องนี้แต่ยังไม่ได้บันทึกให้แล้ว"
    axe_check(page)
    screenshot(page, f"aar-restored-after-failed-save-{failure}-phone-th")
    assert not has_horizontal_scroll(page)

    # Once the server is back, the same text saves.
    page.unroute(f"**/aar/{participant.token}/")
    page.click("button[value=draft]")
    expect(page.get_by_text("บันทึกฉบับร่างแล้ว")).to_be_visible()
    aar.refresh_from_db()
    assert {name: getattr(aar, name).replace("\r\n", "\n") for name in PARTS} == PARTS
    assert aar.sharing == AAR.Sharing.ORGANISERS


# --- 5. Walk-in with an email already on the roster ----------------------------------


def test_walkin_with_a_known_email_never_shows_that_persons_aar(
    live_server, sized_page, width, session, participant, mailoutbox, axe_check, screenshot
):
    secret = "ข้อความส่วนตัวของปราณีที่คนอื่นไม่ควรเห็น"
    AARFactory(participant=participant, goal=secret)
    page = sized_page

    page.goto(f"{live_server.url}/join/{session.walkin_code}/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", name="เข้าร่วมวงนี้").is_visible()
    notice = page.locator("details.privacy-notice")
    assert notice.count() == 1
    assert notice.locator("summary").inner_text().startswith("ประกาศความเป็นส่วนตัว")
    axe_check(page)
    screenshot(page, f"walkin-form-{width}-th")
    assert not has_horizontal_scroll(page)

    page.get_by_label("ชื่อของคุณ").fill("คนอื่น ที่รู้อีเมล")
    page.get_by_label("อีเมลของคุณ").fill("  Pranee@Example.ORG ")
    page.get_by_role("button", name="เข้าร่วมและเขียน AAR").click()
    expect(page.get_by_role("heading", name="ตรวจดูอีเมลของคุณ")).to_be_visible()
    assert f"/join/{session.walkin_code}/" in page.url
    assert "/aar/" not in page.url
    content = page.content()
    assert secret not in content
    assert participant.token not in content
    assert page.locator("textarea").count() == 0
    assert page.get_by_text("pranee@example.org").is_visible()
    axe_check(page)
    screenshot(page, f"walkin-check-email-{width}-th")
    assert not has_horizontal_scroll(page)

    # The owner of the address gets their link; nobody new joined the roster.
    assert session.participants.count() == 1
    assert [m.to for m in mailoutbox] == [["pranee@example.org"]]
    assert participant.token in mailoutbox[0].body


# --- 6. The 413 page: a text too large to send -----------------------------------------


def test_too_large_aar_gets_the_413_page_and_the_text_stays_in_the_browser(
    live_server, sized_page, width, participant, axe_check, screenshot
):
    page = sized_page
    link = _aar_url(live_server, participant)
    page.goto(link)
    page.fill("textarea[name=achieved]", PARTS["achieved"])
    # Past the limit of one request (2.5 MB): maxlength stops typing past 20,000
    # letters, not a script. 230,000 emoji are 2.76 MB once form-encoded (12 bytes
    # each) and cheap to lay out; 300,000 Thai letters without a space take Chromium
    # minutes to break into lines.
    page.evaluate(f"document.querySelector('textarea[name=goal]').value = {BIG}")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.click("button[value=draft]")
    assert response.value.status == 413
    expect(page.get_by_role("heading", name="ส่งข้อมูลมากเกินไปในครั้งเดียว")).to_be_visible()
    assert "2.5" in page.locator("main").inner_text()
    assert not AAR.objects.filter(participant=participant).exists()
    assert AARVersion.objects.count() == 0
    axe_check(page)
    screenshot(page, f"aar-413-{width}-th")
    assert not has_horizontal_scroll(page)

    page.get_by_role("link", name="กลับไปยังหน้าเดิม").click()
    expect(page.get_by_role("status").filter(has_text="กู้คืน")).to_be_visible()
    assert page.evaluate(f"document.querySelector('textarea[name=goal]').value === {BIG}")
    assert _typed(page, "achieved") == PARTS["achieved"]
