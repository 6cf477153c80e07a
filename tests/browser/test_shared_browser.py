"""Shared AARs, comments and anonymity in a real browser (issue 18, items 2 and 3), in Thai:

1. a participant, by their personal link on a 360 px phone, opens a fellow participant's
   shared AAR, writes a comment in Thai and sees it with the success message; an empty
   comment is refused beside the box, and nothing already there is lost;
2. a coordinator (1280 px and 360 px) sees the comment, hides it through the
   confirmation page with a reason, and sees the "Hidden" badge and its history; the
   participant's page no longer shows it;
3. anonymity: an AAR whose "not achieved" is shown without the name, and two more people
   who answer it that way (three: ``AAR.ANONYMOUS_MIN``); the staff AAR page shows the
   name and not that text, the session's answers page shows the texts, by text, with no
   name near them;
4. with only one or two such answers, at 360 px, neither the session's answers page nor
   the participants' list shows them: only the sentence that they are held back.

Each test asks for its data before the browser: the test database must be set up before
Playwright's event loop starts (tests/browser/conftest.py).

Strings are compared through ``thai()`` (gettext in Thai): before ``make messages``
compiles the new strings, the pages and the tests both show the English.

Screenshots: test-results/screenshots/shared-*.png (also copied to $SHOTS_DIR when set).
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from aar.models import AAR
from aar.services import aar_save
from lessons.comments import comment_add
from lessons.models import Comment, CommentEvent
from sessions_app.models import Participant
from tests.browser.conftest import PHONE, signed_in
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}

WRITER_NAME = "สมศรี ใจดี"
READER_NAME = "วรรณา (อ้อ) มีสุข"
ACHIEVED = "ได้เรียนรู้ว่าผู้บริหารต้องฟังก่อน ไม่ตัดสิน และขอบคุณคนที่เล่าเรื่องที่ไม่สำเร็จ"
NOT_ACHIEVED = "ยังไม่ได้คุยเรื่องการวัดผล เพราะหัวหน้าไม่ให้เวลา"
COMMENT = "ขอบคุณที่แบ่งปันค่ะ เรื่องผู้บริหารฟังก่อนนี่ใช้ได้จริง จะลองที่สำนักเราเดือนหน้า"


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def fits(page, width: int) -> None:
    """No horizontal scroll: the page is no wider than the screen."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: {scroll_width}px wide on a {width}px screen"


@pytest.fixture
def shared(org, coordinator_user):
    """A session organised by สคส. (``org``, which ``coordinator_user`` coordinates),
    hosted by สสส.: the writer's AAR is shared with the session's participants; the
    reader is a peer on the roster."""
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    session = AssistSessionFactory(
        title="Micro Peer Assist สคส. กับ สสส.", organiser=org, host=host, peers=[org]
    )
    writer = ParticipantFactory(
        session=session, full_name=WRITER_NAME, organisation=host, role=Participant.Role.HOST
    )
    reader = ParticipantFactory(
        session=session, full_name=READER_NAME, organisation=org, role=Participant.Role.PEER
    )
    aar = AARFactory(
        participant=writer, achieved=ACHIEVED, sharing=AAR.Sharing.PARTICIPANTS, anonymous=[]
    )
    return session, writer, reader, aar


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="th-TH", has_touch=True, is_mobile=True)
    yield context
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=WIDE, locale="th-TH")
    yield context
    context.close()


def comment_box(page):
    return page.locator("#comments form textarea[name=text]")


def submit_comment(page) -> None:
    with page.expect_navigation():
        page.click("#comments form button[type=submit]")


# --- 1. A participant comments by their personal link, on a phone ----------------------


def test_a_participant_comments_on_a_shared_aar_on_a_phone(
    live_server, shared, phone, axe_check, screenshot
):
    _session, writer, reader, aar = shared
    page = phone.new_page()
    page.goto(f"{live_server.url}/aar/{reader.token}/shared/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1").inner_text().strip() == thai("What the others shared")
    card = page.locator("article.card", has_text=WRITER_NAME)
    assert card.count() == 1
    assert ACHIEVED in card.inner_text()
    screenshot(page, "shared-list-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)

    with page.expect_navigation():
        card.locator(f"a[href*='/shared/{aar.pk}/']").click()
    assert page.locator("html").get_attribute("lang") == "th"
    assert WRITER_NAME in page.locator("h1").inner_text()
    assert ACHIEVED in page.inner_text("main")
    assert thai("No comments yet.") in page.locator("#comments").inner_text()
    screenshot(page, "shared-aar-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)

    # A comment in Thai: the success message, and the comment under the AAR, signed.
    comment_box(page).fill(COMMENT)
    submit_comment(page)
    assert page.url.split("#")[1] == "comments"
    success = page.locator(".alert-success")
    assert success.is_visible()
    assert success.inner_text().strip() == thai("Your comment was added.")
    shown = page.locator("#comments article")
    assert shown.count() == 1
    assert COMMENT in shown.first.inner_text()
    assert READER_NAME in shown.first.inner_text()
    assert comment_box(page).input_value() == ""
    saved = Comment.objects.get(aar=aar)
    assert (saved.text, saved.author_participant_id, saved.author_id) == (COMMENT, reader.pk, None)
    screenshot(page, "shared-commented-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)

    # An empty comment (only spaces and line breaks): refused beside the box; the AAR
    # and the comment already there are still on the page, and nothing is saved.
    comment_box(page).fill("   \n  ")
    submit_comment(page)
    error = page.locator("#comments #div_id_text .invalid-feedback")
    assert error.is_visible()
    assert error.inner_text().strip() == thai("Write a comment before sending it.")
    assert comment_box(page).get_attribute("aria-invalid") == "true"
    assert page.locator("[data-error-summary]").is_visible()
    assert page.locator(".alert-success").count() == 0
    assert COMMENT in page.locator("#comments article").first.inner_text()
    assert ACHIEVED in page.inner_text("main")
    assert Comment.objects.filter(aar=aar).count() == 1
    screenshot(page, "shared-comment-error-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)

    # A second comment typed after the error is saved as well.
    comment_box(page).fill("อีกเรื่องหนึ่ง: ใช้เวลาเตรียมกี่วันคะ")
    submit_comment(page)
    assert page.locator("#comments article").count() == 2

    # The listing counts them.
    page.goto(f"{live_server.url}/aar/{reader.token}/shared/")
    assert "(2" in page.locator("article.card", has_text=WRITER_NAME).inner_text()

    # The writer, by their own link, sees the comments on their AAR.
    page.goto(f"{live_server.url}/aar/{writer.token}/shared/{aar.pk}/")
    assert page.locator("h1").inner_text().strip() == thai("Comments on your AAR")
    assert COMMENT in page.locator("#comments").inner_text()


# --- 2. A coordinator hides a comment -----------------------------------------------------


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_coordinator_hides_a_comment_and_the_participants_no_longer_see_it(
    live_server, shared, coordinator_user, request, size, axe_check, screenshot
):
    _session, _writer, reader, aar = shared
    comment = comment_add(aar=aar, text=COMMENT, author_participant=reader)
    kept = comment_add(aar=aar, text="เห็นด้วยค่ะ ขอบคุณมาก", author_participant=reader)
    width = (WIDE if size == "desktop" else PHONE)["width"]
    context = request.getfixturevalue(size)
    signed_in(context, live_server, coordinator_user)
    page = context.new_page()

    page.goto(f"{live_server.url}/lessons/aars/{aar.pk}/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert WRITER_NAME in page.locator("h1").inner_text()
    article = page.locator(f"#comment-{comment.pk}")
    assert COMMENT in article.inner_text()
    assert READER_NAME in article.inner_text()
    assert article.locator(".badge").count() == 0
    screenshot(page, f"shared-staff-aar-{size}-th")
    fits(page, width)
    axe_check(page)

    # Hiding asks first, on a page of its own, with the comment quoted.
    with page.expect_navigation():
        article.locator(f"a[href$='/comments/{comment.pk}/hide/']").click()
    assert page.url.endswith(f"/lessons/comments/{comment.pk}/hide/")
    assert page.locator("h1").inner_text().strip() == thai("Hide this comment?")
    assert COMMENT in page.locator("blockquote").inner_text()
    assert not Comment.objects.get(pk=comment.pk).is_hidden  # GET changes nothing
    reason = "ระบุชื่อบุคคลภายนอกโดยไม่ได้รับอนุญาต"
    page.fill("input[name=reason]", reason)
    screenshot(page, f"shared-confirm-hide-{size}-th")
    fits(page, width)
    axe_check(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # Back on the AAR: the message, the comment marked hidden, and its history.
    assert page.url.endswith(f"/lessons/aars/{aar.pk}/#comment-{comment.pk}")
    success = page.locator(".alert-success")
    assert success.is_visible()
    assert success.inner_text().strip() == thai("The comment is hidden. Only coordinators see it.")
    article = page.locator(f"#comment-{comment.pk}")
    badge = article.locator(".badge")
    assert badge.is_visible()
    assert badge.inner_text().strip() == thai("Hidden")
    assert COMMENT in article.inner_text()  # coordinators still read it
    article.locator("details summary").click()
    history = article.locator("details li")
    assert history.count() == 1
    assert history.first.is_visible()
    assert reason in history.first.inner_text()
    assert coordinator_user.get_username() in history.first.inner_text() or (
        coordinator_user.get_full_name() in history.first.inner_text()
    )
    assert article.locator("form button[type=submit]").inner_text().strip() == thai("Show again")
    assert page.locator(f"#comment-{kept.pk} .badge").count() == 0
    event = CommentEvent.objects.get(comment=comment)
    assert (event.action, event.reason, event.by_id) == ("hide", reason, coordinator_user.pk)
    screenshot(page, f"shared-staff-hidden-{size}-th")
    fits(page, width)
    axe_check(page)

    # The participant's page no longer shows it; the other comment stays.
    participant_page = context.new_page()
    participant_page.goto(f"{live_server.url}/aar/{reader.token}/shared/{aar.pk}/")
    comments = participant_page.locator("#comments")
    assert COMMENT not in comments.inner_text()
    assert participant_page.locator(f"#comment-{comment.pk}").count() == 0
    assert participant_page.locator(f"#comment-{kept.pk}").is_visible()
    assert comments.locator(".badge").count() == 0
    screenshot(participant_page, f"shared-participant-after-hide-{size}-th")
    fits(participant_page, width)
    axe_check(participant_page)
    participant_page.goto(f"{live_server.url}/aar/{reader.token}/shared/")
    assert "(1" in participant_page.locator("article.card", has_text=WRITER_NAME).inner_text()


# --- 3. Anonymity per field ---------------------------------------------------------------


# The two other people who answer "not achieved" without their name, so that three
# people (AAR.ANONYMOUS_MIN) have: only then are those answers shown. Ordered by text,
# theirs come before NOT_ACHIEVED ("ยัง…"), the first person's.
OTHERS_NOT_ACHIEVED = {
    "มานี รักเรียน": "ขาดข้อมูลตัวเลขของปีที่แล้ว จึงเทียบผลไม่ได้",
    "ชูใจ ใฝ่รู้": "คนหน้างานยังไม่ได้ร่วมวง เพราะติดเวร",
}


def anonymous_aar(session, name: str, not_achieved: str, achieved: str) -> AAR:
    """An AAR by ``aar_save`` (the participant's write path): named, but its "not
    achieved" shown without the name, shared with the participating organisations."""
    person = ParticipantFactory(
        session=session, full_name=name, organisation=session.host, role=Participant.Role.HOST
    )
    aar = aar_save(
        participant=person,
        data={
            "goal": "อยากได้วิธีให้ทีมกล้าเล่าเรื่องที่ไม่สำเร็จ",
            "achieved": achieved,
            "not_achieved": not_achieved,
            "next_steps": "ลองทำวงเล่าเรื่องกับทีมเล็กก่อน",
            "sharing": AAR.Sharing.ORGANISATIONS,
            "anonymous": ["not_achieved"],
        },
        submit=True,
        saved_by=person.full_name,
    )
    assert (aar.status, aar.anonymous) == (AAR.Status.SUBMITTED, ["not_achieved"])
    return aar


@pytest.fixture
def half_anonymous(shared):
    """A second AAR whose "not achieved" (NOT_ACHIEVED) is shown without the name, and
    two more people who answer it that way too."""
    session, _writer, _reader, _aar = shared
    aar = anonymous_aar(
        session, "ประเสริฐ กล้าเล่า", NOT_ACHIEVED, "ได้รูปแบบวงเล่าเรื่อง 15 นาทีทุกเช้าวันจันทร์"
    )
    for name, text in OTHERS_NOT_ACHIEVED.items():
        anonymous_aar(session, name, text, f"ได้เพื่อนใหม่ในวง ({name})")
    return session, aar.participant, aar


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_part_shown_without_the_name_is_never_beside_it(
    live_server, half_anonymous, coordinator_user, request, size, axe_check, screenshot
):
    session, person, aar = half_anonymous
    width = (WIDE if size == "desktop" else PHONE)["width"]
    context = request.getfixturevalue(size)
    signed_in(context, live_server, coordinator_user)
    page = context.new_page()

    # The AAR's own page: the name and the named parts, not the anonymous one.
    page.goto(f"{live_server.url}/lessons/aars/{aar.pk}/")
    assert page.locator("html").get_attribute("lang") == "th"
    main = page.inner_text("main")
    assert person.full_name in page.locator("h1").inner_text()
    assert "ได้รูปแบบวงเล่าเรื่อง" in main
    assert NOT_ACHIEVED not in main
    assert NOT_ACHIEVED not in page.content()  # not hidden in the markup either
    # It says where that part is, and the link leads there.
    answers_link = page.locator(f"main a[href$='/lessons/sessions/{session.pk}/']")
    assert answers_link.count() == 1
    screenshot(page, f"shared-anonymous-aar-{size}-th")
    fits(page, width)
    axe_check(page)

    # The session's answers page: the text, with no name near it.
    with page.expect_navigation():
        answers_link.click()
    assert page.locator("html").get_attribute("lang") == "th"
    section = page.locator("section#q-not_achieved, section[aria-labelledby=q-not_achieved]")
    assert section.count() == 1
    assert NOT_ACHIEVED in section.inner_text()
    item = section.locator("li", has_text=NOT_ACHIEVED)
    assert item.count() == 1
    # The three answers shown without a name, ordered by text; no name near any.
    anonymous_items = item.locator("xpath=../li")
    texts = [text.strip() for text in anonymous_items.all_inner_texts()]
    assert texts == sorted([NOT_ACHIEVED, *OTHERS_NOT_ACHIEVED.values()])
    for name in (person.full_name, *OTHERS_NOT_ACHIEVED):
        assert name not in item.locator("xpath=..").inner_text()
    assert held_back_sentence(1) not in section.inner_text()
    assert person.full_name not in item.inner_text()
    # Nothing in that list links to the writer's AAR or names them...
    anonymous_list = item.locator("xpath=..")
    assert person.full_name not in anonymous_list.inner_text()
    assert anonymous_list.locator(f"a[href$='/lessons/aars/{aar.pk}/']").count() == 0
    # ...and the named answers of that question (the first AAR's) are by other people.
    for link in section.locator("a").all():
        assert link.inner_text().strip() != person.full_name
    # Their named parts do carry their name, elsewhere on the page.
    achieved = page.locator("section[aria-labelledby=q-achieved]")
    assert person.full_name in achieved.inner_text()
    screenshot(page, f"shared-session-answers-{size}-th")
    fits(page, width)
    axe_check(page)

    if size == "phone":
        # By a participant's personal link: the card of the writer without that part,
        # and the part under "Shown without a name", with no name near it.
        reader = Participant.objects.get(session=session, full_name=READER_NAME)
        page.goto(f"{live_server.url}/aar/{reader.token}/shared/")
        card = page.locator("article.card", has_text=person.full_name)
        assert card.count() == 1
        assert "ได้รูปแบบวงเล่าเรื่อง" in card.inner_text()
        assert NOT_ACHIEVED not in card.inner_text()
        apart = page.locator("section[aria-labelledby=without-name]")
        assert NOT_ACHIEVED in apart.inner_text()
        for name, text in OTHERS_NOT_ACHIEVED.items():
            assert text in apart.inner_text()
            assert name not in apart.inner_text()
        assert person.full_name not in apart.inner_text()
        screenshot(page, "shared-anonymous-participant-list-phone-th")
        fits(page, width)
        axe_check(page)
        with page.expect_navigation():
            card.locator(f"a[href*='/shared/{aar.pk}/']").click()
        assert person.full_name in page.locator("h1").inner_text()
        assert NOT_ACHIEVED not in page.content()


# --- 4. Too few answers shown without a name are held back, on a phone -------------------


def held_back_sentence(n: int) -> str:
    """The sentence in place of ``n`` held-back answers, as the Thai page says it."""
    with translation.override("th"):
        return ngettext(
            "%(n)s answer shown without a name is held back until at least 3 people answer "
            "this way, so that nobody can be told apart.",
            "%(n)s answers shown without a name are held back until at least 3 people "
            "answer this way, so that nobody can be told apart.",
            n,
        ) % {"n": n}


@pytest.mark.parametrize("n", [1, 2])
def test_too_few_anonymous_answers_are_held_back_on_a_phone(
    live_server, shared, coordinator_user, phone, n, axe_check, screenshot
):
    """One or two people answer "not achieved" without their name: nobody reads those
    answers, not the organisers on the session's answers page nor the participants on
    their list; both pages say how many are held back, and fit a 360 px phone."""
    session, _writer, reader, _aar = shared
    texts = [NOT_ACHIEVED, *OTHERS_NOT_ACHIEVED.values()][:n]
    names = ["ประเสริฐ กล้าเล่า", *OTHERS_NOT_ACHIEVED][:n]
    for name, text in zip(names, texts, strict=True):
        anonymous_aar(session, name, text, f"ได้เพื่อนใหม่ในวง ({name})")
    sentence = held_back_sentence(n)
    signed_in(phone, live_server, coordinator_user)
    page = phone.new_page()

    page.goto(f"{live_server.url}/lessons/sessions/{session.pk}/")
    assert page.locator("html").get_attribute("lang") == "th"
    section = page.locator("section[aria-labelledby=q-not_achieved]")
    assert section.count() == 1
    note = section.locator("p", has_text=sentence)
    assert note.count() == 1 and note.is_visible()
    assert section.locator("h3").count() == 0  # no "Shown without a name" list
    html = page.content()
    for text in texts:
        assert text not in html
    assert html.count(sentence) == 1
    # The writers' named parts are still there, with their names.
    achieved = page.locator("section[aria-labelledby=q-achieved]").inner_text()
    for name in names:
        assert name in achieved
    screenshot(page, f"shared-held-back-answers-{n}-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)

    # By a participant's personal link: the cards, and under "Shown without a name"
    # only the sentence.
    page.goto(f"{live_server.url}/aar/{reader.token}/shared/")
    apart = page.locator("section[aria-labelledby=without-name]")
    assert apart.count() == 1
    note = apart.locator("p", has_text=sentence)
    assert note.count() == 1 and note.is_visible()
    assert apart.locator("li").count() == 0
    html = page.content()
    for text in texts:
        assert text not in html
    for name in names:
        assert page.locator("article.card", has_text=name).count() == 1
    screenshot(page, f"shared-held-back-list-{n}-phone-th")
    fits(page, PHONE["width"])
    axe_check(page)
