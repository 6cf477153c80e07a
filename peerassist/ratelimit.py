"""A small per-IP rate limit on the cache, for the public token and walk-in endpoints.

Fixed one-minute windows keyed by client IP and endpoint group. Behind a proxy, list its
address in TRUSTED_PROXIES so the client address comes from X-Forwarded-For (the proxy
must set it). The production default cache (db) is shared by every worker and server.
"""

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


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
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=90)
            count = 1
    return count > limit


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
