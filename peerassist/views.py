from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
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


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and a new password by email also lifts that account's sign-in lock-outs:
    whoever reads the mailbox is the owner, and should not wait out the cool-off."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


def bad_request(request, exception=None):
    # Django's limits on one request's body (DATA_UPLOAD_MAX_MEMORY_SIZE and the field
    # and file counts) raise these before any form sees the data: say which limit, and
    # that an AAR being written is still kept in the browser.
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        context = {
            "title": _("Too much to send at once"),
            "too_big": isinstance(exception, RequestDataTooBig),
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            # A participant (no account) on their personal link, or staff on a form.
            "personal_link": request.path.startswith("/aar/"),
        }
        return render(request, "413.html", context, status=413)
    return render(request, "400.html", {"title": _("Bad request")}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"title": _("Not allowed")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"title": _("Page not found")}, status=404)


def server_error(request):
    return render(request, "500.html", {"title": _("Something went wrong")}, status=500)
