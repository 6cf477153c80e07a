"""Page weight of the participant's pages (the AAR page, and the page before the session),
from the bytes a real browser transferred.

Debian's Chromium (via Playwright, never a downloaded browser) opens a personal link at
360 px, as a phone would, with a cold cache (each page on its own). Chrome's DevTools
protocol reports each response's encoded (on-the-wire) size; the sum over the HTML, CSS,
JS, fonts and images is the page weight. gunicorn does not compress HTML (Django's GZipMiddleware is off, for
BREACH), so the gzip size of the HTML is given too: what a proxy with gzip on sends.

    python -m bench.weight --json out.json
"""

import argparse
import gzip
import json
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
django.setup()

from bench.common import Gunicorn  # noqa: E402
from bench.measure import fresh_participants  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# The participant's pages weighed: the AAR page (the result's top level, with its target)
# and, since issue 17, the page before the session (under "pages").
BEFORE_PAGE = "participant's before-page"


def weigh(context, port: int, path: str) -> dict:
    """Every response of one cold load of ``path``, and the sizes that matter."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses: dict[str, dict] = {}

    def on_response(event):
        r = event["response"]
        responses[event["requestId"]] = {
            "url": r["url"].split("?")[0].replace(f"http://127.0.0.1:{port}", ""),
            "type": event["type"],
            "encoding": r.get("headers", {}).get("Content-Encoding", ""),
        }

    def on_finished(event):
        if event["requestId"] in responses:
            responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
    html = page.content().encode()
    page.close()
    files = sorted(responses.values(), key=lambda r: -r.get("bytes", 0))
    total = sum(r.get("bytes", 0) for r in files)
    document = next(r for r in files if r["type"] == "Document")
    html_gzip = len(gzip.compress(html, 9))
    return {
        "files": files,
        "total_bytes": total,
        "html_bytes": document.get("bytes", 0),
        "html_gzip_bytes": html_gzip,
        "total_with_gzip_html": total - document.get("bytes", 0) + html_gzip,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    # People of a session held today: the AAR page is open, and so is the before-page
    # (until the end of the session's day).
    token = fresh_participants(1)[0]
    with Gunicorn(os.environ.copy(), workers=1) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="th-TH")
        result = weigh(context, server.port, f"/aar/{token}/")
        result["pages"] = {BEFORE_PAGE: weigh(context, server.port, f"/aar/{token}/before/")}
        browser.close()
    Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
