"""What apps built on top of aar listen to: sent explicitly by the code that writes
searchable text, inside its transaction, never from ``post_save``.

``text_changed`` carries ``session_id`` and ``aar_id``: with an ``aar_id``, that AAR's
own text changed (its answers, its commitments or their outcomes, who may read it or
how it is shown); without one, the session's own text did (its peers'
recommendations, the host's responses, the team's review of the method). The search
index (lessons) is kept current from it, in the same transaction as the write.
"""

from django.dispatch import Signal

text_changed = Signal()


def aar_text_changed(aar, session_id: int | None = None) -> None:
    """``aar`` as just saved; its commitments are read again by the receiver."""
    text_changed.send(
        sender=type(aar),
        session_id=session_id or aar.participant.session_id,
        aar_id=aar.pk,
        aar=aar,
    )


def session_text_changed(session_id: int) -> None:
    text_changed.send(sender=None, session_id=session_id, aar_id=None)


# Sent by ``participant_erase`` inside its transaction: apps above aar erase what they
# keep of the person (lessons: the comments they wrote). Argument: ``participant``.
participant_erased = Signal()
