"""SQLite under concurrent writes: a real server, 50 AAR submissions at once.

The embedded default must not lose or refuse writing when a room full of people press
Submit together. This starts gunicorn (threads, like production) on a fresh SQLite file
and fires 50 submissions from threads. Always SQLite, whatever DATABASE_URL says: the
WAL + busy timeout + IMMEDIATE transactions are what is under test.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = 50

SETUP = """
import json
from tests.factories import AssistSessionFactory, ParticipantFactory
session = AssistSessionFactory()
print(json.dumps([ParticipantFactory(session=session).token for _ in range({n})]))
"""

COUNT = """
from aar.models import AAR
print(AAR.objects.filter(status="submitted").count())
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        SQLITE_PATH=str(tmp_path / "concurrency.sqlite3"),
        RATELIMIT_TOKEN_PER_MINUTE="100000",
        DEBUG="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def _manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout


def _submit(url: str, results: list, index: int, barrier: threading.Barrier) -> None:
    body = urllib.parse.urlencode(
        {
            "goal": f"เป้าหมาย {index} 🙂",
            "achieved": "ได้ฟังกันจริง",
            "not_achieved": "เวลาน้อย",
            "next_steps": "ติดตามผล",
            "sharing": "participants",
            "action": "submit",
        }
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    # No redirects followed: a 302 to the thank-you page is success.
    opener = urllib.request.build_opener(_NoRedirect)
    barrier.wait()
    try:
        with opener.open(request, timeout=60) as response:
            results[index] = response.status
    except urllib.error.HTTPError as error:
        results[index] = error.code
    except Exception as error:  # noqa: BLE001 - any failure counts as an error
        results[index] = repr(error)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_fifty_concurrent_aar_submissions_lose_nothing(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput")
    tokens = json.loads(
        _manage(env, "shell", stdin=SETUP.format(n=SUBMISSIONS)).strip().splitlines()[-1]
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "peerassist.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        results: list = [None] * SUBMISSIONS
        barrier = threading.Barrier(SUBMISSIONS)
        threads = [
            threading.Thread(target=_submit, args=(f"{base}/aar/{token}/", results, i, barrier))
            for i, token in enumerate(tokens)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]

    successes = sum(1 for status in results if status in (200, 302, 303))
    errors = [status for status in results if status not in (200, 302, 303)]
    saved = int(_manage(env, "shell", stdin=COUNT).strip().splitlines()[-1])
    print(
        f"concurrency: successes={successes} errors={len(errors)} saved={saved} lost={successes - saved}"
    )
    assert errors == [], f"errors: {errors}\nserver log:\n{output[-3000:]}"
    assert successes == SUBMISSIONS
    assert saved == successes  # nothing lost
