"""Organisations, their members, Peer Assist sessions and the people who take part."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

AAR_DEADLINE_DAYS = 7
# Check-backs on commitments: days after the session, by default.
CHECKBACK_DAYS = (30, 90)
CHECKBACK_MAX_DAYS = 730
CHECKBACK_FIELDS = ("checkback_first_days", "checkback_second_days")
# What an erased person is called from then on, stored in place of their name so every
# page, export and copy shows it without knowing about erasure. Both languages in one
# fixed string: a stored value cannot follow the reader's language.
ERASED_NAME = "ลบข้อมูลแล้ว (erased)"
# Larger than any roster (the walk-in cap and bulk add keep rosters far below it).


def new_token() -> str:
    """A participant's personal link: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def new_walkin_code() -> str:
    """Short enough to type from a screen, long enough (48 bits) not to be guessed."""
    return secrets.token_urlsafe(6)


class Organisation(models.Model):
    name = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("For example สคส. or สสส.")
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        name = self.display_name
        return f"{name} ({self.short_name})" if self.short_name else name

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to the Thai name."""
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def label(self) -> str:
        """Short name where there is one: what people say in the room."""
        return self.short_name or self.display_name


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class AssistSessionQuerySet(models.QuerySet):
    # Subqueries rather than joins through memberships: no duplicate rows, so no
    # DISTINCT, and counts annotated on top stay right.
    def for_user(self, user):
        """Sessions whose organising organisation the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organiser__in=Organisation.objects.filter(memberships__user=user))

    def editable_by(self, user):
        """Coordinators edit all their organisation's sessions; facilitators their own."""
        if not user.is_authenticated:
            return self.none()
        coordinated = Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.COORDINATOR
        )
        return self.for_user(user).filter(
            Q(organiser__in=coordinated) | Q(facilitator=user) | Q(created_by=user)
        )

    def with_coordinates(self, user):
        """Annotate ``user_coordinates``: whether ``user`` coordinates the organiser."""
        return self.annotate(
            user_coordinates=models.Exists(
                Membership.objects.filter(
                    user=user,
                    organisation=models.OuterRef("organiser"),
                    role=Membership.Role.COORDINATOR,
                )
            )
        )

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    # The counts come from each session's tally row (``SessionTally``), which the roster's
    # and AARs' writers keep in their own transaction (``sessions_app.tally``). Counting
    # the roster on each request instead took the dashboard 0.11 s at 2,000 sessions.
    def with_counts(self):
        """Annotate ``participant_count`` (on the roster) and ``aar_count`` (submitted)."""
        return self.annotate(
            participant_count=models.F("tally__participants"),
            aar_count=models.F("tally__submitted"),
        )


class AssistSession(models.Model):
    """One Peer Assist: a host organisation asks peers for help. Named so as not to
    clash with django.contrib.sessions' Session."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organised_sessions",
        verbose_name=_("organising organisation"),
        help_text=_("Its members run and see this session."),
    )
    title = models.CharField(_("title"), max_length=200)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        verbose_name=_("host organisation"),
        help_text=_("The organisation that asks for help."),
    )
    peers = models.ManyToManyField(
        Organisation,
        related_name="peer_sessions",
        blank=True,
        verbose_name=_("peer organisations"),
        help_text=_("The organisations that bring their experience."),
    )
    purpose = models.TextField(_("purpose"), help_text=_("What the host wants to learn."))
    context = models.TextField(_("context"), blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(1)]
    )
    place = models.CharField(_("place or online link"), max_length=300, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    # The host's brief (a before-action review), written before the session: shown on
    # the session page and in the invitations.
    brief_problem = models.TextField(_("the specific problem"), blank=True)
    brief_learn = models.TextField(_("what the host wants to learn"), blank=True)
    brief_outcome = models.TextField(_("what a useful outcome looks like"), blank=True)
    brief_questions = models.TextField(_("questions for the peers"), blank=True)
    brief_reading = models.TextField(
        _("pre-reading"), blank=True, help_text=_("Text and links, one to a line. No files.")
    )
    summary = models.TextField(_("facilitator's summary"), blank=True)
    advice = models.TextField(_("advice or agreed direction"), blank=True)
    source_url = models.URLField(_("source link"), blank=True, max_length=500)
    aar_deadline = models.DateField(
        _("AAR deadline"), blank=True, help_text=_("Seven days after the session unless set.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    walkin_code = models.CharField(
        _("walk-in code"), max_length=16, unique=True, default=new_walkin_code, editable=False
    )
    walkin_open = models.BooleanField(_("walk-in open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_sessions",
        verbose_name=_("created by"),
    )
    # Check-backs on the participants' commitments: days after the session, empty for
    # none. The days they fall on are kept beside them (``save``), for the scheduled
    # command to find the sessions due without date arithmetic in SQL.
    checkback_first_days = models.PositiveSmallIntegerField(
        _("first check-back (days after the session)"),
        null=True,
        blank=True,
        default=CHECKBACK_DAYS[0],
        validators=[MinValueValidator(1), MaxValueValidator(CHECKBACK_MAX_DAYS)],
        help_text=_("Leave empty for no check-back."),
    )
    checkback_second_days = models.PositiveSmallIntegerField(
        _("second check-back (days after the session)"),
        null=True,
        blank=True,
        default=CHECKBACK_DAYS[1],
        validators=[MinValueValidator(1), MaxValueValidator(CHECKBACK_MAX_DAYS)],
        help_text=_("Leave empty for no check-back."),
    )
    checkback_first_on = models.DateField(null=True, blank=True, editable=False)
    checkback_second_on = models.DateField(null=True, blank=True, editable=False)
    # When the personal summary emails were queued (once collection closed); empty
    # until then.
    summaries_queued_at = models.DateTimeField(
        _("summaries queued at"), null=True, blank=True, editable=False
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssistSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("Peer Assist session")
        verbose_name_plural = _("Peer Assist sessions")
        indexes = [
            models.Index(fields=["organiser", "-date"], name="session_org_date"),
            # The dashboard's sessions (an organisation's, not archived), counted and
            # ordered by deadline and date from the index, without reading the rows'
            # long texts: 2.0 ms -> 0.25 ms to count 2,000 sessions on SQLite.
            models.Index(
                fields=["organiser", "archived_at", "aar_deadline", "date"], name="session_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.aar_deadline and self.date:
            self.aar_deadline = self.default_deadline(self.date)
        self.checkback_first_on, self.checkback_second_on = self.checkback_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"date", *CHECKBACK_FIELDS} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "checkback_first_on", "checkback_second_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:session_detail", args=[self.pk])

    def checkback_dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The days the two check-backs fall on (None: that check-back is off)."""
        if not self.date:
            return None, None
        return tuple(
            self.date + datetime.timedelta(days=days) if days else None
            for days in (self.checkback_first_days, self.checkback_second_days)
        )

    @staticmethod
    def default_deadline(date: datetime.date) -> datetime.date:
        return date + datetime.timedelta(days=AAR_DEADLINE_DAYS)

    BRIEF_FIELDS = (
        "brief_problem",
        "brief_learn",
        "brief_outcome",
        "brief_questions",
        "brief_reading",
    )

    @property
    def has_brief(self) -> bool:
        return any(getattr(self, name).strip() for name in self.BRIEF_FIELDS)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.aar_deadline

    def can_be_edited_by(self, user, *, coordinates: bool | None = None) -> bool:
        """Its facilitator, its creator and the organiser's coordinators may edit it.
        ``coordinates``: whether ``user`` coordinates the organiser, when already known
        (``AssistSessionQuerySet.with_coordinates``); otherwise it is looked up."""
        if not user.is_authenticated:
            return False
        if user.pk in (self.facilitator_id, self.created_by_id):
            return True
        if coordinates is not None:
            return coordinates
        return Membership.objects.filter(
            user=user, organisation_id=self.organiser_id, role=Membership.Role.COORDINATOR
        ).exists()

    def close(self) -> None:
        self.status = self.Status.CLOSED
        self.save(update_fields=["status", "updated_at"])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def has_aars(self) -> bool:
        """Any AAR, draft or submitted, even of someone removed from the roster."""
        return self.participants.filter(aar__isnull=False).exists()

    def archive(self) -> None:
        """Hide from the home page; kept, with every AAR, and still reachable."""
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def unarchive(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])

    def regenerate_walkin_code(self) -> None:
        self.walkin_code = new_walkin_code()
        self.save(update_fields=["walkin_code", "updated_at"])


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(session__in=AssistSession.objects.for_user(user))

    def active(self):
        """On the roster: not removed."""
        return self.filter(removed_at__isnull=True)

    def walkins(self):
        return self.filter(joined_by_walkin=True)


class Participant(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator (คุณอำนวย)")
        NOTE_TAKER = "note_taker", _("Note-taker (คุณลิขิต)")
        HOST = "host", _("Host team")
        PEER = "peer", _("Peer team")
        COORDINATOR = "coordinator", _("Coordinator")
        OBSERVER = "observer", _("Observer")

    class Language(models.TextChoices):
        # In the reader's language, like every other label (a context of their own:
        # the language switcher's "English" is a different string).
        THAI = "th", pgettext_lazy("participant language", "Thai")
        ENGLISH = "en", pgettext_lazy("participant language", "English")

    session = models.ForeignKey(
        AssistSession,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("session"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.THAI
    )
    token = models.CharField(
        _("personal token"), max_length=64, unique=True, default=new_token, editable=False
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    joined_by_walkin = models.BooleanField(_("joined by walk-in"), default=False)
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("Removed from the roster; the AAR stays in the archive."),
    )
    erased_at = models.DateTimeField(
        _("erased at"),
        null=True,
        blank=True,
        help_text=_("Personal data erased (on request, or at the end of retention)."),
    )
    emails_stopped_at = models.DateTimeField(
        _("emails stopped at"),
        null=True,
        blank=True,
        help_text=_("Set by the person's own link to stop reminders, check-backs and summaries."),
    )
    # Before the session: what the person hopes to learn or contribute. "My goal" of
    # their AAR starts from it.
    expectation = models.TextField(_("what I hope to learn or contribute"), blank=True)
    expectation_at = models.DateTimeField(_("expectation written at"), null=True, blank=True)
    # How many of the session's check-backs on commitments were sent (0, 1 or 2).
    checkbacks_sent = models.PositiveSmallIntegerField(_("check-backs sent"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(email=""),
                name="unique_email_per_session",
                violation_error_message=_("This email is already on the session's roster."),
            )
        ]
        # Roster counts per session (dashboard, home) read this index, not the rows.
        # The sessions an organisation's people take part in (lessons.reading's
        # sessions_taking_part, read on every search) come from this index alone.
        indexes = [
            models.Index(fields=["session", "removed_at", "invited_at"], name="participant_roster"),
            models.Index(fields=["organisation", "session"], name="participant_org_session"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_aar_url(self) -> str:
        return reverse("aar:entry", args=[self.token])

    # Django's generated get_FOO_display rebuilds a hashable copy of every choice, and
    # translates each label, on every call: on the synthesis page (one call for each AAR
    # and question) that was a sixth of the time. These look the label up in a dict.
    def get_role_display(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    def get_language_display(self) -> str:
        return str(LANGUAGE_LABELS.get(self.language, self.language))

    def get_absolute_aar_url(self) -> str:
        return settings.SITE_URL + self.get_aar_url()

    def regenerate_token(self) -> None:
        """A new personal link; the old one stops working at once."""
        self.token = new_token()
        self.save(update_fields=["token"])

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def anonymise(self) -> None:
        """Erase what identifies the person: name, email and the personal link (a new
        token, so the old link stops working). The row, its role and organisation stay,
        so the roster's slot and the follow-up counts stay right. The AAR's text is
        erased by ``aar.services.participant_erase``, which calls this."""
        self.full_name = ERASED_NAME
        self.email = ""
        self.expectation = ""
        self.token = new_token()
        self.erased_at = timezone.now()
        self.save(update_fields=["full_name", "email", "expectation", "token", "erased_at"])

    def stop_emails(self) -> None:
        """The person asked for no more reminder emails (their own link, or one click
        in their mail program). Once is enough: the first time is kept."""
        if self.emails_stopped_at is None:
            self.emails_stopped_at = timezone.now()
            self.save(update_fields=["emails_stopped_at"])

    @transaction.atomic
    def mark_invited(self) -> None:
        """Record an invitation now (the first one counts as invited)."""
        from sessions_app import tally  # it imports this module

        locked = (
            type(self)
            .objects.select_for_update()
            .only("session_id", "invited_at", "removed_at")
            .get(pk=self.pk)
        )
        self.invited_at = timezone.now()
        self.save(update_fields=["invited_at"])
        if locked.invited_at is None and locked.removed_at is None:
            tally.change(self.session_id, invited=1)

    @property
    def aar_status(self) -> str | None:
        """``draft``, ``submitted`` or None. Select the AAR with the participant
        (``select_related("aar")``) in lists, or this costs a query per row."""
        try:
            return self.aar.status
        except ObjectDoesNotExist:  # no AAR: the reverse one-to-one raises its subclass
            return None

    def has_aar(self) -> bool:
        """Any AAR, draft or submitted."""
        return type(self).objects.filter(pk=self.pk, aar__isnull=False).exists()

    @transaction.atomic
    def remove(self) -> bool:
        """Take off the roster. Someone who has written anything (a draft or a submitted
        AAR) is only marked removed, so the writing stays in the archive; anyone else is
        deleted. Returns True when kept in the archive.

        The row is locked first, as ``aar_save`` locks it, so the AAR's status read here
        is the one the follow-up counts hold for this person."""
        from sessions_app import tally  # it imports this module

        locked = type(self).objects.select_for_update().get(pk=self.pk)
        status, submitted_at = (
            type(self).objects.filter(pk=self.pk).values_list("aar__status", "aar__submitted_at")[0]
        )
        tally.participant_left(locked, status, submitted_at)
        if status is not None:
            self.removed_at = timezone.now()
            self.save(update_fields=["removed_at"])
            tally.recount_checkbacks(self.session_id)  # no check-back goes to them now
            return True
        self.delete()
        return False


ROLE_LABELS = dict(Participant.Role.choices)
LANGUAGE_LABELS = dict(Participant.Language.choices)


class SessionTally(models.Model):
    """A session's follow-up counts. Kept by ``sessions_app.tally``, which the code that
    writes participants and AARs calls in its own transaction; nothing else writes it."""

    session = models.OneToOneField(
        AssistSession, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    # All four count people on the roster (not removed).
    participants = models.IntegerField(default=0)
    invited = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)  # AAR submitted
    drafts = models.IntegerField(default=0)  # AAR a draft
    # AAR submitted after the deadline's day ended (Bangkok), as ``AAR.is_late`` says.
    late = models.IntegerField(default=0)
    # The commitments written in the session's AARs (of everyone, removed people too),
    # by the status of their latest check-back answer. Kept by ``aar.commitments``.
    commitments = models.IntegerField(default=0)
    commitments_done = models.IntegerField(default=0)
    commitments_partly = models.IntegerField(default=0)
    commitments_not_yet = models.IntegerField(default=0)
    commitments_dropped = models.IntegerField(default=0)
    # People on the roster (not removed, not erased) with a commitment still open, by how
    # many check-backs they were sent (0, 1, 2); and those sent one who have a
    # commitment never answered. Kept by ``sessions_app.tally.recount_checkbacks``, so
    # "check-backs due" is a sum over the sessions' rows (``checkbacks_due``).
    open_people_sent_none = models.IntegerField(default=0)
    open_people_sent_one = models.IntegerField(default=0)
    open_people_sent_two = models.IntegerField(default=0)
    unanswered_people = models.IntegerField(default=0)
    # Computed by the database; indexed so the dashboard's first page of the most urgent
    # sessions is read in order instead of ordering every session.
    missing = models.GeneratedField(
        expression=models.F("participants") - models.F("submitted"),
        output_field=models.IntegerField(),
        db_persist=True,
    )

    class Meta:
        indexes = [models.Index(fields=["missing"], name="tally_missing")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.submitted}/{self.participants}"

    @property
    def is_open(self) -> bool:
        """Someone on the roster is still missing a submitted AAR."""
        return self.participants > self.submitted


class SessionRoleTally(models.Model):
    """A session's counts of the people of one role, for the trends' role filter (issue
    20), which otherwise added up the roster's rows (200,000 at the funder's benchmark
    scale) on every request. Kept by ``sessions_app.tally`` with the session's own row:
    a row for each role anyone of the session has or had (people taken off included)."""

    session = models.ForeignKey(AssistSession, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Participant.Role.choices)
    # People of the role on the roster, their submitted AARs, and of those the ones
    # submitted after the deadline's day (as ``SessionTally``).
    participants = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    # The commitments in the AARs of everyone of the role (people taken off too), done,
    # and answered at a check-back (any status but "open").
    commitments = models.IntegerField(default=0)
    commitments_done = models.IntegerField(default=0)
    commitments_answered = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Role first: the trends read one role's rows of many sessions.
            models.UniqueConstraint(fields=["role", "session"], name="one_session_role")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.role}: {self.submitted}/{self.participants}"


# The counts of an organisation's month that the trends add up.
TREND_MONTH_COUNTS = (
    "sessions",
    "participants",
    "submitted",
    "late",
    "commitments",
    "commitments_done",
    "commitments_answered",
)


class OrganisationMonth(models.Model):
    """An organisation's follow-up totals for one month, so the dashboard adds up a row
    an organisation and month instead of a row a session. Kept by ``sessions_app.tally``.

    Two kinds of count share the row:

    - of the sessions whose AAR deadline falls in the month (archived ones too):
      ``sessions``, the people on their rosters, their submitted AARs, and how many of
      them are ``open`` (someone still missing a submitted AAR);
    - ``received``: AARs submitted during the month (Bangkok time) in the organisation's
      sessions, also of people taken off the roster since;
    - ``commitments`` made in the AARs of the sessions due that month, and how many of
      them are ``commitments_done`` or ``commitments_answered`` (kept with the session's
      counts by ``aar.commitments``, through ``sessions_app.tally.commitments_changed``);
    - ``late``: of the submitted AARs counted, those submitted after their session's
      deadline day.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    sessions = models.IntegerField(default=0)
    participants = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    commitments = models.IntegerField(default=0)
    commitments_done = models.IntegerField(default=0)
    # Of those commitments, the ones whose writer answered a check-back (any status but
    # "open"), and the sessions' ``late`` AARs: for the trends (issue 20).
    commitments_answered = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="one_organisation_month")
        ]
        indexes = [
            # The trends add up a period's months (``trends.queries``): with the counts in
            # the index the database reads no table row. Organisation first, as the
            # unique constraint, so the planner never prefers that one and its row reads.
            # 3.5 -> 1.6 ms for 50 organisations over five years (BENCHMARKS.md findings).
            models.Index(
                fields=["organisation", "month", *TREND_MONTH_COUNTS],
                name="organisation_month_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"
