"""Start-up with a missing or bad setting: one clear line that names it, no traceback,
and a non-zero exit, from manage.py, from the WSGI module and from gunicorn."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NO_SECRET_KEY = {"DEBUG": "0", "ALLOWED_HOSTS": "peerassist.example.org"}


def run(*args, env, timeout=120):
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SECRET_KEY", "XDG_RUNTIME_DIR"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _assert_one_clear_line(result, name):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert lines, result.stderr
    assert "peerassist cannot start" in lines[0]


@pytest.mark.parametrize(
    ("env", "name"),
    [
        (NO_SECRET_KEY, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"SECURE_COOKIES": "maybe"}, "SECURE_COOKIES"),
        ({"CONN_MAX_AGE": "ten"}, "CONN_MAX_AGE"),
    ],
)
def test_manage_py_says_what_is_missing_in_one_line(env, name):
    result = run("manage.py", "check", env=env)
    _assert_one_clear_line(result, name)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_wsgi_module_says_what_is_missing_in_one_line():
    result = run("-c", "import peerassist.wsgi", env=NO_SECRET_KEY)
    _assert_one_clear_line(result, "SECRET_KEY")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_gunicorn_stops_at_once_and_says_what_is_missing(tmp_path):
    # Not a worker respawned and failing again and again: gunicorn halts by itself.
    result = run(
        "-m", "gunicorn", "peerassist.wsgi:application", "--config", "gunicorn.conf.py",
        "--bind", "127.0.0.1:0", "--workers", "2",
        env={**NO_SECRET_KEY, "HOME": str(tmp_path)},
        timeout=60,
    )  # fmt: skip
    _assert_one_clear_line(result, "SECRET_KEY")
    assert "Booting worker" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
