"""A small per-IP rate limit for the public token and walk-in endpoints.

Fixed one-minute windows keyed by client IP and endpoint group. Behind a proxy, list its
address in TRUSTED_PROXIES so the client address comes from X-Forwarded-For (the proxy
must set it).

Where the counts live follows CACHE_BACKEND. With ``db`` (production on PostgreSQL) they
are rows of ``RateCount``, shared by every worker and server, each request one upsert:
Django's database cache took 11 queries and a multi-statement transaction a request
(``make bench``: the PostgreSQL participant page went from 2 queries and 6.5 ms to 13
queries and 17.5 ms, and the load test from 181 to 73 requests a second, every request
queueing on one row). Otherwise they are in the cache (``file`` on SQLite, never behind
SQLite's write lock; ``locmem`` in development).
"""

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.shortcuts import render
from django.utils.translation import gettext as _

from peerassist.models import RateCount


def client_ip(request) -> str:
    """The address of the client, for rate limits and sign-in lock-outs (django-axes).

    X-Forwarded-For is read only from a proxy in TRUSTED_PROXIES: from anyone else it is
    whatever they chose to send. Each proxy appends the address it saw, so the right-most
    address that is not one of our proxies is the client; the ones left of it are the
    client's own claims.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return address if _is_ip(address) else remote
    return remote


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def hit(group: str, request, limit: int) -> bool:
    """Count one request; True if the client is over its limit for this minute."""
    window = int(time.time() // 60)
    key = f"rl:{group}:{client_ip(request)}:{window}"
    if settings.CACHE_BACKEND == "db":
        return _count_in_database(key, window) > limit
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=90)
            count = 1
    return count > limit


def _count_in_database(bucket: str, minute: int) -> int:
    """Add one to the bucket and return its count, in one statement (autocommit: the
    row is locked for microseconds). The SQL is written by hand because the ORM cannot
    return the count of an upsert; it is the same on PostgreSQL and SQLite."""
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, minute, hits) VALUES (%s, %s, 1) "
            f"ON CONFLICT (bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [bucket, minute],
        )
        hits = cursor.fetchone()[0]
    if hits == 1:  # a new minute for this client: forget the minutes before the last
        RateCount.objects.filter(minute__lt=minute - 1).delete()
    return hits


def ratelimit(group: str, setting: str):
    """Limit a view to ``settings.<setting>`` requests per minute per IP; 429 beyond."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if hit(group, request, getattr(settings, setting)):
                response = render(
                    request, "429.html", {"title": _("Too many requests")}, status=429
                )
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
