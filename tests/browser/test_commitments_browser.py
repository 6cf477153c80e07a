"""Commitments in the browser (issue 16): on a phone (360 px, Thai) with JavaScript,
rows shown one at a time and kept in the browser's draft; without JavaScript, every row
on the page and a commitment saved; the check-back page answered on a phone; and the
pages at 1280 px."""

import datetime

import pytest

from aar.commitments import checkback_save
from aar.models import AAR, Commitment
from tests.browser.conftest import PHONE, has_horizontal_scroll
from tests.browser.test_visual import failures, report
from tests.factories import AARFactory, AssistSessionFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
ROWS = "[data-commitment-row]"


@pytest.fixture
def participant():
    session = AssistSessionFactory(
        title="Micro Peer Assist สคส. กับ สสส.",
        purpose="สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร",
    )
    return ParticipantFactory(session=session, full_name="วรรณา (อ้อ) มีสุข")


def buddhist(date: datetime.date) -> str:
    return f"{date.day}/{date.month}/{date.year + 543}"


def visible_rows(page) -> list[bool]:
    return [row.is_visible() for row in page.locator(ROWS).all()]


def test_rows_one_at_a_time_and_the_draft_keeps_them(
    live_server, phone_page, participant, axe_check, screenshot
):
    page = phone_page
    due = participant.session.date + datetime.timedelta(days=14)
    page.goto(f"{live_server.url}/aar/{participant.token}/")
    # One empty row to start with; the others wait behind the button.
    assert visible_rows(page) == [True, False, False, False, False]
    add = page.locator("[data-add-commitment]")
    assert add.is_visible()
    axe_check(page)

    page.fill("textarea[name=goal]", "อยากเรียนรู้วิธีของทีมเจ้าภาพ")
    page.fill("textarea[name=commitments-0-text]", "ชวนทีมทำวงเล่าเรื่องเดือนละครั้ง")
    page.fill("input[name=commitments-0-due_date]", buddhist(due))
    add.click()
    assert visible_rows(page) == [True, True, False, False, False]
    # The new row's box has the focus, ready to type.
    assert page.evaluate("document.activeElement.name") == "commitments-1-text"
    page.keyboard.type("เขียน AAR ลง blog")
    page.wait_for_timeout(400)  # the local copy is written a moment after typing

    page.reload()
    assert page.input_value("textarea[name=commitments-0-text]") == "ชวนทีมทำวงเล่าเรื่องเดือนละครั้ง"
    assert page.input_value("input[name=commitments-0-due_date]") == buddhist(due)
    assert page.input_value("textarea[name=commitments-1-text]") == "เขียน AAR ลง blog"
    assert page.input_value("textarea[name=goal]") == "อยากเรียนรู้วิธีของทีมเจ้าภาพ"
    assert page.get_by_role("status").count() == 1  # "we restored your text"
    # The restored rows show, with one empty row after them.
    assert visible_rows(page) == [True, True, True, False, False]
    screenshot(page, "commitments-restored-phone-th")
    assert not has_horizontal_scroll(page)

    add.click()
    add.click()
    assert visible_rows(page) == [True] * 5
    assert not add.is_visible()  # five is the most

    page.click("button[value=draft]")
    page.wait_for_url(f"**/aar/{participant.token}/")
    aar = AAR.objects.get(participant=participant)
    assert list(aar.commitments.values_list("text", "due_date")) == [
        ("ชวนทีมทำวงเล่าเรื่องเดือนละครั้ง", due),
        ("เขียน AAR ลง blog", None),
    ]
    # The saved ones, then one empty row; and the card of them at the top.
    assert visible_rows(page) == [True, True, True, False, False]
    assert page.locator(".aar-commitments-card li").count() == 2
    axe_check(page)
    assert not has_horizontal_scroll(page)


def test_without_javascript_every_row_shows_and_a_commitment_is_saved(
    live_server, browser, participant, screenshot
):
    due = participant.session.date + datetime.timedelta(days=30)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="th-TH")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/aar/{participant.token}/")
        assert visible_rows(page) == [True] * 5
        assert not page.locator("[data-add-commitment]").is_visible()
        page.fill("textarea[name=commitments-2-text]", "ทดลองแบบฟอร์มใหม่กับทีม")
        page.fill("input[name=commitments-2-due_date]", buddhist(due))
        page.click("button[value=draft]")
        page.wait_for_load_state()
        commitment = Commitment.objects.get(aar__participant=participant)
        assert (commitment.text, commitment.due_date, commitment.position) == (
            "ทดลองแบบฟอร์มใหม่กับทีม",
            due,
            0,
        )
        # Back on the page: first in the rows, with the date in the Buddhist era.
        assert page.input_value("textarea[name=commitments-0-text]") == "ทดลองแบบฟอร์มใหม่กับทีม"
        assert page.input_value("input[name=commitments-0-due_date]") == buddhist(due)

        # Too early a date: refused beside its row, the words kept.
        page.fill("input[name=commitments-0-due_date]", "1/1/2560")
        page.click("button[value=draft]")
        page.wait_for_load_state()
        assert page.locator("#id_commitments-0-due_date_error").is_visible()
        assert page.input_value("textarea[name=commitments-0-text]") == "ทดลองแบบฟอร์มใหม่กับทีม"
        screenshot(page, "commitments-error-nojs-phone-th")
        commitment.refresh_from_db()
        assert commitment.due_date == due
    finally:
        context.close()


@pytest.fixture
def answered(participant):
    aar = AARFactory(participant=participant, sharing="organisers")
    session = participant.session
    first = CommitmentFactory(
        aar=aar,
        text="ชวนทีมทำวงเล่าเรื่องเดือนละครั้ง",
        due_date=session.date + datetime.timedelta(days=30),
        position=0,
    )
    second = CommitmentFactory(aar=aar, text="เขียน AAR ลง blog ของหน่วยงาน", position=1)
    CommitmentFactory(
        aar=aar,
        text="ทดลองใช้แบบฟอร์มใหม่กับโครงการหนึ่ง",
        due_date=session.date + datetime.timedelta(days=60),
        position=2,
    )
    checkback_save(participant=participant, answers={first.pk: ("not_yet", "ทีมติดงานปิดโครงการ")})
    checkback_save(participant=participant, answers={first.pk: ("partly", "ได้ทำไปหนึ่งครั้ง ทีมชอบ")})
    checkback_save(participant=participant, answers={second.pk: ("done", "")})
    return participant


def test_check_back_on_a_phone(live_server, phone_page, answered, axe_check, screenshot):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{answered.token}/")
    page.click(".aar-commitments-card a")
    page.wait_for_url("**/commitments/**")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("section.aar-checkback").count() == 3
    page.locator("details.aar-answer-history summary").first.click()
    axe_check(page)
    screenshot(page, "checkback-phone-th")
    assert not has_horizontal_scroll(page)

    third = Commitment.objects.get(position=2)
    page.check(f"#id_c{third.pk}-status_3")  # dropped
    page.fill(f"textarea[name=c{third.pk}-outcome]", "โครงการถูกเลื่อนไปปีหน้า")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible()
    third.refresh_from_db()
    assert (third.status, third.outcome) == ("dropped", "โครงการถูกเลื่อนไปปีหน้า")
    axe_check(page)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["th", "en"])
def test_both_pages_pass_the_visual_checks(
    live_server, browser, answered, axe_check, screenshot, language, width
):
    """The checks every page passes (tests/browser/test_visual.py): nothing wider than
    the screen, no word broken, text boxes of three lines, axe."""
    viewport = PHONE if width == 360 else WIDE
    context = browser.new_context(viewport=viewport, locale="th-TH")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/aar/{answered.token}/?lang={language}")
        assert page.locator(".aar-commitments-card li").count() == 3
        assert visible_rows(page) == [True, True, True, True, False]
        found = failures(page, axe_check, screenshot, f"commitments-entry-{language}-{width}")
        assert not found, report(found)
        page.goto(f"{live_server.url}/aar/{answered.token}/commitments/?lang={language}")
        assert page.locator("section.aar-checkback").count() == 3
        found = failures(page, axe_check, screenshot, f"checkback-{language}-{width}")
        assert not found, report(found)
    finally:
        context.close()


def test_entry_page_with_commitments_on_a_phone(live_server, phone_page, answered, screenshot):
    page = phone_page
    page.goto(f"{live_server.url}/aar/{answered.token}/")
    assert visible_rows(page) == [True, True, True, True, False]
    page.locator("#commitments").scroll_into_view_if_needed()
    screenshot(page, "commitments-entry-phone-th")
    assert not has_horizontal_scroll(page)
