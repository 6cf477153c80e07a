import datetime
import io
import logging
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from peerassist.logging import RedactTokensFilter, redact
from peerassist.ratelimit import client_ip, ratelimit

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path, **extra) -> dict[str, str]:
    """Development settings with a database of the test's own."""
    return {"DEBUG": "1", "SQLITE_PATH": str(tmp_path / "db.sqlite3"), **extra}


def _server_env(env) -> dict[str, str]:
    # The test run sets these for Playwright and the suite's database; a server never would.
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "XDG_RUNTIME_DIR"}
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, **env}


def _run_python(*args, env):
    command = [sys.executable, *args] if args[0].endswith(".py") else [sys.executable, "-c", *args]
    return subprocess.run(
        command, cwd=ROOT, env=_server_env(env), capture_output=True, text=True, timeout=120
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@ratelimit("test", "RATELIMIT_TOKEN_PER_MINUTE")
def _view(request):
    return HttpResponse("ok")


def test_limit_gives_a_clear_429_after_the_allowance(settings, db):
    settings.RATELIMIT_TOKEN_PER_MINUTE = 3
    factory = RequestFactory()
    codes = [_view(factory.get("/aar/x/", REMOTE_ADDR="10.0.0.1")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = _view(factory.get("/aar/x/", REMOTE_ADDR="10.0.0.1"))
    assert limited["Retry-After"] == "60"
    assert "กรุณารอ" in limited.content.decode() or "wait a minute" in limited.content.decode()
    # Another address has its own allowance.
    assert _view(factory.get("/aar/x/", REMOTE_ADDR="10.0.0.2")).status_code == 200


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /aar/AbC-123_xyz/ HTTP/1.1" 200', '"GET /aar/[redacted]/ HTTP/1.1" 200'),
        ("Not Found: /aar/AbC123/thanks/", "Not Found: /aar/[redacted]/thanks/"),
        ("POST /join/k9Xz/ 302", "POST /join/[redacted]/ 302"),
        ("GET /followup/ 200", "GET /followup/ 200"),
    ],
)
def test_tokens_are_redacted(line, expected):
    assert redact(line) == expected


def test_django_request_log_never_shows_a_token(client, db, caplog):
    token = "SeCrEtToKeN-0123456789abcdefghijk"
    with caplog.at_level(logging.INFO):
        client.get(f"/aar/{token}/")
    assert caplog.records, "the 404 should be logged"
    assert all(token not in record.getMessage() for record in caplog.records)


def test_filter_rewrites_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", ("/aar/abc/",), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == "GET /aar/[redacted]/"


# The client address behind a proxy ---------------------------------------------------

PROXY = "10.0.0.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        # No trusted proxy: X-Forwarded-For is whatever the client chose to send.
        ("203.0.113.5", "198.51.100.1", [], "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", [PROXY], "203.0.113.5"),
        # From our proxy: the right-most address it did not add itself.
        (PROXY, "198.51.100.1", [PROXY], "198.51.100.1"),
        (PROXY, "1.2.3.4, 198.51.100.1", [PROXY], "198.51.100.1"),
        (PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.8", [PROXY, "10.0.0.8"], "198.51.100.1"),
        (PROXY, "2001:db8::1", [PROXY], "2001:db8::1"),
        # Nothing forwarded, or nothing usable: the proxy's own address.
        (PROXY, "", [PROXY], PROXY),
        (PROXY, "not-an-address", [PROXY], PROXY),
        (PROXY, "10.0.0.8", [PROXY, "10.0.0.8"], PROXY),
    ],
)
def test_client_ip_believes_x_forwarded_for_only_from_a_trusted_proxy(
    settings, remote, forwarded, trusted, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_proxy_alone_does_not_make_x_forwarded_for_believed(settings):
    # BEHIND_PROXY=1 sets the HTTPS header only; spoofed addresses must not reset limits.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(request) == "203.0.113.5"


def test_limit_behind_a_trusted_proxy_counts_each_client_and_ignores_spoofing(settings, db):
    settings.RATELIMIT_TOKEN_PER_MINUTE = 2
    settings.TRUSTED_PROXIES = [PROXY]
    factory = RequestFactory()

    def get(forwarded):
        request = factory.get("/aar/x/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return _view(request).status_code

    # One client inventing a new left-most address each time is still one client.
    codes = [get(f"192.0.2.{n}, 198.51.100.1") for n in range(3)]
    assert codes == [200, 200, 429]
    assert get("198.51.100.2") == 200  # another client behind the same proxy


def test_settings_refuse_a_trusted_proxy_that_is_not_an_address():
    result = _run_python(
        "import peerassist.settings", env={"TRUSTED_PROXIES": "10.0.0.1, proxy.local"}
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must be IP addresses" in result.stderr


# Redaction never fails, whatever it is given ---------------------------------------------


@pytest.mark.parametrize("value", [None, 0, 200, 1.5, ["/aar/x/"], {"a": 1}])
def test_redact_returns_anything_that_is_not_text_unchanged(value):
    assert redact(value) == value


def test_redact_reads_bytes_as_text():
    assert redact(b"GET /join/abc/") == "GET /join/[redacted]/"


@pytest.mark.parametrize(
    ("msg", "args", "expected"),
    [
        (None, (), "None"),
        (404, (), "404"),
        ("%s %s", (None, 5), "None 5"),
        ("%(path)s", ({"path": "/join/k9/"},), "/join/[redacted]/"),
        # Malformed: logging would print the raw arguments; they come out redacted.
        ("GET %s %s", ("/aar/abc/",), None),
    ],
)
def test_filter_survives_none_numbers_and_malformed_records(msg, args, expected):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, msg, args, None)
    assert RedactTokensFilter().filter(record) is True
    message = record.getMessage()
    if expected is not None:
        assert message == expected
    assert "abc" not in message


def test_filter_redacts_tracebacks():
    try:
        raise ValueError("no participant at /aar/SeCrEt123/")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    RedactTokensFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "SeCrEt123" not in text
    assert "/aar/[redacted]/" in text


# gunicorn: its access log, redacted --------------------------------------------------


@pytest.fixture
def gunicorn_logger():
    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, conf[name])
    logger = conf["logger_class"](cfg)
    lines = io.StringIO()
    capture = logging.StreamHandler(lines)
    logger.access_log.addHandler(capture)
    yield logger, lines
    # gunicorn's loggers are global: leave them as they were.
    for log in (logger.error_log, logger.access_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        log.filters.clear()


def _gunicorn_error_response(environ_extra):
    """What gunicorn's worker passes to the logger for its own error responses (400s on
    malformed requests): an environ without PATH_INFO or QUERY_STRING."""
    resp = SimpleNamespace(status="400 Bad Request", headers=[], sent=None)
    req = SimpleNamespace(headers=[("REFERER", None)])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/aar/SeCrEt123/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        **environ_extra,
    }
    return resp, req, environ, datetime.timedelta(milliseconds=3)


@pytest.mark.parametrize("extra", [{}, {"PATH_INFO": None, "QUERY_STRING": None}, {"PATH_INFO": 7}])
def test_gunicorn_logger_survives_none_and_numbers_in_atoms(gunicorn_logger, extra):
    logger, lines = gunicorn_logger
    atoms = logger.atoms(*_gunicorn_error_response(extra))
    assert atoms["r"] == "GET /aar/[redacted]/ HTTP/1.1"
    assert atoms["U"] == extra.get("PATH_INFO")
    logger.access(*_gunicorn_error_response(extra))
    assert '"GET /aar/[redacted]/ HTTP/1.1" 400' in lines.getvalue()
    assert "SeCrEt123" not in lines.getvalue()


def test_gunicorn_access_log_is_redacted_whatever_the_format(gunicorn_logger):
    logger, lines = gunicorn_logger
    logger.cfg.set("access_log_format", "%({raw_uri}e)s %({path_info}e)s %(U)s")
    logger.access(*_gunicorn_error_response({"PATH_INFO": "/join/k9X/"}))
    assert lines.getvalue().strip() == "/aar/[redacted]/ /join/[redacted]/ /join/[redacted]/"


def test_gunicorn_control_socket_is_off():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["control_socket_disable"] is True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_writes_an_access_log_without_tokens_and_nothing_in_home(tmp_path):
    """`make serve`'s gunicorn, as configured by gunicorn.conf.py, on a free port."""
    home = tmp_path / "home"
    home.mkdir()
    env = _env(tmp_path, HOME=str(home))
    assert _run_python("manage.py", "migrate", "--noinput", env=env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "peerassist.wsgi:application",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],  # fmt: skip
        cwd=ROOT,
        env=_server_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _get(port, "/healthz") == 200
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert _get(port, "/aar/SECRETTOKEN123/") == 404
        assert _get(port, "/join/SECRETCODE456/?from=/aar/SECRETTOKEN123/") == 404
        # A request gunicorn refuses itself (its own 400), then the worker still answers.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /aar/SECRETTOKEN123/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            assert b"400" in sock.recv(1000)
        assert _get(port, "/healthz") == 200
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    log = out + err
    assert '"GET /healthz HTTP/1.1" 200' in out, log
    assert '"GET /aar/[redacted]/ HTTP/1.1" 404' in out, log
    assert "SECRETTOKEN123" not in log and "SECRETCODE456" not in log, log
    assert "Traceback" not in log, log
    assert list(home.iterdir()) == []  # no control socket (or anything) in $HOME


# The development log: every django.* logger is redacted -------------------------------


def test_django_security_log_is_redacted_in_the_development_console(tmp_path):
    code = (
        "import logging;"
        "logging.getLogger('django.security.csrf').warning('Forbidden: %s', '/join/abc123/');"
        "logging.getLogger('django.template').error('at /aar/tok456/')"
    )
    result = _run_python("manage.py", "shell", "-c", code, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Forbidden: /join/[redacted]/" in result.stderr
    assert "at /aar/[redacted]/" in result.stderr
    assert "abc123" not in result.stderr and "tok456" not in result.stderr
    assert result.stderr.count("Forbidden") == 1  # once, not once per handler


def test_password_reset_links_are_redacted_too():
    from peerassist.logging import redact

    line = 'GET /accounts/reset/MQ/cv3k2a-8f1e2d3c4b5a69788796a5b4c3d2e1f0/ HTTP/1.1" 200'
    assert "8f1e2d3c" not in redact(line)
    assert "/accounts/reset/MQ/[redacted]/" in redact(line)


# Counted in the database (CACHE_BACKEND=db, production on PostgreSQL) -------------------


@pytest.mark.django_db
def test_database_counts_are_shared_and_cost_one_query_a_request(
    rf, settings, django_assert_num_queries
):
    from peerassist.models import RateCount
    from peerassist.ratelimit import hit

    settings.CACHE_BACKEND = "db"
    request = rf.get("/aar/x/", REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, 5, tzinfo=datetime.UTC)):
        assert hit("token", request, 3) is False  # the minute's first: counts, tidies up
        with django_assert_num_queries(1):  # one upsert
            assert hit("token", request, 3) is False
        cache.clear()  # another worker or server: nothing of it in this process
        assert hit("token", request, 3) is False
        assert hit("token", request, 3) is True  # the fourth in the minute
        assert RateCount.objects.get().hits == 4


@pytest.mark.django_db
def test_database_counts_of_past_minutes_are_deleted_as_new_minutes_begin(rf, settings):
    from peerassist.models import RateCount
    from peerassist.ratelimit import hit

    settings.CACHE_BACKEND = "db"
    request = rf.get("/aar/x/", REMOTE_ADDR="203.0.113.9")
    start = datetime.datetime(2026, 12, 2, 10, 0, 5, tzinfo=datetime.UTC)
    for minutes in (0, 1, 2, 3):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            hit("token", request, 3)
    # The current minute and the one before it stay; older ones are gone.
    assert RateCount.objects.count() == 2
