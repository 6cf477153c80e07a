from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        from aar.signals import text_changed
        from lessons.index import on_text_changed

        # The writers of AAR text (aar.services and friends) send this inside their
        # transaction; the search index changes with the text or not at all.
        text_changed.connect(on_text_changed, dispatch_uid="lessons.index")
