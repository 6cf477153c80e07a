"""The one way views get a session: outsiders get 404, read-only members get 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from sessions_app.models import AssistSession, Participant


def get_session_for_user(request, pk, *, edit: bool = False) -> tuple[AssistSession, bool]:
    session = get_object_or_404(
        AssistSession.objects.for_user(request.user)
        .with_coordinates(request.user)
        .select_related("organiser", "host", "facilitator"),
        pk=pk,
    )
    can_edit = session.can_be_edited_by(request.user, coordinates=session.user_coordinates)
    if edit and not can_edit:
        raise PermissionDenied
    return session, can_edit


def get_participant_for_user(
    request, session_pk, participant_pk, *, edit: bool = False
) -> tuple[Participant, bool]:
    session, can_edit = get_session_for_user(request, session_pk, edit=edit)
    participant = get_object_or_404(
        Participant.objects.select_related("organisation"), session=session, pk=participant_pk
    )
    participant.session = session
    return participant, can_edit
