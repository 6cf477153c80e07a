"""Root conftest: Playwright drives Debian's Chromium, never a downloaded browser."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_available() -> bool:
    return os.path.exists(CHROMIUM) or bool(shutil.which(CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace("\\", "/")


def pytest_collection_modifyitems(config, items):
    # Browser tests last: Playwright's event loop, once started, stays up to the end of
    # the run, and only the browser tests allow the ORM beside it
    # (tests/browser/conftest.py).
    items.sort(key=_is_browser_test)
    if browser_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}: "
            "apt-get install -y chromium fonts-thai-tlwg"
        )
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}; install it with "
        "`apt-get install -y chromium fonts-thai-tlwg` to run browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
