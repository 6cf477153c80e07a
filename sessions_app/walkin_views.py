"""Walk-in: the screen with the join code, opening and closing it, and joining."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from peerassist.ratelimit import hit
from sessions_app import roster_services
from sessions_app.access import get_session_for_user
from sessions_app.models import AssistSession
from sessions_app.roster_common import qr_svg, redirect_back, svg_response
from sessions_app.roster_forms import WalkinForm

logger = logging.getLogger(__name__)

# Read-only pages take no method decorator: the access check answers first, so an
# outsider gets 404 whatever the method (tests/test_url_matrix.py), and none of them
# changes anything.


def _join_url(session) -> str:
    return settings.SITE_URL + reverse("sessions_app:walkin_join", args=[session.walkin_code])


def _screen_context(session, can_edit) -> dict:
    join_url = _join_url(session)
    return {
        "title": _("Join: %(title)s") % {"title": session.title},
        "session": session,
        "can_edit": can_edit,
        "join_url": join_url,
        # Shorter to read off a screen and type: browsers add the scheme. A line may
        # break after each slash (<wbr>), not in the middle of the code.
        "join_url_display": mark_safe(
            "/<wbr>".join(escape(part) for part in join_url.split("://", 1)[-1].split("/"))
        ),
        "walkin_count": session.participants.active().walkins().count(),
    }


@login_required
def walkin_screen(request, pk):
    # Editors only: the code lets anyone join the roster and write an AAR.
    session, can_edit = get_session_for_user(request, pk, edit=True)
    return render(request, "sessions_app/walkin_screen.html", _screen_context(session, can_edit))


@login_required
def walkin_projector(request, pk):
    """The same screen for the room's projector: the whole window, no navigation, no
    script; the browser's own full screen (F11) does the rest."""
    session, can_edit = get_session_for_user(request, pk, edit=True)
    return render(request, "sessions_app/walkin_projector.html", _screen_context(session, can_edit))


@never_cache
@login_required
def walkin_qr(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    return svg_response(qr_svg(_join_url(session)))


@login_required
@require_POST
def walkin_toggle(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    session.walkin_open = not session.walkin_open
    session.save(update_fields=["walkin_open", "updated_at"])
    if session.walkin_open:
        messages.success(request, _("Walk-in is open: people can join with the QR code."))
    else:
        messages.success(request, _("Walk-in is closed: the QR code no longer lets people join."))
    return redirect_back(request, reverse("sessions_app:walkin_screen", args=[session.pk]))


def _walkin_closed(request, session):
    return render(
        request,
        "sessions_app/walkin_closed.html",
        {"title": _("Walk-in is closed"), "session": session},
    )


def _too_many_requests(request):
    response = render(request, "429.html", {"title": _("Too many requests")}, status=429)
    response["Retry-After"] = "60"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def walkin_join(request, code):
    """Public: someone not on the roster joins and goes straight to their AAR form.

    An email already on the roster never opens that person's AAR here: anyone may know
    an address. Its owner is emailed their link, and the page only says to check the
    inbox, the same whether the address was on the roster, taken off it, or the email
    failed, so the page tells no more than that the address is not new.
    """
    # Counted before the code is looked up: guessing codes costs as much as joining.
    if hit("walkin", request, settings.RATELIMIT_WALKIN_PER_MINUTE):
        return _too_many_requests(request)
    session = get_object_or_404(AssistSession.objects.select_related("host"), walkin_code=code)
    if not session.walkin_open or session.is_closed:
        return _walkin_closed(request, session)
    initial = {"language": request.LANGUAGE_CODE}
    form = WalkinForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participant, outcome = roster_services.walkin_join(
                session=session, data=form.cleaned_data
            )
        except roster_services.WalkinClosed:
            return _walkin_closed(request, session)
        except roster_services.WalkinFull:
            form.add_error(
                None,
                _(
                    "This session is full: %(max)s people have already joined by walk-in. "
                    "Please ask the facilitator to add you."
                )
                % {"max": settings.WALKIN_MAX_PARTICIPANTS},
            )
        else:
            if outcome == roster_services.WalkinOutcome.CREATED:
                messages.success(
                    request,
                    _(
                        "Welcome, %(name)s. You are on the roster. Keep the address of this "
                        "page: it is your personal link."
                    )
                    % {"name": participant.full_name},
                )
                return redirect("aar:entry", token=participant.token)
            if outcome == roster_services.WalkinOutcome.EXISTING:
                try:
                    roster_services.walkin_link_send(participant=participant)
                except OSError:
                    # Said on the page would tell a stranger the address is on the roster.
                    logger.exception("walk-in link email to participant %s failed", participant.pk)
            return render(
                request,
                "sessions_app/walkin_check_email.html",
                {
                    "title": _("Check your email"),
                    "session": session,
                    "email": form.cleaned_data["email"],
                },
            )
    return render(
        request,
        "sessions_app/walkin_join.html",
        {"title": _("Join this session"), "session": session, "form": form},
    )
