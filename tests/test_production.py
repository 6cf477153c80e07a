"""Production mode: refuses to start without what it needs; check --deploy is clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import manage

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-" + "y" * 20,
    "ALLOWED_HOSTS": "peerassist.example.org",
    "SITE_URL": "https://peerassist.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_PROXY": "1",
    "CSRF_TRUSTED_ORIGINS": "https://peerassist.example.org",
}


def test_check_deploy_is_clean_under_the_documented_settings(tmp_path):
    # A database of its own: a developer's var/ may hold the demo accounts (an error).
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key_and_says_so():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr.split("must be set:")[-1]


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_bad_boolean_stops_the_app_with_its_name():
    result = manage("check", env={"SECURE_COOKIES": "maybe"})
    assert result.returncode != 0
    assert "SECURE_COOKIES must be a boolean" in result.stderr


def _caches(env) -> dict:
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("CACHE_BACKEND", "DEBUG", "DATABASE_URL", "SQLITE_PATH")
            },
            "DJANGO_SETTINGS_MODULE": "peerassist.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["default"]


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "x"}


def test_production_on_postgresql_counts_rate_limits_in_the_shared_database_cache():
    # Each worker (and each server) with its own locmem would give each its own allowance.
    cache = _caches({**PRODUCTION, "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x"})
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "peerassist_cache"  # what `make serve`'s createcachetable makes


@pytest.mark.parametrize("named", [{}, {"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}])
def test_production_on_sqlite_shares_rate_limits_in_files_not_behind_the_write_lock(named):
    # SQLite is one machine: files are shared by every worker, and counting a request
    # never waits for SQLite's one write lock.
    cache = _caches({**PRODUCTION, **named})
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"].endswith("var/cache")


def test_development_keeps_the_cache_in_memory():
    assert _caches({"DEBUG": "1"})["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_may_still_choose_locmem():
    cache = _caches(
        {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "x", "CACHE_BACKEND": "locmem"}
    )
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
