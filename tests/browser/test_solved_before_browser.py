""" "Has this been solved before?" in a real browser (issue 19): a facilitator types a new
session's purpose on a 360 px phone, in Thai, and the related lesson and past session
show under the field as they type; without JavaScript the button beside the field opens
them on a page of their own, and Back returns to the form with the purpose as typed.
The axe check passes.

Screenshots: test-results/screenshots/solved-before-*.png.
"""

import pytest

from sessions_app.models import Membership
from tests.browser.conftest import PHONE, has_horizontal_scroll, signed_in
from tests.factories import (
    AssistSessionFactory,
    LessonFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAST_TITLE = "วงเรียนรู้เรื่องสื่อสารกับชุมชน"
LESSON_TITLE = "ประชาสัมพันธ์ผ่านผู้นำชุมชนได้ผลกว่าป้ายประกาศ"
TYPED = "อยากรู้ว่าจะประชาสัมพันธ์โครงการอย่างไรให้คนในพื้นที่สนใจ"


@pytest.fixture
def facilitator_with_history(db):
    org = OrganisationFactory(
        name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส."
    )
    host = OrganisationFactory(name="กรมอนามัย", name_en="Department of Health", short_name="อน.")
    user = UserFactory(username="aor", first_name="อร")
    MembershipFactory(user=user, organisation=org, role=Membership.Role.FACILITATOR)
    AssistSessionFactory(
        organiser=org,
        host=host,
        title=PAST_TITLE,
        purpose="ปรับปรุงการประชาสัมพันธ์ของโครงการให้ชุมชนรู้จักมากขึ้น",
    )
    LessonFactory(organisation=org, title=LESSON_TITLE)
    # Another organisation's session and lesson on the same topic: never shown.
    other = OrganisationFactory(name="องค์กรอื่น")
    AssistSessionFactory(organiser=other, title="วงของคนอื่น", purpose="ประชาสัมพันธ์")
    LessonFactory(organisation=other, title="บทเรียนของคนอื่นเรื่องประชาสัมพันธ์")
    return user


def test_typing_a_purpose_shows_what_was_solved_before(
    live_server, facilitator_with_history, phone_page, axe_check, screenshot
):
    page = phone_page
    signed_in(page.context, live_server, facilitator_with_history)
    page.goto(f"{live_server.url}/sessions/new/")
    assert page.locator("html").get_attribute("lang") == "th"
    results = page.locator(".solved-before-results")
    assert results.get_attribute("aria-live") == "polite"
    page.locator("#id_purpose").press_sequentially(TYPED, delay=5)
    page.wait_for_selector(f".solved-before-results a:has-text('{PAST_TITLE}')")
    assert results.locator(f"a:has-text('{LESSON_TITLE}')").count() == 1
    assert "วงของคนอื่น" not in results.inner_text()
    assert "บทเรียนของคนอื่น" not in results.inner_text()
    # Nothing was saved, and the purpose is as typed.
    assert page.locator("#id_purpose").input_value() == TYPED
    assert "/sessions/new/" in page.url
    assert not has_horizontal_scroll(page)
    axe_check(page)
    results.scroll_into_view_if_needed()
    screenshot(page, "solved-before-inline-th-360")
    # The button beside the field opens the same on a page of its own.
    with page.expect_navigation():
        page.click("button[formaction='/lessons/solved-before/']")
    assert page.locator(f"main a:has-text('{PAST_TITLE}')").count() == 1
    assert not has_horizontal_scroll(page)
    axe_check(page)
    screenshot(page, "solved-before-page-th-360")


def test_without_javascript_the_button_opens_the_suggestions_and_back_keeps_the_form(
    live_server, browser, facilitator_with_history
):
    context = browser.new_context(viewport=PHONE, locale="th-TH", java_script_enabled=False)
    page = context.new_page()
    try:
        signed_in(context, live_server, facilitator_with_history)
        page.goto(f"{live_server.url}/sessions/new/")
        page.fill("#id_title", "วงใหม่")
        page.fill("#id_purpose", TYPED)
        with page.expect_navigation():
            page.click("button[formaction='/lessons/solved-before/']")
        assert "/lessons/solved-before/?text=" in page.url
        assert "csrf" not in page.url
        main = page.locator("main")
        assert main.locator(f"a:has-text('{PAST_TITLE}')").count() == 1
        assert main.locator(f"a:has-text('{LESSON_TITLE}')").count() == 1
        assert "วงของคนอื่น" not in main.inner_text()
        # (No axe check here: it runs as a script; the page is checked with scripts on.)
        page.go_back()
        page.wait_for_url(lambda url: "/sessions/new/" in url)
        assert page.locator("#id_purpose").input_value() == TYPED
        assert page.locator("#id_title").input_value() == "วงใหม่"
    finally:
        context.close()


def test_the_peer_finder_on_a_phone(
    live_server, facilitator_with_history, phone_page, axe_check, screenshot
):
    from aar.models import AAR
    from sessions_app.models import AssistSession, Participant
    from tests.factories import AARFactory, ParticipantFactory

    session = AssistSession.objects.get(title=PAST_TITLE)
    writer = ParticipantFactory(
        session=session, full_name="สมศรี ใจดี", organisation=session.host, role=Participant.Role.HOST
    )
    AARFactory(participant=writer, achieved="ประชาสัมพันธ์ผ่านวิทยุชุมชนได้ผลดี")
    hidden = ParticipantFactory(session=session, full_name="ผู้ไม่ประสงค์ออกนาม")
    AARFactory(participant=hidden, achieved="ประชาสัมพันธ์ไม่ทัน", anonymous=["achieved"])
    assert AAR.objects.count() == 2
    page = phone_page
    signed_in(page.context, live_server, facilitator_with_history)
    page.goto(f"{live_server.url}/lessons/peers/")
    page.fill("#id_topic", "ประชาสัมพันธ์โครงการ")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    main = page.locator("main")
    assert "สมศรี ใจดี" in main.inner_text()
    assert "ผู้ไม่ประสงค์ออกนาม" not in main.inner_text()
    assert not has_horizontal_scroll(page)
    axe_check(page)
    screenshot(page, "peer-finder-th-360")
