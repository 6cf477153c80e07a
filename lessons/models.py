"""Search across everything learned, lessons, and comments on shared AARs and lessons.

``SearchEntry`` is the one search index, whatever the database: one row a piece of
text (an AAR's answer, a commitment or its outcome, a peer's recommendation or the
host's response, a part of the team's review of the method), written only by
``lessons.index`` from the code that writes the text. Who may read a row is decided
when searching, by joining its session, AAR and participant, so a change of sharing,
role or session needs no reindex. The database's own engine finds the text: an FTS5
table with the trigram tokenizer on SQLite, a pg_trgm GIN index on PostgreSQL (both
made by migration 0002).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aar.models import AAR, Commitment, Recommendation, staff_field
from sessions_app.models import AssistSession, Organisation, Participant


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        ANSWER = "answer", _("AAR answer")
        COMMITMENT = "commitment", _("Commitment")
        OUTCOME = "outcome", _("What became of a commitment")
        RECOMMENDATION = "recommendation", _("Recommendation")
        RESPONSE = "response", _("Host's response")
        METHOD = "method", _("Review of the method")

    session = models.ForeignKey(AssistSession, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The question key of an answer, or the part of the method review.
    part = models.CharField(max_length=32, blank=True)
    aar = models.ForeignKey(AAR, on_delete=models.CASCADE, null=True, related_name="+")
    # Who wrote it (an AAR's writer) or gave it (a recommendation's giver), if anyone.
    # SET_NULL: a person taken off the roster before writing an AAR is deleted, and the
    # recommendations they gave stay (``Recommendation.given_by`` is SET_NULL too).
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The writer asked for this text to be shown without their name.
    anonymous = models.BooleanField(default=False)
    # An anonymous row of a question that fewer than AAR.ANONYMOUS_MIN people of the
    # session answered without their name: held back from readers (not organisers), so
    # nobody is told apart by elimination. Kept by lessons.index with every AAR's rows.
    held_back = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["session", "kind"], name="searchentry_session_kind")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.text[:40]}"


class Comment(models.Model):
    """A reader's answer to a shared AAR, as the seed's blog posts had: from a signed-in
    staff member (``author``) or a participant of the session by their personal link
    (``author_participant``). A coordinator can hide it; each hiding and showing again
    is kept (``CommentEvent``)."""

    # On one shared AAR or on one lesson, never both (``comment_on_one_thing``).
    aar = models.ForeignKey(
        AAR,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("AAR"),
    )
    lesson = models.ForeignKey(
        "Lesson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("lesson"),
    )
    author = staff_field(_("author"))
    author_participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author (participant)"),
    )
    author_name = models.CharField(_("name"), max_length=200)
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = staff_field(_("hidden by"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(aar__isnull=False, lesson__isnull=True)
                    | models.Q(aar__isnull=True, lesson__isnull=False)
                ),
                name="comment_on_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        """The staff page the comment sits on, at the comment."""
        if self.lesson_id is not None:
            page = reverse("lessons:lesson_detail", args=[self.lesson_id])
        else:
            page = reverse("lessons:aar", args=[self.aar_id])
        return f"{page}#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentEvent(models.Model):
    """The history of a comment's hiding: who hid it or showed it again, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        SHOW = "show", _("Shown again")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="events", verbose_name=_("comment")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("comment history")
        verbose_name_plural = _("comment history")

    def __str__(self) -> str:
        return f"{self.action} · {self.comment_id}"


# --- Lessons with a life (issue 19) -------------------------------------------------------


class Lesson(models.Model):
    """An organisation's lesson: promoted from what was found, with an owner and a status
    that moves by its steps, identified → validated → applied → verified (``STEPS``).
    Each move is kept (``LessonStatusChange``); only ``lessons.lessons`` moves it."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        VALIDATED = "validated", _("Validated")
        APPLIED = "applied", _("Applied")
        VERIFIED = "verified", _("Verified")

    # The one next step from each status.
    STEPS = {
        Status.IDENTIFIED: Status.VALIDATED,
        Status.VALIDATED: Status.APPLIED,
        Status.APPLIED: Status.VERIFIED,
    }
    NEEDS_REASON = {Status.VALIDATED, Status.APPLIED}
    NEEDS_EVIDENCE = {Status.APPLIED, Status.VERIFIED}

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("the lesson"), max_length=5000)
    owner = staff_field(_("owner"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IDENTIFIED
    )
    created_by = staff_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [
            models.Index(
                fields=["organisation", "status", "-updated_at"], name="lesson_org_status"
            ),
            models.Index(fields=["organisation", "owner"], name="lesson_org_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def next_status(self):
        return self.STEPS.get(self.status)


class LessonSource(models.Model):
    """Where a lesson came from: an AAR's answer (``aar`` and ``part``), a commitment,
    or a peer's recommendation (or the host's response to it), in ``session``. The text
    is not copied: it is read from its place, by whoever may read it there."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="sources", verbose_name=_("lesson")
    )
    session = models.ForeignKey(
        AssistSession, on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SearchEntry.Kind.choices)
    part = models.CharField(_("part"), max_length=32, blank=True)
    aar = models.ForeignKey(AAR, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    added_by = staff_field(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("lesson source")
        verbose_name_plural = _("lesson sources")

    def __str__(self) -> str:
        return f"{self.lesson_id} · {self.kind} {self.part}"


class LessonStatusChange(models.Model):
    """One move of a lesson's status: who, when, why, and the evidence (text and a link)
    that applied and verified need."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="changes", verbose_name=_("lesson")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=Lesson.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=Lesson.Status.choices)
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    changed_by = staff_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("change of a lesson's status")
        verbose_name_plural = _("changes of lessons' status")

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.from_status} → {self.to_status}"


class LessonReuse(models.Model):
    """A session that drew on an earlier lesson ("reused in")."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="reuses", verbose_name=_("lesson")
    )
    session = models.ForeignKey(
        AssistSession,
        on_delete=models.CASCADE,
        related_name="lessons_reused",
        verbose_name=_("session"),
    )
    note = models.CharField(_("how it was used"), max_length=500, blank=True)
    noted_by = staff_field(_("noted by"))
    noted_at = models.DateTimeField(_("noted at"), auto_now_add=True)

    class Meta:
        ordering = ["-noted_at", "-pk"]
        verbose_name = _("reuse of a lesson")
        verbose_name_plural = _("reuses of lessons")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "session"], name="lesson_reused_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} in {self.session_id}"


class ThemeCount(models.Model):
    """How many submitted AARs' answers of one kind (``part``: "not_achieved", the
    reasons, or "next_steps", the next steps; the Army set's "why_different" and
    "sustain_improve" count as them) used ``word``, in the sessions an organisation
    organised in one month. Kept by ``lessons.themes`` in the writer's transaction,
    from the same place that keeps the search index, so an AAR that arrives late is
    counted at once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the session's month
    part = models.CharField(max_length=32)
    word = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("theme count")
        verbose_name_plural = _("theme counts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "part", "month", "word"], name="theme_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} × {self.count}"
