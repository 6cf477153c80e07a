"""A new user's first run: what README promises works as written."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


clean_env = subprocess_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_help_lists_the_two_commands():
    result = subprocess.run(
        ["make", "help"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True
    )
    assert re.search(r"make run\s+\S", result.stdout)
    assert re.search(r"make test\s+\S", result.stdout)
    assert "make serve-http" in result.stdout


def test_readme_links_stay_inside_the_repository():
    links = re.findall(r"\]\(([^)]+)\)", README) + re.findall(r"`(\.\./[^`]*)`", README)
    outside = [link for link in links if link.startswith("..") or link.startswith("/work")]
    assert outside == []
    for link in links:
        if not re.match(r"[a-z]+://", link):
            assert (ROOT / link.split("#")[0]).exists(), link


def production_example() -> str:
    section = README.split("## Production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    assert "export DEBUG=0" in block
    # Everything but the last command (make serve), which would start the server.
    return "\n".join(line for line in block.splitlines() if not line.startswith("make "))


def test_readme_production_example_passes_check_deploy_as_written():
    script = (
        production_example() + f"\n{sys.executable} manage.py check --deploy --fail-level WARNING\n"
    )
    env = clean_env()
    for name in re.findall(r"\b([A-Z_]+)=", script):
        env.pop(name, None)
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_serve_http_serves_production_mode_on_plain_http(tmp_path):
    port = free_port()
    # Its own database and static files: other tests may be serving ours meanwhile.
    env = clean_env(
        SQLITE_PATH=str(tmp_path / "trial.sqlite3"),
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve-http"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.read() == b"OK"
                    break
            except (urllib.error.URLError, OSError):  # refused, or slow to answer at first
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "make serve-http did not answer in time"
                time.sleep(0.5)
        # Production mode: no debug page, and static files from whitenoise's manifest.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
        assert missing.value.code == 404
        assert b"Django" not in missing.value.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
            page = r.read().decode()
        assert re.search(r"/static/css/peerassist\.[0-9a-f]{12}\.css", page)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
