"""Invite all, at 2,000 people on one roster: the request must answer in under twice the
session page's p50 (it only enqueues one task), and the worker must then send every
invitation exactly once. Both timed; the emails go to the file backend and are counted.

Run by `python -m bench` after bench.measure, on the same database (bench/common.py).

    python -m bench.invites --people 2000 --json var/bench/invites.json
"""

import argparse
import email
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import dataset  # noqa: E402
from bench.common import ROOT, percentile  # noqa: E402
from bench.measure import targets  # noqa: E402
from peerassist.models import OutgoingEmail  # noqa: E402
from sessions_app import tally  # noqa: E402
from sessions_app.models import AssistSession, Participant, new_token  # noqa: E402

# Timed presses of "invite all" on the one roster: each enqueues a fan-out task (the
# worker has not run yet), and the worker must still send each invitation once.
ROUNDS = 3
SESSION_PAGE_REQUESTS = 8


def roster(people: int, n: int) -> AssistSession:
    template = AssistSession.objects.filter(status="held").order_by("pk").first()
    session = AssistSession.objects.create(
        organiser=template.organiser,
        title=f"Benchmark: invite all {n}",
        host=template.host,
        purpose="วัดความเร็วของการส่งคำเชิญ",
        date=timezone.localdate(),
        facilitator=template.facilitator,
        status="planned",
        created_by=template.created_by,
    )
    tally.session_added(session)
    Participant.objects.bulk_create(
        (
            Participant(
                session=session,
                full_name=f"ผู้ได้รับเชิญ {n}-{i}",
                email=f"invite{n}-{i}@example.org",
                language="th" if i % 5 else "en",
                token=new_token(),
            )
            for i in range(people)
        ),
        batch_size=1000,
    )
    tally.recount_session(session.pk)
    return session


def timed(client: Client, method: str, url: str) -> float:
    start = time.perf_counter()
    response = getattr(client, method)(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), (url, response.status_code)
    return elapsed


def sent_messages(folder: Path) -> list[str]:
    """The recipient of every message the file backend wrote (several a file)."""
    recipients = []
    for path in folder.iterdir():
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                recipients.append(email.message_from_string(chunk.strip())["To"])
    return recipients


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()

    client = Client()
    client.force_login(get_user_model().objects.get(username=dataset.BENCH_USER))
    # The session page that bench.measure times (its held session with the most AARs):
    # the request must answer in under twice its p50. (The 2,000-person roster's own
    # page is far slower, so comparing with it would prove nothing.)
    page = targets()["session page"]
    session = roster(args.people, 0)
    sessions = [session]
    page_ms = [timed(client, "get", page) for _ in range(SESSION_PAGE_REQUESTS)][1:]
    invite_ms = [
        timed(client, "post", reverse("sessions_app:participants_invite_all", args=[session.pk]))
        for _ in range(ROUNDS)
    ]
    queued = OutgoingEmail.objects.filter(session_pk__in=[s.pk for s in sessions]).count()

    with tempfile.TemporaryDirectory() as folder:
        env = os.environ.copy()
        env.pop("EMAIL_HOST", None)
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = folder
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        worker_s = time.perf_counter() - start
        recipients = sent_messages(Path(folder))
    expected = {p.email for s in sessions for p in s.participants.all()}
    sent = OutgoingEmail.objects.filter(
        session_pk__in=[s.pk for s in sessions], status=OutgoingEmail.Status.SENT
    ).count()
    Path(args.json).write_text(
        json.dumps(
            {
                "people": args.people,
                "rounds": ROUNDS,
                "queued_in_request": queued,
                "session_page_p50": percentile(page_ms, 50),
                "invite_all_p50": percentile(invite_ms, 50),
                "invite_all_ms": invite_ms,
                "worker_s": worker_s,
                "emails_written": len(recipients),
                "distinct_recipients": len(set(recipients)),
                "exactly_once": sorted(recipients) == sorted(expected) and sent == len(expected),
                "sent_rows": sent,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
