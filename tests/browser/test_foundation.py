import pytest
from django.core.management import call_command

from tests.browser.conftest import wait_until

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


def test_wait_until_waits_where_the_policy_refuses_eval(live_server, page):
    """The pages forbid 'unsafe-eval'. Playwright's wait_for_function polls with eval once
    its first check is false, and fails then; the tests' wait_until polls from outside."""
    page.goto(f"{live_server.url}/accounts/login/")
    policy = page.request.get(f"{live_server.url}/accounts/login/").headers
    assert "'unsafe-eval'" not in policy["content-security-policy"]
    page.evaluate("setTimeout(() => { document.body.dataset.later = 'yes'; }, 300)")
    wait_until(page, "document.body.dataset.later === 'yes'")
    with pytest.raises(AssertionError, match="still false after 200 ms"):
        wait_until(page, "document.body.dataset.never === 'yes'", timeout=200)
