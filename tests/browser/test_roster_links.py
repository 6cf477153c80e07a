"""A facilitator pastes five participants, previews, confirms, copies a link and opens
the walk-in screen; then a visitor joins by walk-in. Axe on every page in Thai and in
English; screenshots at desktop and phone width."""

import re

import pytest

from sessions_app.models import Membership, Participant
from tests.browser.conftest import has_horizontal_scroll, wait_until
from tests.factories import (
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

FIVE = """น้ำฝน ศรีสุข, namfon@example.org, สสส., ทีมเจ้าภาพ
ผู้ใหญ่ลี่ บุญมา, lee@example.org, สสส., host
สมชาย ใจดี, somchai@example.org, สคส., ทีมเพื่อน
Jane Doe, jane@example.org, KMI, Peer team, en
ประสิทธิ์ มั่นคง, , สคส., คุณลิขิต"""


@pytest.fixture
def session(db):
    kmi = OrganisationFactory(
        name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส."
    )
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    user = UserFactory(username="aor", first_name="อร", last_name="ใจดี")
    MembershipFactory(user=user, organisation=kmi, role=Membership.Role.FACILITATOR)
    return AssistSessionFactory(
        organiser=kmi,
        host=host,
        peers=[kmi],
        facilitator=user,
        created_by=user,
        title="Micro Peer Assist สคส. กับ สสส.",
    )


def _switch_language(page, lang):
    page.click("header button[name=language]")
    page.wait_for_selector(f"html[lang={lang}]")


def _preview(page, live_server, session, text=FIVE):
    page.goto(f"{live_server.url}/sessions/{session.pk}/participants/bulk/")
    page.fill("#id_text", text)
    page.click("form.bulk-form button[type=submit]")
    page.wait_for_selector("table.bulk-preview")


def test_facilitator_pastes_people_copies_a_link_and_opens_walkin(
    live_server, page, session, sign_in, axe_check, screenshot
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, "aor")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert page.locator(".roster .empty-state").count() == 1
    axe_check(page)
    screenshot(page, "roster-empty-th")

    # Bulk add: paste, preview, confirm.
    page.click(f"a[href='/sessions/{session.pk}/participants/bulk/']")
    page.wait_for_selector("#id_text")
    axe_check(page)
    screenshot(page, "bulk-add-th")
    page.fill("#id_text", FIVE)
    page.click("form.bulk-form button[type=submit]")
    page.wait_for_selector("table.bulk-preview")
    assert page.locator("table.bulk-preview tbody tr").count() == 5
    assert page.locator("table.bulk-preview tr.table-danger").count() == 0
    assert not Participant.objects.exists()
    axe_check(page)
    screenshot(page, "bulk-preview-th")
    page.click("form:has(input[name=action][value=confirm]) button[type=submit]")
    page.wait_for_url(re.compile(r"/links/$"))
    assert Participant.objects.filter(session=session).count() == 5
    lee = Participant.objects.get(email="lee@example.org")
    assert lee.full_name == "ผู้ใหญ่ลี่ บุญมา"

    # Personal links: copy one.
    axe_check(page)
    screenshot(page, "links-th")
    button = page.locator(".js-copy").first
    expected = button.get_attribute("data-copy-text")
    assert re.search(r"/aar/[\w-]+/$", expected)
    copied_label = button.get_attribute("data-copied-label")
    button.click()
    wait_until(
        page, "([el, label]) => el.textContent === label", [button.element_handle(), copied_label]
    )
    assert page.evaluate("navigator.clipboard.readText()") == expected

    # One person's page with the big QR code, and the session page with the roster.
    page.click("a.links-qr >> nth=0")
    page.wait_for_selector("img.qr-large")
    axe_check(page)
    screenshot(page, "link-one-th")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert page.locator(".roster-list li").count() == 5
    axe_check(page)
    screenshot(page, "roster-th")

    # Walk-in screen.
    page.click(f"a[href='/sessions/{session.pk}/walkin/']")
    page.wait_for_selector("img.walkin-qr")
    assert f"/join/{session.walkin_code}/" in page.locator(".walkin-url").inner_text()
    assert (
        page.locator(".walkin-url a")
        .get_attribute("href")
        .endswith(f"/join/{session.walkin_code}/")
    )
    # The QR image really loads (served by our view, allowed by the CSP).
    wait_until(page, "() => document.querySelector('img.walkin-qr').naturalWidth > 0")
    axe_check(page)
    screenshot(page, "walkin-th")

    # The same pages in English.
    _switch_language(page, "en")
    axe_check(page)
    screenshot(page, "walkin-en")
    for name, path in (
        ("roster", session.get_absolute_url()),
        ("links", f"/sessions/{session.pk}/links/"),
        ("bulk-add", f"/sessions/{session.pk}/participants/bulk/"),
        ("link-one", f"/sessions/{session.pk}/participants/{lee.pk}/link/"),
        ("remove", f"/sessions/{session.pk}/participants/{lee.pk}/remove/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "en"
        axe_check(page)
        screenshot(page, f"{name}-en")
    # A preview with errors, in English.
    _preview(page, live_server, session, FIVE + "\nคนที่หก, not-an-email, Nowhere, captain")
    # Four emails are on the roster now, and the last row is wrong three ways.
    assert page.locator("table.bulk-preview tr.table-danger").count() == 5
    axe_check(page)
    screenshot(page, "bulk-preview-errors-en")
    assert Participant.objects.filter(session=session).count() == 5


def test_visitor_joins_by_walkin_and_lands_on_their_aar(
    live_server, browser, session, axe_check, screenshot
):
    context = browser.new_context(locale="th-TH")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/join/{session.walkin_code}/")
        axe_check(page)
        screenshot(page, "walkin-join-th")
        _switch_language(page, "en")
        axe_check(page)
        screenshot(page, "walkin-join-en")
        _switch_language(page, "th")
        page.fill("#id_full_name", "ผู้ใหญ่ลี่ บุญมา")
        page.fill("#id_email", "lee@example.org")
        page.select_option("#id_organisation", str(session.host_id))
        page.select_option("#id_role", "host")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/aar/[\w-]+/$"))
        participant = Participant.objects.get(session=session)
        assert participant.joined_by_walkin
        assert page.url.endswith(f"/aar/{participant.token}/")
    finally:
        context.close()


def test_pages_fit_a_phone_in_thai(
    live_server, phone_page, session, sign_in, axe_check, screenshot
):
    page = phone_page
    sign_in(page, "aor")
    _preview(page, live_server, session)
    assert not has_horizontal_scroll(page)
    axe_check(page)
    screenshot(page, "bulk-preview-th-phone")
    page.click("form:has(input[name=action][value=confirm]) button[type=submit]")
    page.wait_for_url(re.compile(r"/links/$"))
    person = Participant.objects.get(email="lee@example.org")
    for name, path in (
        ("roster", session.get_absolute_url()),
        ("bulk-add", f"/sessions/{session.pk}/participants/bulk/"),
        ("links", f"/sessions/{session.pk}/links/"),
        ("link-one", f"/sessions/{session.pk}/participants/{person.pk}/link/"),
        ("edit", f"/sessions/{session.pk}/participants/{person.pk}/edit/"),
        ("remove", f"/sessions/{session.pk}/participants/{person.pk}/remove/"),
        ("regenerate", f"/sessions/{session.pk}/participants/{person.pk}/regenerate/"),
        ("add", f"/sessions/{session.pk}/participants/add/"),
        ("walkin", f"/sessions/{session.pk}/walkin/"),
        ("walkin-join", f"/join/{session.walkin_code}/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "th"
        assert not has_horizontal_scroll(page), name
        axe_check(page)
        screenshot(page, f"{name}-th-phone")


def test_bulk_add_works_without_javascript(live_server, browser, session, sign_in):
    # No axe here: it needs JavaScript in the page (it hangs). The same pages pass axe above.
    context = browser.new_context(java_script_enabled=False, locale="th-TH")
    page = context.new_page()
    try:
        sign_in(page, "aor")
        _preview(page, live_server, session)
        assert not Participant.objects.exists()
        page.click("form:has(input[name=action][value=confirm]) button[type=submit]")
        page.wait_for_url(re.compile(r"/links/$"))
        assert Participant.objects.filter(session=session).count() == 5
        # Without JavaScript the link is still there to select and copy.
        assert page.locator("input[id^=link-]").first.input_value().startswith("http")
        assert page.locator(".js-share:visible").count() == 0
    finally:
        context.close()
