"""Browser-test helpers: every test here is marked ``browser`` (skipped without
Chromium, a failure under REQUIRE_BROWSER=1), and gets an axe check and screenshots."""

import os
import shutil
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """pytest-playwright keeps an asyncio loop running; Django's ORM refuses to run
    beside one (SynchronousOnlyOperation), even to create or drop the test database,
    unless told. Only the browser tests are told: they run last (the root conftest.py),
    and the flag stays for the test databases' teardown after them."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def axe_check():
    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        # Also copied to $SHOTS_DIR when set, for review: another run's pytest-playwright
        # empties test-results/ when it starts.
        if folder := os.environ.get("SHOTS_DIR"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(folder) / path.name)
        return path

    return take


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="th-TH", has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def do(page, username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def wait_until(page, script, arg=None, timeout=3000):
    """Wait until ``script`` (a JavaScript function or expression) is true in the page.

    Not ``page.wait_for_function``: when its first check is false, it polls inside the
    page with ``eval``, which our Content-Security-Policy (no 'unsafe-eval') refuses, so
    it failed only when the page was a moment slow. ``page.evaluate`` goes through
    DevTools, which the policy allows; this polls it from here."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {script}")
        page.wait_for_timeout(50)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Thai phone: the interface follows a browser that prefers English, so the
    # browser tests say which language they are reading.
    return {**browser_context_args, "locale": "th-TH"}


def signed_in(context, live_server, user) -> None:
    """The staff member's session cookie in the browser (sign-in has its own tests)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
