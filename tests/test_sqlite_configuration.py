"""One SQLite configuration however it is named: SQLITE_PATH or DATABASE_URL=sqlite:///."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import subprocess_env

ROOT = Path(__file__).resolve().parent.parent

READ_BACK = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    busy = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
print(journal, busy, synchronous, connection.transaction_mode)
"""


def pragmas(**env) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK],
        cwd=ROOT,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.parametrize("named_by", ["SQLITE_PATH", "DATABASE_URL"])
def test_wal_immediate_and_busy_timeout_however_sqlite_is_named(tmp_path, named_by):
    path = tmp_path / "db.sqlite3"
    env = (
        {"SQLITE_PATH": str(path)}
        if named_by == "SQLITE_PATH"
        else {"DATABASE_URL": f"sqlite:///{path}"}
    )
    journal, busy, synchronous, mode = pragmas(**env)
    assert journal == "wal"
    assert int(busy) == 20_000  # milliseconds: SQLITE_BUSY_TIMEOUT's 20 s
    assert synchronous == "1"  # NORMAL
    assert mode == "IMMEDIATE"


def test_the_busy_timeout_is_a_setting(tmp_path):
    busy = pragmas(SQLITE_PATH=str(tmp_path / "db.sqlite3"), SQLITE_BUSY_TIMEOUT="5")[1]
    assert int(busy) == 5_000


def test_make_serve_runs_threaded_workers_that_outlast_the_busy_timeout(settings):
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2  # a write waiting for the lock leaves reads a thread
    assert config["timeout"] > settings.SQLITE_BUSY_TIMEOUT
