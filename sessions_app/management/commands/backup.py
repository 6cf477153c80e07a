"""A consistent copy of the database, taken while the app runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot page by page while writers go on. PostgreSQL: ``pg_dump --format=custom``
reads one snapshot in a single transaction. The copy is written beside its final name
and renamed into place, so a half-written file never looks like a backup.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

DEFAULT_DIRECTORY = Path(settings.BASE_DIR) / "var" / "backups"


class Command(BaseCommand):
    help = "Write a consistent backup of the database (safe while the app is serving)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="file to write (default: var/backups/peerassist-<date-time>.sqlite3 or .dump)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        connection = connections[database]
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"backups support SQLite and PostgreSQL, not {vendor}")
        suffix = "sqlite3" if vendor == "sqlite" else "dump"
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(output) if output else DEFAULT_DIRECTORY / f"peerassist-{stamp}.{suffix}"
        partial = target.with_name(target.name + ".partial")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial.touch()
        except OSError as error:
            raise CommandError(f"cannot write the backup to {target}: {error.strerror}") from None
        try:
            if vendor == "sqlite":
                _sqlite_backup(connection.settings_dict["NAME"], partial)
            else:
                _pg_dump(connection.settings_dict, partial)
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"the backup to {target} failed: {error}") from None
        except CommandError:
            partial.unlink(missing_ok=True)
            raise
        size = target.stat().st_size
        self.stdout.write(f"Backup written: {target} ({size:,} bytes)")


def _sqlite_backup(name, target: Path) -> None:
    if not Path(name).is_file():
        raise CommandError(f"there is no database at {name} to back up")
    # mode=rw: never create an empty database where the real one was expected.
    source = sqlite3.connect(f"file:{Path(name).resolve()}?mode=rw", uri=True, timeout=20)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def _pg_dump(database: dict, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError("pg_dump is missing: apt-get install postgresql-client")
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    command = [pg_dump, "--format=custom", "--no-owner", "--file", str(target)]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [flag, str(database[key])]
    command.append(str(database["NAME"]))
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1:]}")
