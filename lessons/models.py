"""Search across everything learned, and comments on shared AARs.

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
from django.utils.translation import gettext_lazy as _

from aar.models import AAR, Commitment, Recommendation, staff_field
from sessions_app.models import AssistSession, Participant


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

    aar = models.ForeignKey(
        AAR, on_delete=models.CASCADE, related_name="comments", verbose_name=_("AAR")
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

    def __str__(self) -> str:
        return self.text[:60]

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
