"""The Peer Assist's steps in a real browser (issue 17), in Thai on a 360 px phone:

1. a note-taker records recommendations with the quick entry (the box has the focus and
   is empty after each save), then pastes several at once with one line too long;
2. the host responds "adopt" with an owner and makes it a commitment: the page, the
   owner's personal link and the peer's personal link show it;
3. a participant writes what they hope for before the session, and after it their AAR
   starts from it, with the original beside "My goal";
4. a session on the US Army's four questions: the personal link asks them, and an empty
   one is refused beside its box, with the other answers kept;
5. without JavaScript: the quick entry, order, removal and restore, and the response;
6. the owner of a commitment made from a recommendation still starts "My goal" from
   what they hoped for.

Each test asks for its data (``peer_assist``) before the browser: the test database
must be set up before Playwright's event loop starts (tests/browser/conftest.py).

Screenshots go to test-results/screenshots/peer-assist-*.png (360 px and 1280 px).
"""

import contextlib
import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from aar.models import AAR, ARMY_PARTS, Commitment, QuestionSet, Recommendation
from aar.question_sets import question_set_choose
from aar.recommendations import recommendation_add, response_save
from sessions_app.models import AssistSession, Participant
from tests.browser.conftest import PHONE, has_horizontal_scroll, signed_in, wait_until
from tests.factories import AssistSessionFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")

RECOMMENDATIONS = [
    "เริ่มวงเล่าเรื่องเล็กๆ ทุกเช้าวันจันทร์ 15 นาที ให้แต่ละทีมผลัดกันเล่า",
    "ให้ผู้บริหารเป็นคนฟังก่อน ไม่ตัดสิน และขอบคุณคนที่เล่าเรื่องที่ไม่สำเร็จ",
    "เก็บเรื่องเล่าเป็นคลังความรู้ที่ค้นได้ ใส่แท็กตามประเด็น",
]


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def buddhist(date: datetime.date) -> str:
    return f"{date.day}/{date.month}/{date.year + 543}"


@pytest.fixture
def peer_assist(org, facilitator_user):
    """A Peer Assist held yesterday: สสส. hosts, สคส. (``org``) brings the peers, and
    ``facilitator_user`` is its facilitator and note-taker."""
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    session = AssistSessionFactory(
        title="Micro Peer Assist สคส. กับ สสส.",
        organiser=org,
        host=host,
        peers=[org],
        facilitator=facilitator_user,
        created_by=facilitator_user,
    )
    owner = ParticipantFactory(
        session=session,
        full_name="สมศรี ใจดี",
        organisation=host,
        role=Participant.Role.HOST,
    )
    peer = ParticipantFactory(
        session=session,
        full_name="วรรณา (อ้อ) มีสุข",
        organisation=org,
        role=Participant.Role.PEER,
    )
    return session, owner, peer


def active(page, expect_id: str | None = None) -> dict:
    """The focused element. With ``expect_id``, first wait up to 3 s for that element to
    take the focus: browsers run ``autofocus`` at their next rendering step, which can come
    a moment after the load event. It still fails if the focus never arrives."""
    if expect_id:
        # On a timeout the caller's assertion reports what has the focus instead.
        with contextlib.suppress(AssertionError):
            wait_until(
                page, "id => document.activeElement && document.activeElement.id === id", expect_id
            )
    return page.evaluate(
        "() => ({id: document.activeElement.id, value: document.activeElement.value})"
    )


def list_texts(page) -> list[str]:
    return [t.strip() for t in page.locator("#list > ol > li .pre-wrap").all_inner_texts()]


def test_quick_entry_keeps_the_focus_for_the_next_one(
    live_server, peer_assist, phone_page, facilitator_user, sign_in, axe_check, screenshot
):
    session, _owner, peer = peer_assist
    page = phone_page
    sign_in(page, facilitator_user.username)
    url = f"{live_server.url}/followup/sessions/{session.pk}/recommendations/"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "th"
    # The box is ready before the first one, too.
    assert active(page, "id_text") == {"id": "id_text", "value": ""}
    # The first is given by the peer on the roster, with a theme: both kept for the next.
    page.select_option("#id_giver", f"p:{peer.pk}")
    page.fill("#id_theme", "วัฒนธรรม")

    for count, text in enumerate(RECOMMENDATIONS, start=1):
        page.fill("#id_text", text)
        with page.expect_navigation():
            page.click("#add > form button[type=submit]")
        assert page.locator(".alert-success").first.is_visible()
        # Ready for the next one: the box is empty and has the focus.
        # (A redirect to ".../recommendations/?...#add" loses it: browsers skip autofocus
        # when the address names an element, as the HTML standard says.)
        assert active(page, "id_text") == {"id": "id_text", "value": ""}, (
            f"after save {count}: {page.url}"
        )
        assert page.locator("#list > ol > li").count() == count
        assert page.input_value("#id_giver") == f"p:{peer.pk}"
        assert page.input_value("#id_theme") == "วัฒนธรรม"
        if count == 1:
            # Typing goes straight into the box, without a tap on it first.
            page.keyboard.type("พิมพ์ได้ทันที")
            assert page.input_value("#id_text") == "พิมพ์ได้ทันที"
    assert list_texts(page) == RECOMMENDATIONS
    saved = list(Recommendation.objects.filter(session=session).order_by("position"))
    assert [r.text for r in saved] == RECOMMENDATIONS
    assert {(r.given_by_id, r.theme) for r in saved} == {(peer.pk, "วัฒนธรรม")}
    screenshot(page, "peer-assist-quick-entry-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)


def test_bulk_paste_names_the_long_line_and_keeps_the_paste(
    live_server, peer_assist, phone_page, facilitator_user, axe_check, screenshot
):
    session, _owner, peer = peer_assist
    for text in RECOMMENDATIONS:
        recommendation_add(session=session, text=text, given_by=peer)
    page = phone_page
    signed_in(page.context, live_server, facilitator_user)
    page.goto(f"{live_server.url}/followup/sessions/{session.pk}/recommendations/")
    # A paste of three lines, the second too long: nothing saved, the line named beside
    # the box, and the paste kept to fix.
    pasted = "ทำแผนที่ผู้รู้ในองค์กร\n" + "ยาวเกินไป " * 250 + "\nชวนคนเกษียณมาเป็นพี่เลี้ยง"
    page.click("#paste summary")
    page.fill("#id_bulk-lines", pasted)
    with page.expect_navigation():
        page.click("#paste button[type=submit]")
    assert page.locator("#paste").get_attribute("open") is not None
    error = page.locator("#div_id_bulk-lines .invalid-feedback")
    assert error.is_visible()
    assert error.inner_text().strip() == thai(
        "Nothing was saved. These lines are longer than %(max)s characters: "
        "%(lines)s. Shorten or split them."
    ) % {"max": 2000, "lines": "2"}
    assert page.input_value("#id_bulk-lines") == pasted
    assert page.locator("#id_bulk-lines").get_attribute("aria-invalid") == "true"
    # The error summary has the focus (static/js/error_summary.js); its link leads to the box.
    summary = page.locator("#paste [data-error-summary]")
    wait_until(page, "document.activeElement.hasAttribute('data-error-summary')")
    summary.locator("a").first.click()
    assert active(page)["id"] == "id_bulk-lines"
    assert Recommendation.objects.filter(session=session).count() == 3
    assert page.locator("#list > ol > li").count() == 3
    screenshot(page, "peer-assist-bulk-error-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)

    # Fixed: the three lines are saved after the others, in order.
    page.fill("#id_bulk-lines", pasted.replace("ยาวเกินไป " * 250, "ให้รางวัลทีมที่แบ่งปัน"))
    with page.expect_navigation():
        page.click("#paste button[type=submit]")
    assert page.locator("#list > ol > li").count() == 6
    assert list_texts(page)[3:] == [
        "ทำแผนที่ผู้รู้ในองค์กร",
        "ให้รางวัลทีมที่แบ่งปัน",
        "ชวนคนเกษียณมาเป็นพี่เลี้ยง",
    ]


def test_the_host_adopts_one_as_a_commitment_and_the_peer_sees_the_response(
    live_server, peer_assist, phone_page, facilitator_user, axe_check, screenshot
):
    session, owner, peer = peer_assist
    recommendation = recommendation_add(
        session=session, text=RECOMMENDATIONS[0], given_by=peer, theme="วัฒนธรรม"
    )
    recommendation_add(session=session, text=RECOMMENDATIONS[1], given_by=peer)
    due = session.date + datetime.timedelta(days=30)
    page = phone_page
    signed_in(page.context, live_server, facilitator_user)
    page.goto(f"{live_server.url}/followup/sessions/{session.pk}/recommendations/")
    item = page.locator(f"#rec-{recommendation.pk}")
    with page.expect_navigation():
        item.locator("a[href$='/response/']").click()
    assert page.locator("html").get_attribute("lang") == "th"
    screenshot(page, "peer-assist-response-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)

    page.check("input[name=response][value=adopt]")
    page.fill("textarea[name=reason]", "เริ่มได้ทันทีในสำนักของเรา")
    page.select_option("select[name=owner]", str(owner.pk))
    page.fill("input[name=due]", buddhist(due))
    page.check("input[name=make_commitment]")
    with page.expect_navigation():
        page.click("main form button.btn-primary")

    # On the page: the response, its owner and date, and that it is now a commitment.
    assert page.locator(".alert-success").count() == 2
    item = page.locator(f"#rec-{recommendation.pk}")
    assert thai("Adopt") in item.inner_text()
    assert owner.full_name in item.inner_text()
    assert thai("a commitment of its owner") in item.inner_text()
    assert f"{due.year + 543}" in item.inner_text()
    screenshot(page, "peer-assist-responded-phone-th")
    assert not has_horizontal_scroll(page)
    recommendation.refresh_from_db()
    commitment = Commitment.objects.get(aar__participant=owner)
    assert (recommendation.response, recommendation.commitment_id) == ("adopt", commitment.pk)
    assert (commitment.text, commitment.due_date) == (RECOMMENDATIONS[0], due)

    # The owner's personal link: among their commitments, and on the check-back page.
    page.goto(f"{live_server.url}/aar/{owner.token}/")
    card = page.locator(".aar-commitments-card")
    assert RECOMMENDATIONS[0] in card.inner_text()
    assert str(due.year + 543) in card.inner_text()
    screenshot(page, "peer-assist-owner-commitment-phone-th")
    assert not has_horizontal_scroll(page)
    with page.expect_navigation():
        card.locator("a").click()
    assert page.locator("section.aar-checkback").count() == 1
    assert RECOMMENDATIONS[0] in page.locator("section.aar-checkback h2").inner_text()

    # The peer's personal link: the host's response to their recommendation, marked theirs.
    page.goto(f"{live_server.url}/aar/{peer.token}/")
    responses = page.locator("section.responses")
    assert responses.is_visible()
    assert responses.locator("li").count() == 1  # the one still awaiting is not shown
    own = responses.locator("li").first
    assert thai("Your recommendation") in own.inner_text()
    assert RECOMMENDATIONS[0] in own.inner_text()
    assert thai("Adopt") in own.inner_text()
    assert "เริ่มได้ทันทีในสำนักของเรา" in own.inner_text()
    responses.scroll_into_view_if_needed()
    screenshot(page, "peer-assist-peer-sees-response-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)


def test_the_expectation_written_before_starts_my_goal_after(
    live_server, peer_assist, phone_page, axe_check, screenshot
):
    session, _owner, peer = peer_assist
    today = timezone.localdate()
    session.date = today + datetime.timedelta(days=3)
    session.aar_deadline = session.date + datetime.timedelta(days=7)
    session.status = AssistSession.Status.PLANNED
    session.brief_problem = "การแลกเปลี่ยนเรียนรู้ยังเกิดเฉพาะในงานประชุม"
    session.save()
    hope = "อยากรู้ว่าทีมอื่นเริ่มวงเล่าเรื่องอย่างไร\nและอยากเล่าประสบการณ์ของ สคส."
    page = phone_page

    # Before the day, the personal link leads to the page before the session.
    page.goto(f"{live_server.url}/aar/{peer.token}/")
    with page.expect_navigation():
        page.click("main .alert-info a")
    assert "/before/" in page.url
    assert page.locator("html").get_attribute("lang") == "th"
    assert "การแลกเปลี่ยนเรียนรู้ยังเกิดเฉพาะในงานประชุม" in page.inner_text("main")
    page.fill("textarea[name=expectation]", hope)
    screenshot(page, "peer-assist-before-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)
    with page.expect_navigation():
        page.click(".aar-actions button[type=submit]")
    assert page.locator(".alert-success").is_visible()
    assert page.input_value("textarea[name=expectation]") == hope
    peer.refresh_from_db()
    assert peer.expectation.replace("\r\n", "\n") == hope  # as the browser sends it

    # The day after the session.
    after = datetime.datetime.combine(
        session.date + datetime.timedelta(days=1), datetime.time(10, 0), tzinfo=BANGKOK
    )
    with time_machine.travel(after, tick=True):
        page.goto(f"{live_server.url}/aar/{peer.token}/")
        # "My goal" starts from it, editable, and the original is shown beside it; no
        # copy of the empty boxes kept in the browser from the first visit (before the
        # expectation was written) may replace it.
        assert page.locator("#aar-form [role=status]").count() == 0, "a stale local copy"
        assert page.input_value("textarea[name=goal]") == hope
        original = page.locator("#expectation")
        assert original.is_visible()
        assert hope.split("\n")[0] in original.inner_text()
        assert "expectation" in page.get_attribute("textarea[name=goal]", "aria-describedby")
        # No link to the page before the session any more.
        assert page.locator("a[href*='/before/']").count() == 0
        screenshot(page, "peer-assist-goal-prefilled-phone-th")
        assert not has_horizontal_scroll(page)
        axe_check(page)

        page.fill("textarea[name=goal]", "ได้วิธีเริ่มวงเล่าเรื่องที่ทำได้จริงในสัปดาห์หน้า")
        with page.expect_navigation():
            page.click("button.aar-draft")
        page.reload()
        assert page.input_value("textarea[name=goal]") == "ได้วิธีเริ่มวงเล่าเรื่องที่ทำได้จริงในสัปดาห์หน้า"
        # The original stays beside it, to compare expectation and outcome.
        assert hope.split("\n")[0] in page.locator("#expectation").inner_text()
        assert AAR.objects.get(participant=peer).goal.startswith("ได้วิธีเริ่มวงเล่าเรื่อง")

        # The page before the session is now read-only, and shows what was written.
        page.goto(f"{live_server.url}/aar/{peer.token}/before/")
        assert page.locator("textarea[name=expectation]").count() == 0
        assert hope.split("\n")[0] in page.inner_text("main")


@pytest.fixture
def army_session(peer_assist):
    session, _owner, peer = peer_assist
    army, _created = QuestionSet.objects.get_or_create(slug="army")
    question_set_choose(session=session, question_set=army)
    return session, peer


ARMY_ANSWERS = {
    "supposed": "ทีมจะได้แนวทางเตรียมจุดบริการช่วงวันหยุดยาว",
    "happened": "ได้แนวทางเรื่องคนและเตียง แต่ยังไม่ได้คุยเรื่องด่านชุมชน",
    "sustain_improve": "รักษาการเล่าเรื่องจริง ปรับเวลาให้มีช่วงถามตอบมากขึ้น",
}


def test_the_army_questions_and_an_empty_one_refused_beside_it(
    live_server, army_session, phone_page, axe_check, screenshot
):
    _session, peer = army_session
    page = phone_page
    page.goto(f"{live_server.url}/aar/{peer.token}/")
    for number, part in enumerate(ARMY_PARTS, start=1):
        label = page.locator(f"label[for=id_{part.key}]").inner_text().strip()
        assert label == f"{number}. {thai(str(part.label))}"
    assert page.locator("form#aar-form textarea.aar-part").count() == 4
    assert thai("My goal") not in page.inner_text("main")
    screenshot(page, "peer-assist-army-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)

    for key, text in ARMY_ANSWERS.items():
        page.fill(f"textarea[name={key}]", text)
    with page.expect_navigation():
        page.click("button.aar-submit")
    # Beside the empty one: its error; the others' words kept.
    error = page.locator("#id_why_different_error")
    assert error.is_visible()
    assert page.get_attribute("textarea[name=why_different]", "aria-invalid") == "true"
    for key, text in ARMY_ANSWERS.items():
        assert page.input_value(f"textarea[name={key}]") == text
        assert page.locator(f"#id_{key}_error").count() == 0
    assert page.locator("[data-error-summary]").is_visible()
    assert not AAR.objects.filter(participant=peer, status=AAR.Status.SUBMITTED).exists()
    screenshot(page, "peer-assist-army-error-phone-th")
    assert not has_horizontal_scroll(page)
    axe_check(page)

    page.fill("textarea[name=why_different]", "เวลาไม่พอสำหรับทุกคำถาม")
    with page.expect_navigation():
        page.click("button.aar-submit")
    aar = AAR.objects.get(participant=peer)
    assert aar.status == AAR.Status.SUBMITTED
    assert aar.question_set.slug == "army"
    assert aar.answer("why_different") == "เวลาไม่พอสำหรับทุกคำถาม"


@pytest.fixture
def no_js_page(browser, live_server, facilitator_user):
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, locale="th-TH", has_touch=True, is_mobile=True
    )
    signed_in(context, live_server, facilitator_user)
    page = context.new_page()
    yield page
    context.close()


def test_without_javascript_quick_entry_order_removal_and_the_response_work(
    live_server, peer_assist, no_js_page, screenshot
):
    session, owner, peer = peer_assist
    page = no_js_page
    url = f"{live_server.url}/followup/sessions/{session.pk}/recommendations/"
    page.goto(url)
    for count, text in enumerate(RECOMMENDATIONS[:2], start=1):
        page.fill("#id_text", text)
        with page.expect_navigation():
            page.click("#add > form button[type=submit]")
        assert page.locator("#list > ol > li").count() == count
        assert page.input_value("#id_text") == ""
    assert list_texts(page) == RECOMMENDATIONS[:2]
    # An empty one: refused beside the box.
    with page.expect_navigation():
        page.click("#add > form button[type=submit]")
    assert page.locator("#div_id_text .invalid-feedback").is_visible()
    assert Recommendation.objects.filter(session=session).count() == 2

    first, second = Recommendation.objects.filter(session=session).order_by("position")
    # The second moves up.
    with page.expect_navigation():
        page.locator(f"#rec-{second.pk} form button").first.click()
    assert list_texts(page) == [RECOMMENDATIONS[1], RECOMMENDATIONS[0]]
    # Removal asks first, and keeps it under "Removed", where it can be restored.
    with page.expect_navigation():
        page.locator(f"#rec-{first.pk} a.btn-outline-danger").click()
    assert "/remove/" in page.url
    screenshot(page, "peer-assist-confirm-remove-nojs-phone-th")
    assert not has_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert list_texts(page) == [RECOMMENDATIONS[1]]
    assert RECOMMENDATIONS[0] in page.locator("#removed").inner_text()
    with page.expect_navigation():
        page.click("#removed button[type=submit]")
    assert list_texts(page) == [RECOMMENDATIONS[1], RECOMMENDATIONS[0]]

    # The response: "not adopted" without a reason is refused beside the reason.
    page.goto(f"{url}{first.pk}/response/")
    page.check("input[name=response][value=not_adopted]")
    page.select_option("select[name=owner]", str(owner.pk))
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    assert page.locator("#div_id_reason .invalid-feedback").is_visible()
    assert page.is_checked("input[name=response][value=not_adopted]")
    assert page.input_value("select[name=owner]") == str(owner.pk)
    screenshot(page, "peer-assist-response-error-nojs-phone-th")
    assert not has_horizontal_scroll(page)
    first.refresh_from_db()
    assert first.response == ""

    page.fill("textarea[name=reason]", "งบประมาณปีนี้ไม่พอ ขอเก็บไว้ปีหน้า")
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    first.refresh_from_db()
    assert (first.response, first.response_reason, first.response_owner_id) == (
        "not_adopted",
        "งบประมาณปีนี้ไม่พอ ขอเก็บไว้ปีหน้า",
        owner.pk,
    )
    assert thai("Not adopted") in page.locator(f"#rec-{first.pk}").inner_text()
    # The peer's link shows it, without JavaScript too.
    page.goto(f"{live_server.url}/aar/{peer.token}/")
    assert "งบประมาณปีนี้ไม่พอ" in page.locator("section.responses").inner_text()


def test_the_recommendations_on_a_desktop(
    live_server, peer_assist, browser, facilitator_user, axe_check, screenshot
):
    """The list with responses at 1280 px, in Thai: for the screenshots, and axe."""
    session, owner, peer = peer_assist
    for text in RECOMMENDATIONS:
        recommendation_add(session=session, text=text, given_by=peer, theme="วัฒนธรรม")
    first = Recommendation.objects.filter(session=session).order_by("position").first()
    response_save(
        recommendation=first,
        response="adapt",
        reason="ปรับเป็นเดือนละครั้ง",
        owner=owner,
        make_commitment=True,
    )
    context = browser.new_context(viewport=WIDE, locale="th-TH")
    signed_in(context, live_server, facilitator_user)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/followup/sessions/{session.pk}/recommendations/")
        assert page.locator("#list > ol > li").count() == 3
        screenshot(page, "peer-assist-recommendations-desktop-th")
        assert not has_horizontal_scroll(page)
        axe_check(page)
        page.goto(
            f"{live_server.url}/followup/sessions/{session.pk}/recommendations/{first.pk}/response/"
        )
        screenshot(page, "peer-assist-response-desktop-th")
        assert not has_horizontal_scroll(page)
        axe_check(page)
    finally:
        context.close()


def test_a_commitment_made_for_the_owner_keeps_their_goal_starting_from_the_expectation(
    live_server, peer_assist, phone_page
):
    """The host's response makes the owner's AAR (an empty draft) to hold the
    commitment; the owner's "My goal" must still start from what they hoped for."""
    session, owner, _peer = peer_assist
    hope = "อยากได้วิธีทำให้ ผอ. สำนักเห็นว่าการแลกเปลี่ยนเรียนรู้เป็นส่วนหนึ่งของงาน"
    Participant.objects.filter(pk=owner.pk).update(expectation=hope)
    recommendation = recommendation_add(session=session, text=RECOMMENDATIONS[0])
    response_save(
        recommendation=recommendation, response="adopt", owner=owner, make_commitment=True
    )
    page = phone_page
    page.goto(f"{live_server.url}/aar/{owner.token}/")
    assert RECOMMENDATIONS[0] in page.locator(".aar-commitments-card").inner_text()
    assert hope in page.locator("#expectation").inner_text()
    assert page.input_value("textarea[name=goal]") == hope
