"""Reminders from the follow-up page: to everyone missing, to one person, or copied to
send by chat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aar.followup import REMINDER_GAP, SKIP_REASONS, reminder_log_copied, reminder_send
from aar.followup_queries import missing_aar
from peerassist.dates import format_thai_date
from sessions_app.access import get_participant_for_user, get_session_for_user


def _report(request, result):
    if result.sent:
        # What was done, by name, and when it may be done again (the follow-up page
        # keeps saying so, beside the button, until then).
        messages.success(
            request,
            ngettext(
                "Sent %(count)d reminder, to %(names)s. The next one to them can be sent "
                "from %(when)s.",
                "Sent %(count)d reminders, to %(names)s. The next ones to them can be sent "
                "from %(when)s.",
                len(result.sent),
            )
            % {
                "count": len(result.sent),
                "names": ", ".join(participant.full_name for participant in result.sent),
                "when": format_thai_date(
                    max(p.last_reminded_at for p in result.sent) + REMINDER_GAP,
                    with_time=True,
                ),
            },
        )
    for participant, reason in result.skipped:
        messages.warning(
            request,
            _("Skipped %(name)s: %(reason)s.")
            % {"name": participant.full_name, "reason": SKIP_REASONS[reason]},
        )
    if not result.sent and not result.skipped:
        messages.info(request, _("Nobody needs a reminder: every AAR is in."))


@login_required
@require_POST
def remind_all(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    missing = missing_aar(session.participants.active()).order_by("full_name", "pk")
    _report(request, reminder_send(participants=list(missing), sent_by=request.user))
    return redirect("followup:session", pk=session.pk)


@login_required
@require_POST
def remind_one(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    _report(request, reminder_send(participants=[participant], sent_by=request.user))
    return redirect("followup:session", pk=pk)


@login_required
@require_POST
def reminder_copied(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    reminder_log_copied(participant=participant, sent_by=request.user)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    messages.success(
        request,
        _("Logged: the reminder for %(name)s was copied to send by chat.")
        % {"name": participant.full_name},
    )
    return redirect("followup:session", pk=pk)
