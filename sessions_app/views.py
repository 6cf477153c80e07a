from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from sessions_app.access import get_session_for_user
from sessions_app.models import AssistSession


@login_required
def home(request):
    sessions = AssistSession.objects.for_user(request.user).select_related("host")[:20]
    return render(request, "sessions_app/home.html", {"title": _("My sessions"), "sessions": sessions})


@login_required
def session_detail(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    return render(
        request,
        "placeholder.html",
        {"title": session.title, "coming": _("The full session page is coming soon.")},
    )

