"""Follow-up workflows: reminding people whose AAR is missing, and the text to send."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aar.followup_queries import followup_status, missing_aar
from aar.models import ReminderLog
from aar.questions import question_labels
from peerassist.dates import format_thai_date
from peerassist.mail import queue_email
from sessions_app.models import Participant

logger = logging.getLogger(__name__)

REMINDER_GAP = datetime.timedelta(hours=24)

SKIP_REASONS = {
    "submitted": _("already submitted"),
    "no_email": _("no email address"),
    "recent": _("reminded less than 24 hours ago"),
    "closed": _("the session is closed"),
    "removed": _("removed from the roster"),
    "max": _("already had the most reminders allowed"),
    "busy": _("being reminded by another server right now"),
    "failed": _("the email could not be sent"),
    "stopped": _("asked for no more reminder emails"),
}

# What followup_status (and the followup_state annotation) mean, for people.
FOLLOWUP_STATUS_LABELS = {
    "submitted": _("Submitted"),
    "late": _("Late"),
    "draft": _("Draft"),
    "missing": _("Missing"),
}


@dataclasses.dataclass
class ReminderResult:
    sent: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)  # (participant, reason code)

    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _participant, reason in self.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


def reminder_skip_reason(participant: Participant, *, now, max_reminders: int | None = None):
    """Why this person must not be emailed now, or None if they may be."""
    session = participant.session
    if followup_status(participant) in ("submitted", "late"):
        return "submitted"
    if participant.removed_at is not None:
        return "removed"
    if session.is_closed or session.archived_at is not None:
        return "closed"
    if not participant.email:
        return "no_email"
    if participant.emails_stopped_at is not None:
        return "stopped"
    if participant.last_reminded_at and now - participant.last_reminded_at < REMINDER_GAP:
        return "recent"
    if max_reminders is not None and participant.reminders_sent >= max_reminders:
        return "max"
    return None


@dataclasses.dataclass
class ReminderOutlook:
    """What "send reminders" would do now, for the follow-up page to say before the
    button is pressed, and after: who may be emailed now, who was reminded within the
    last 24 hours (with when they may be reminded again), and who is left out, and why.
    """

    sendable: list = dataclasses.field(default_factory=list)
    recent: list = dataclasses.field(default_factory=list)  # (participant, next allowed)
    skipped: dict = dataclasses.field(default_factory=dict)  # reason code: count

    @property
    def next_allowed(self) -> datetime.datetime | None:
        """When the first of the recently reminded may be reminded again."""
        return min((when for _participant, when in self.recent), default=None)

    @property
    def other_reasons(self) -> list[tuple[str, int]]:
        """(reason, count) for those left out for good reasons other than the 24 hours."""
        return [
            (str(SKIP_REASONS[reason]), count)
            for reason, count in self.skipped.items()
            if reason not in ("recent", "submitted")
        ]


def reminder_outlook(participants, *, now=None) -> ReminderOutlook:
    """Apply the reminder rules (``reminder_skip_reason``) to people already loaded with
    their session and AAR: no queries. ``reminder_send`` checks them again, locked.
    Each person gets ``reminder_skip`` (the reason, or None) and ``next_reminder_at``."""
    now = now or timezone.now()
    outlook = ReminderOutlook()
    for participant in participants:
        reason = reminder_skip_reason(participant, now=now)
        # Kept on the person too, for their own row's button.
        participant.reminder_skip = reason
        participant.next_reminder_at = None
        if reason is None:
            outlook.sendable.append(participant)
        elif reason == "recent":
            participant.next_reminder_at = participant.last_reminded_at + REMINDER_GAP
            outlook.recent.append((participant, participant.next_reminder_at))
        else:
            outlook.skipped[reason] = outlook.skipped.get(reason, 0) + 1
    outlook.recent.sort(key=lambda item: (item[1], item[0].pk))
    return outlook


def reminder_text(*, participant: Participant) -> str:
    """A ready message with the link, for LINE or chat, in the participant's language."""
    with translation.override(participant.language):
        return render_to_string("emails/reminder_body.txt", _email_context(participant)).strip()


def _email_context(participant: Participant) -> dict:
    session = participant.session
    return {
        "participant": participant,
        "session": session,
        "deadline": format_thai_date(session.aar_deadline, long=True),
        "date": format_thai_date(session.date, long=True),
        "link": participant.get_absolute_aar_url(),
        "stop_link": stop_emails_url(participant),
        "overdue": timezone.localdate() > session.aar_deadline,
        "question_labels": question_labels(session),
    }


def stop_emails_url(participant: Participant) -> str:
    return settings.SITE_URL + reverse("aar:stop_emails", args=[participant.token])


def personal_email(
    participant: Participant, *, template: str, context: dict, html: bool = False
) -> EmailMultiAlternatives:
    """One email to one person from ``emails/<template>_subject.txt`` and
    ``_body.txt`` (and ``_body.html`` with ``html``), rendered in the active language
    (the caller overrides it with the person's own), with their stop link in the
    headers. ``context`` carries ``stop_link``."""
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"emails/{template}_body.txt", context),
        to=[participant.email],
        # One click in the mail program stops them (RFC 8058): a POST to the same link.
        headers={
            "List-Unsubscribe": f"<{context['stop_link']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html:
        message.attach_alternative(
            render_to_string(f"emails/{template}_body.html", context), "text/html"
        )
    return message


def _reminder_email(participant: Participant) -> EmailMultiAlternatives:
    with translation.override(participant.language):
        return personal_email(participant, template="reminder", context=_email_context(participant))


def lock_participant(participant_pk: int):
    """The person's row, locked for this transaction (with their session and AAR), or
    None when another server holds it (PostgreSQL: SKIP LOCKED)."""
    rows = Participant.objects.select_related("session", "aar")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    else:  # SQLite: IMMEDIATE transactions already serialise writers
        rows = rows.select_for_update()
    return rows.filter(pk=participant_pk).first()


def reminder_send(
    *, participants, sent_by=None, max_reminders: int | None = None, dry_run: bool = False
) -> ReminderResult:
    """Queue a reminder email to each participant who may have one now (the worker
    sends it).

    Each person is handled in a transaction of their own with their row locked, and
    the rules are checked again after taking the lock: two servers running the
    scheduled command at once (or two coordinators pressing the button) remind a
    person once. Every reminder sent is logged.
    """
    result = ReminderResult()
    for participant in participants:
        with transaction.atomic():
            locked = lock_participant(participant.pk)
            if locked is None:
                result.skipped.append((participant, "busy"))
                continue
            now = timezone.now()
            reason = reminder_skip_reason(locked, now=now, max_reminders=max_reminders)
            if reason:
                result.skipped.append((locked, reason))
                continue
            if dry_run:
                result.sent.append(locked)
                continue
            # Queued for the background worker, keyed by the reminder's number, so the
            # same reminder is never queued twice (peerassist.mail).
            queue_email(
                _reminder_email(locked),
                key=f"reminder:{locked.pk}:{locked.reminders_sent + 1}",
                kind="reminder",
                session_pk=locked.session_id,
                participant_pk=locked.pk,
            )
            locked.reminders_sent += 1
            locked.last_reminded_at = now
            locked.save(update_fields=["reminders_sent", "last_reminded_at"])
            ReminderLog.objects.create(
                participant=locked, sent_at=now, channel=ReminderLog.Channel.EMAIL, sent_by=sent_by
            )
            result.sent.append(locked)
    return result


@transaction.atomic
def reminder_log_copied(*, participant: Participant, sent_by) -> ReminderLog:
    """The coordinator copied the reminder text to send it by LINE or chat."""
    now = timezone.now()
    Participant.objects.filter(pk=participant.pk).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
    )
    return ReminderLog.objects.create(
        participant=participant, sent_at=now, channel=ReminderLog.Channel.COPIED, sent_by=sent_by
    )


def scheduled_candidates(*, today, days_before: int, days_after: int, max_reminders: int):
    """Who the scheduled command should consider: missing or draft AARs, inside the
    window around the deadline, sessions open, people on the roster with an email."""
    return (
        missing_aar(Participant.objects.active())
        .exclude(email="")
        .filter(
            session__archived_at__isnull=True,
            session__aar_deadline__gte=today - datetime.timedelta(days=days_after),
            session__aar_deadline__lte=today + datetime.timedelta(days=days_before),
            reminders_sent__lt=max_reminders,
        )
        .exclude(session__status="closed")
        .select_related("session")
        .order_by("session_id", "pk")
    )


def default_max() -> int:
    return settings.AAR_REMINDER_MAX
