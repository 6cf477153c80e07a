"""A facilitator signs in, records a session adding two new organisations from inside
the form without losing what was typed, and lands on the session page. Axe on every
page, in Thai and in English; screenshots at desktop and phone width."""

import datetime

import pytest
from django.utils import timezone

from sessions_app.models import AssistSession, Membership, Organisation
from tests.browser.conftest import has_horizontal_scroll
from tests.factories import (
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kmi(db):
    org = OrganisationFactory(
        name="สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม", name_en="KMI", short_name="สคส."
    )
    user = UserFactory(username="aor", first_name="อร", last_name="ใจดี")
    MembershipFactory(user=user, organisation=org, role=Membership.Role.FACILITATOR)
    OrganisationFactory(name="กรมอนามัย", name_en="Department of Health", short_name="อน.")
    return org


def _switch_language(page, lang):
    page.click("header button[name=language]")
    page.wait_for_selector(f"html[lang={lang}]")


def test_facilitator_records_a_session_with_two_new_organisations(
    live_server, page, kmi, sign_in, axe_check, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    screenshot(page, "session-signin-th")
    sign_in(page, "aor")

    # Home: empty state, with the prominent button.
    assert page.locator(".empty-state").count() == 1
    axe_check(page)
    screenshot(page, "session-home-empty-th")
    page.click("main a.btn-primary.btn-lg")
    page.wait_for_selector("form.session-form")
    axe_check(page)

    # Start typing, then add the host organisation from inside the form.
    page.fill("#id_title", "Micro Peer Assist สคส. กับ สสส.")
    page.fill("#id_purpose", "สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร")
    page.fill("#id_place", "ห้องประชุม สสส.")
    page.fill("#id_summary", "คุณอำนวยใหญ่สรุปบทสนทนา\nและให้คำแนะนำ")
    page.fill("#id_new_org-name", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ")
    page.fill("#id_new_org-short_name", "สสส.")
    page.fill("#id_new_org-name_en", "ThaiHealth")
    assert page.is_checked("#id_new_org-use_as_0")  # host, since none is chosen yet
    page.click("button[name=add_organisation]")
    page.wait_for_selector(".alert-success")
    thaihealth = Organisation.objects.get(short_name="สสส.")
    assert page.input_value("#id_host") == str(thaihealth.pk)
    assert page.input_value("#id_title") == "Micro Peer Assist สคส. กับ สสส."
    assert page.input_value("#id_summary") == "คุณอำนวยใหญ่สรุปบทสนทนา\nและให้คำแนะนำ"

    # A second one, as a peer (offered by default now that the host is chosen).
    assert page.is_checked("#id_new_org-use_as_1")
    page.fill("#id_new_org-name", "สำนักงานพัฒนาระบบข้อมูลข่าวสารสุขภาพ")
    page.fill("#id_new_org-short_name", "สพส.")
    page.press("#id_new_org-short_name", "Enter")  # Enter here adds, not saves
    page.wait_for_function("document.querySelectorAll('input[name=peers]:checked').length === 1")
    peer = Organisation.objects.get(short_name="สพส.")
    assert page.is_checked(f"input[name=peers][value='{peer.pk}']")
    assert page.input_value("#id_host") == str(thaihealth.pk)
    assert page.input_value("#id_purpose") == "สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร"

    # A duplicate is refused beside its field; typing still stays.
    page.fill("#id_new_org-name", "thaihealth")
    page.click("button[name=add_organisation]")
    page.wait_for_selector("#error_1_id_new_org-name")
    assert page.input_value("#id_title") == "Micro Peer Assist สคส. กับ สสส."
    page.fill("#id_new_org-name", "")

    # The filter box narrows the peer list.
    page.fill("#org-filter-1", "อนามัย")
    assert page.locator(".org-list .form-check:visible").count() == 2  # match + ticked
    page.fill("#org-filter-1", "")
    page.check(f"input[name=peers][value='{kmi.pk}']")
    axe_check(page)
    screenshot(page, "session-form-th")

    held = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("#id_date", held.isoformat())
    page.fill("#id_start_time", "09:30")
    page.select_option("#id_status", "held")
    page.click("main button.btn-primary.btn-lg")
    page.wait_for_url(lambda url: "/sessions/new/" not in url)

    session = AssistSession.objects.get()
    assert page.url.endswith(session.get_absolute_url())
    assert session.host == thaihealth
    assert set(session.peers.all()) == {peer, kmi}
    assert session.aar_deadline == held + datetime.timedelta(days=7)
    assert session.created_by.username == "aor"
    assert page.get_by_role("heading", name="Micro Peer Assist สคส. กับ สสส.").count() == 1
    assert page.locator("#peers-heading + ul li").count() == 2
    axe_check(page)
    screenshot(page, "session-detail-th")

    # The same pages in English.
    _switch_language(page, "en")
    axe_check(page)
    screenshot(page, "session-detail-en")
    assert "Who helped" in page.content()
    page.goto(f"{live_server.url}/sessions/{session.pk}/edit/")
    axe_check(page)
    screenshot(page, "session-form-en")
    page.goto(f"{live_server.url}/")
    axe_check(page)
    screenshot(page, "session-home-en")
    page.click("header form[action$='/logout/'] button")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    axe_check(page)
    screenshot(page, "session-signin-en")


def test_pages_fit_a_phone_in_thai(live_server, phone_page, kmi, sign_in, axe_check, screenshot):
    host = OrganisationFactory(
        name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", name_en="ThaiHealth", short_name="สสส."
    )
    user = UserFactory(username="aor")
    session = AssistSessionFactory(
        organiser=kmi,
        host=host,
        peers=[kmi],
        facilitator=user,
        created_by=user,
        title="Micro Peer Assist สคส. กับ สสส.",
        place="https://meet.example.org/a-very-long-online-meeting-link-that-must-wrap-on-a-phone",
        summary="คุณอำนวยใหญ่สรุปบทสนทนา และให้คำแนะนำเล็กน้อยเพื่อให้ สสส. นำไปปฏิบัติ",
    )
    AssistSessionFactory(
        organiser=kmi,
        host=host,
        date=timezone.localdate() + datetime.timedelta(days=5),
        status="planned",
    )
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    screenshot(page, "session-signin-th-phone")
    sign_in(page, "aor")
    for name, path in (
        ("home", "/"),
        ("form", "/sessions/new/"),
        ("detail", session.get_absolute_url()),
        ("edit", f"/sessions/{session.pk}/edit/"),
        ("delete", f"/sessions/{session.pk}/delete/"),
        ("password", "/accounts/password_change/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "th"
        assert not has_horizontal_scroll(page), name
        axe_check(page)
        screenshot(page, f"session-{name}-th-phone")


def test_adding_an_organisation_works_without_javascript(live_server, browser, kmi, sign_in):
    # No axe here: axe is a script, and this page has scripts switched off. The same
    # pages are checked with axe, scripts on, in the tests above.
    context = browser.new_context(java_script_enabled=False, locale="th-TH")
    page = context.new_page()
    try:
        sign_in(page, "aor")
        page.goto(f"{live_server.url}/sessions/new/")
        assert page.locator("#org-filter-0").count() == 0  # no filter box without JS
        page.fill("#id_title", "วงทดสอบไม่มีจาวาสคริปต์")
        page.fill("#id_new_org-name", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ")
        page.fill("#id_new_org-short_name", "สสส.")
        page.click("button[name=add_organisation]")
        page.wait_for_selector(".alert-success")
        new = Organisation.objects.get(short_name="สสส.")
        assert page.input_value("#id_host") == str(new.pk)
        assert page.input_value("#id_title") == "วงทดสอบไม่มีจาวาสคริปต์"
        page.fill("#id_purpose", "ทดสอบ")
        page.click("main button.btn-primary.btn-lg")
        page.wait_for_url(lambda url: "/sessions/new/" not in url)
        assert AssistSession.objects.get().host == new
    finally:
        context.close()
