"""Roster workflows: bulk import, invitations and walk-in joins."""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from sessions_app.bulk import Row
from sessions_app.models import AssistSession, Participant


class RosterImportError(ValueError):
    """Some rows have errors: nothing is saved."""


class WalkinClosed(Exception):
    pass


class WalkinFull(Exception):
    pass


@transaction.atomic
def roster_import(*, session: AssistSession, rows: Sequence[Row]) -> list[Participant]:
    """Save every row, or none: the caller checks the rows first (``bulk.parse``)."""
    if not rows or any(not row.ok for row in rows):
        raise RosterImportError("every row must be valid")
    participants = [Participant(session=session, **row.participant_fields()) for row in rows]
    for participant in participants:
        participant.email = participant.email.strip().lower()
    return Participant.objects.bulk_create(participants)


def invitation_send(*, participant: Participant) -> bool:
    """Email one participant their personal AAR link, in their language.

    Returns False (and sends nothing) when there is no email address. The time of the
    invitation is recorded once the message has gone.
    """
    if not participant.email:
        return False
    session = participant.session
    with translation.override(participant.language):
        context = {
            "participant": participant,
            "session": session,
            "link": participant.get_absolute_aar_url(),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
        body = render_to_string("emails/invitation_body.txt", context)
        html = render_to_string("emails/invitation_body.html", context)
    message = EmailMultiAlternatives(subject, body, to=[participant.email])
    message.attach_alternative(html, "text/html")
    message.send()
    participant.mark_invited()
    return True


def invitations_send(*, participants: Iterable[Participant]) -> tuple[int, int]:
    """Invite several people; (sent, skipped for want of an email address)."""
    sent = skipped = 0
    for participant in participants:
        if invitation_send(participant=participant):
            sent += 1
        else:
            skipped += 1
    return sent, skipped


@transaction.atomic
def walkin_join(*, session: AssistSession, data: dict) -> tuple[Participant, bool]:
    """Put a walk-in on the roster; (participant, created).

    The same email a second time is the same person: they get their own participant
    back (and are put back on the roster if they had been removed), never a duplicate.
    """
    # Lock the session row so that two joins cannot both pass the cap check.
    session = AssistSession.objects.select_for_update().get(pk=session.pk)
    if not session.walkin_open:
        raise WalkinClosed
    email = (data.get("email") or "").strip().lower()
    if email:
        existing = session.participants.filter(email=email).first()
        if existing is not None:
            if existing.removed_at is not None:
                existing.removed_at = None
                existing.save(update_fields=["removed_at"])
            return existing, False
    if session.participants.active().walkins().count() >= settings.WALKIN_MAX_PARTICIPANTS:
        raise WalkinFull
    participant = Participant.objects.create(
        session=session,
        full_name=data["full_name"],
        email=email,
        organisation=data.get("organisation"),
        role=data["role"],
        language=data["language"],
        joined_by_walkin=True,
    )
    return participant, True
