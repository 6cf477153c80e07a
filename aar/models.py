"""After Action Reviews (one per participant), their history, and the reminder log."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions_app.models import AssistSession, Membership, Organisation, Participant

# The four parts of an AAR, in the order of the source post.
AAR_PARTS = ("goal", "achieved", "not_achieved", "next_steps")


class AARQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=AAR.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=AAR.Status.DRAFT)

    def for_user(self, user):
        return self.filter(participant__session__in=AssistSession.objects.for_user(user))

    def with_late(self):
        """Annotate ``late``: submitted after the end of the deadline day (Bangkok)."""
        return self.annotate(
            late=Case(
                When(
                    Q(submitted_at__date__gt=F("participant__session__aar_deadline")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def shared_with_participants(self):
        return self.filter(sharing=AAR.Sharing.PARTICIPANTS)


class AAR(models.Model):
    """One participant's four-part After Action Review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Sharing(models.TextChoices):
        PARTICIPANTS = "participants", _("Share with the session's participants")
        ORGANISERS = "organisers", _("Organisers only")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="aar", verbose_name=_("participant")
    )
    goal = models.TextField(_("My goal"), blank=True)
    achieved = models.TextField(_("What was achieved"), blank=True)
    not_achieved = models.TextField(_("What was not achieved, and why"), blank=True)
    next_steps = models.TextField(_("What I will do next"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sharing = models.CharField(
        _("sharing"), max_length=12, choices=Sharing.choices, default=Sharing.ORGANISERS
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AARQuerySet.as_manager()

    class Meta:
        verbose_name = _("AAR")
        verbose_name_plural = _("AARs")
        ordering = ["-submitted_at", "-updated_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="aar_status_submitted"),
            # Status counts join from participants: answered from the index, without
            # reading the AAR's text.
            models.Index(
                fields=["participant", "status", "submitted_at"], name="aar_participant_status"
            ),
        ]

    def __str__(self) -> str:
        return f"AAR · {self.participant}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_late(self) -> bool:
        if not self.submitted_at:
            return False
        deadline = self.participant.session.aar_deadline
        return timezone.localdate(self.submitted_at) > deadline

    @property
    def parts(self) -> list[tuple[str, str]]:
        """(label, text) for the four parts, in order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in AAR_PARTS
        ]

    def is_complete(self) -> bool:
        return all(getattr(self, name).strip() for name in AAR_PARTS)

    def submit(self) -> None:
        """Mark submitted. The first submission time stays: it decides lateness."""
        self.status = self.Status.SUBMITTED
        if self.submitted_at is None:
            self.submitted_at = timezone.now()


class AARVersion(models.Model):
    """A snapshot of an AAR each time it is saved, so no edit loses earlier writing."""

    aar = models.ForeignKey(
        AAR, on_delete=models.CASCADE, related_name="versions", verbose_name=_("AAR")
    )
    goal = models.TextField(_("My goal"), blank=True)
    achieved = models.TextField(_("What was achieved"), blank=True)
    not_achieved = models.TextField(_("What was not achieved, and why"), blank=True)
    next_steps = models.TextField(_("What I will do next"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AAR.Status.choices)
    saved_by = models.CharField(
        _("saved by"), max_length=200, help_text=_("The participant, or a signed-in user.")
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    # The one-time key of the form that made this version: a repeated post of the same
    # form (a retry after a lost response, a double tap) finds it and changes nothing.
    submit_key = models.CharField(_("form key"), max_length=64, blank=True, default="")
    # The commitments as they were saved with this version: [{"text", "due_date"}].
    commitments = models.JSONField(_("commitments"), default=list, blank=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("AAR version")
        verbose_name_plural = _("AAR versions")
        constraints = [
            models.UniqueConstraint(
                fields=["aar", "submit_key"],
                condition=~Q(submit_key=""),
                name="one_version_per_form_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.aar} · {self.saved_at:%Y-%m-%d %H:%M}"


COMMITMENTS_MAX = 5
COMMITMENT_MAX_LENGTH = 500


class CommitmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(aar__participant__session__in=AssistSession.objects.for_user(user))

    def still_open(self):
        """Not done and not dropped: what a check-back asks about."""
        return self.filter(status__in=Commitment.OPEN_STATUSES)


class Commitment(models.Model):
    """One concrete thing a participant will do, written under "What I will do next",
    and what became of it (the check-backs' small AAR of the commitment)."""

    class Status(models.TextChoices):
        OPEN = "open", _("No answer yet")
        DONE = "done", _("Done")
        PARTLY = "partly", _("Partly done")
        NOT_YET = "not_yet", _("Not yet")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.PARTLY, Status.NOT_YET)
    # What a participant may answer (OPEN is only the state before any answer).
    ANSWERS = (Status.DONE, Status.PARTLY, Status.NOT_YET, Status.DROPPED)

    aar = models.ForeignKey(
        AAR, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("AAR")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("commitment"), max_length=COMMITMENT_MAX_LENGTH)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("what happened: what helped, what got in the way"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["aar", "position", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def badge(self) -> str:
        """The Bootstrap classes of the status's badge, wherever it is shown."""
        return STATUS_BADGES.get(self.status, "text-bg-warning")


STATUS_BADGES = {
    Commitment.Status.DONE: "text-bg-success",
    Commitment.Status.DROPPED: "text-bg-secondary",
    Commitment.Status.OPEN: "text-bg-light border",
}


class CommitmentAnswer(models.Model):
    """Each check-back answer, kept: the history of a commitment."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("commitment")
    )
    status = models.CharField(_("status"), max_length=10, choices=Commitment.Status.choices)
    outcome = models.TextField(_("what happened: what helped, what got in the way"), blank=True)
    saved_by = models.CharField(_("saved by"), max_length=200)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("check-back answer")
        verbose_name_plural = _("check-back answers")

    def __str__(self) -> str:
        return f"{self.commitment_id} · {self.status} · {self.saved_at:%Y-%m-%d}"


class ReminderLog(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        COPIED = "copied", _("Copied link")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        CHECKBACK = "checkback", _("Check-back on commitments")
        SUMMARY = "summary", _("Personal summary")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("participant"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REMINDER)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_sent",
        verbose_name=_("sent by"),
        help_text=_("Empty when sent automatically."),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder log")

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_channel_display()} · {self.sent_at:%Y-%m-%d}"

    @property
    def automatic(self) -> bool:
        return self.sent_by_id is None


class AuditEntryQuerySet(models.QuerySet):
    def for_coordinator(self, user):
        """The entries of the organisations ``user`` coordinates (a subquery: one query)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            organisation__in=Organisation.objects.filter(
                memberships__user=user, memberships__role=Membership.Role.COORDINATOR
            )
        )


class AuditEntry(models.Model):
    """Who exported or erased personal data, and when (PDPA accountability).

    Holds no personal data of the people concerned: an erased participant is recorded
    by their row's number only (a plain integer, not a key, so nothing about them can
    be read back through it), never by name."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure on request")
        RETENTION = "retention", _("Erasure at the end of retention")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when done automatically."),
    )
    # Whose data it was: coordinators of this organisation see the entry.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    session = models.ForeignKey(
        AssistSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    participant_pk = models.PositiveIntegerField(_("participant number"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.action} · {self.detail}"
