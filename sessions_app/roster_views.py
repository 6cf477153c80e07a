"""The roster: add, edit, remove, bulk add, personal links, invitations and walk-in."""

import io
import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from peerassist.ratelimit import hit
from sessions_app import bulk, roster_services
from sessions_app.access import get_participant_for_user, get_session_for_user
from sessions_app.models import AssistSession, Organisation
from sessions_app.roster_forms import (
    BulkAddForm,
    BulkConfirmForm,
    ParticipantForm,
    WalkinForm,
)

LINKS_PER_PAGE = 25

logger = logging.getLogger(__name__)

# Read-only pages take no method decorator: the access check answers first, so an
# outsider gets 404 whatever the method (tests/test_url_matrix.py), and none of them
# changes anything.


def _links_url(session, participant=None) -> str:
    url = reverse("sessions_app:participant_links", args=[session.pk])
    return f"{url}#p-{participant.pk}" if participant else url


def _back(request, default: str):
    """Where a POST form asked to go back to, if it is one of our own pages."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _svg_response(data: str) -> HttpResponse:
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


# Adding, editing and removing one person ------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    form = ParticipantForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        participant = form.save(commit=False)
        participant.session = session
        try:
            with transaction.atomic():
                participant.save()
        except IntegrityError:  # the same email added at the same moment elsewhere
            form.add_error("email", _("This email is already on the session's roster."))
            return render(
                request,
                "sessions_app/participant_form.html",
                {"title": _("Add a participant"), "session": session, "form": form, "adding": True},
            )
        messages.success(
            request,
            _("%(name)s was added to the roster.") % {"name": participant.full_name},
        )
        if "add_another" in request.POST:
            return redirect("sessions_app:participant_add", pk=session.pk)
        return redirect(f"{session.get_absolute_url()}#roster-heading")
    return render(
        request,
        "sessions_app/participant_form.html",
        {"title": _("Add a participant"), "session": session, "form": form, "adding": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    form = ParticipantForm(request.POST or None, instance=participant, session=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s was saved.") % {"name": participant.full_name})
        return redirect(f"{session.get_absolute_url()}#roster-heading")
    return render(
        request,
        "sessions_app/participant_form.html",
        {
            "title": _("Edit %(name)s") % {"name": participant.full_name},
            "session": session,
            "participant": participant,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_remove(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    if participant.removed_at is not None:
        messages.info(request, _("%(name)s is not on the roster.") % {"name": participant})
        return redirect(session)
    if request.method == "POST":
        kept = participant.remove()
        if kept:
            message = _("%(name)s was taken off the roster. Their AAR is kept in the archive.")
        else:
            message = _("%(name)s was removed from the roster.")
        messages.success(request, message % {"name": participant.full_name})
        return redirect(f"{session.get_absolute_url()}#roster-heading")
    return render(
        request,
        "sessions_app/participant_confirm_remove.html",
        {
            "title": _("Remove %(name)s?") % {"name": participant.full_name},
            "session": session,
            "participant": participant,
            "aar_status": participant.aar_status,
        },
    )


# Bulk add -------------------------------------------------------------------------


def _parse(session: AssistSession, text: str) -> list[bulk.Row]:
    preferred = {session.host_id, *session.peers.values_list("pk", flat=True)}
    return bulk.parse(
        text,
        organisations=bulk.OrganisationIndex.build(Organisation.objects.all(), preferred),
        existing_emails=session.participants.exclude(email="").values_list("email", flat=True),
        host_id=session.host_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_bulk_add(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    context = {"title": _("Add several people"), "session": session, "role_help": bulk.ROLE_HELP}
    form = BulkAddForm()
    if request.method == "POST" and request.POST.get("action") == "confirm":
        confirm = BulkConfirmForm(request.POST)
        if confirm.is_valid():
            text = confirm.cleaned_data["text"]
            try:
                rows = _parse(session, text)
            except bulk.BulkInputError as error:
                form = BulkAddForm(initial={"text": text})
                messages.error(request, str(error))
            else:
                if rows and all(row.ok for row in rows):
                    roster_services.roster_import(session=session, rows=rows)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s person was added to the roster.",
                            "%(count)s people were added to the roster.",
                            len(rows),
                        )
                        % {"count": len(rows)},
                    )
                    return redirect("sessions_app:participant_links", pk=session.pk)
                return _bulk_preview(request, context, text, rows)
        else:
            messages.error(request, _("Nothing came back to save. Paste the lines again."))
    elif request.method == "POST":
        form = BulkAddForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.content
            try:
                rows = _parse(session, text)
            except bulk.BulkInputError as error:
                form.add_error("file" if form.cleaned_data.get("file") else "text", str(error))
            else:
                if rows:
                    return _bulk_preview(request, context, text, rows)
                form.add_error("text", _("No one was found in what you gave."))
    return render(request, "sessions_app/bulk_add.html", {**context, "form": form})


def _bulk_preview(request, context, text, rows):
    errors = sum(1 for row in rows if not row.ok)
    return render(
        request,
        "sessions_app/bulk_preview.html",
        {
            **context,
            "title": _("Check before saving"),
            "rows": rows,
            "error_count": errors,
            "confirm_form": BulkConfirmForm(initial={"text": text}),
            "form": BulkAddForm(initial={"text": text}),
        },
    )


# Personal links, QR codes and invitations -----------------------------------------


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
    not_invited = session.participants.active().filter(invited_at__isnull=True)
    return render(
        request,
        "sessions_app/participant_links.html",
        {
            "title": _("Personal AAR links"),
            "session": session,
            "page_obj": page,
            "participants": page.object_list,
            "next": request.get_full_path(),
            "to_invite": not_invited.exclude(email="").count(),
            "no_email": not_invited.filter(email="").count(),
        },
    )


@login_required
def participant_link(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    if participant.removed_at is not None:
        messages.info(request, _("%(name)s is not on the roster.") % {"name": participant})
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
    return _svg_response(qr_svg(participant.get_absolute_aar_url()))


def _send_failed(request) -> None:
    messages.error(request, _("The email could not be sent. Please try again later."))


@login_required
@require_POST
def participant_invite(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    if participant.removed_at is not None:
        messages.error(request, _("%(name)s is not on the roster.") % {"name": participant})
    else:
        try:
            sent = roster_services.invitation_send(participant=participant)
        except OSError:
            _send_failed(request)
        else:
            if sent:
                messages.success(
                    request,
                    _("An invitation was sent to %(name)s (%(email)s).")
                    % {"name": participant.full_name, "email": participant.email},
                )
            else:
                messages.warning(
                    request,
                    _("%(name)s has no email address. Copy the link or show the QR code.")
                    % {"name": participant.full_name},
                )
    return _back(request, _links_url(session, participant))


@login_required
@require_POST
def participants_invite_all(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    not_invited = session.participants.active().filter(invited_at__isnull=True)
    to_send = list(not_invited.exclude(email=""))
    no_email = not_invited.filter(email="").count()
    try:
        sent, _skipped = roster_services.invitations_send(participants=to_send)
    except OSError:
        _send_failed(request)
        return redirect(_links_url(session))
    if sent:
        messages.success(
            request,
            ngettext("%(count)s invitation was sent.", "%(count)s invitations were sent.", sent)
            % {"count": sent},
        )
    else:
        messages.info(request, _("Everyone with an email address has been invited already."))
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


# Walk-in ----------------------------------------------------------------------------


def _join_url(session) -> str:
    return settings.SITE_URL + reverse("sessions_app:walkin_join", args=[session.walkin_code])


@login_required
def walkin_screen(request, pk):
    # Editors only: the code lets anyone join the roster and write an AAR.
    session, can_edit = get_session_for_user(request, pk, edit=True)
    return render(
        request,
        "sessions_app/walkin_screen.html",
        {
            "title": _("Join: %(title)s") % {"title": session.title},
            "session": session,
            "can_edit": can_edit,
            "join_url": _join_url(session),
            # Shorter to read off a screen and type: browsers add the scheme.
            "join_url_display": _join_url(session).split("://", 1)[-1],
            "walkin_count": session.participants.active().walkins().count(),
        },
    )


@never_cache
@login_required
def walkin_qr(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    return _svg_response(qr_svg(_join_url(session)))


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
    return _back(request, reverse("sessions_app:walkin_screen", args=[session.pk]))


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
            participant, outcome = roster_services.walkin_join(session=session, data=form.cleaned_data)
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
