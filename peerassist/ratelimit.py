"""A small per-IP rate limit on the cache, for the public token and walk-in endpoints.

Fixed one-minute windows keyed by client IP and endpoint group. Behind a proxy, set
BEHIND_PROXY=1 so the client address comes from X-Forwarded-For (the proxy must set it).
With several app servers, use a shared cache (CACHE_BACKEND=db) so the limit is global.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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
