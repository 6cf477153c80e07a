"""Saving a participant's AAR: the one place a participant's words are written."""

from django.db import transaction

from aar.models import AAR, AAR_PARTS, AARVersion
from sessions_app.models import Participant


@transaction.atomic
def aar_save(*, participant: Participant, data: dict, submit: bool, saved_by: str = "") -> AAR:
    """Save the four parts (and the sharing choice) as a draft, or submit them.

    Two posts at once (a double tap, or two tabs) must still make one AAR: the
    participant's row is locked first (PostgreSQL), and SQLite's IMMEDIATE transactions
    serialise writers, so the second post finds and updates the AAR the first created.
    Every save also keeps a version, so no edit loses earlier writing.
    """
    Participant.objects.select_for_update().only("pk").get(pk=participant.pk)
    aar, _created = AAR.objects.get_or_create(participant=participant)
    for name in AAR_PARTS:
        setattr(aar, name, data[name])
    aar.sharing = data.get("sharing") or AAR.Sharing.PARTICIPANTS
    if submit:
        aar.submit()
    aar.save()
    AARVersion.objects.create(
        aar=aar,
        status=aar.status,
        saved_by=saved_by or participant.full_name,
        **{name: getattr(aar, name) for name in AAR_PARTS},
    )
    return aar
