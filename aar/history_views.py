"""Earlier versions of an AAR, for the organisers: no edit loses what was written."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from aar.models import AAR
from sessions_app.access import get_participant_for_user


@login_required
def aar_history(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk)
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
        },
    )
