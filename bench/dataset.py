"""A large, realistic dataset for the benchmark, made with bulk inserts.

At scale 1: 2,000 sessions, 40,000 participants (20 a session), 30,000 AARs (27,000
submitted, 3,000 drafts) and about 60,000 commitments (1 to 3 an AAR; those of sessions
more than 30 days old mostly answered, each answer kept), run by 20 organisations over
three years. The benchmark user
``bench`` is a superuser and a coordinator of every organising organisation, so the
dashboard covers all of it: the worst case.

Run inside a configured Django process: ``generate(scale)``.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from aar import commitments
from aar.models import AAR, AARVersion, Commitment, CommitmentAnswer, ReminderLog
from sessions_app import tally
from sessions_app.models import (
    AssistSession,
    Membership,
    Organisation,
    Participant,
    new_token,
    new_walkin_code,
)

SESSIONS = 2_000
PEOPLE_PER_SESSION = 20
AARS = 30_000
DRAFT_SHARE = 0.1
ORGANISERS = 20
ORGANISATIONS = 60
FACILITATORS = 50
BENCH_USER = "bench"
# A coordinator of one organising organisation: the common case (a twentieth of the data).
ONE_ORG_USER = "bench_one_org"
BENCH_PASSWORD = "bench-password-not-secret"

TEXT = (
    "อยากเรียนรู้วิธีชวนชุมชนให้ลุกขึ้นมาดูแลสุขภาพกันเอง ได้ฟังประสบการณ์จริงจากพี่ ๆ "
    "เครือข่าย เห็นว่าต้องเริ่มจากเรื่องเล็ก ๆ ที่ชาวบ้านทำได้เอง "
)


def _text(rng: random.Random, words: int) -> str:
    start = rng.randrange(0, len(TEXT) // 2)
    return (TEXT[start:] + TEXT)[: words * 6].strip()


def clear() -> None:
    """Remove everything the generator makes (the benchmark has its own database)."""
    with transaction.atomic():
        for model in (ReminderLog, AARVersion, AAR, Participant, AssistSession, Membership):
            model.objects.all().delete()
        Organisation.objects.all().delete()
        get_user_model().objects.all().delete()


def generate(scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    n_sessions = max(2, round(SESSIONS * scale))
    n_aars = round(AARS * scale)
    clear()
    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        # A bulk load, as a restore would do it: the rows go in directly, then every
        # session's follow-up counts are counted once. Same transaction: nothing else
        # sees the rows before they are counted.
        bench = User.objects.create_superuser(BENCH_USER, "bench@example.org", BENCH_PASSWORD)
        one_org = User.objects.create_user(ONE_ORG_USER, "one@example.org", BENCH_PASSWORD)
        facilitators = User.objects.bulk_create(
            User(username=f"facilitator{i}", first_name=f"ผู้อำนวย {i}", password="!")
            for i in range(FACILITATORS)
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"มูลนิธิเครือข่ายการเรียนรู้ที่ {i}",
                name_en=f"Learning Network Foundation {i}",
                short_name=f"มคร.{i}",
            )
            for i in range(ORGANISATIONS)
        )
        organisers = orgs[:ORGANISERS]
        Membership.objects.bulk_create(
            [Membership(user=bench, organisation=o, role="coordinator") for o in organisers]
            + [Membership(user=one_org, organisation=organisers[0], role="coordinator")]
            + [
                Membership(user=f, organisation=organisers[i % ORGANISERS], role="facilitator")
                for i, f in enumerate(facilitators)
            ]
        )
        sessions = []
        for i in range(n_sessions):
            # Three years back and two months ahead, newest most often.
            date = today - datetime.timedelta(days=int(rng.triangular(-60, 1095, 0)))
            organiser = organisers[i % ORGANISERS]
            held = date <= today
            sessions.append(
                AssistSession(
                    organiser=organiser,
                    title=f"Peer Assist ครั้งที่ {i + 1}: การดูแลสุขภาพชุมชน",
                    host=rng.choice(orgs),
                    purpose=_text(rng, 30),
                    context=_text(rng, 40),
                    date=date,
                    start_time=datetime.time(9, 30),
                    duration_minutes=180,
                    place="ห้องประชุม ชั้น 3",
                    facilitator=facilitators[i % FACILITATORS],
                    summary=_text(rng, 80) if held else "",
                    advice=_text(rng, 40) if held else "",
                    aar_deadline=date + datetime.timedelta(days=7),
                    # save() sets these; bulk_create does not call it.
                    checkback_first_on=date + datetime.timedelta(days=30),
                    checkback_second_on=date + datetime.timedelta(days=90),
                    status="closed" if date < today - datetime.timedelta(days=90) else "held",
                    walkin_code=new_walkin_code(),
                    created_by=facilitators[i % FACILITATORS],
                )
                if held
                else AssistSession(
                    organiser=organiser,
                    title=f"Peer Assist ครั้งที่ {i + 1}: วางแผน",
                    host=rng.choice(orgs),
                    purpose=_text(rng, 30),
                    date=date,
                    duration_minutes=180,
                    facilitator=facilitators[i % FACILITATORS],
                    aar_deadline=date + datetime.timedelta(days=7),
                    status="planned",
                    walkin_code=new_walkin_code(),
                    created_by=facilitators[i % FACILITATORS],
                )
            )
        sessions = AssistSession.objects.bulk_create(sessions, batch_size=500)
        Peers = AssistSession.peers.through
        Peers.objects.bulk_create(
            (
                Peers(assistsession_id=s.pk, organisation_id=o.pk)
                for s in sessions
                for o in rng.sample(orgs, 3)
            ),
            batch_size=2000,
        )
        roles = ["host", "host", "peer", "peer", "peer", "note_taker", "observer"]
        people = []
        for s in sessions:
            for j in range(PEOPLE_PER_SESSION):
                people.append(
                    Participant(
                        session=s,
                        full_name=f"คุณสมศรี ใจดี {s.pk}-{j}",
                        email=f"p{s.pk}-{j}@example.org",
                        organisation=rng.choice(orgs),
                        role="facilitator" if j == 0 else rng.choice(roles),
                        language="th" if j % 5 else "en",
                        token=new_token(),
                        invited_at=now if s.date <= today and j % 7 else None,
                    )
                )
        people = Participant.objects.bulk_create(people, batch_size=2000)
        # AARs go to the people of held sessions, oldest sessions fullest.
        held_people = [p for p in people if p.session.date <= today]
        rng.shuffle(held_people)
        aars = []
        for k, p in enumerate(held_people[:n_aars]):
            submitted = k >= n_aars * DRAFT_SHARE
            when = timezone.make_aware(
                datetime.datetime.combine(p.session.date, datetime.time(15))
                + datetime.timedelta(days=rng.choice([0, 1, 2, 3, 5, 9]))
            )
            aars.append(
                AAR(
                    participant=p,
                    goal=_text(rng, 30),
                    achieved=_text(rng, 60),
                    not_achieved=_text(rng, 40) if submitted else "",
                    next_steps=_text(rng, 30) if submitted else "",
                    status="submitted" if submitted else "draft",
                    sharing="organisers" if k % 10 == 0 else "participants",
                    submitted_at=min(when, now) if submitted else None,
                )
            )
        aars = AAR.objects.bulk_create(aars, batch_size=2000)
        made = _commitments(rng, aars, today)
        tally.recount_all()
        commitments.recount_all()
    with connection.cursor() as cursor:
        # Statistics for the planner, as a live database has them; on PostgreSQL also the
        # visibility map that index-only scans need (autovacuum would do it in a while).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "sessions": len(sessions),
        "participants": len(people),
        "aars": len(aars),
        "commitments": made,
    }


# Answers of commitments whose first check-back has passed, as people give them.
ANSWERED = [
    Commitment.Status.DONE,
    Commitment.Status.DONE,
    Commitment.Status.PARTLY,
    Commitment.Status.NOT_YET,
    Commitment.Status.DROPPED,
    Commitment.Status.OPEN,
]


def _commitments(rng: random.Random, aars: list[AAR], today: datetime.date) -> int:
    rows = []
    for aar in aars:
        session_date = aar.participant.session.date
        for position in range(rng.choice([1, 2, 2, 2, 3, 3]) if aar.next_steps else 1):
            status = Commitment.Status.OPEN
            if (today - session_date).days > 30:
                status = rng.choice(ANSWERED)
            answered = status != Commitment.Status.OPEN
            rows.append(
                Commitment(
                    aar=aar,
                    position=position,
                    text=_text(rng, 12),
                    due_date=session_date + datetime.timedelta(days=rng.choice([14, 30, 60])),
                    status=status,
                    outcome=_text(rng, 20) if answered else "",
                    answered_at=timezone.now() if answered else None,
                )
            )
    rows = Commitment.objects.bulk_create(rows, batch_size=2000)
    CommitmentAnswer.objects.bulk_create(
        (
            CommitmentAnswer(
                commitment=c,
                status=c.status,
                outcome=c.outcome,
                saved_by=c.aar.participant.full_name,
            )
            for c in rows
            if c.status != Commitment.Status.OPEN
        ),
        batch_size=2000,
    )
    return len(rows)
