from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        from aar.signals import participant_erased, text_changed
        from lessons.comments import comments_erase
        from lessons.index import on_text_changed
        from lessons.themes import on_session_deleting, on_session_moving
        from sessions_app.signals import session_deleting, session_moving

        # The writers of AAR text (aar.services and friends) send this inside their
        # transaction; the search index changes with the text or not at all.
        text_changed.connect(on_text_changed, dispatch_uid="lessons.index")
        # Inside participant_erase's transaction: the comments the person wrote keep
        # their place, without their text or name.
        participant_erased.connect(comments_erase, dispatch_uid="lessons.comments")
        # Inside the session writers' transactions, before the change: the theme
        # counts follow a session to its new organisation or month, or leave with it.
        session_moving.connect(on_session_moving, dispatch_uid="lessons.themes.move")
        session_deleting.connect(on_session_deleting, dispatch_uid="lessons.themes.delete")
