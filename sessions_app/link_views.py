"""Personal AAR links: the list, one link, its QR code, invitations and new links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sessions_app import roster_services
from sessions_app.access import get_participant_for_user, get_session_for_user
from sessions_app.roster_common import off_roster, qr_svg, redirect_back, svg_response

LINKS_PER_PAGE = 25

# Read-only pages take no method decorator: the access check answers first, so an
# outsider gets 404 whatever the method (tests/test_url_matrix.py), and none of them
# changes anything.


def _links_url(session, participant=None) -> str:
    url = reverse("sessions_app:participant_links", args=[session.pk])
    return f"{url}#p-{participant.pk}" if participant else url


# "Invite all" is for people who have not yet had their link. Someone not invited who
# has already written an AAR (a draft or a submitted one: a walk-in, or a link copied
# into LINE) has the link already, so an invitation would only confuse them.
NOT_WRITTEN = Q(aar__isnull=True)


def _not_invited(session):
    return session.participants.active().filter(invited_at__isnull=True)


def _invitation_counts(session) -> dict[str, int]:
    """Among the people on the roster not yet invited: ``to_invite`` (will be emailed),
    ``no_email`` and ``written`` (left out, and why). One query."""
    return _not_invited(session).aggregate(
        to_invite=Count("pk", filter=NOT_WRITTEN & ~Q(email="")),
        no_email=Count("pk", filter=NOT_WRITTEN & Q(email="")),
        written=Count("pk", filter=~NOT_WRITTEN),
    )


@login_required
def participant_links(request, pk):
    # Editors only: a personal link lets anyone write as that person.
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    participants = (
        session.participants.active()
        .select_related("organisation", "aar")
        .order_by("full_name", "pk")
    )
    page = Paginator(participants, LINKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions_app/participant_links.html",
        {
            "title": _("Personal AAR links"),
            "session": session,
            "page_obj": page,
            "participants": page.object_list,
            "next": request.get_full_path(),
            **_invitation_counts(session),
        },
    )


@login_required
def participant_link(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    if off_roster(request, participant):
        return redirect(participant.session)
    return render(
        request,
        "sessions_app/participant_link.html",
        {
            "title": _("AAR link for %(name)s") % {"name": participant.full_name},
            "session": participant.session,
            "participant": participant,
            "next": request.get_full_path(),
        },
    )


@never_cache
@login_required
def participant_qr(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    return svg_response(qr_svg(participant.get_absolute_aar_url()))


def _send_failed(request) -> None:
    messages.error(request, _("The email could not be sent. Please try again later."))


@login_required
@require_POST
def participant_invite(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    back = _links_url(session, participant)
    if off_roster(request, participant, level=messages.ERROR):
        return redirect_back(request, back)
    try:
        sent = roster_services.invitation_send(participant=participant)
    except OSError:
        _send_failed(request)
    else:
        if sent:
            messages.success(
                request,
                _("The invitation to %(name)s (%(email)s) is on its way.")
                % {"name": participant.full_name, "email": participant.email},
            )
        else:
            messages.warning(
                request,
                _("%(name)s has no email address. Copy the link or show the QR code.")
                % {"name": participant.full_name},
            )
    return redirect_back(request, back)


@login_required
@require_POST
def participants_invite_all(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    counts = _invitation_counts(session)
    sent, no_email, written = counts["to_invite"], counts["no_email"], counts["written"]
    if sent:
        # One task renders and queues every invitation: the page answers at once.
        roster_services.invitations_enqueue(session=session)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is on its way.",
                "%(count)s invitations are on their way.",
                sent,
            )
            % {"count": sent},
        )
    elif written or no_email:
        messages.info(request, _("No invitation was sent."))
    else:
        messages.info(request, _("Everyone with an email address has been invited already."))
    if written:
        messages.info(
            request,
            ngettext(
                "Left out %(count)s person who has already written an AAR: they have their link.",
                "Left out %(count)s people who have already written an AAR: they have their links.",
                written,
            )
            % {"count": written},
        )
    if no_email:
        messages.warning(
            request,
            ngettext(
                "%(count)s person has no email address and was skipped: copy their link.",
                "%(count)s people have no email address and were skipped: copy their links.",
                no_email,
            )
            % {"count": no_email},
        )
    return redirect(_links_url(session))


@login_required
@require_http_methods(["GET", "POST"])
def participant_regenerate(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    if request.method == "POST":
        participant.regenerate_token()
        messages.success(
            request,
            _("%(name)s has a new link. The old link no longer works.")
            % {"name": participant.full_name},
        )
        return redirect(
            "sessions_app:participant_link", pk=session.pk, participant_pk=participant.pk
        )
    return render(
        request,
        "sessions_app/participant_confirm_regenerate.html",
        {
            "title": _("Make a new link for %(name)s?") % {"name": participant.full_name},
            "session": session,
            "participant": participant,
        },
    )
