from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sessions_app.models import Participant


def entry(request, token):
    participant = get_object_or_404(Participant.objects.active(), token=token)
    return render(
        request,
        "placeholder.html",
        {
            "title": participant.session.title,
            "coming": _("Writing your AAR here is coming soon."),
        },
    )
