"""manage.py backup: a consistent copy while writers go on, that restores every AAR
confirmed before the backup began; and a clear one-line refusal on a bad path."""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from tests.helpers import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = connection.vendor == "postgresql"

# Each writer adds people and submits their AARs through the one writer of AARs, and
# prints "<aar pk> <time>" once each transaction has committed (a confirmed submission).
WRITER = """
import os, sys, time
import django
django.setup()
from aar.services import aar_save
from sessions_app.models import AssistSession, Organisation, Participant
from sessions_app.roster_services import participant_add
session = AssistSession.objects.get(title="backup-load")
n = 0
while not os.path.exists(sys.argv[1]):
    n += 1
    person = participant_add(participant=Participant(session=session, full_name=f"{sys.argv[2]}-{n}"))
    aar = aar_save(participant=person, submit=True, data={
        "goal": "g", "achieved": "a", "not_achieved": "n", "next_steps": "s"})
    print(aar.pk, time.time(), flush=True)
"""

SETUP = """
import datetime
import django
django.setup()
from sessions_app import tally
from sessions_app.models import AssistSession, Organisation
org = Organisation.objects.create(name="org", name_en="org", short_name="o")
tally.session_added(AssistSession.objects.create(title="backup-load", organiser=org, host=org,
    date=datetime.date(2026, 1, 1), aar_deadline=datetime.date(2026, 1, 8)))
"""


def env_for(database: dict) -> dict:
    return subprocess_env(**database)


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, **kwargs,
    )  # fmt: skip


@pytest.fixture
def scratch_database(tmp_path):
    """A migrated database of the suite's kind, outside the test database; yields
    (environment for manage.py, a function reading the AAR ids of a restored copy)."""
    if not POSTGRES:
        yield env_for({"SQLITE_PATH": str(tmp_path / "live.sqlite3")}), None
        return
    settings = connection.settings_dict
    name = f"peerassist_backup_{uuid.uuid4().hex[:8]}"
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{name}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield env_for({"DATABASE_URL": url}), name
    finally:
        drop_database(name)
        drop_database(f"{name}_restored")


def drop_database(name: str) -> None:
    """Drop a scratch database once our own processes have let go of it. Not WITH (FORCE):
    that must signal every backend itself, and an autovacuum worker that has just begun on
    the database refuses a role that is not a superuser ("must be a member of the role whose
    process is being terminated"). A plain DROP ends autovacuum by itself; a connection
    still closing gets a few more tries."""
    for attempt in range(30):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except OperationalError:  # "is being accessed by other users"
            if attempt == 29:
                raise
            time.sleep(1)


def restored_aar_ids(backup: Path, env: dict, pg_name: str | None) -> set[int]:
    if pg_name is None:
        restored = backup.with_name("restored.sqlite3")
        shutil.copy(backup, restored)  # the documented restore: put the file in place
        with sqlite3.connect(restored) as db:
            return {row[0] for row in db.execute("SELECT id FROM aar_aar")}
    settings = connection.settings_dict
    target = f"{pg_name}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    pg_env = {**os.environ, "PGPASSWORD": settings["PASSWORD"]}
    common = ["--host", settings["HOST"] or "127.0.0.1", "--username", settings["USER"]]
    subprocess.run(
        ["pg_restore", "--no-owner", *common, "--dbname", target, str(backup)],
        env=pg_env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    result = subprocess.run(
        ["psql", *common, "--dbname", target, "-Atc", "SELECT id FROM aar_aar"],
        env=pg_env, check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return {int(line) for line in result.stdout.split()}


@pytest.mark.django_db(transaction=True)
def test_backup_under_load_restores_every_aar_confirmed_before_it_began(scratch_database, tmp_path):
    env, pg_name = scratch_database
    assert run(["manage.py", "migrate", "--noinput"], env).returncode == 0
    assert run(["-c", SETUP], env).returncode == 0
    stop = tmp_path / "stop"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(stop), f"w{i}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(2)
    ]
    lines: list[str] = []
    readers = [threading.Thread(target=lambda w=w: lines.extend(w.stdout)) for w in writers]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + 120
        while len(lines) < 10:  # both writers are going
            assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
            time.sleep(0.1)
        began = time.time()
        backup = tmp_path / ("backup.dump" if pg_name else "backup.sqlite3")
        result = run(["manage.py", "backup", "--output", str(backup)], env)
        time.sleep(0.5)
    finally:
        stop.touch()
        for writer in writers:
            writer.wait(timeout=60)
        for reader in readers:
            reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Backup written" in result.stdout
    assert all(writer.returncode == 0 for writer in writers), [
        w.stderr.read()[-1500:] for w in writers
    ]
    confirmed = {int(pk): float(at) for pk, at in (line.split() for line in lines)}

    before = {pk for pk, at in confirmed.items() if at < began}
    assert len(before) >= 5, "the load wrote too little before the backup to prove anything"
    assert len(confirmed) > len(before), "the writers should go on during the backup"
    restored = restored_aar_ids(backup, env, pg_name)
    assert before - restored == set()


def test_backup_to_a_path_that_cannot_be_written_says_so_in_one_line(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    env = env_for({"SQLITE_PATH": str(tmp_path / "db.sqlite3")})
    result = run(["manage.py", "backup", "--output", str(blocked / "backup.sqlite3")], env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot write the backup" in lines[0] and "Traceback" not in result.stderr
