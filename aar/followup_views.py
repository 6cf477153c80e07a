"""One session's follow-up: who has written, who has not, and the reminder to send."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.followup import reminder_outlook, reminder_text
from aar.followup_queries import followup_counts, with_followup_status
from peerassist.models import OutgoingEmail
from sessions_app.access import get_session_for_user


def roster_with_status(session):
    """The people on the roster with their follow-up status, most urgent first."""
    return list(
        with_followup_status(session.participants.active())
        .select_related("aar__entered_by", "aar__question_set", "organisation")
        .order_by("urgency", "full_name", "pk")
    )


def last_emails(session) -> dict:
    """Each person's latest email (queued, sent or failed, by the worker), one query."""
    rows = OutgoingEmail.objects.filter(session_pk=session.pk).order_by("created_at", "pk")
    return {
        email.participant_pk: email
        for email in rows.only("participant_pk", "kind", "status", "last_error", "created_at")
    }


@login_required
@require_GET
def session_followup(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    participants = roster_with_status(session)
    emails = last_emails(session)
    for participant in participants:
        participant.session = session
        participant.last_email = emails.get(participant.pk)
        if participant.followup_state in ("draft", "missing") and not participant.is_erased:
            participant.reminder_text = reminder_text(participant=participant)
    counts = followup_counts(session.participants.active())
    return render(
        request,
        "aar/followup_session.html",
        {
            "title": _("Follow-up: %(title)s") % {"title": session.title},
            "session": session,
            "can_edit": can_edit,
            # Erasure is the organiser's coordinators' decision (PDPA requests).
            "can_erase": session.user_coordinates,
            "participants": participants,
            "counts": counts,
            "missing_total": counts["draft"] + counts["missing"],
            # Who "send reminders" would email now, and who it leaves out until when.
            "reminders": reminder_outlook(participants),
        },
    )
