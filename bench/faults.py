"""`make faults`: participants submit AARs through gunicorn on 127.0.0.1 while faults are
injected, and nothing confirmed may be lost or saved twice.

Scenarios (each on its own fresh database, production settings, threaded workers):
- ``none``: no fault; every request must succeed.
- ``kill-worker``: a gunicorn worker is killed (SIGKILL) every few seconds.
- ``pg-terminate``: every PostgreSQL connection of the app is terminated every few seconds.
- ``sqlite-lock``: another process holds SQLite's write lock for 10 s; pages must keep
  answering meanwhile.
- ``two-servers``: two gunicorn servers on one PostgreSQL share the load; rate limits are
  shared, a sign-in on one is valid on the other, and the reminder command run by both
  at once sends each email once.

A simulated participant opens their personal link, then posts the four parts. Like a
browser asked to resend, it repeats the same post (same one-time form key) after a
dropped connection or a 5xx, up to 8 times. *Confirmed* means the server answered with
the redirect to the thank-you page. Afterwards, *lost* counts confirmed AARs that are not
submitted in the database, *duplicates* AARs with more than one version (each person
posts one form), and *errors* the people whose post never got through.

    python -m bench.faults                        # every scenario on every database here
    python -m bench.faults --db sqlite --scenario sqlite-lock --seconds 10
"""

import argparse
import datetime
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import AAR_TEXT, DEFAULT_PG, ROOT, Gunicorn, ensure_postgres_database, percentile

FAULTS_VAR = ROOT / "var" / "faults"
FAULTS_PG = DEFAULT_PG.rsplit("/", 1)[0] + "/peerassist_faults"
SCENARIOS = {
    "sqlite": ["none", "kill-worker", "sqlite-lock"],
    "sqlite-url": ["none", "kill-worker", "sqlite-lock"],
    "postgres": ["none", "kill-worker", "pg-terminate", "two-servers"],
}
WALKIN_LIMIT = 10  # per minute, in the two-servers scenario
RETRIES = 8
LOCK_SECONDS = 10
PASSWORD = "faults-only-not-a-secret-42"


# --- The parent: one child process a scenario, then the table ---------------------------


def faults_env(db: str, scenario: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DEBUG="0",
        SECRET_KEY="faults-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        RATELIMIT_TOKEN_PER_MINUTE="1000000000",
        RATELIMIT_WALKIN_PER_MINUTE=str(WALKIN_LIMIT if scenario == "two-servers" else 10**9),
        LOG_LEVEL="WARNING",
        CACHE_DIR=str(FAULTS_VAR / f"cache-{db}-{scenario}"),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="peerassist.settings",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    path = FAULTS_VAR / f"{db}-{scenario}.sqlite3"
    if db == "sqlite":
        env["SQLITE_PATH"] = str(path)
    elif db == "sqlite-url":
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        env["DATABASE_URL"] = os.environ.get("FAULTS_DATABASE_URL", FAULTS_PG)
    return env


def postgres_reachable() -> bool:
    try:
        ensure_postgres_database(os.environ.get("FAULTS_DATABASE_URL", FAULTS_PG))
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False
    return True


def table(results: list[dict]) -> str:
    lines = [
        "| database | fault | requests | confirmed | lost | duplicates | errors | retried | "
        "reads during the fault (answered, p50, max) | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        reads = r.get("reads_during_fault")
        reads_text = (
            f"{reads['answered']} of {reads['sent']}, {reads['p50_ms']:.0f} ms, "
            f"{reads['max_ms']:.0f} ms"
            if reads and reads["sent"]
            else ""
        )
        checks = "; ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in r.get("checks", {}).items())
        verdict = ("ok" if r["ok"] else "**FAILED**") + (f" ({checks})" if checks else "")
        lines.append(
            f"| {r['database']} | {r['scenario']} | {r['requests']:,} | {r['confirmed']:,} | "
            f"{r['lost']} | {r['duplicates']} | {r['errors']} | {r['retried']} | "
            f"{reads_text} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--scenario", default="all")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="put the table in BENCHMARKS.md")
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return run_one(args)

    FAULTS_VAR.mkdir(parents=True, exist_ok=True)
    databases = list(SCENARIOS) if args.db == "all" else [args.db]
    if "postgres" in databases and not postgres_reachable():
        print("PostgreSQL is not reachable: its scenarios are skipped.", file=sys.stderr)
        databases.remove("postgres")
    # Production serves static files from whitenoise's manifest: build it once.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=faults_env(databases[0], "none"), check=True, timeout=600,
    )  # fmt: skip
    results = []
    for db in databases:
        for scenario in SCENARIOS[db]:
            if args.scenario not in ("all", scenario):
                continue
            out = FAULTS_VAR / f"{db}-{scenario}.json"
            out.unlink(missing_ok=True)
            print(f"== {db}: {scenario} ({args.seconds:.0f} s)", file=sys.stderr, flush=True)
            child = subprocess.run(
                [sys.executable, "-m", "bench.faults", "--run", "--db", db, "--scenario",
                 scenario, "--seconds", str(args.seconds), "--clients", str(args.clients),
                 "--json", str(out)],
                cwd=ROOT, env=faults_env(db, scenario), timeout=args.seconds * 4 + 300,
            )  # fmt: skip
            if child.returncode != 0 or not out.exists():
                results.append(
                    {"database": db, "scenario": scenario, "requests": 0, "confirmed": 0,
                     "lost": 0, "duplicates": 0, "errors": 1, "retried": 0, "ok": False,
                     "checks": {"harness ran": False}}
                )  # fmt: skip
                continue
            results.append(json.loads(out.read_text()))
    text = table(results)
    print(text)
    if args.write:
        write_benchmarks(text, args)
    return 0 if results and all(r["ok"] for r in results) else 1


def write_benchmarks(text: str, args) -> None:
    start, end = "<!-- faults: make faults -->", "<!-- /faults -->"
    path = ROOT / "BENCHMARKS.md"
    body = path.read_text(encoding="utf-8")
    section = (
        f"{start}\n## Faults under load (`make faults`)\n\n"
        f"{args.clients} participants submitting for {args.seconds:.0f} s a scenario, "
        "through gunicorn (2 workers × 8 threads; two servers in `two-servers`) on "
        "127.0.0.1, production settings, each scenario on a fresh database. A client "
        "resends the same form (same one-time key) after a dropped connection or a 5xx, "
        f"up to {RETRIES} times. Reads during the fault: the dashboard and personal-link "
        "pages requested while the fault was on.\n\n"
        f"{text}\n{end}"
    )
    if start in body:
        body = body[: body.index(start)] + section + body[body.index(end) + len(end) :]
    else:
        body = body.rstrip() + "\n\n" + section + "\n"
    path.write_text(body, encoding="utf-8")


# --- The child: one scenario on one database --------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.confirmed: set[str] = set()
        self.failed: list[str] = []
        self.retried = 0
        self.reads: list[tuple[float, float, int]] = []  # (started, ms, status)


def http_request(port, method, path, *, body=None, cookie="", timeout=60):
    """(status, headers, body); raises OSError / HTTPException on a dropped connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Connection": "close"}
    if cookie:
        headers["Cookie"] = cookie
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def hidden_fields(html: bytes) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html.decode()))


def participant(ports, token: str, stats: Stats) -> None:
    port = ports[hash(token) % len(ports)]
    path = f"/aar/{token}/"
    form = None
    for _attempt in range(RETRIES):
        try:
            with stats.lock:
                stats.requests += 1
            status, _headers, html = http_request(port, "GET", path)
            if status == 200:
                form = {**AAR_TEXT, **hidden_fields(html)}
                break
        except (OSError, http.client.HTTPException):
            pass
        with stats.lock:
            stats.retried += 1
        time.sleep(0.5)
    if form is None:
        with stats.lock:
            stats.failed.append(f"{token[:6]}: page never opened")
        return
    for _attempt in range(RETRIES):
        try:
            with stats.lock:
                stats.requests += 1
            status, headers, _body = http_request(port, "POST", path, body=form)
        except (OSError, http.client.HTTPException):
            status, headers = None, {}
        if status == 302 and headers.get("Location", "").endswith("/thanks/"):
            with stats.lock:
                stats.confirmed.add(token)
            return
        if status not in (None, 500, 502, 503, 504):
            with stats.lock:
                stats.failed.append(f"{token[:6]}: answered {status}")
            return
        with stats.lock:
            stats.retried += 1
        time.sleep(0.5)
    with stats.lock:
        stats.failed.append(f"{token[:6]}: never got through")


def reader(ports, cookie: str, tokens: list[str], stats: Stats, stop: float, rng) -> None:
    while time.monotonic() < stop:
        port = rng.choice(ports)
        path = rng.choice(["/followup/", f"/aar/{rng.choice(tokens)}/"])
        started = time.monotonic()
        try:
            status, _h, _b = http_request(port, "GET", path, cookie=cookie, timeout=30)
        except (OSError, http.client.HTTPException):
            status = 0
        with stats.lock:
            stats.requests += 1
            stats.reads.append((started, (time.monotonic() - started) * 1000, status))
        time.sleep(rng.uniform(0.1, 0.3))


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def run_one(args) -> int:
    import django

    if os.environ.get("SQLITE_PATH") or os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        path = Path(
            os.environ.get("SQLITE_PATH") or os.environ["DATABASE_URL"][len("sqlite:///") :]
        )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        recreate_postgres(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    from bench.common import VAR

    VAR.mkdir(parents=True, exist_ok=True)  # gunicorn's logs
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    data = setup_data(int(args.clients * args.seconds * 2) + 20)
    connection.close()  # the load speaks HTTP only; faults may end this connection

    stats = Stats()
    servers = [Gunicorn(os.environ.copy(), workers=2, threads=8)]
    if args.scenario == "two-servers":
        servers.append(Gunicorn(os.environ.copy(), workers=2, threads=8))
    ports = [server.port for server in servers]
    fault_window: list[float] = []
    checks: dict[str, bool] = {}
    try:
        stop = time.monotonic() + args.seconds
        fault = threading.Thread(
            target=inject, args=(args.scenario, servers, stop, fault_window), daemon=True
        )
        tokens = list(data["tokens"])
        feed = iter(tokens)
        feed_lock = threading.Lock()

        def submitter(rng):
            while time.monotonic() < stop:
                with feed_lock:
                    token = next(feed, None)
                if token is None:
                    return
                participant(ports, token, stats)
                time.sleep(rng.uniform(0.2, 0.8))

        threads = [
            threading.Thread(target=submitter, args=(random.Random(i),))
            for i in range(args.clients)
        ] + [
            threading.Thread(
                target=reader, args=(ports, data["cookie"], tokens, stats, stop, random.Random(-i))
            )
            for i in range(1, 5)
        ]
        fault.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fault.join(timeout=LOCK_SECONDS + 5)
        if args.scenario == "two-servers":
            checks = two_server_checks(ports, data)
    finally:
        for server in servers:
            server.stop()

    from aar.models import AAR

    confirmed = stats.confirmed
    submitted = set(
        AAR.objects.filter(
            participant__token__in=confirmed, status=AAR.Status.SUBMITTED
        ).values_list("participant__token", flat=True)
    )
    from django.db.models import Count

    duplicates = (
        AAR.objects.filter(participant__session_id=data["session"])
        .annotate(n=Count("versions"))
        .filter(n__gt=1)
        .count()
    )
    reads_in_fault = [
        (ms, status)
        for started, ms, status in stats.reads
        if fault_window and fault_window[0] <= started <= fault_window[-1]
    ]
    answered = [ms for ms, status in reads_in_fault if status == 200]
    result = {
        "database": args.db,
        "scenario": args.scenario,
        "seconds": args.seconds,
        "clients": args.clients,
        "requests": stats.requests,
        "confirmed": len(confirmed),
        "lost": len(confirmed - submitted),
        "duplicates": duplicates,
        "errors": len(stats.failed),
        "error_samples": stats.failed[:5],
        "retried": stats.retried,
        "reads_during_fault": {
            "sent": len(reads_in_fault),
            "answered": len(answered),
            "p50_ms": percentile(answered, 50) if answered else 0,
            "max_ms": max(answered) if answered else 0,
        }
        if fault_window
        else None,
        "checks": checks,
    }
    result["ok"] = (
        result["lost"] == 0
        and result["duplicates"] == 0
        and result["confirmed"] > 0
        and all(checks.values())
        and (result["errors"] == 0 or args.scenario != "none")
        and (
            args.scenario != "sqlite-lock"
            or (result["reads_during_fault"]["answered"] > 0 and result["errors"] == 0)
        )
    )
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def recreate_postgres(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        # A plain DROP first: WITH (FORCE) must signal every backend itself and is refused,
        # for a role that is not a superuser, by an autovacuum worker that has just begun.
        for attempt in range(20):
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:  # a server of an earlier run still holds it
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    break
                time.sleep(0.5)
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_data(people: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from sessions_app import tally
    from sessions_app.models import AssistSession, Membership, Organisation, Participant

    org = Organisation.objects.create(name="ทดสอบความทนทาน", name_en="Faults", short_name="ทท.")
    user = get_user_model().objects.create_user("faults", password=PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.COORDINATOR)
    today = timezone.localdate()

    def session(title, n, deadline):
        s = AssistSession.objects.create(
            organiser=org, host=org, title=title, purpose="ทดสอบ", date=today,
            aar_deadline=deadline, status=AssistSession.Status.HELD, created_by=user,
        )  # fmt: skip
        tally.session_added(s)
        Participant.objects.bulk_create(
            Participant(session=s, full_name=f"{title} {i}", email=f"{title}-{i}@example.org")
            for i in range(n)
        )
        tally.recount_session(s.pk)
        return s

    load = session("load", people, today + datetime.timedelta(days=30))
    reminders = session("remind", 10, today)  # due for a reminder today
    client = Client()
    client.force_login(user)
    return {
        "session": load.pk,
        "reminder_session": reminders.pk,
        "tokens": list(load.participants.values_list("token", flat=True)),
        "cookie": f"sessionid={client.cookies['sessionid'].value}",
    }


def inject(scenario: str, servers, stop: float, window: list[float]) -> None:
    """The fault, until the load stops; notes when it was on."""
    if scenario in ("none", "two-servers"):
        return
    time.sleep(2)
    if scenario == "sqlite-lock":
        from django.conf import settings

        lock = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        window.append(time.monotonic())
        time.sleep(LOCK_SECONDS)
        window.append(time.monotonic())
        lock.execute("ROLLBACK")
        lock.close()
        return
    window.append(time.monotonic())
    rng = random.Random(7)
    while time.monotonic() < stop - 1:
        if scenario == "kill-worker":
            pids = worker_pids(servers[0].process.pid)
            if pids:
                os.kill(rng.choice(pids), signal.SIGKILL)
        elif scenario == "pg-terminate":
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        window.append(time.monotonic())
        time.sleep(3)


def two_server_checks(ports: list[int], data: dict) -> dict[str, bool]:
    a, b = ports
    # Rate limits: the walk-in limit counts requests to either server together.
    for _ in range(2):
        minute = int(time.time() // 60)
        statuses = [
            http_request(port, "GET", "/join/no-such-code/")[0]
            for port in [a] * (WALKIN_LIMIT // 2 + 1) + [b] * (WALKIN_LIMIT // 2 + 1)
        ]
        if int(time.time() // 60) == minute:
            break
        time.sleep(61 - time.time() % 60)  # a new minute began mid-way: once more
    shared_limit = statuses.count(429) == len(statuses) - WALKIN_LIMIT
    # A sign-in on one server is valid on the other.
    status, headers, html = http_request(a, "GET", "/accounts/login/")
    cookies = " ".join(headers.get_all("Set-Cookie") or [])
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookies).group(1)
    form = {
        "username": "faults",
        "password": PASSWORD,
        "csrfmiddlewaretoken": hidden_fields(html)["csrfmiddlewaretoken"],
    }
    status, headers, _ = http_request(
        a, "POST", "/accounts/login/", body=form, cookie=f"csrftoken={csrf_cookie}"
    )
    session = re.search(r"sessionid=([^;]+)", " ".join(headers.get_all("Set-Cookie") or []))
    signed_in = status == 302 and session is not None
    if signed_in:
        status, _h, _b = http_request(b, "GET", "/followup/", cookie=f"sessionid={session[1]}")
        signed_in = status == 200
    # The reminder cron on both servers at once, then two email workers: each email once.
    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_aar_reminders"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    for run in runs:
        run.communicate(timeout=120)
    # They queue the emails; two email workers at once send them, each once.
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    recipients = re.findall(r"^To: (remind-\d+@example\.org)$", "".join(outputs), re.M)
    from aar.models import ReminderLog

    logged = list(
        ReminderLog.objects.filter(participant__session_id=data["reminder_session"]).values_list(
            "participant_id", flat=True
        )
    )
    emails_once = (
        len(recipients) == len(set(recipients)) == 10 and len(logged) == len(set(logged)) == 10
    )
    return {
        "rate limit shared": shared_limit,
        "sign-in valid on both": signed_in,
        "each email sent once": emails_once,
    }


if __name__ == "__main__":
    sys.exit(main())
