from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCount(models.Model):
    """Requests one client made to one group of public pages in one minute: the rate
    limits' shared store when they are counted in the database (``peerassist.ratelimit``).
    One row a client, group and minute; rows of past minutes are deleted as new minutes
    begin."""

    bucket = models.CharField(max_length=200, primary_key=True)  # group:address:minute
    minute = models.BigIntegerField(db_index=True)  # minutes since the epoch
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"


class OutgoingEmail(models.Model):
    """An email on its way: queued in the request, sent by the background worker
    (``peerassist.mail``). One row a message, so each is sent once however many workers
    run, and a coordinator can see whether it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # What it is for, so the same email is never queued twice (e.g. "invitation:12:3").
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30)  # invitation, walkin_link, reminder, ...
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Which session and person it concerns, to show its state on the session's pages;
    # plain numbers, as this app sits below the apps that own them.
    session_pk = models.BigIntegerField(null=True, blank=True, db_index=True)
    participant_pk = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}: {self.status}"
