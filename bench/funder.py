"""The funder's view at the issue's scale (issue 20): the trends pages over five years of
10,000 sessions, 200,000 participants and 50 organisations, through gunicorn, on SQLite
and PostgreSQL. Quicker than ``python -m bench``: its own data (bench/funder_data.py),
built once and reused while its parameters and month stay the same.

    python -m bench.funder                       # SQLite, and PostgreSQL when reachable
    python -m bench.funder --db sqlite --requests 10
    python -m bench.funder --write               # its section of BENCHMARKS.md
    python -m bench.funder --rebuild             # make the data again
    python -m bench.funder --scale 0.05 --requests 3   # a quick run (500 sessions)

Databases: var/bench/funder.sqlite3, and peerassist_bench_funder on PostgreSQL
(BENCH_FUNDER_DATABASE_URL to name another). A marker beside them
(var/bench/funder-<db>.marker.json) says with which parameters the data was built.

Measured: /healthz, the admin changelist the main benchmark uses as its reference, and
every trends page that exists (found by reversing their URL names; those not there are
listed), with a 60-month period, monthly and quarterly, with and without a role. Each
page's queries are counted in process (test client) at full size and at a smaller one
(the coordinator of one organisation, ten organisations chosen, the quietest
organisation's year, a person of one session): the two must be equal.

Targets (the issue): the trends and comparison pages' p50 at most 10× /healthz and at
most half the admin changelist's; misses are reported. A query count that differs
between the two sizes fails the run (exit status 1), after the report.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.common import (
    DEFAULT_PG,
    ROOT,
    VAR,
    bench_env,
    ensure_postgres_database,
    fresh_database,
    percentile,
)

NAME = "funder"
DATA_VERSION = 1  # raise when bench/funder_data.py makes different data
FUNDER_PG = DEFAULT_PG.rsplit("/", 1)[0] + "/peerassist_bench_funder"
WARMUP = 3
INPROCESS = 3
MAX_HEALTHZ, MAX_ADMIN = 10, 0.5
HEADING = "## The funder's view at 10,000 sessions (issue 20)"
MARKS = ("<!-- funder: python -m bench.funder -->", "<!-- /funder -->")
ADMIN = "admin participant changelist (reference)"
HEALTHZ = "/healthz (floor)"
ROLE = "peer"


# --- The worker: runs in a process whose environment names the database ---------------


def _pages(full) -> tuple[list[dict], list[str]]:
    """The pages to measure ({page, url, who, target, smaller: {who, url, what}}), and
    the trends URL names not there (yet): their pages are left out."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from bench import funder_data
    from sessions_app.models import Organisation, Participant

    this_month = timezone.localdate().replace(day=1)
    first = funder_data.add_months(this_month, -(full["months"] - 1))
    period = {"start": f"{first:%Y-%m}", "end": f"{this_month:%Y-%m}"}
    orgs = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    busiest, quietest = orgs[0], orgs[-1]
    year = this_month.year - 1  # the last whole year
    busy = Participant.objects.filter(email=funder_data.BUSY_EMAIL).order_by("pk").first()
    once = Participant.objects.filter(email=funder_data.ONCE_EMAIL).order_by("pk").first()
    missing = []

    def url(name, *args, **query):
        try:
            path = reverse(f"trends:{name}", args=args)
        except NoReverseMatch:
            if f"trends:{name}" not in missing:
                missing.append(f"trends:{name}")
            return None
        return path + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")

    ten = {"organisations": orgs[:10]}
    every = {"organisations": orgs}
    one_org = "the coordinator of one organisation"
    pages = [
        (HEALTHZ, "/healthz", None, None),
        (ADMIN, "/admin/sessions_app/participant/", None, None),
    ]
    trend_pages = [
        ("trends, 5 years by month", url("trends", **period)),
        ("trends, 5 years by quarter", url("trends", **period, step="quarter")),
        ("trends, 5 years by month, role peer", url("trends", **period, role=ROLE)),
        (
            "trends, 5 years by quarter, role peer",
            url("trends", **period, step="quarter", role=ROLE),
        ),
        ("organisations side by side, 5 years", url("compare", **period)),
        (
            "organisations side by side, 5 years, role peer, by completion",
            url("compare", **period, role=ROLE, sort="-completion"),
        ),
    ]
    for label, path in trend_pages:
        pages.append((label, path, "target", ("one_org", path, one_org)))
    # The common case: the coordinator of one organisation (the busiest), same pages.
    for label, path in trend_pages[0], trend_pages[2]:
        pages.append((f"{label}, {one_org}", path, "one_org", None))
    pages.append(
        (
            "trends, all 50 organisations chosen",
            url("trends", **period, **every),
            None,
            ("bench", url("trends", **period, **ten), "10 organisations chosen"),
        )
    )
    org_url = url("organisation", busiest, **period)
    pages.append(
        (
            "one organisation's trends (the busiest), 5 years",
            org_url,
            None,
            ("bench", url("organisation", quietest, **period), "the quietest organisation"),
        )
    )
    for fmt in ("csv", "xlsx"):
        path = url("trends_export", fmt, **period)
        pages.append(
            (
                f"trends export {fmt.upper()}, 5 years by month",
                path,
                None,
                ("one_org", path, one_org),
            )
        )
        path = url("compare_export", fmt, **period)
        pages.append(
            (f"organisations export {fmt.upper()}, 5 years", path, None, ("one_org", path, one_org))
        )
    path = url("review_index")
    pages.append(("years in review: the chooser", path, None, ("one_org", path, one_org)))
    pages.append(
        (
            f"a year in review ({year}, the busiest organisation)",
            url("review", busiest, year),
            None,
            ("bench", url("review", quietest, year), "the quietest organisation's year"),
        )
    )
    if busy and once:
        busy_sessions = Participant.objects.filter(email=busy.email).count()
        pages.append(
            (
                f"a person's history ({busy.email}, {busy_sessions} sessions)",
                url("person", busy.pk),
                None,
                ("bench", url("person", once.pk), "a person of one session"),
            )
        )
    rows = []
    for label, path, target, smaller in pages:
        if path is None or (smaller is not None and smaller[1] is None):
            continue
        rows.append(
            {
                "page": label,
                "url": path,
                "target": target == "target",
                "who": "one_org" if target == "one_org" else "bench",
                "smaller": None
                if smaller is None
                else {"who": smaller[0], "url": smaller[1], "what": smaller[2]},
            }
        )
    return rows, missing


def _count(client, url) -> tuple[int, float]:
    """Queries of the last of INPROCESS requests, and their in-process p50."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, n = [], 0
    for _ in range(INPROCESS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code} in process")
        n = len(ctx.captured_queries)
    return n, percentile(times[1:], 50)


def worker(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import funder_data
    from bench.common import Gunicorn, request
    from sessions_app.models import AssistSession

    full = json.loads(args.params)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    build_s, counts = None, None
    if args.build:
        started = time.perf_counter()
        counts = funder_data.generate(**{k: full[k] for k in funder_data.FULL})
        build_s = time.perf_counter() - started
        if connection.vendor == "sqlite":
            # As a live database is between writes: the bulk load's WAL written back.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elif AssistSession.objects.count() != full["sessions"]:
        raise SystemExit("the marker says the data is there, but it is not: use --rebuild")
    pages, missing = _pages(full)
    users = get_user_model().objects
    clients = {"bench": Client(), "one_org": Client()}
    clients["bench"].force_login(users.get(username=funder_data.BENCH_USER))
    clients["one_org"].force_login(users.get(username=funder_data.ONE_ORG_USER))
    cookies = {who: f"sessionid={c.cookies['sessionid'].value}" for who, c in clients.items()}
    for row in pages:
        row["queries"], row["inprocess_ms"] = _count(clients[row["who"]], row["url"])
        if row["smaller"]:
            small = row["smaller"]
            small["queries"], small["inprocess_ms"] = _count(clients[small["who"]], small["url"])
        print(f"counted {row['page']}: {row['queries']}", file=sys.stderr)
    n = args.requests + WARMUP
    with Gunicorn(os.environ.copy()) as server:
        for row in pages:
            times = []
            for i in range(n):
                status, content, ms = request(
                    server.port, "GET", row["url"], cookie=cookies[row["who"]]
                )
                if status != 200:
                    raise RuntimeError(f"GET {row['url']} answered {status}: {content[:300]!r}")
                if i >= WARMUP:
                    times.append(ms)
            row["p50"], row["p95"] = percentile(times, 50), percentile(times, 95)
            print(f"measured {row['page']}: {row['p50']:.1f} ms", file=sys.stderr)
    Path(args.json).write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "build_s": build_s,
                "counts": counts,
                "requests": args.requests,
                "rows": pages,
                "missing": missing,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


# --- The runner: a database at a time, then the report -----------------------------


def _params(today: datetime.date | None = None, scale: float = 1.0) -> dict:
    """What the data is built with; a change (or a new month) means building again.
    ``scale`` multiplies the sessions only (50 organisations, 60 months, 20 a session)."""
    today = today or datetime.date.today()
    full = {"organisations": 50, "sessions": 10_000, "people": 20, "months": 60}
    full["sessions"] = max(full["organisations"], round(full["sessions"] * scale))
    return {**full, "month": f"{today:%Y-%m}", "version": DATA_VERSION}


def _name(scale: float) -> str:
    """The data's name: a scaled run has its own, so the full size's data stays."""
    return NAME if scale == 1 else f"{NAME}-{scale:g}"


def environment(db: str, scale: float = 1.0) -> dict[str, str]:
    env = bench_env(db, _name(scale))
    if db == "postgres":
        url = os.environ.get("BENCH_FUNDER_DATABASE_URL", FUNDER_PG)
        if scale != 1:
            url += "_" + f"{scale:g}".replace(".", "_")
        env["DATABASE_URL"] = url
    return env


def run_one(db: str, requests: int, rebuild: bool, scale: float = 1.0) -> dict:
    env = environment(db, scale)
    if db == "postgres":
        ensure_postgres_database(env["DATABASE_URL"])
    marker = VAR / f"{_name(scale)}-{db}.marker.json"
    wanted = _params(scale=scale)
    old = json.loads(marker.read_text()) if marker.exists() else {}
    there = db == "postgres" or Path(env["SQLITE_PATH"]).exists()
    build = rebuild or old.get("params") != wanted or not there
    if build:
        marker.unlink(missing_ok=True)
        fresh_database(env)
    out = VAR / f"{_name(scale)}-{db}.json"
    log = VAR / f"{_name(scale)}-{db}.log"
    args = ["--worker", "--json", str(out), "--requests", str(requests)]
    args += ["--params", json.dumps(wanted)] + (["--build"] if build else [])
    print(f"{db}: {'building the data and ' if build else ''}measuring (log: {log})", flush=True)
    with open(log, "w") as stderr:
        done = subprocess.run(
            [sys.executable, "-m", "bench.funder", *args], cwd=ROOT, env=env, stderr=stderr
        )
    if done.returncode:
        sys.stderr.write(log.read_text()[-3000:])
        raise SystemExit(f"bench.funder failed on {db}; see {log}")
    result = json.loads(out.read_text())
    if build:
        marker.write_text(
            json.dumps(
                {"params": wanted, "build_s": result["build_s"], "counts": result["counts"]},
                indent=1,
            )
        )
        result["reused"] = False
    else:
        result["build_s"], result["counts"] = old["build_s"], old["counts"]
        result["reused"] = True
    return result


def table(result: dict) -> tuple[str, list[str], list[str]]:
    rows = {row["page"]: row for row in result["rows"]}
    floor, admin = rows[HEALTHZ]["p50"], rows[ADMIN]["p50"]
    db = result["database"]
    lines = [
        "| Page | p50 ms | p95 ms | × /healthz p50 | × admin p50 | queries | queries at a "
        "smaller size (which) | same | in-process p50 ms | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|---|---|",
    ]
    misses, changing = [], []
    for name, row in rows.items():
        ratio, vs_admin = row["p50"] / floor, row["p50"] / admin
        target = met = ""
        if row["target"]:
            target = f"≤ {MAX_HEALTHZ}× healthz, ≤ {MAX_ADMIN}× admin"
            ok = ratio <= MAX_HEALTHZ and vs_admin <= MAX_ADMIN
            met = "yes" if ok else "**MISSED**"
            if not ok:
                misses.append(f"{name} ({db}): {ratio:.1f}× healthz, {vs_admin:.2f}× admin")
        small, same = "", ""
        if row["smaller"]:
            s = row["smaller"]
            small = f"{s['queries']} ({s['what']})"
            same = "yes" if s["queries"] == row["queries"] else "**NO**"
            if s["queries"] != row["queries"]:
                changing.append(f"{name} ({db}): {row['queries']} vs {s['queries']}")
        lines.append(
            f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {ratio:.1f} | {vs_admin:.2f} "
            f"| {row['queries']} | {small} | {same} | {row['inprocess_ms']:.1f} | {target} "
            f"| {met} |"
        )
    return "\n".join(lines), misses, changing


def data_line(result: dict) -> str:
    c = result["counts"]
    built = f"built in {result['build_s']:.0f} s" + (
        " (an earlier run; reused)" if result.get("reused") else ""
    )
    return (
        f"{c['organisations']} organisations (all organising), {c['sessions']:,} sessions over "
        f"{c['months']} months, {c['participants']:,} participants, {c['aars']:,} AARs "
        f"({c['submitted']:,} submitted, {c['late']:,} of them late), "
        f"{c['commitments']:,} commitments ({c['checkback_answers']:,} answered at a "
        f"check-back), {c['method_reviews']:,} reviews of the method, {c['lessons']:,} "
        f"lessons ({c['lesson_status_changes']:,} status changes); {built}"
    )


def report(results: list[dict], command: str) -> str:
    from bench.__main__ import machine

    sessions = results[0]["counts"]["sessions"] if results else 10_000
    heading = HEADING
    if sessions != 10_000:
        heading = f"## The funder's view at {sessions:,} sessions (issue 20; a scaled run)"
    out = [
        MARKS[0],
        heading,
        "",
        f"- Date: {datetime.date.today().isoformat()}; machine: {machine()}",
        f"- Command: `{command}` (its own data, built once by bench/funder_data.py and reused "
        "while the parameters and the month stay the same)",
        "- Server: gunicorn (gthread, 2 workers × 4 threads) on 127.0.0.1, DEBUG off; one "
        "client, requests one after another, as the coordinator of all 50 organisations "
        "(a superuser, so the admin changelist is the main benchmark's reference).",
        "- Period: the 60 months to this month. Queries counted in process (test client) at "
        "full size and at a smaller one; target on the trends and comparison pages: p50 "
        f"≤ {MAX_HEALTHZ}× /healthz and ≤ {MAX_ADMIN}× the admin changelist's.",
        "",
    ]
    misses, changing, missing = [], [], set()
    for result in results:
        text, missed, changed = table(result)
        misses += missed
        changing += changed
        missing |= set(result["missing"])
        out += [
            f"### {result['database']}: {data_line(result)}; {result['requests']} requests a "
            f"page after {WARMUP} warm-up",
            "",
            text,
            "",
        ]
    out += [
        "- Trends pages not there when measured (skipped): "
        + (", ".join(sorted(missing)) if missing else "none"),
        "- The same number of queries at both sizes: "
        + ("yes, every page" if not changing else "**NO**: " + "; ".join(changing)),
        "- Targets missed: " + ("; ".join(misses) if misses else "none"),
        MARKS[1],
    ]
    return "\n".join(out)


def write(path: Path, section: str) -> None:
    """Put the section in place of the last one, or at the end."""
    old = path.read_text() if path.exists() else ""
    start, end = MARKS
    if start in old and end in old:
        before, rest = old.split(start, 1)
        after = rest.split(end, 1)[1]
        path.write_text(before + section + after)
    else:
        path.write_text(old.rstrip("\n") + "\n\n" + section + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.funder")
    parser.add_argument("--db", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--requests", type=int, default=20, help="timed requests a page")
    parser.add_argument("--rebuild", action="store_true", help="make the data again")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 10,000 sessions (a quick run: 0.05)"
    )
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--out", default="BENCHMARKS.md", help="the file --write updates")
    # The worker's (run by the runner, in the database's environment).
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.write and args.scale != 1 and args.out == "BENCHMARKS.md":
        parser.error("a scaled run does not replace the 10,000 sessions' figures: give --out")
    VAR.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite"] if args.db == "sqlite" else ["postgres"] if args.db == "postgres" else []
    if args.db == "auto":
        databases = ["sqlite"]
        try:
            ensure_postgres_database(environment("postgres", args.scale)["DATABASE_URL"])
            databases.append("postgres")
        except Exception as exc:  # noqa: BLE001 - any failure means "not here"
            print(f"PostgreSQL not reachable, skipped: {type(exc).__name__}")
    results = [run_one(db, args.requests, args.rebuild, args.scale) for db in databases]
    shown, skip = [], False
    for arg in sys.argv[1:]:  # without --out FILE: a scratch copy's name says nothing
        if skip or arg.startswith("--out"):
            skip = arg == "--out" and not skip
            continue
        shown.append(arg)
    command = " ".join(["python -m bench.funder", *shown])
    section = report(results, command)
    print(section)
    if args.write:
        write(ROOT / args.out, section)
    changing = [change for result in results for change in table(result)[2]]
    if changing:  # the constant query count is asserted; the timings are reported
        raise SystemExit(f"query counts differ with the size: {changing}")


if __name__ == "__main__":
    main()
