"""Earlier versions of an AAR, for the organisers: no edit loses what was written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aar.models import AAR, AARVersion, parts_of
from aar.on_behalf_views import staff_name
from aar.services import AlreadyErased, aar_restore
from peerassist.dates import format_thai_date
from sessions_app.access import get_participant_for_user


@login_required
def aar_history(request, pk, participant_pk):
    participant, can_edit = get_participant_for_user(request, pk, participant_pk)
    aar = get_object_or_404(AAR, participant=participant)
    versions = Paginator(aar.versions.all(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "aar/aar_history.html",
        {
            "title": _("Earlier versions of %(name)s's AAR") % {"name": participant.full_name},
            "session": participant.session,
            "participant": participant,
            "aar": aar,
            "versions": versions,
            "can_edit": can_edit,
            # The parts readers see without the writer's name (the organisers see all).
            "anonymous_labels": [
                str(part.label) for part in parts_of(aar.question_set) if aar.is_anonymous(part.key)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def aar_restore_version(request, pk, participant_pk, version_pk):
    """Restore an earlier version's answers, after a confirmation page (the session's
    editors). Nothing is lost: the restore is a new version."""
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    version = get_object_or_404(
        AARVersion.objects.select_related("aar__question_set"),
        pk=version_pk,
        aar__participant=participant,
    )
    history = reverse_history(participant)
    if request.method == "POST":
        try:
            aar_restore(version=version, restored_by=staff_name(request.user))
        except AlreadyErased:
            messages.error(
                request, _("This person's data was erased: there is nothing to restore.")
            )
            return redirect(history)
        messages.success(
            request,
            _(
                "The version of %(when)s is the AAR's text again. The text before it is kept in the history."
            )
            % {"when": format_thai_date(version.saved_at, with_time=True)},
        )
        return redirect(history)
    return render(
        request,
        "aar/aar_restore_confirm.html",
        {
            "title": _("Restore this version of %(name)s's AAR?") % {"name": participant.full_name},
            "session": participant.session,
            "participant": participant,
            "version": version,
            "history_url": history,
        },
    )


def reverse_history(participant) -> str:
    return reverse("history:aar", args=[participant.session_id, participant.pk])
