"""Page weight of the participant AAR page, from the bytes a real browser transferred.

Debian's Chromium (via Playwright, never a downloaded browser) opens a personal link at
360 px, as a phone would, with a cold cache. Chrome's DevTools protocol reports each
response's encoded (on-the-wire) size; the sum over the HTML, CSS, JS, fonts and images
is the page weight. gunicorn does not compress HTML (Django's GZipMiddleware is off, for
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    token = fresh_participants(1)[0]
    with Gunicorn(os.environ.copy(), workers=1) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="th-TH")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        responses: dict[str, dict] = {}

        def on_response(event):
            r = event["response"]
            responses[event["requestId"]] = {
                "url": r["url"].split("?")[0].replace(f"http://127.0.0.1:{server.port}", ""),
                "type": event["type"],
                "encoding": r.get("headers", {}).get("Content-Encoding", ""),
            }

        def on_finished(event):
            if event["requestId"] in responses:
                responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        url = f"http://127.0.0.1:{server.port}/aar/{token}/"
        page.goto(url, wait_until="networkidle")
        html = page.content().encode()
        browser.close()
    files = sorted(responses.values(), key=lambda r: -r.get("bytes", 0))
    total = sum(r.get("bytes", 0) for r in files)
    document = next(r for r in files if r["type"] == "Document")
    html_gzip = len(gzip.compress(html, 9))
    result = {
        "files": files,
        "total_bytes": total,
        "html_bytes": document.get("bytes", 0),
        "html_gzip_bytes": html_gzip,
        "total_with_gzip_html": total - document.get("bytes", 0) + html_gzip,
    }
    Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
