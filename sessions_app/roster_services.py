"""Roster workflows: bulk import, invitations and walk-in joins."""

import enum
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from peerassist.mail import queue_email
from sessions_app import tally
from sessions_app.bulk import Row
from sessions_app.models import AssistSession, Participant


class RosterImportError(ValueError):
    """Some rows have errors: nothing is saved."""


class WalkinClosed(Exception):
    """Walk-in is switched off, or the session is closed."""


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
    saved = Participant.objects.bulk_create(participants)
    tally.recount_session(session.pk)  # one recount for the batch
    return saved


@transaction.atomic
def participant_add(*, participant: Participant) -> Participant:
    """Put one new person on their session's roster (``participant.session`` set)."""
    participant.save()
    tally.participant_added(participant)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, role_changed: bool) -> Participant:
    """Save an edited person; a new role moves their counts to that role's
    (``tally.participant_role_changed``)."""
    participant.save()
    if role_changed:
        tally.participant_role_changed(participant)
    return participant


@transaction.atomic
def invitation_send(*, participant: Participant) -> bool:
    """Queue the email of one participant's personal AAR link, in their language; the
    background worker sends it (``peerassist.mail``).

    Returns False (and queues nothing) when there is no email address. The time of the
    invitation is recorded with the queued message. The same person invited twice in one
    minute (a double click) gets one message.
    """
    if not participant.email:
        return False
    minute = int(time.time() // 60)
    queue_email(
        _link_email(participant, "invitation"),
        key=f"invitation:{participant.pk}:{minute}",
        kind="invitation",
        session_pk=participant.session_id,
        participant_pk=participant.pk,
    )
    participant.mark_invited()
    return True


# Functions (participant) -> dict that add to the context of every link email, from the
# apps above this one (the AAR app adds the session's questions and the link to write
# before the session): sessions_app never imports them, they register here.
LINK_EMAIL_CONTEXT = []


def _link_email(participant: Participant, kind: str) -> EmailMultiAlternatives:
    """The email carrying a person's personal link, from ``emails/<kind>_subject.txt``
    and ``<kind>_body.txt`` / ``.html``, in the person's language."""
    with translation.override(participant.language):
        context = {
            "participant": participant,
            "session": participant.session,
            "link": participant.get_absolute_aar_url(),
            "site_url": settings.SITE_URL,
        }
        for extra in LINK_EMAIL_CONTEXT:
            context.update(extra(participant))
        subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
        body = render_to_string(f"emails/{kind}_body.txt", context)
        html = render_to_string(f"emails/{kind}_body.html", context)
    message = EmailMultiAlternatives(subject, body, to=[participant.email])
    message.attach_alternative(html, "text/html")
    return message


def uninvited(session: AssistSession):
    """Who "invite all" emails: on the roster, never invited, with an email address, and
    no AAR begun (someone who has written one has their link already)."""
    return (
        session.participants.active()
        .filter(invited_at__isnull=True, aar__isnull=True)
        .exclude(email="")
    )


def invitations_enqueue(*, session: AssistSession) -> None:
    """Invite everyone not yet invited, in the background: the request enqueues one task
    and answers at once (rendering 2,000 emails takes the worker seconds, not the
    request). The task is safe to run twice or beside a second worker."""
    invitations_fan_out.enqueue(session.pk)


@task()
def invitations_fan_out(session_pk: int) -> int:
    """Render and queue the invitation of each person still uninvited (the worker runs
    this); the number queued. Each person is invited in their own transaction with their
    row locked and ``invited_at`` checked again, so a task run twice, or two of them at
    once, invite a person once; the emails themselves go out as separate tasks."""
    session = AssistSession.objects.filter(pk=session_pk).first()
    if session is None:
        return 0
    queued = 0
    for pk in uninvited(session).order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # The person's row alone is locked (FOR UPDATE refuses the outer join to the
            # AAR), then the rule is checked again under the lock.
            participant = Participant.objects.select_for_update().get(pk=pk)
            participant.session = session
            still = uninvited(session).filter(pk=pk).exists()
            if still and invitation_send(participant=participant):
                queued += 1
    return queued


class WalkinOutcome(enum.StrEnum):
    """What a walk-in join did; the view answers each one differently."""

    CREATED = "created"  # a new person on the roster: they may open their new AAR
    EXISTING = "existing"  # already on the roster: their link goes by email, never shown
    REMOVED = "removed"  # taken off the roster: stays off, nothing is sent


@transaction.atomic
def walkin_join(*, session: AssistSession, data: dict) -> tuple[Participant, WalkinOutcome]:
    """Put a walk-in on the roster; (participant, outcome).

    The rules hold whoever calls this, not only the walk-in page:

    - refused (``WalkinClosed``) when walk-in is switched off or the session is closed;
    - the email is normalised (stripped, lower case) before it is looked up, as
      ``Participant.save`` stores it, so a mixed-case address finds its person;
    - an email already on the roster is the same person: never a duplicate row. The
      caller must not hand that person's link to whoever typed the address (anyone may
      know it): send it to the address instead (``walkin_link_send``);
    - someone taken off the roster stays off: only the facilitator puts them back.
    """
    # Lock the session row so that two joins cannot both pass the cap check, and two
    # joins with one new email cannot both insert it.
    session = AssistSession.objects.select_for_update().get(pk=session.pk)
    if not session.walkin_open or session.is_closed:
        raise WalkinClosed
    email = (data.get("email") or "").strip().lower()
    if email:
        existing = session.participants.filter(email=email).first()
        if existing is not None:
            if existing.removed_at is not None:
                return existing, WalkinOutcome.REMOVED
            return existing, WalkinOutcome.EXISTING
    if session.participants.active().walkins().count() >= settings.WALKIN_MAX_PARTICIPANTS:
        raise WalkinFull
    participant = participant_add(
        participant=Participant(
            session=session,
            full_name=data["full_name"],
            email=email,
            organisation=data.get("organisation"),
            role=data["role"],
            language=data["language"],
            joined_by_walkin=True,
        )
    )
    return participant, WalkinOutcome.CREATED


# One walk-in link email per person in this many seconds: the join page is public, and
# anyone who knows the code and an address on the roster could otherwise flood it.
WALKIN_LINK_INTERVAL = 10 * 60


def walkin_link_send(*, participant: Participant) -> bool:
    """Email a person already on the roster their personal AAR link, in their language,
    because someone joined by walk-in with their address. False if nothing was sent (no
    address, or one was sent in the last ``WALKIN_LINK_INTERVAL`` seconds).

    Queued for the background worker (``peerassist.mail``), never sent in the request.
    """
    if not participant.email or participant.removed_at is not None:
        return False
    if not cache.add(f"walkin-link:{participant.pk}", 1, timeout=WALKIN_LINK_INTERVAL):
        return False
    window = int(time.time() // WALKIN_LINK_INTERVAL)
    return queue_email(
        _link_email(participant, "walkin_link"),
        key=f"walkin_link:{participant.pk}:{window}",
        kind="walkin_link",
        session_pk=participant.session_id,
        participant_pk=participant.pk,
    )
