"""The funder's view's data (issue 20): many organisations over five years, made with
bulk inserts, then counted by the code that keeps the counts.

At full size (``FULL``): 50 organisations, all organising, 10,000 sessions over the 60
months up to this month (newer months and a few organisations busier than the rest),
200,000 people on the rosters (20 a session, of every role and of the host's and the
peers' organisations), AARs from 90% of them (85% submitted, about one submitted in six
after the deadline, 5% drafts; the rest missing), one to three commitments a submitted
AAR (those of sessions over 30 days old mostly answered at a check-back, each answer
kept; the people told by one or two check-backs), a review of the method on a third of
the sessions and lessons with their status changes spread over the five years.

One person (``BUSY_EMAIL``) is on the roster of ``BUSY_SESSIONS`` sessions and another
(``ONCE_EMAIL``) on one: a person's history at two sizes. The first organisation is the
busiest and the last the quietest: a year in review at two sizes.

After the rows: the follow-up counts (``sessions_app.tally.recount_all``,
``aar.commitments.recount_all``, as ``manage.py recount_followup --repair`` does) and the
themes (``lessons.themes.rebuild_themes``). The search index is not built: no trends
page reads it.

Run inside a configured Django process: ``generate(**FULL)`` or smaller.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from aar import commitments
from aar.models import AAR, Commitment, CommitmentAnswer
from bench.dataset import lesson_history, method_reviews
from lessons.models import Lesson, LessonStatusChange
from lessons.themes import rebuild_themes
from sessions_app import tally
from sessions_app.models import (
    AssistSession,
    Membership,
    Organisation,
    Participant,
    new_token,
    new_walkin_code,
)

FULL = {"organisations": 50, "sessions": 10_000, "people": 20, "months": 60}
BENCH_USER = "funder"  # superuser, coordinator of every organisation
ONE_ORG_USER = "funder_one_org"  # coordinator of the first (the busiest) organisation
PASSWORD = "bench-password-not-secret"
SUBMITTED_SHARE = 0.85
DRAFT_SHARE = 0.05  # the rest (10%) have no AAR
LATE_SHARE = 1 / 6  # of the submitted: after the deadline
BUSY_EMAIL = "busy@example.org"
BUSY_SESSIONS = 300  # at full size; at most a tenth of the sessions
ONCE_EMAIL = "once@example.org"
LESSONS_PER_ORGANISATION_YEAR = 5
ROLES = ("host", "host", "host", "peer", "peer", "peer", "peer", "peer", "observer", "coordinator")
# Short answers (this is about counts): a few each, so the themes have words to count.
ANSWERS = {
    "goal": (
        "อยากเรียนรู้วิธีชวนชุมชนดูแลสุขภาพกันเอง",
        "อยากได้ feedback จากเพื่อนที่เคยทำมาก่อน",
    ),
    "achieved": (
        "ได้ฟังเรื่องจริงจากเครือข่าย เริ่มจากเรื่องเล็ก ๆ",
        "ได้ตัวอย่างปฏิทินกิจกรรมร่วมกับ รพ.สต.",
    ),
    "not_achieved": (
        "เวลาน้อย ยังไม่ได้ลงรายละเอียดงบประมาณ",
        "คนในทีมมาไม่ครบ ยังแบ่งงานไม่ได้",
        "ยังไม่ได้ข้อสรุปว่าจะวัดผลอย่างไร",
        "There was not enough time for the budget.",
    ),
    "next_steps": (
        "ชวนทีมไปดูงานที่อำเภอข้างเคียง",
        "เขียนข้อเสนอของบกองทุนสุขภาพตำบล",
        "ติดตามผลที่ 30 และ 90 วัน",
    ),
}
COMMITMENTS = ("พาทีมไปดูงาน", "ตั้งวงเล่าเรื่องประจำเดือน", "ส่งข้อเสนอของบ", "ขอ feedback จากชาวบ้าน")
ANSWERED = ("done", "done", "partly", "not_yet", "dropped", "open")


def add_months(month: datetime.date, count: int) -> datetime.date:
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return datetime.date(year, index + 1, 1)


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _weights(n: int) -> list[float]:
    """Organisations' shares of the sessions: the first the busiest (4×), the last the
    quietest (0.5×), the rest between."""
    if n == 1:
        return [1.0]
    return [4.0, *[1.0 + (k % 3) * 0.5 for k in range(1, n - 1)], 0.5]


def _session_date(rng, month: datetime.date, today: datetime.date) -> datetime.date:
    last = (add_months(month, 1) - datetime.timedelta(days=1)).day
    day = month.replace(day=rng.randint(1, last))
    return min(day, today)


def generate(
    *,
    organisations: int,
    sessions: int,
    people: int,
    months: int,
    seed: int = 2026,
    themes: bool = True,
) -> dict[str, int]:
    """Make the data (into an empty database: the benchmark's own, or a test's) and
    count it. Returns what was made."""
    rng = random.Random(seed)
    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    this_month = today.replace(day=1)
    month_list = [add_months(this_month, -k) for k in range(months)]
    # Newer months busier (a network that grows): weight 1 to 2 from oldest to newest.
    month_weights = [2 - k / max(1, months - 1) for k in range(months)]
    with transaction.atomic():
        bench = User.objects.create_superuser(BENCH_USER, "funder@example.org", PASSWORD)
        one_org = User.objects.create_user(ONE_ORG_USER, "funder1@example.org", PASSWORD)
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"ภาคีสุขภาวะที่ {i + 1}",
                name_en=f"Health partner {i + 1}",
                short_name=f"ภส.{i + 1}",
            )
            for i in range(organisations)
        )
        facilitators = User.objects.bulk_create(
            User(username=f"funder_facilitator{i}", first_name=f"ผู้อำนวย {i}", password="!")
            for i in range(organisations)
        )
        Membership.objects.bulk_create(
            [Membership(user=bench, organisation=o, role="coordinator") for o in orgs]
            + [Membership(user=one_org, organisation=orgs[0], role="coordinator")]
            + [
                Membership(user=f, organisation=o, role="facilitator")
                for f, o in zip(facilitators, orgs, strict=True)
            ]
        )
        org_weights = _weights(organisations)
        organisers = rng.choices(range(organisations), weights=org_weights, k=sessions)
        dates = [
            _session_date(rng, month, today)
            for month in rng.choices(month_list, weights=month_weights, k=sessions)
        ]
        made = []
        for i, (k, date) in enumerate(zip(organisers, dates, strict=True)):
            made.append(
                AssistSession(
                    organiser=orgs[k],
                    title=f"Peer Assist {i + 1}",
                    host=orgs[rng.randrange(organisations)],
                    purpose="ชวนชุมชนดูแลสุขภาพ",
                    date=date,
                    duration_minutes=180,
                    facilitator=facilitators[k],
                    created_by=facilitators[k],
                    aar_deadline=date + datetime.timedelta(days=7),
                    # save() sets these; bulk_create does not call it.
                    checkback_first_on=date + datetime.timedelta(days=30),
                    checkback_second_on=date + datetime.timedelta(days=90),
                    status="closed" if date < today - datetime.timedelta(days=90) else "held",
                    walkin_code=new_walkin_code(),
                )
            )
        made = AssistSession.objects.bulk_create(made, batch_size=1000)
        Peers = AssistSession.peers.through
        peers_of = {s.pk: rng.sample(orgs, min(3, organisations)) for s in made}
        Peers.objects.bulk_create(
            (
                Peers(assistsession_id=pk, organisation_id=o.pk)
                for pk, chosen in peers_of.items()
                for o in chosen
            ),
            batch_size=2000,
        )
        # Emails: each session's people drawn from a pool (about ten sessions a person),
        # the busy person in BUSY_SESSIONS of them, the one-off person in the last.
        pool = max(people * 2, sessions * people // 10)
        busy = set(rng.sample(range(len(made)), min(BUSY_SESSIONS, max(1, len(made) // 10))))
        rows = []
        for n, s in enumerate(made):
            emails = [f"person{k}@example.org" for k in rng.sample(range(pool), people)]
            if n in busy:
                emails[-1] = BUSY_EMAIL
            if n == len(made) - 1:
                emails[-2 if people > 1 else -1] = ONCE_EMAIL
            days = (today - s.date).days
            sent = 2 if days > 90 else 1 if days > 30 else 0
            for j, email in enumerate(emails):
                role = "facilitator" if j == 0 else "note_taker" if j == 1 else rng.choice(ROLES)
                org = s.host if role == "host" else rng.choice(peers_of[s.pk])
                rows.append(
                    Participant(
                        session=s,
                        full_name=f"คุณ {email.split('@')[0]}",
                        email=email,
                        organisation=org,
                        role=role,
                        token=new_token(),
                        invited_at=_aware(s.date - datetime.timedelta(days=7)),
                        checkbacks_sent=sent,
                    )
                )
        rows = Participant.objects.bulk_create(rows, batch_size=2000)
        aars = []
        for p in rows:
            r = rng.random()
            if r >= SUBMITTED_SHARE + DRAFT_SHARE:
                continue  # no AAR
            submitted = r < SUBMITTED_SHARE
            session = p.session
            late = rng.random() < LATE_SHARE
            days = rng.choice((9, 12, 20, 45)) if late else rng.choice((0, 1, 2, 3, 5, 7))
            when = min(_aware(session.date, 15) + datetime.timedelta(days=days), now)
            answers = {key: rng.choice(pool_) for key, pool_ in ANSWERS.items()}
            if not submitted:
                answers["not_achieved"] = answers["next_steps"] = ""
            aars.append(
                AAR(
                    participant=p,
                    answers=answers,
                    status="submitted" if submitted else "draft",
                    sharing="participants",
                    submitted_at=when if submitted else None,
                )
            )
        aars = AAR.objects.bulk_create(aars, batch_size=2000)
        n_commitments, n_answers = _commitments(rng, aars, today, now)
        n_reviews = method_reviews(rng, made, today)
        n_lessons, n_changes = _lessons(rng, orgs, bench, month_list, now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # plans for the recounts below
        # What ``manage.py recount_followup --repair`` does: every session's counts, the
        # commitments' and the organisations' months, afresh.
        tally.recount_all()
        commitments.recount_all()
        theme_rows = rebuild_themes() if themes else 0
    # Statistics for the planner, as a live database has them; on PostgreSQL also the
    # visibility map for index-only scans (VACUUM: not inside a transaction, as a test's).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    submitted = sum(1 for a in aars if a.status == "submitted")
    return {
        "organisations": len(orgs),
        "sessions": len(made),
        "participants": len(rows),
        "aars": len(aars),
        "submitted": submitted,
        "late": sum(
            1
            for a in aars
            if a.status == "submitted"
            and timezone.localdate(a.submitted_at) > a.participant.session.aar_deadline
        ),
        "commitments": n_commitments,
        "checkback_answers": n_answers,
        "method_reviews": n_reviews,
        "lessons": n_lessons,
        "lesson_status_changes": n_changes,
        "theme_rows": theme_rows,
        "months": months,
    }


def _commitments(rng, aars, today, now) -> tuple[int, int]:
    """One to three a submitted AAR; answered at a check-back once the session is over
    30 days old (mostly), each answer kept."""
    rows = []
    for aar in aars:
        if aar.status != "submitted":
            continue
        session_date = aar.participant.session.date
        old = (today - session_date).days > 30
        for position in range(rng.choice((1, 1, 2, 2, 3))):
            status = rng.choice(ANSWERED) if old else "open"
            answered = status != "open"
            rows.append(
                Commitment(
                    aar=aar,
                    position=position,
                    text=rng.choice(COMMITMENTS),
                    due_date=session_date + datetime.timedelta(days=30),
                    status=status,
                    outcome="ทำแล้วบางส่วน" if answered else "",
                    answered_at=(
                        min(_aware(session_date + datetime.timedelta(days=31)), now)
                        if answered
                        else None
                    ),
                )
            )
    rows = Commitment.objects.bulk_create(rows, batch_size=2000)
    answers = CommitmentAnswer.objects.bulk_create(
        (
            CommitmentAnswer(
                commitment=c,
                status=c.status,
                outcome=c.outcome,
                saved_by=c.aar.participant.full_name,
                saved_at=c.answered_at,
            )
            for c in rows
            if c.status != "open"
        ),
        batch_size=2000,
    )
    return len(rows), len(answers)


def _lessons(rng, orgs, by, month_list, now) -> tuple[int, int]:
    """Lessons of every organisation through the years, at every status, each with the
    steps that led there; made and changed on days spread over the period (their
    ``auto_now_add`` days are set afterwards)."""
    statuses = list(Lesson.Status)
    years = max(1, len(month_list) // 12)
    per_org = LESSONS_PER_ORGANISATION_YEAR * years
    lessons = []
    for org in orgs:
        for i in range(per_org):
            lessons.append(
                Lesson(
                    organisation=org,
                    title=f"บทเรียนที่ {i + 1} ของ {org.short_name}",
                    statement="เริ่มจากทีมเล็กที่พร้อมก่อน แล้วค่อยขยาย",
                    owner=by,
                    status=statuses[(i + org.pk) % len(statuses)],
                    created_by=by,
                )
            )
    lessons = Lesson.objects.bulk_create(lessons, batch_size=2000)
    changes, when = [], []
    for lesson in lessons:
        made_at = min(
            _aware(rng.choice(month_list)) + datetime.timedelta(days=rng.randint(0, 27)), now
        )
        lesson.created_at = made_at
        history = lesson_history(lesson, by)
        changes += history
        when += [min(made_at + datetime.timedelta(days=20 * n), now) for n in range(len(history))]
    Lesson.objects.bulk_update(lessons, ["created_at"], batch_size=500)
    changes = LessonStatusChange.objects.bulk_create(changes, batch_size=2000)
    # auto_now_add set "now" on insert: put back the days chosen.
    for row, moment in zip(changes, when, strict=True):
        row.changed_at = moment
    LessonStatusChange.objects.bulk_update(changes, ["changed_at"], batch_size=500)
    return len(lessons), len(changes)
