"""System checks of our own, registered by sessions_app's AppConfig.ready()."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_accounts_removed(app_configs, **kwargs):
    """`make serve` on a database that `load_demo` once filled would keep a superuser
    whose password is in the README. Sign-in refuses it (peerassist.auth), but the
    accounts should go. Run by `check --deploy`, which `make serve` runs before migrate:
    a database without tables yet has no demo accounts."""
    if settings.DEMO_USER_ALLOWED:
        return []
    from peerassist.auth import demo_users

    try:
        usernames = sorted(demo_users().values_list("username", flat=True))
    except DatabaseError:  # no tables yet, or no database to reach: nothing to report
        return []
    if not usernames:
        return []
    return [
        Error(
            f"The demo accounts {', '.join(usernames)} exist, and their password is public.",
            hint="Remove them with: python manage.py remove_demo",
            id="peerassist.E001",
        )
    ]
