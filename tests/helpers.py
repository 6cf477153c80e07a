"""Set-up shared by several test modules (fixtures live in tests/conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Hypothesis: every example in CI (HYPOTHESIS_PROFILE=ci, set by .ci/run), a fifth of
# them on a laptop, so `make test` stays quick locally and thorough where it counts.
hypothesis_settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "dev",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


def examples(full: int):
    """Hypothesis settings for a property test that runs ``full`` examples in CI and
    the same share of them as the loaded profile elsewhere."""
    share = hypothesis_settings.default.max_examples / 100
    return hypothesis_settings(max_examples=max(5, int(full * share)))


def subprocess_env(**extra) -> dict[str, str]:
    """The environment for running manage.py, gunicorn or make in a subprocess as a
    server would: without the test run's own variables (Playwright's async flag, a test
    database's URL, a chosen SQLite file, production switches), plus ``extra``."""
    dropped = {
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "SQLITE_PATH",
        "DJANGO_SETTINGS_MODULE",
        "DEBUG",
        "CACHE_BACKEND",
    }
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**base, "DJANGO_SETTINGS_MODULE": "peerassist.settings", **extra}


ROOT = Path(__file__).resolve().parent.parent
# Production switches a developer's shell may hold: a subprocess gets only what the
# test gives it.
PRODUCTION_VARIABLES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_PROXY",
    "TRUSTED_PROXIES",
    "CSRF_TRUSTED_ORIGINS",
    "DEMO_USER_ALLOWED",
}


def manage(*args: str, env: dict[str, str], timeout: int = 120):
    """Run ``manage.py`` as a server would, with exactly the given settings."""
    base = {k: v for k, v in subprocess_env().items() if k not in PRODUCTION_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def sqlite_manage(path: Path):
    """A ``manage.py`` runner on a SQLite file of its own, as a server would run it, with
    email to the console; returns the command's output (and fails the test if it
    fails). Its environment is ``.env``, for ``at_once``."""
    env = subprocess_env(
        SQLITE_PATH=str(path),
        PYTHONPATH=str(ROOT),
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    env.pop("EMAIL_HOST", None)

    def run(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=180, check=True,
        ).stdout  # fmt: skip

    run.env = env
    return run


def at_once(*args: str, env: dict[str, str], times: int = 2) -> list[tuple[str, str]]:
    """Start ``manage.py args`` ``times`` times at the same moment (two servers running a
    scheduled command); their (stdout, stderr), once each has exited 0."""
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(times)
    ]
    outputs = [server.communicate(timeout=180) for server in servers]
    assert [server.returncode for server in servers] == [0] * times, outputs
    return outputs


def session_form_data(org, host_org, **overrides) -> dict:
    """A valid post of the session form: ``org`` organises (and is the peer), ``host_org``
    hosts. ``overrides`` replace fields; None leaves a field out of the post."""
    data = {
        "organiser": org.pk,
        "title": "Micro Peer Assist สคส. กับ สสส.",
        "host": host_org.pk if host_org else "",
        "peers": [org.pk],
        "purpose": "สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กร",
        "context": "",
        "date": "2026-11-22",
        "start_time": "09:30",
        "duration_minutes": "60",
        "place": "ห้องประชุม สสส.",
        "facilitator": "",
        "summary": "",
        "advice": "",
        "source_url": "",
        "aar_deadline": "",
        "status": "held",
        "walkin_open": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def migrate_to(targets):
    """Migrate the test database to ``targets`` (app, migration name) and return the
    apps (historical models) as they are there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def migrate_to_the_end():
    """Back to the newest migrations, after a test that went back in time."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
