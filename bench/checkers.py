"""Real checkers on the pages, as `make bench` runs them: Lighthouse 12 (mobile and
desktop presets) on Debian's Chromium, and the W3C Nu HTML Checker (vnu-jar) on Debian's
Java, against the demo data served by gunicorn in production mode on 127.0.0.1.

Both come from npm into var/tools/ the first time (`npm install --prefix var/tools
lighthouse@12 vnu-jar`); Java comes from Debian (`apt-get install default-jre-headless`,
as root) if it is missing. No browser is downloaded: Lighthouse drives /usr/bin/chromium.
Staff pages are measured signed in (the session cookie in `--extra-headers`), in Thai.

    python -m bench.checkers                    # print the table
    python -m bench.checkers --write            # and put it in BENCHMARKS.md
    python -m bench.checkers --runs 3 --write   # the median of 3 runs (about 30 min here)
    python -m bench.checkers --pages dashboard,sign-in --presets mobile   # a part
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, VAR, Gunicorn, bench_env

TOOLS = ROOT / "var" / "tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Target 100 in these, on every page, both presets (issue 15); SEO is recorded only:
# personal links are noindex on purpose, which Lighthouse's SEO score counts against.
TARGET_CATEGORIES = ("performance", "accessibility", "best-practices")
PRESETS = ("mobile", "desktop")
START, END = "<!-- checkers -->", "<!-- /checkers -->"
FINDINGS_MARK = "<!-- findings: kept by --write -->"  # as in bench/__main__.py
OUT = VAR / "checkers"
# Lighthouse's and vnu's pages: (name, needs a coordinator signed in). The first part
# is every main page (Lighthouse and vnu); the rest are checked by vnu only.
MAIN_PAGES = (
    "participant AAR page",
    "thanks page",
    "participant's data page",
    "check-back page",
    "sign-in",
    "home",
    "session page",
    "session form",
    "participant form",
    "links page",
    "bulk add",
    "dashboard",
    "follow-up session page",
    "synthesis",
    "audit log",
    "outcomes",
    # Issue 17: the Peer Assist's own steps.
    "before-page",
    "recommendations",
    "reviews of the method",
    "question sets",
    "session's question set",
    "AAR typed in for a participant",
)
ANONYMOUS = {"participant AAR page", "thanks page", "participant's data page", "sign-in"}
ANONYMOUS |= {"before-page"}
ANONYMOUS |= {"check-back page", "stop emails page"}
ANONYMOUS |= {"walk-in join", "unknown personal link (404)"}


def prepare() -> None:
    """In the benchmark's environment: the demo data, a coordinator's session, the paths.
    Prints JSON on stdout."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from aar.models import AuditEntry
    from aar.services import audit_record
    from sessions_app.models import AssistSession

    for command in ("migrate", "createcachetable"):
        call_command(command, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", "--with-demo-user", verbosity=0)
    micro = AssistSession.objects.get(title="Micro Peer Assist สคส. กับ สสส.")
    overdue = AssistSession.objects.get(title="Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน")
    coordinator = get_user_model().objects.get(username="demo")
    if not AuditEntry.objects.exists():
        audit_record(action="export", actor=coordinator, session=micro, detail="session csv")
    author = micro.participants.get(full_name="วรรณา (อ้อ) มีสุข")
    # Typed in from paper: someone on the roster with no AAR yet (the new form), if any.
    on_paper = micro.participants.filter(aar__isnull=True).order_by("pk").first() or author
    advice = micro.recommendations.filter(removed_at__isnull=True).order_by("position").first()
    client = Client()
    client.force_login(coordinator)
    s, p = f"/sessions/{micro.pk}", f"/sessions/{micro.pk}/participants/{author.pk}"
    paths = {
        "participant AAR page": f"/aar/{author.token}/",
        "thanks page": f"/aar/{author.token}/thanks/",
        "participant's data page": f"/aar/{author.token}/my-data/",
        "check-back page": f"/aar/{author.token}/commitments/",
        "sign-in": "/accounts/login/",
        "home": "/",
        "session page": f"{s}/",
        "session form": "/sessions/new/",
        "participant form": f"{s}/participants/add/",
        "links page": f"{s}/links/",
        "bulk add": f"{s}/participants/bulk/",
        "dashboard": "/followup/",
        "follow-up session page": f"/followup/sessions/{overdue.pk}/",
        "synthesis": f"/followup/sessions/{micro.pk}/synthesis/",
        "audit log": "/followup/audit/",
        "outcomes": "/followup/outcomes/",
        "before-page": f"/aar/{author.token}/before/",
        "recommendations": f"/followup/sessions/{micro.pk}/recommendations/",
        "reviews of the method": "/followup/method-reviews/",
        "question sets": "/followup/question-sets/",
        "session's question set": f"/followup/sessions/{micro.pk}/question-set/",
        "AAR typed in for a participant": (
            f"/followup/sessions/{micro.pk}/participants/{on_paper.pk}/aar/"
        ),
        # vnu only
        "stop emails page": f"/aar/{author.token}/stop-emails/",
        "session edit form": f"{s}/edit/",
        "participant edit form": f"{p}/edit/",
        "one person's link": f"{p}/link/",
        "AAR history": f"{p}/history/",
        "blog page": f"/followup/sessions/{micro.pk}/blog/",
        "walk-in screen": f"{s}/walkin/",
        "walk-in join": f"/join/{micro.walkin_code}/",
        "change password": "/accounts/password_change/",
        "unknown personal link (404)": "/aar/no-such-link/",
        "review of the method form": f"/followup/sessions/{micro.pk}/method-review/",
        "new question set form": "/followup/question-sets/new/",
    }
    if advice is not None:
        one = f"/followup/sessions/{micro.pk}/recommendations/{advice.pk}"
        paths["recommendation edit form"] = f"{one}/edit/"
        paths["response to a recommendation"] = f"{one}/response/"
    print(json.dumps({"paths": paths, "sessionid": client.cookies["sessionid"].value}))


def ensure_tools() -> dict[str, str]:
    """Lighthouse and vnu from npm, Java from Debian; returns their versions."""
    if not LIGHTHOUSE.exists() or not VNU_JAR.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "PUPPETEER_SKIP_DOWNLOAD": "1",
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        }
        # --ignore-scripts: vnu-jar's postinstall would fetch a Java of its own.
        command = [
            "npm",
            "install",
            "--prefix",
            str(TOOLS),
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
        ]
        result = subprocess.run([*command, "lighthouse@12", "vnu-jar"], env=env)
        if result.returncode:
            raise SystemExit(
                "npm could not install lighthouse@12 and vnu-jar (is the npm registry reachable?)"
            )
    if not shutil.which("java"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise SystemExit("vnu needs Java: apt-get install -y default-jre-headless")
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=apt, check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "default-jre-headless"], env=apt, check=True
        )
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"no Chromium at {CHROMIUM}: make browser")

    def version(package: str) -> str:
        manifest = TOOLS / "node_modules" / package / "package.json"
        return json.loads(manifest.read_text())["version"]

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return {
        "lighthouse": version("lighthouse"),
        "vnu": version("vnu-jar"),
        "java": java.splitlines()[0].strip() if java else "?",
        "chromium": chromium.strip(),
    }


def fetch(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    """The page's HTML as a browser gets it from gunicorn (no compression asked for)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept": "text/html"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def lighthouse(port: int, name: str, path: str, cookie: str, preset: str, runs: int) -> dict:
    """The run with the median performance score of ``runs`` (Lighthouse's advice on a
    noisy machine). A run that fails to record its trace (NO_NAVSTART: 2 of 28 runs here)
    is tried again, twice at most."""
    results, error = [], ""
    for run in range(runs):
        out = OUT / f"lighthouse-{slug(name)}-{preset}-{run}.json"
        for _attempt in range(3):
            result = lighthouse_once(port, path, cookie, preset, out)
            if "error" not in result:
                results.append(result)
                break
            error = result["error"]
    if not results:
        return {"error": error}
    results.sort(key=lambda r: r["scores"]["performance"])
    median = results[len(results) // 2]
    median["performance_runs"] = [r["scores"]["performance"] for r in results]
    return median


def lighthouse_once(port: int, path: str, cookie: str, preset: str, out: Path) -> dict:
    out.unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE),
        f"http://127.0.0.1:{port}{path}",
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    started = time.monotonic()
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True
    )
    if result.returncode or not out.exists():
        return {"error": (result.stderr or result.stdout).strip()[-500:]}
    lhr = json.loads(out.read_text())
    scores = {c: round(lhr["categories"][c]["score"] * 100) for c in CATEGORIES}
    lost = {}
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                lost.setdefault(category, []).append(ref["id"])
    final = lhr.get("finalDisplayedUrl", "")
    return {
        "scores": scores,
        "lost": lost,
        "redirected": not final.split("?")[0].endswith(path),
        "seconds": round(time.monotonic() - started, 1),
    }


def vnu(files: dict[str, Path]) -> dict[str, list[str]]:
    """One JVM for every page: {page name: [error messages]}."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--stdout"]
        + [str(f) for f in files.values()],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    by_file = {f.name: name for name, f in files.items()}
    errors = {name: [] for name in files}
    for message in messages:
        if message.get("type") in ("error", "non-document-error"):
            name = by_file.get(message.get("url", "").rsplit("/", 1)[-1])
            line = message.get("lastLine", "?")
            text = f"line {line}: {message.get('message', '')}"
            errors.setdefault(name or message.get("url", "?"), []).append(text)
    return errors


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def table(run: dict) -> str:
    tools = run["tools"]
    lines = [
        START,
        "## Real checkers: Lighthouse and the Nu HTML Checker",
        "",
        f"- Command: `{run['command']}` (`make check-pages` runs `python -m bench.checkers "
        "--write`, and `make bench` runs it after the benchmark).",
        f"- Date: {run['date']}; {tools['chromium']}; Lighthouse {tools['lighthouse']} "
        f"(npm, `lighthouse@12`); vnu-jar {tools['vnu']} (npm) on {tools['java']}.",
        "- The demo data (`load_demo`) through gunicorn in production mode on 127.0.0.1, in "
        "Thai; staff pages signed in as the demo coordinator.",
        f"- Lighthouse: `CHROME_PATH={CHROMIUM} lighthouse <url> --only-categories="
        f'{",".join(CATEGORIES)} --chrome-flags="{CHROME_FLAGS}" '
        '--extra-headers=\'{"Cookie": "sessionid=…; peerassist_language=th"}\'` '
        "(mobile: the default preset, a 412 px phone with simulated throttling; desktop: "
        "`--preset=desktop`). Scores are performance / accessibility / best practices / SEO; "
        f"{run['runs']} run(s) a page and preset, the median by performance "
        f"(`--runs N`). Load average when it started: {run['load']:.1f} on "
        f"{os.cpu_count()} cores: performance on the mobile preset moves a few points "
        "with it.",
        "- vnu: `java -jar var/tools/node_modules/vnu-jar/build/dist/vnu.jar --format json "
        "<pages>` on each page's HTML, fetched with the same cookie; errors only (warnings "
        "not counted).",
        "- HTML: bytes gunicorn sends (it does not compress HTML) → with gzip level 6 as a "
        "proxy would send it (docs/deploy.md).",
        "",
        "| Page | mobile | desktop | vnu errors | HTML bytes → gzip |",
        "|---|---|---|---:|---|",
    ]
    misses = []
    for name, page in run["pages"].items():
        cells = []
        for preset in PRESETS:
            lh = page.get("lighthouse", {}).get(preset)
            if lh is None:
                cells.append("")
            elif "error" in lh:
                cells.append("failed")
                misses.append(f"{name} ({preset}): Lighthouse failed: {lh['error'][-200:]}")
            else:
                s = lh["scores"]
                cell = " / ".join(str(s[c]) for c in CATEGORIES)
                if len(lh.get("performance_runs", [])) > 1:
                    cell += f" (performance {'-'.join(map(str, lh['performance_runs']))})"
                cells.append(cell)
                low = [c for c in TARGET_CATEGORIES if s[c] < 100]
                if low or lh["redirected"]:
                    why = "; ".join(f"{c}: {', '.join(lh['lost'].get(c, []))}" for c in low)
                    if lh["redirected"]:
                        why += " (redirected: not the page meant)"
                    misses.append(f"{name} ({preset}): {why}")
        errors = page.get("vnu")
        status = page["status"]
        vnu_cell = "" if errors is None else str(len(errors))
        if errors:
            shown = "; ".join(dict.fromkeys(errors))
            misses.append(f"{name} (vnu): {shown[:400]}")
        html = f"{page['html_bytes']:,} → {page['gzip_bytes']:,}"
        label = name if status == 200 else f"{name} (HTTP {status})"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {vnu_cell} | {html} |")
    vnu_total = sum(len(p.get("vnu") or []) for p in run["pages"].values())
    checked = sum(1 for p in run["pages"].values() if p.get("vnu") is not None)
    saved = [p["html_bytes"] - p["gzip_bytes"] for p in run["pages"].values()]
    lines += [
        "",
        f"vnu: {vnu_total} errors on {checked} pages. A proxy's gzip would save "
        f"{min(saved) / 1024:.1f} to {max(saved) / 1024:.1f} KB of HTML a page.",
        "",
        "Below 100 in performance, accessibility or best practices, and vnu errors "
        "(Lighthouse audit ids; SEO is not a target: personal links are noindex):",
        "",
    ]
    lines += [f"- {m}" for m in misses] or ["- none"]
    seo: dict[str, set[str]] = {}
    for name, page in run["pages"].items():
        for lh in page.get("lighthouse", {}).values():
            for audit in lh.get("lost", {}).get("seo", []):
                seo.setdefault(audit, set()).add(name)
    lines += ["", "SEO points lost (audit: pages):", ""]
    lines += [f"- {audit}: {', '.join(sorted(pages))}" for audit, pages in seo.items()] or [
        "- none"
    ]
    lines += ["", END]
    return "\n".join(lines)


def write(section: str) -> None:
    """Put the section in BENCHMARKS.md between its markers, before the findings."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    elif FINDINGS_MARK in text:
        before, after = text.split(FINDINGS_MARK, 1)
        text = before + section + "\n\n" + FINDINGS_MARK + after
    else:
        text = text + "\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.checkers")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument(
        "--runs", type=int, default=1, help="Lighthouse runs a page and preset (the median)"
    )
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    OUT.mkdir(parents=True, exist_ok=True)
    tools = ensure_tools()
    env = bench_env("sqlite", "checkers")
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.checkers", "--prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if prepared.returncode:
        raise SystemExit(f"could not prepare the demo data:\n{prepared.stderr[-3000:]}")
    data = json.loads(prepared.stdout.strip().splitlines()[-1])
    paths = data["paths"]
    wanted = args.pages.split(",") if args.pages else list(paths)
    presets = [p for p in args.presets.split(",") if p]
    language = "peerassist_language=th"
    staff = f"sessionid={data['sessionid']}; {language}"

    run = {
        "date": datetime.date.today().isoformat(),
        "tools": tools,
        "runs": args.runs,
        "command": " ".join(["python -m bench.checkers", *sys.argv[1:]]),
        "load": os.getloadavg()[0],
        "pages": {},
    }
    files = {}
    with Gunicorn(env) as server:
        for name in wanted:
            path = paths[name]
            cookie = language if name in ANONYMOUS else staff
            status, html = fetch(server.port, path, cookie)
            files[name] = OUT / f"{slug(name)}.html"
            files[name].write_bytes(html)
            page = run["pages"][name] = {
                "path": path,
                "status": status,
                "html_bytes": len(html),
                "gzip_bytes": len(gzip.compress(html, 6)),
            }
            if name in MAIN_PAGES and not args.no_lighthouse:
                page["lighthouse"] = {}
                for preset in presets:
                    page["lighthouse"][preset] = result = lighthouse(
                        server.port, name, path, cookie, preset, args.runs
                    )
                    print(f"{name} {preset}: {result.get('scores', result)}", file=sys.stderr)
    for name, errors in vnu(files).items():
        if name in run["pages"]:
            run["pages"][name]["vnu"] = errors
    (OUT / "checkers.json").write_text(json.dumps(run, ensure_ascii=False, indent=1))
    section = table(run)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
