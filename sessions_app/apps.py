from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Peer Assist sessions")

    def ready(self):
        # peerassist is not an installed app; its system checks are registered here.
        from peerassist import checks  # noqa: F401
