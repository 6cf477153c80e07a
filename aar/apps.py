from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AarConfig(AppConfig):
    name = "aar"
    verbose_name = _("After Action Reviews")

    def ready(self):
        from aar.models import ARMY_PARTS, KMI_PARTS
        from aar.questions import link_email_context
        from peerassist.middleware import DatabaseFailureMiddleware
        from sessions_app.roster_services import LINK_EMAIL_CONTEXT

        if link_email_context not in LINK_EMAIL_CONTEXT:
            LINK_EMAIL_CONTEXT.append(link_email_context)
        # As Django does for content types: the built-in question sets' rows exist after
        # every migrate, and after a test database's flush.
        post_migrate.connect(ensure_built_in_sets, sender=self)

        # A post that the database could not take shows the AAR's words under their
        # own labels, not their field names.
        DatabaseFailureMiddleware.labels.update(
            {part.key: part.label for part in (*KMI_PARTS, *ARMY_PARTS)}
        )


def ensure_built_in_sets(using="default", **kwargs):
    from aar.models import BUILT_IN_SETS, QuestionSet

    for slug in BUILT_IN_SETS:
        QuestionSet.objects.using(using).get_or_create(slug=slug)
