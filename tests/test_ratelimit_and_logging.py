import logging

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from peerassist.logging import RedactTokensFilter, redact
from peerassist.ratelimit import ratelimit


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
