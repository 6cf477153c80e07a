"""The roster, one person at a time: add, edit and remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions_app import roster_services
from sessions_app.access import get_participant_for_user, get_session_for_user
from sessions_app.roster_common import off_roster
from sessions_app.roster_forms import ParticipantForm


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
                roster_services.participant_add(participant=participant)
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
        roster_services.participant_update(
            participant=form.save(commit=False), role_changed="role" in form.changed_data
        )
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
    if off_roster(request, participant):
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
