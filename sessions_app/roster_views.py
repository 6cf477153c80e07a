from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sessions_app.models import AssistSession


def walkin_join(request, code):
    get_object_or_404(AssistSession, walkin_code=code, walkin_open=True)
    return render(
        request,
        "placeholder.html",
        {"title": _("Join this session"), "coming": _("Joining by walk-in is coming soon.")},
    )
