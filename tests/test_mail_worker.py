"""Email goes through the background worker (peerassist/mail.py): queued once, sent once
however many workers run, retried with a wait, and never sent inside the request."""

import datetime
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone

from peerassist.mail import RETRY_MINUTES, queue_email, send_email
from peerassist.models import OutgoingEmail
from tests.helpers import ROOT, subprocess_env

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _message(to="a@example.org"):
    message = EmailMultiAlternatives("หัวเรื่อง", "เนื้อความ", to=[to])
    message.attach_alternative("<p>เนื้อความ</p>", "text/html")
    return message


def test_a_key_is_queued_once_and_sent_once():
    assert queue_email(_message(), key="k1", kind="invitation") is True
    assert queue_email(_message(), key="k1", kind="invitation") is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][0] == "<p>เนื้อความ</p>"
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("sent", 1)
    assert send_email.call(email.pk) == "sent"  # run again: nothing more is sent
    assert len(mail.outbox) == 1


def test_with_the_database_backend_the_request_only_queues(settings):
    """Nothing is sent until a worker runs the task."""
    settings.TASKS = DATABASE_BACKEND
    from django_tasks_db.models import DBTaskResult

    queue_email(_message(), key="k2", kind="reminder")
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == "queued"
    assert DBTaskResult.objects.count() == 1


def test_a_failure_is_retried_later_then_marked_failed(settings, monkeypatch):
    settings.TASKS = DATABASE_BACKEND
    from django_tasks_db.models import DBTaskResult

    def fail(*args, **kwargs):
        raise OSError("relay down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    queue_email(_message(), key="k3", kind="invitation")
    email = OutgoingEmail.objects.get()
    for attempt, wait in enumerate(RETRY_MINUTES, start=1):
        before = timezone.now()
        assert send_email.call(email.pk) == "queued"
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert retry.run_after >= before + datetime.timedelta(minutes=wait)
        email.refresh_from_db()
        assert email.attempts == attempt and "relay down" in email.last_error
    assert send_email.call(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == "failed"


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_send_each_email_exactly_once(tmp_path):
    """Two db_worker processes on one database share 30 queued emails: each is sent
    once (the file backend writes one file a message)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for two workers at once: set DATABASE_URL (CI does)")
    from django.test import override_settings

    with override_settings(TASKS=DATABASE_BACKEND):
        for i in range(30):
            queue_email(_message(f"p{i}@example.org"), key=f"two:{i}", kind="invitation")
    env = subprocess_env(
        TASKS_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 120
    for worker in workers:
        worker.wait(timeout=max(1, deadline - time.monotonic()))
    sent = OutgoingEmail.objects.filter(status="sent").count()
    files = list((tmp_path / "mail").glob("*.log"))
    messages = sum(path.read_text().count("Subject: ") for path in files)
    assert (sent, messages) == (30, 30), [w.stderr.read()[-2000:] for w in workers]
