from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AarConfig(AppConfig):
    name = "aar"
    verbose_name = _("After Action Reviews")
