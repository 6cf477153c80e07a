"""The time-driven work, which ``manage.py run_scheduled`` does every few minutes: the
AAR reminders and the end of retention (as ``send_aar_reminders`` does), the check-backs
on commitments that are due, and the personal summary once a session's AARs are in.

Everything here is idempotent and safe when two servers run it at once:

- each check-back is for one person, in a transaction of their own with their row
  locked, and the rules are checked again under the lock (``checkbacks_sent`` says
  which check-back they had); its email's key (``checkback:<person>:<n>``) is queued once;
- the summaries of one session go out in one transaction with the session's row locked
  and ``summaries_queued_at`` checked again under the lock, then set; each email's key
  (``summary:<person>``) is queued once.

Emails are queued for the worker (``peerassist.mail``), never sent here.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aar.commitments import checkback_number_due
from aar.followup import (
    SKIP_REASONS,
    ReminderResult,
    lock_participant,
    personal_email,
    reminder_send,
    scheduled_candidates,
    stop_emails_url,
)
from aar.models import AAR, Commitment, ReminderLog
from aar.services import retention_cutoff, retention_erase
from peerassist.mail import queue_email
from sessions_app import tally
from sessions_app.models import AssistSession, Participant

# Emails from the schedule go out in the day, local time (Asia/Bangkok): run every few
# minutes, the first reminder of a window or a check-back due "today" would otherwise
# reach people just after midnight. From the first hour up to, not including, the last.
SEND_HOURS = (8, 20)

# Why a person got no check-back or summary this run (beside the reminders' reasons).
SCHEDULED_SKIP_REASONS = {
    **SKIP_REASONS,
    "stopped": _("asked for no more emails"),
    "no_open": _("no open commitments"),
    "had_it": _("already had this email"),
    "not_due": _("no check-back due"),
}


@dataclasses.dataclass
class SendResult(ReminderResult):
    sessions: int = 0  # summaries: the sessions whose summaries were queued


def in_send_hours(now: datetime.datetime | None = None) -> bool:
    hour = timezone.localtime(now or timezone.now()).hour
    return SEND_HOURS[0] <= hour < SEND_HOURS[1]


# --- Reminders and retention (also ``send_aar_reminders``) ----------------------------


def reminders_run(
    *,
    today: datetime.date,
    days_before: int | None = None,
    days_after: int | None = None,
    max_reminders: int | None = None,
    dry_run: bool = False,
) -> ReminderResult:
    """Remind everyone missing an AAR inside the window around the deadline; the
    settings' window and maximum unless given."""
    days_before = settings.AAR_REMINDER_DAYS_BEFORE if days_before is None else days_before
    days_after = settings.AAR_REMINDER_DAYS_AFTER if days_after is None else days_after
    max_reminders = settings.AAR_REMINDER_MAX if max_reminders is None else max_reminders
    candidates = scheduled_candidates(
        today=today, days_before=days_before, days_after=days_after, max_reminders=max_reminders
    )
    return reminder_send(participants=candidates, max_reminders=max_reminders, dry_run=dry_run)


def retention_run(*, today: datetime.date, dry_run: bool = False) -> tuple[datetime.date, int]:
    """Anonymise the people of sessions past ``RETENTION_YEARS`` (PDPA): (the day before
    which sessions are past it, how many were, or would be, anonymised). The caller
    checks first that retention is on."""
    years = settings.RETENTION_YEARS
    cutoff = retention_cutoff(today=today, years=years)
    return cutoff, retention_erase(today=today, years=years, dry_run=dry_run)


# --- Check-backs on commitments -------------------------------------------------------


def checkback_url(participant: Participant) -> str:
    """The person's own check-back page (answering needs no account)."""
    return settings.SITE_URL + reverse("aar:checkback", args=[participant.token])


def _open_commitments(participant_pk: int):
    return Commitment.objects.still_open().filter(aar__participant_id=participant_pk)


def checkback_candidates(*, today: datetime.date):
    """People who may be due a check-back by ``today``: on the roster, with an email,
    emails not stopped, with an open commitment, and fewer check-backs than are due.
    ``checkback_send`` checks each again under their lock."""
    return (
        Participant.objects.active()
        .exclude(email="")
        .filter(emails_stopped_at__isnull=True)
        .filter(
            Q(session__checkback_second_on__lte=today, checkbacks_sent__lt=2)
            | Q(session__checkback_first_on__lte=today, checkbacks_sent__lt=1)
        )
        .filter(Exists(Commitment.objects.still_open().filter(aar__participant_id=OuterRef("pk"))))
        .select_related("session")
        .order_by("session_id", "pk")
    )


def checkback_skip_reason(participant: Participant, *, number: int) -> str | None:
    """Why this person must not have check-back ``number`` now, or None if they may.
    Archived and closed sessions still have check-backs: they come after the session."""
    if number == 0:
        return "not_due"
    if participant.removed_at is not None:
        return "removed"
    if not participant.email:
        return "no_email"
    if participant.emails_stopped_at is not None:
        return "stopped"
    if participant.checkbacks_sent >= number:
        return "had_it"
    return None


def _checkback_email(participant: Participant, *, number: int, commitments):
    session = participant.session
    context = {
        "participant": participant,
        "session": session,
        "number": number,
        "commitments": commitments,
        "link": checkback_url(participant),
        "stop_link": stop_emails_url(participant),
    }
    with translation.override(participant.language):
        return personal_email(participant, template="checkback", context=context, html=True)


def checkback_send(*, participants, today: datetime.date) -> SendResult:
    """Queue the check-back due to each person who may have one (the worker sends it):
    one short email with their open commitments and their own link to answer. Each
    person is handled in a transaction of their own with their row locked; the
    check-back's number is kept on the row (``checkbacks_sent``), so each is sent once.
    Someone due the second who never had the first gets only the second."""
    result = SendResult()
    for participant in participants:
        with transaction.atomic():
            locked = lock_participant(participant.pk)
            if locked is None:
                result.skipped.append((participant, "busy"))
                continue
            number = checkback_number_due(locked.session, today=today)
            reason = checkback_skip_reason(locked, number=number)
            commitments = [] if reason else list(_open_commitments(locked.pk))
            if reason is None and not commitments:
                reason = "no_open"
            if reason:
                result.skipped.append((locked, reason))
                continue
            queued = queue_email(
                _checkback_email(locked, number=number, commitments=commitments),
                key=f"checkback:{locked.pk}:{number}",
                kind="checkback",
                session_pk=locked.session_id,
                participant_pk=locked.pk,
            )
            locked.checkbacks_sent = number
            locked.save(update_fields=["checkbacks_sent"])
            tally.recount_checkbacks(locked.session_id)
            if not queued:  # queued before (the row said otherwise): now it agrees
                result.skipped.append((locked, "had_it"))
                continue
            ReminderLog.objects.create(
                participant=locked,
                channel=ReminderLog.Channel.EMAIL,
                kind=ReminderLog.Kind.CHECKBACK,
            )
            result.sent.append(locked)
    return result


def checkbacks_run(*, today: datetime.date) -> SendResult:
    return checkback_send(participants=checkback_candidates(today=today), today=today)


# --- The personal summary, once the AARs are in ---------------------------------------


def summary_due_sessions(*, today: datetime.date):
    """Sessions whose AAR deadline has passed, or that were closed, and whose summaries
    were not queued yet. Archived ones too: archiving hides a session, it does not
    undo its AARs."""
    return (
        AssistSession.objects.filter(summaries_queued_at__isnull=True)
        .filter(Q(aar_deadline__lt=today) | Q(status=AssistSession.Status.CLOSED))
        .order_by("aar_deadline", "pk")
    )


def _lock_session(session_pk: int) -> AssistSession | None:
    rows = AssistSession.objects.all()
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    else:  # SQLite: IMMEDIATE transactions already serialise writers
        rows = rows.select_for_update()
    return rows.filter(pk=session_pk).first()


def summary_recipients(session: AssistSession):
    """Everyone on the roster with an email who has not stopped emails, whether they
    wrote their AAR or not."""
    return (
        session.participants.active()
        .exclude(email="")
        .filter(emails_stopped_at__isnull=True)
        .select_related("aar")
        .prefetch_related("aar__commitments")
        .order_by("pk")
    )


def _summary_email(participant: Participant, *, session: AssistSession, counts: dict):
    aar = getattr(participant, "aar", None)  # selected with the person; None: no AAR
    submitted = aar is not None and aar.is_submitted
    # Someone who wrote reads what the others shared on their thanks page; anyone else
    # has their own AAR page, where a late AAR is still taken until the session closes.
    path = "aar:thanks" if submitted else "aar:entry"
    context = {
        "participant": participant,
        "session": session,
        **counts,
        "submitted": submitted,
        "commitments": list(aar.commitments.all()) if aar else [],
        "link": settings.SITE_URL + reverse(path, args=[participant.token]),
        "stop_link": stop_emails_url(participant),
    }
    with translation.override(participant.language):
        return personal_email(participant, template="summary", context=context, html=True)


def summary_send(*, session: AssistSession) -> SendResult | None:
    """Queue the personal summary to every person of the session (see
    ``summary_recipients``), in one transaction with the session's row locked, and
    mark the session's summaries queued. None when another server is doing it or did it
    (``summaries_queued_at`` is checked again under the lock)."""
    with transaction.atomic():
        locked = _lock_session(session.pk)
        if locked is None or locked.summaries_queued_at is not None:
            return None
        on_roster = locked.participants.active()
        counts = {
            "roster_count": on_roster.count(),
            "submitted_count": AAR.objects.submitted()
            .filter(participant__in=on_roster.values("pk"))
            .count(),
        }
        result = SendResult(sessions=1)
        for participant in summary_recipients(locked):
            queued = queue_email(
                _summary_email(participant, session=locked, counts=counts),
                key=f"summary:{participant.pk}",
                kind="summary",
                session_pk=locked.pk,
                participant_pk=participant.pk,
            )
            if not queued:
                result.skipped.append((participant, "had_it"))
                continue
            ReminderLog.objects.create(
                participant=participant,
                channel=ReminderLog.Channel.EMAIL,
                kind=ReminderLog.Kind.SUMMARY,
            )
            result.sent.append(participant)
        locked.summaries_queued_at = timezone.now()
        locked.save(update_fields=["summaries_queued_at"])
    return result


def summaries_run(*, today: datetime.date) -> SendResult:
    total = SendResult()
    for session in list(summary_due_sessions(today=today).only("pk")):
        result = summary_send(session=session)
        if result is None:
            continue
        total.sent += result.sent
        total.skipped += result.skipped
        total.sessions += result.sessions
    return total
