"""Small helpers the roster's view modules share: going back, QR codes, the roster guard."""

import io

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def redirect_back(request, default: str):
    """Where a POST form asked to go back to, if it is one of our own pages."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def svg_response(data: str) -> HttpResponse:
    response = HttpResponse(data, content_type="image/svg+xml; charset=utf-8")
    # The image carries a personal link or the walk-in code: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def qr_svg(text: str, *, title: str = "") -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=title or None
    )
    return buffer.getvalue().decode("utf-8")


def off_roster(request, participant, *, level: int = messages.INFO) -> bool:
    """True if the person was taken off the roster, after saying so to the user.

    The caller then sends the user back instead of acting on that person."""
    if participant.removed_at is None:
        return False
    messages.add_message(
        request, level, _("%(name)s is not on the roster.") % {"name": participant}
    )
    return True
