"""Signals for the layers above (``lessons``), which sessions_app must not import.

Both are sent inside the writer's transaction, before the change is saved, so a receiver
reads the session as it was and its work rolls back with the write.
"""

from django.dispatch import Signal

# Before a session's changes are saved, with the new ``organiser_id`` and ``date``
# (``session_id`` too): what is counted by organisation and month moves with it.
session_moving = Signal()
# Before a session is deleted (``session_id``): its AARs' counts leave with it.
session_deleting = Signal()
