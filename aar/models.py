"""After Action Reviews (one per participant), their history, and the reminder log."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sessions_app.models import AssistSession, Membership, Organisation, Participant

# The four parts of an AAR, in the order of the source post: the keys of the default
# question set's answers (KMI's four parts).
AAR_PARTS = ("goal", "achieved", "not_achieved", "next_steps")

PROMPTS_MIN = 2
PROMPTS_MAX = 8
PROMPT_MAX_LENGTH = 300
# What a custom prompt's answers may count as in the themes (``lessons.themes``), as the
# built-in sets' "not achieved" and "next steps" parts do: a prompt's optional "theme".
PROMPT_THEMES = {
    "not_achieved": _("What was not achieved, and why"),
    "next_steps": _("What will be done next"),
}


def staff_field(verbose_name, **kwargs) -> models.ForeignKey:
    """Which staff member did something: kept when their account is deleted (empty)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


class Part(NamedTuple):
    """One question of a question set: its key in ``AAR.answers``, its label and the
    hint under it."""

    key: str
    label: str
    hint: str = ""


# The built-in sets, in code so that their labels are translated like every other string.
KMI_PARTS = (
    Part("goal", _("My goal"), _("What did I want from this session?")),
    Part("achieved", _("What was achieved"), _("What went well, and why?")),
    Part(
        "not_achieved",
        _("What was not achieved, and why"),
        _("What did not happen as I hoped, and what stood in the way?"),
    ),
    Part("next_steps", _("What I will do next"), _("What will I do, and by when?")),
)
ARMY_PARTS = (
    Part("supposed", _("What was supposed to happen?")),
    Part("happened", _("What actually happened?")),
    Part("why_different", _("Why was there a difference?")),
    Part("sustain_improve", _("What will we sustain or improve?")),
)
BUILT_IN_SETS = {"kmi": KMI_PARTS, "army": ARMY_PARTS}
# KMI's labels by key: the fixed labels of the four parts.
PART_LABELS = {part.key: part.label for part in KMI_PARTS}
BUILT_IN_NAMES = {
    "kmi": _("KMI's four parts (the default)"),
    "army": _("The US Army's four questions"),
}


class QuestionSetQuerySet(models.QuerySet):
    def for_user(self, user):
        """The built-in sets, and the custom sets of the organisations ``user`` works in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(organisation__isnull=True)
            | Q(organisation__in=Organisation.objects.filter(memberships__user=user))
        )


class QuestionSet(models.Model):
    """The questions an AAR answers. Built-in: KMI's four parts (the default, which a
    session without a choice uses) and the US Army's four questions. Custom: 2–8
    prompts, each in Thai and English, defined by an organisation's staff."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_sets",
        verbose_name=_("organisation"),
        help_text=_("Empty for the built-in sets."),
    )
    name_th = models.CharField(_("name in Thai"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    # Custom sets only: [{"th": ..., "en": ..., "theme": ...}] in order ("theme", a key of
    # ``PROMPT_THEMES``, only when the answers count in the themes); their keys are p1, p2,
    prompts = models.JSONField(_("prompts"), default=list, blank=True)
    created_by = staff_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "pk"]
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_built_in(self) -> bool:
        return self.slug in BUILT_IN_SETS

    @property
    def name(self) -> str:
        if self.is_built_in:
            return str(BUILT_IN_NAMES[self.slug])
        return self.name_en if get_language() == "en" and self.name_en else self.name_th

    def prompt_themes(self) -> dict[str, str]:
        """A custom set's question keys whose answers count in the themes, and as which
        theme part (``PROMPT_THEMES``); none for a built-in set (``lessons.themes``
        knows theirs)."""
        if self.is_built_in:
            return {}
        return {
            f"p{n}": prompt["theme"]
            for n, prompt in enumerate(self.prompts, start=1)
            if prompt.get("theme") in PROMPT_THEMES
        }

    def prompts_shown(self) -> list[dict]:
        """A custom set's prompts as its page lists them: each with the label of the
        theme part it counts as ("" when none)."""
        return [
            {**prompt, "theme_label": PROMPT_THEMES.get(prompt.get("theme"), "")}
            for prompt in self.prompts
        ]

    def parts(self) -> tuple[Part, ...]:
        if self.is_built_in:
            return BUILT_IN_SETS[self.slug]
        english = get_language() == "en"
        return tuple(
            Part(f"p{n}", (prompt["en"] if english and prompt.get("en") else prompt["th"]))
            for n, prompt in enumerate(self.prompts, start=1)
        )


def parts_of(question_set: "QuestionSet | None") -> tuple[Part, ...]:
    """The parts of a set; None is the default, KMI's four parts."""
    return KMI_PARTS if question_set is None else question_set.parts()


# KMI's labels speak as the writer ("My goal"); someone else reading the answer sees
# these instead.
READER_LABELS = {
    "goal": _("The writer's goal"),
    "next_steps": _("What the writer will do next"),
}


def for_readers(part: Part) -> Part:
    """``part`` as it is labelled for someone reading another person's AAR."""
    return part._replace(label=READER_LABELS.get(part.key, part.label))


def reader_parts_of(question_set: "QuestionSet | None") -> tuple[Part, ...]:
    """``parts_of``, labelled for readers (search, shared AARs, lessons' sources)."""
    return tuple(for_readers(part) for part in parts_of(question_set))


class SessionQuestionSet(models.Model):
    """The question set a session chose. No row: the default, KMI's four parts. It can
    change only until the session's first AAR is written (``question_set_choose``)."""

    session = models.OneToOneField(
        AssistSession,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="question_choice",
        verbose_name=_("session"),
    )
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("question set")
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("session's question set")
        verbose_name_plural = _("sessions' question sets")

    def __str__(self) -> str:
        return f"{self.session_id} · {self.question_set}"


def question_set_of(session) -> "QuestionSet | None":
    """The set the session chose, or None for the default. No query when the session was
    loaded with ``select_related("question_choice__question_set")``."""
    try:
        return session.question_choice.question_set
    except SessionQuestionSet.DoesNotExist:
        return None


def _answer(key: str) -> property:
    """One answer of ``answers`` by its key, read and written like a field (the KMI
    parts' names, so that ``aar.goal`` reads as before the storage was generalised)."""

    def get(self) -> str:
        return (self.answers or {}).get(key, "")

    def set_(self, value: str) -> None:
        self.answers = {**(self.answers or {}), key: value}

    return property(get, set_)


class AnswersMixin:
    """What an AAR and each of its versions share: answers by question key."""

    goal = _answer("goal")
    achieved = _answer("achieved")
    not_achieved = _answer("not_achieved")
    next_steps = _answer("next_steps")

    def answer(self, key: str) -> str:
        return (self.answers or {}).get(key, "")

    def labelled(self) -> list[tuple[str, str]]:
        """(label, text) for each question of the AAR's set, in order."""
        return [(part.label, self.answer(part.key)) for part in parts_of(self.question_set)]


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
        """Readable by the session's participants: shared with them, or more widely."""
        return self.filter(sharing__in=(AAR.Sharing.PARTICIPANTS, AAR.Sharing.ORGANISATIONS))


class AAR(AnswersMixin, models.Model):
    """One participant's After Action Review: the answers to their session's question
    set (KMI's four parts by default)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Sharing(models.TextChoices):
        # Narrowest first; each level includes the readers of the one before it.
        ORGANISERS = "organisers", _("Organisers only")
        PARTICIPANTS = "participants", _("Share with the session's participants")
        ORGANISATIONS = "organisations", _("Share with everyone in the participating organisations")

    # What an AAR's "anonymous" list may hold besides its question keys.
    COMMITMENTS_KEY = "commitments"
    # Readers see a session's answers to one question shown without a name only once at
    # least this many people answered it that way: with fewer, the named rest of the
    # AARs would tell who wrote them. Until then they are held back, and pages say so.
    ANONYMOUS_MIN = 3

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="aar", verbose_name=_("participant")
    )
    # Set from the session's choice when the AAR is first saved; None is the default set.
    question_set = models.ForeignKey(
        QuestionSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question set"),
    )
    # {question key: text}; the keys are those of the question set's parts.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The staff member who last typed it in for the participant (from paper), if any.
    entered_by = staff_field(_("entered by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sharing = models.CharField(
        _("sharing"), max_length=16, choices=Sharing.choices, default=Sharing.ORGANISERS
    )
    # The question keys (and "commitments") the participant asked to be shown without
    # their name: readers see those answers, never beside the name.
    anonymous = models.JSONField(_("shown without name"), default=list, blank=True)
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
        """(label, text) for each question of the set, in order."""
        return self.labelled()

    def is_anonymous(self, key: str) -> bool:
        """Whether the answer to ``key`` (or, with ``COMMITMENTS_KEY``, the commitments)
        is shown without the writer's name."""
        return key in (self.anonymous or ())

    def is_complete(self) -> bool:
        return all(self.answer(part.key).strip() for part in parts_of(self.question_set))

    def submit(self) -> None:
        """Mark submitted. The first submission time stays: it decides lateness."""
        self.status = self.Status.SUBMITTED
        if self.submitted_at is None:
            self.submitted_at = timezone.now()


class AARVersion(AnswersMixin, models.Model):
    """A snapshot of an AAR each time it is saved, so no edit loses earlier writing."""

    aar = models.ForeignKey(
        AAR, on_delete=models.CASCADE, related_name="versions", verbose_name=_("AAR")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    entered_by = staff_field(
        _("entered by"),
        help_text=_("A staff member who typed it in for the participant, from paper."),
    )
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

    @property
    def question_set(self):
        return self.aar.question_set


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
        RESPONSES = "responses", _("The host's responses to recommendations")

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
    actor = staff_field(_("by"), help_text=_("Empty when done automatically."))
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


# --- The Peer Assist's own steps: recommendations, the host's responses, the review --


RECOMMENDATION_MAX_LENGTH = 2000
THEME_MAX_LENGTH = 100


class RecommendationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(session__in=AssistSession.objects.for_user(user))

    def current(self):
        """Not removed."""
        return self.filter(removed_at__isnull=True)

    def responded(self):
        return self.current().exclude(response="")


class Recommendation(models.Model):
    """A peer's recommendation, recorded during or after the session by the facilitator
    or note-taker, and the host's response to it (adopt, adapt, or not adopt)."""

    class Response(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ADAPT = "adapt", _("Adapt")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    session = models.ForeignKey(
        AssistSession,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("session"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("recommendation"), max_length=RECOMMENDATION_MAX_LENGTH)
    # Who gave it: a person on the roster, or else a peer organisation (or neither).
    given_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations_given",
        verbose_name=_("given by"),
    )
    given_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by (organisation)"),
    )
    theme = models.CharField(_("theme"), max_length=THEME_MAX_LENGTH, blank=True)
    created_by = staff_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Removal keeps the row, so it stays in the session's history and can be restored.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = staff_field(_("removed by"))
    # The host's response.
    response = models.CharField(
        _("response"), max_length=12, choices=Response.choices, blank=True, default=""
    )
    response_reason = models.TextField(_("why"), blank=True)
    response_owner = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations_owned",
        verbose_name=_("owner on the host team"),
    )
    response_due = models.DateField(_("by when"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = staff_field(_("responded by"))
    # The owner's commitment that an adopted or adapted recommendation became.
    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation",
        verbose_name=_("commitment"),
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["session", "removed_at", "position"], name="recommendation_order")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def giver_name(self) -> str:
        if self.given_by_id:
            return self.given_by.full_name
        if self.given_by_organisation_id:
            return self.given_by_organisation.label
        return ""

    @property
    def response_badge(self) -> str:
        return RESPONSE_BADGES.get(self.response, "text-bg-light border")


RESPONSE_BADGES = {
    Recommendation.Response.ADOPT: "text-bg-success",
    Recommendation.Response.ADAPT: "text-bg-info",
    Recommendation.Response.NOT_ADOPTED: "text-bg-secondary",
}

METHOD_REVIEW_MAX_LENGTH = 10_000


class MethodReviewQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(session__in=AssistSession.objects.for_user(user))


class MethodReview(models.Model):
    """The facilitation team's AAR of the method: how this Peer Assist was run."""

    session = models.OneToOneField(
        AssistSession,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="method_review",
        verbose_name=_("session"),
    )
    worked = models.TextField(_("What worked in how we ran it"), blank=True)
    did_not_work = models.TextField(_("What did not work"), blank=True)
    change_next = models.TextField(_("What to change next time"), blank=True)
    updated_by = staff_field(_("updated by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MethodReviewQuerySet.as_manager()

    FIELDS = ("worked", "did_not_work", "change_next")

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("review of the method")
        verbose_name_plural = _("reviews of the method")

    def __str__(self) -> str:
        return f"{self.session_id} · {self.updated_at:%Y-%m-%d}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.FIELDS)
