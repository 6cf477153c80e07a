import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_is_accessible_in_thai_and_english(live_server, page, axe_check, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "th"
    axe_check(page)
    screenshot(page, "foundation-login-th")
    page.click("header button[name=language]")
    page.wait_for_selector("html[lang=en]")
    axe_check(page)
    screenshot(page, "foundation-login-en")


def test_demo_signs_in_and_sees_admin_session_list_in_thai(live_server, page, sign_in, screenshot):
    call_command("load_demo", verbosity=0)
    sign_in(page, "demo", "peerassist-demo")
    page.goto(f"{live_server.url}/admin/sessions_app/assistsession/")
    assert page.locator("html").get_attribute("lang") == "th"
    # The demo's source-post session is listed, and the admin speaks Thai.
    assert page.get_by_text("Micro Peer Assist สคส. กับ สสส.").count() == 1
    assert "ค้นหา" in page.content()
    screenshot(page, "foundation-admin-sessions-th")
