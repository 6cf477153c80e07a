"""Sign-in rules beyond Django's: no demo account on a real server, and a limit per address.

Both run inside ``authenticate()``, so the sign-in form and the admin's are covered alike.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum

# What `manage.py load_demo` creates: these usernames, each with <username>@example.org
# and this published password. A real person called "aor" has a real address.
DEMO_USERNAMES = ("demo", "aor")
DEMO_PASSWORD = "peerassist-demo"


def demo_users():
    """The demo accounts that load_demo created, as a QuerySet."""
    match = Q(pk__in=[])
    for username in DEMO_USERNAMES:
        match |= Q(username=username, email__iexact=f"{username}@example.org")
    return get_user_model().objects.filter(match)


class DemoAccountBackend:
    """Listed before ModelBackend: where DEMO_USER_ALLOWED is off, the published demo
    password opens no account, and a demo account does not open whatever its password.

    Raising PermissionDenied stops Django trying the later backends; the form shows its
    usual "wrong username or password", and axes counts a failure. No ``get_user`` (so
    not BaseBackend): this backend never signs anyone in, and a session or the test
    client's force_login must not be bound to it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.DEMO_USER_ALLOWED:
            return None
        if password == DEMO_PASSWORD:
            raise PermissionDenied
        if username in DEMO_USERNAMES and demo_users().filter(username=username).exists():
            raise PermissionDenied
        return None


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler, plus a limit per address across all usernames.

    axes locks a username on one address (AXES_LOCKOUT_PARAMETERS), so an attacker
    elsewhere cannot lock a user out. That alone lets one address try a few passwords at
    every username (password spraying); so an address with LOGIN_FAILURES_PER_ADDRESS
    failures within the cool-off time is refused for any username. Counted from axes'
    own records, in the database, so every worker and server agrees.
    """

    def is_locked(self, request, credentials=None) -> bool:
        # Asked by AxesStandaloneBackend before the password is checked: refuse.
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # After a failure is recorded, axes flags the request (so AxesMiddleware shows the
        # locked-out page) from its own count only; flag it for the address's too.
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def address_is_locked(self, request) -> bool:
        limit = settings.LOGIN_FAILURES_PER_ADDRESS
        if not limit or not getattr(request, "axes_ip_address", None):
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= limit
