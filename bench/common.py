"""What the benchmark scripts share: their own database, a gunicorn on loopback, HTTP.

Every page is measured through HTTP against gunicorn on 127.0.0.1, the way users reach
it, so each ratio to /healthz includes the same server overhead.
"""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_PG = "postgres://peerassist:peerassist@127.0.0.1:5432/peerassist_bench"
AAR_TEXT = {
    "goal": "อยากรู้วิธีชวนชุมชนดูแลสุขภาพกันเอง",
    "achieved": "ได้ฟังเรื่องจริงจากพี่ ๆ เครือข่าย",
    "not_achieved": "เวลาน้อย ยังไม่ได้ลงรายละเอียดงบประมาณ",
    "next_steps": "ชวนทีมไปดูงานที่อำเภอข้างเคียงเดือนหน้า",
    "sharing": "participants",
    "action": "submit",
}


def bench_env(db: str, name: str) -> dict[str, str]:
    """Environment for the app under benchmark: production mode, its own database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DEBUG="0",
        SECRET_KEY="benchmark-only-not-a-secret-" + "x" * 30,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        # The benchmark is one client IP making thousands of requests.
        RATELIMIT_TOKEN_PER_MINUTE="1000000000",
        RATELIMIT_WALKIN_PER_MINUTE="1000000000",
        LOG_LEVEL="WARNING",
        DJANGO_ALLOW_ASYNC_UNSAFE="1",  # Playwright's sync API beside the ORM
        PYTHONPATH=str(ROOT),
    )
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        env["SQLITE_PATH"] = str(VAR / f"{name}.sqlite3")
    else:
        env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    return env


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it is not there yet."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(env: dict[str, str]) -> None:
    """An empty database for a run that makes its data again (python -m bench.measure):
    the SQLite file removed, the PostgreSQL database dropped and made again. Migrate then
    builds the schema as it is now (a migration edited in place during an issue is
    applied), and no statistics or dead rows of the last run's data remain."""
    if "SQLITE_PATH" in env:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
        return
    import psycopg

    parts = urllib.parse.urlsplit(env["DATABASE_URL"])
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with threads, as `make serve` runs it, on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.log = open(VAR / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "peerassist.wsgi:application",
                "--config",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _ms = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookie: str = "",
    body: dict | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, float]:
    """One request; returns (status, body, milliseconds including reading the body)."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept-Encoding": "gzip, br"}
    if cookie:
        headers["Cookie"] = cookie
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if connection is None:
        conn.close()
    return response.status, content, elapsed


def percentile(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
