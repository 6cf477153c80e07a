from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _


@login_required
def dashboard(request):
    return render(
        request,
        "placeholder.html",
        {"title": _("Follow-up"), "coming": _("The follow-up dashboard is coming soon.")},
    )
