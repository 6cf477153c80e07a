from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness for load balancers and the benchmark floor: touches no database."""
    return HttpResponse("OK", content_type="text/plain")


def csrf_failure(request, reason=""):
    # The participant's text is also kept in the browser (localStorage), so the page
    # tells them so instead of leaving them to think it is gone.
    return render(request, "403_csrf.html", {"title": _("Your form expired")}, status=403)


def locked_out(request, response=None, credentials=None):
    """django-axes: too many wrong passwords; say so plainly, in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"title": _("Sign-in locked for now"), "minutes": minutes},
        status=429,
    )


def bad_request(request, exception=None):
    return render(request, "400.html", {"title": _("Bad request")}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"title": _("Not allowed")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"title": _("Page not found")}, status=404)


def server_error(request):
    return render(request, "500.html", {"title": _("Something went wrong")}, status=500)
