"""Peers' recommendations, recorded during or after the session, and the host's response
to each: the only writers of ``Recommendation``.

- ``recommendation_add`` / ``recommendations_add_many``: quick entry and bulk paste;
- ``recommendation_move``, ``recommendation_remove`` / ``recommendation_restore``:
  order, and removal that keeps the row (the session's history) so it can come back;
- ``response_save``: adopt / adapt / not adopted, with the reason, the owner on the host
  team and a date; an adopted or adapted one can become a commitment of its owner, in
  the same transaction (``commitment_from_recommendation``), at most once;
- ``responses_notify``: the worker's task that tells each peer who gave advice, once
  (``ReminderLog.Kind.RESPONSES``), that the host has responded.
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django_tasks import task

from aar.commitments import recount_commitments
from aar.followup import lock_participant, personal_email, stop_emails_url
from aar.models import (
    AAR,
    COMMITMENT_MAX_LENGTH,
    COMMITMENTS_MAX,
    Commitment,
    Recommendation,
    ReminderLog,
)
from aar.services import AlreadyErased, aar_save
from aar.signals import aar_text_changed, session_text_changed
from peerassist.mail import queue_email
from sessions_app.models import AssistSession, Organisation, Participant

# Bulk paste: a session has tens of recommendations; these keep a paste of a whole
# document (5 MB, 10,000 lines) to a clear message instead of a slow page.
BULK_MAX_LINES = 300
BULK_MAX_BYTES = 512 * 1024


def staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Reading --------------------------------------------------------------------------


def current_recommendations(session: AssistSession):
    """The session's recommendations in order, with everything a list shows: one query."""
    return (
        session.recommendations.current()
        .select_related("given_by__organisation", "given_by_organisation", "response_owner")
        .order_by("position", "pk")
    )


def removed_recommendations(session: AssistSession):
    return (
        session.recommendations.filter(removed_at__isnull=False)
        .select_related("given_by", "given_by_organisation", "removed_by")
        .order_by("-removed_at", "-pk")
    )


def giver_people(session: AssistSession):
    """Who may be named as giving a recommendation: the people on the roster."""
    return (
        session.participants.active()
        .filter(erased_at__isnull=True)
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


def giver_organisations(session: AssistSession):
    """The session's peer organisations, and its host."""
    return (
        Organisation.objects.filter(Q(peer_sessions=session) | Q(pk=session.host_id))
        .distinct()
        .order_by("name")
    )


def host_team(session: AssistSession):
    """Who may own a response: the host team on the roster."""
    return (
        session.participants.active()
        .filter(role=Participant.Role.HOST, erased_at__isnull=True)
        .order_by("full_name", "pk")
    )


def responses_for_participant(participant: Participant) -> list[Recommendation]:
    """The session's current recommendations that have the host's response, in order,
    each with ``is_own``: given by this person, or by their organisation without a
    person named. For the partial ``aar/_responses_for_participant.html``."""
    rows = list(
        Recommendation.objects.filter(session_id=participant.session_id)
        .responded()
        .select_related("given_by", "given_by_organisation", "response_owner")
        .order_by("position", "pk")
    )
    for row in rows:
        row.is_own = row.given_by_id == participant.pk or (
            row.given_by_id is None
            and participant.organisation_id is not None
            and row.given_by_organisation_id == participant.organisation_id
        )
    return rows


# --- Writing the recommendations ------------------------------------------------------


def _next_position(session: AssistSession) -> int:
    # Removed ones count too: one restored keeps a place of its own.
    last = Recommendation.objects.filter(session=session).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _check_giver(session: AssistSession, given_by, given_by_organisation) -> None:
    """A giver must belong to this session (the form offers no other; this is the
    service's own guard)."""
    if given_by is not None and given_by.session_id != session.pk:
        raise ValueError("the person is on another session's roster")
    if given_by_organisation is not None and not (
        giver_organisations(session).filter(pk=given_by_organisation.pk).exists()
    ):
        raise ValueError("the organisation is not the host or a peer of this session")


@transaction.atomic
def recommendation_add(
    *,
    session: AssistSession,
    text: str,
    given_by: Participant | None = None,
    given_by_organisation: Organisation | None = None,
    theme: str = "",
    created_by=None,
) -> Recommendation:
    return recommendations_add_many(
        session=session,
        texts=[text],
        given_by=given_by,
        given_by_organisation=given_by_organisation,
        theme=theme,
        created_by=created_by,
    )[0]


@transaction.atomic
def recommendations_add_many(
    *,
    session: AssistSession,
    texts: list[str],
    given_by: Participant | None = None,
    given_by_organisation: Organisation | None = None,
    theme: str = "",
    created_by=None,
) -> list[Recommendation]:
    """Append the recommendations in order, all or none, with the same giver and theme.
    The session's row is locked first, so two note-takers adding at once get positions
    of their own."""
    _check_giver(session, given_by, given_by_organisation)
    AssistSession.objects.select_for_update().only("pk").get(pk=session.pk)
    start = _next_position(session)
    if given_by is not None:
        given_by_organisation = None  # the person's own organisation is theirs
    added = Recommendation.objects.bulk_create(
        Recommendation(
            session=session,
            position=start + n,
            text=text,
            given_by=given_by,
            given_by_organisation=given_by_organisation,
            theme=theme,
            created_by=created_by,
        )
        for n, text in enumerate(texts)
    )
    session_text_changed(session.pk)
    return added


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, text: str, given_by, given_by_organisation, theme: str
) -> Recommendation:
    _check_giver(recommendation.session, given_by, given_by_organisation)
    recommendation.text = text
    recommendation.given_by = given_by
    recommendation.given_by_organisation = None if given_by is not None else given_by_organisation
    recommendation.theme = theme
    recommendation.save(
        update_fields=["text", "given_by", "given_by_organisation", "theme", "updated_at"]
    )
    session_text_changed(recommendation.session_id)
    return recommendation


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, up: bool) -> bool:
    """Swap with the one before (``up``) or after it. The positions of the session's
    current recommendations are renumbered 0, 1, 2… as they are read, so ties or gaps
    left by removals never stop a move. False when it is already first (last)."""
    AssistSession.objects.select_for_update().only("pk").get(pk=recommendation.session_id)
    rows = list(
        Recommendation.objects.filter(session_id=recommendation.session_id)
        .current()
        .only("pk", "position")
        .order_by("position", "pk")
    )
    index = next((i for i, row in enumerate(rows) if row.pk == recommendation.pk), None)
    other = None if index is None else (index - 1 if up else index + 1)
    if other is None or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    Recommendation.objects.bulk_update(changed, ["position"])
    session_text_changed(recommendation.session_id)
    return True


@transaction.atomic
def recommendation_remove(*, recommendation: Recommendation, removed_by) -> None:
    """Take off the list; the row stays in the session's history (and can be restored)."""
    recommendation.removed_at = timezone.now()
    recommendation.removed_by = removed_by
    recommendation.save(update_fields=["removed_at", "removed_by", "updated_at"])
    session_text_changed(recommendation.session_id)


@transaction.atomic
def recommendation_restore(*, recommendation: Recommendation) -> None:
    """Back on the list, at its old place."""
    recommendation.removed_at = None
    recommendation.removed_by = None
    recommendation.save(update_fields=["removed_at", "removed_by", "updated_at"])
    session_text_changed(recommendation.session_id)


# --- The host's response ----------------------------------------------------------------


class CommitmentRefused(Exception):
    """The recommendation cannot become a commitment of this owner; the message says why."""


@transaction.atomic
def response_save(
    *,
    recommendation: Recommendation,
    response: str,
    reason: str = "",
    owner: Participant | None = None,
    due=None,
    make_commitment: bool = False,
    responded_by=None,
    responder_name: str = "",
) -> Recommendation:
    """Record the host's response. With ``make_commitment`` (adopt or adapt, with an
    owner), the recommendation also becomes a commitment of its owner, in this
    transaction, unless it already is one. The peers who gave it are told by email once
    the transaction commits (``responses_notify``, in the worker).

    ``responder_name``: who responded when it is not a signed-in user (a host-team
    member by their personal link, ``responded_by`` None); the owner's AAR version that
    a commitment makes is marked saved by them.

    Raises CommitmentRefused (and saves nothing) when the commitment cannot be made."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    locked.response = response
    locked.response_reason = reason
    locked.response_owner = owner
    locked.response_due = due
    locked.responded_at = timezone.now()
    locked.responded_by = responded_by
    fields = ["response", "response_reason", "response_owner", "response_due"]
    fields += ["responded_at", "responded_by", "updated_at"]
    if make_commitment and locked.commitment_id is None:
        if response == Recommendation.Response.NOT_ADOPTED or owner is None:
            raise CommitmentRefused("an adopted or adapted recommendation with an owner")
        locked.commitment = commitment_from_recommendation(
            recommendation=locked,
            owner=owner,
            due=due,
            saved_by=staff_name(responded_by) if responded_by else responder_name,
        )
        fields.append("commitment")
    locked.save(update_fields=fields)
    session_text_changed(locked.session_id)
    session_pk = locked.session_id
    transaction.on_commit(lambda: responses_notify.enqueue(session_pk))
    return locked


def commitment_from_recommendation(
    *, recommendation: Recommendation, owner: Participant, due, saved_by: str
) -> Commitment:
    """Append the recommendation to the owner's commitments: their AAR is made first if
    they have none (through ``aar_save``, so the follow-up counts stay right), and the
    session's commitment counts are recounted. The caller holds the transaction."""
    if owner.session_id != recommendation.session_id:
        raise CommitmentRefused("the owner is on another session's roster")
    if len(recommendation.text) > COMMITMENT_MAX_LENGTH:
        raise CommitmentRefused("too long")
    # The owner's row first, as aar_save locks it: their commitments are counted under it.
    Participant.objects.select_for_update().only("pk").get(pk=owner.pk)
    aar = AAR.objects.filter(participant=owner).first()
    if aar is not None and aar.commitments.count() >= COMMITMENTS_MAX:
        raise CommitmentRefused("full")
    if aar is None:
        try:
            aar = aar_save(participant=owner, data={}, submit=False, saved_by=saved_by)
        except AlreadyErased:
            raise CommitmentRefused("erased") from None
    last = aar.commitments.aggregate(last=Max("position"))["last"]
    commitment = Commitment.objects.create(
        aar=aar,
        position=0 if last is None else last + 1,
        text=recommendation.text,
        due_date=due,
    )
    recount_commitments(recommendation.session_id)
    aar_text_changed(aar, recommendation.session_id)
    return commitment


# --- Telling the peers, once ----------------------------------------------------------


def responses_recipients(session_pk: int):
    """The peers to tell that the host has responded: whoever gave a recommendation that
    now has a response (the person named, or, for an organisation, its people on the
    roster), with an email, who has not stopped emails and was not told before."""
    responded = Recommendation.objects.filter(session_id=session_pk).responded()
    return (
        Participant.objects.active()
        .filter(session_id=session_pk, erased_at__isnull=True, emails_stopped_at__isnull=True)
        .exclude(email="")
        .filter(
            Q(pk__in=responded.filter(given_by__isnull=False).values("given_by"))
            | Q(
                organisation__in=responded.filter(
                    given_by__isnull=True, given_by_organisation__isnull=False
                ).values("given_by_organisation")
            )
        )
        .exclude(reminders__kind=ReminderLog.Kind.RESPONSES)
        .order_by("pk")
    )


def _responses_email(participant: Participant):
    session = participant.session
    with translation.override(participant.language):
        context = {
            "participant": participant,
            "session": session,
            "responses": [r for r in responses_for_participant(participant) if r.is_own],
            "link": participant.get_absolute_aar_url(),
            "stop_link": stop_emails_url(participant),
        }
        return personal_email(participant, template="responses", context=context, html=True)


@task()
def responses_notify(session_pk: int) -> int:
    """Queue the "the host has responded" email to each peer still to be told (the
    worker runs this; ``peerassist.mail`` sends each email as a task of its own); the
    number queued. Each person is handled in a transaction of their own with their row
    locked and the rule checked again under the lock, so a task run twice, or two at
    once, tell a person once; a ``ReminderLog`` of kind RESPONSES records it."""
    queued = 0
    for pk in list(responses_recipients(session_pk).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = lock_participant(pk)
            if locked is None or not responses_recipients(session_pk).filter(pk=pk).exists():
                continue
            sent = queue_email(
                _responses_email(locked),
                key=f"responses:{locked.pk}",
                kind="responses",
                session_pk=session_pk,
                participant_pk=locked.pk,
            )
            if sent:
                ReminderLog.objects.create(
                    participant=locked,
                    channel=ReminderLog.Channel.EMAIL,
                    kind=ReminderLog.Kind.RESPONSES,
                )
                queued += 1
    return queued
