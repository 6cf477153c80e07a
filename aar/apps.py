from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AarConfig(AppConfig):
    name = "aar"
    verbose_name = _("After Action Reviews")

    def ready(self):
        from aar.models import AAR, AAR_PARTS
        from peerassist.middleware import DatabaseFailureMiddleware

        # A post that the database could not take shows the AAR's words under their
        # own labels, not their field names.
        DatabaseFailureMiddleware.labels.update(
            {name: AAR._meta.get_field(name).verbose_name for name in AAR_PARTS}
        )
