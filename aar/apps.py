from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AarConfig(AppConfig):
    name = "aar"
    verbose_name = _("After Action Reviews")

    def ready(self):
        from django.db.models.signals import post_migrate

        from aar.models import AAR, AAR_PARTS
        from peerassist.middleware import DatabaseFailureMiddleware

        post_migrate.connect(_ensure_tally_triggers, sender=self)
        # A post that the database could not take shows the AAR's words under their
        # own labels, not their field names.
        DatabaseFailureMiddleware.labels.update(
            {name: AAR._meta.get_field(name).verbose_name for name in AAR_PARTS}
        )


def _ensure_tally_triggers(using, **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds it: put them back."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from aar import tally

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("aar", "0003_followup_tally") in applied:
        tally.ensure_triggers(connection)
