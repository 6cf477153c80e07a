"""Email goes out through the background worker, never inside a request.

``queue_email`` stores the message (``OutgoingEmail``) and enqueues ``send_email`` in the
caller's transaction (django-tasks: the database backend and its ``db_worker`` in
development and production, so the worker sees the task only once the request's
transaction commits; the immediate backend in tests, which sends at once). The task
locks the row, so two workers never send one message twice, and a message already sent
is left alone. A failure is retried with a growing wait (``RETRY_MINUTES``); after the
last try, or at once on a backend that cannot wait, the row says "failed" with the
reason, for the coordinator to see.

When the project moves to Django 6, only the import of ``task`` changes
(``from django.tasks import task``).
"""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from peerassist.models import OutgoingEmail

log = logging.getLogger(__name__)

# Minutes to wait before each retry; one more try than there are waits.
RETRY_MINUTES = (1, 5, 30)


def queue_email(
    message: EmailMultiAlternatives,
    *,
    key: str,
    kind: str,
    session_pk: int | None = None,
    participant_pk: int | None = None,
) -> bool:
    """Queue one message to one address. False when a message with this ``key`` was
    queued before (nothing more is queued)."""
    html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                kind=kind,
                to=message.to[0],
                subject=message.subject,
                body=message.body,
                html=html,
                headers=dict(message.extra_headers),
                session_pk=session_pk,
                participant_pk=participant_pk,
            )
    except IntegrityError:
        return False
    send_email.enqueue(email.pk)
    return True


@task()
def send_email(email_pk: int) -> str:
    """Send one queued message (the worker runs this). Returns its status."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_pk).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return email.status if email else "gone"
        email.attempts += 1
        message = EmailMultiAlternatives(
            email.subject, email.body, to=[email.to], headers=email.headers or None
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure is kept and retried
            log.warning("email %s to %s failed: %s", email.pk, email.kind, error)
            email.last_error = f"{type(error).__name__}: {error}"[:500]
            retry = email.attempts <= len(RETRY_MINUTES) and send_email.get_backend().supports_defer
            if not retry:
                email.status = OutgoingEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            if retry:
                wait = datetime.timedelta(minutes=RETRY_MINUTES[email.attempts - 1])
                send_email.using(run_after=timezone.now() + wait).enqueue(email_pk)
            return email.status
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return email.status
