"""Demo lessons with a life (issue 19), after ``load_demo``: four lessons of KMI (สคส.),
one at each status, each with its history (who, when, why and the evidence) and its
sources in the demo's own AARs and recommendations, and the micro Peer Assist recorded
as drawing on one of them.

Made through ``lessons.lessons``, as a coordinator makes them, then dated back so the
history reads as months of work. Idempotent: a lesson already there (by its title) keeps
its history and gets back the sources that a new run of ``load_demo`` took away with
the AARs and recommendations it wrote anew; the reuse is recorded once.
"""

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aar.management.commands.load_demo import MICRO_TITLE
from lessons import lessons
from lessons.comments import comment_add
from lessons.models import Comment, Lesson, LessonReuse, LessonStatusChange, SearchEntry
from sessions_app.models import AssistSession, Organisation

Kind = SearchEntry.Kind
Status = Lesson.Status


class Move(NamedTuple):
    to: str
    days_ago: int
    reason: str = ""
    evidence: str = ""
    evidence_url: str = ""


class DemoLesson(NamedTuple):
    title: str
    statement: str
    days_ago: int  # identified
    # (the start of a source's text, its kind, how many such rows at most)
    sources: tuple[tuple[str, str, int], ...]
    moves: tuple[Move, ...] = ()


LESSONS = (
    DemoLesson(
        "ผู้บริหารเปิดวงด้วยเรื่องที่ตัวเองเคยพลาด",
        "เมื่อหัวหน้าเปิดวงเล่าเรื่องด้วยเรื่องที่ตัวเองเคยพลาด คนในทีมกล้าเล่าเรื่องจริงตามมา "
        "ให้วงเล่าเรื่องทุกวงเริ่มจากเรื่องของผู้บริหารก่อน ไม่ใช่เริ่มจากนโยบาย",
        100,
        (
            ("ให้ ผอ. สำนักเป็นคนเปิดวงเล่าเรื่องเอง", Kind.RECOMMENDATION, 1),
            ("ทำได้ทันทีในการประชุมสำนักครั้งหน้า", Kind.RESPONSE, 1),
            ("ได้เห็นว่า สคส. เริ่มจากวงเล็กๆ ที่ผู้บริหารนั่งเล่าด้วย", Kind.ANSWER, 1),
        ),
        (
            Move(
                Status.VALIDATED,
                85,
                "ทีม KM ทบทวนแล้ว พบเรื่องเดียวกันในวงของ สสส. และของ รพ.บ้านสวน",
            ),
            Move(
                Status.APPLIED,
                60,
                "ผอ. สำนักสามแห่งตกลงลองเปิดวงประจำเดือนด้วยเรื่องของตัวเอง",
                "บันทึกการประชุมสำนักเดือนแรก: ผอ. เล่าเรื่องโครงการที่ล่าช้าเป็นเรื่องแรก",
                "https://example.org/demo/kmi/minutes-1",
            ),
            Move(
                Status.VERIFIED,
                12,
                "",
                "สามเดือนต่อมา เจ้าหน้าที่เล่าเรื่องที่พลาดในวงเองโดยไม่ต้องชวน 9 เรื่อง จาก 2 เรื่องก่อนเริ่ม",
                "https://example.org/demo/kmi/followup-3-months",
            ),
        ),
    ),
    DemoLesson(
        "นัดวงติดตามผลก่อนแยกย้าย",
        "ก่อนจบวง Peer Assist ให้นัดวันทบทวนร่วมกันไว้เลย ภายในหนึ่งเดือน "
        "ถ้ารอนัดทีหลัง การติดตามผลมักหายไปกับงานประจำ",
        80,
        (
            ("ยังไม่ได้คุยเรื่องการติดตามผล เพราะหมดเวลาก่อน", Kind.ANSWER, 2),
            ("นัดทบทวนร่วมกันอีกครั้งในหนึ่งเดือน", Kind.RECOMMENDATION, 1),
        ),
        (
            Move(Status.VALIDATED, 70, "เรื่องนี้ซ้ำในหลายวง ทั้งของ สคส. และของเครือข่าย"),
            Move(
                Status.APPLIED,
                20,
                "ใส่ไว้ในแบบฟอร์มเตรียมวงของคุณอำนวย เป็นขั้นสุดท้ายก่อนปิดวง",
                "แบบฟอร์มเตรียมวงฉบับปรับปรุง มีช่องวันนัดทบทวน ใช้แล้วสองวง",
                "https://example.org/demo/kmi/facilitator-checklist",
            ),
        ),
    ),
    DemoLesson(
        "กันเวลาถามตอบอย่างน้อยหนึ่งในสามของวง",
        "วงที่เวลาหมดไปกับการเล่าภาพรวม ไม่ได้ลงรายละเอียดที่เจ้าภาพต้องการ "
        "ให้กันเวลาถามตอบไว้อย่างน้อยหนึ่งในสามของวง และบอกผู้เล่าล่วงหน้า",
        45,
        (
            ("เวลาไม่พอ คุยได้แค่ภาพรวม", Kind.ANSWER, 2),
            ("เวลาช่วงถามตอบน้อยเกินไป", Kind.ANSWER, 1),
        ),
        (Move(Status.VALIDATED, 30, "คุณอำนวยสามคนเห็นตรงกันจากวงที่ผ่านมา"),),
    ),
    DemoLesson(
        "ส่งคำถามของเจ้าภาพให้ผู้เข้าร่วมก่อนวง",
        "ผู้เข้าร่วมบางคนไม่รู้ว่าต้องเตรียมอะไรมา ให้ส่งโจทย์และคำถามของเจ้าภาพไปพร้อมคำเชิญ",
        5,
        (("การสื่อสารก่อนวงยังไม่ดี", Kind.ANSWER, 2),),
    ),
)

REUSE_LESSON = "กันเวลาถามตอบอย่างน้อยหนึ่งในสามของวง"
REUSE_NOTE = "วงนี้กันเวลาถามตอบไว้ 20 นาทีจาก 60 นาที และบอกผู้เล่าไว้ก่อน"
REUSE_COMMENT = "ใช้ในวงไมโครแล้วได้ผล ผู้เล่ารู้ล่วงหน้าว่ามีเวลาสั้น จึงเตรียมมาเฉพาะเรื่องที่เจ้าภาพถาม"


class Command(BaseCommand):
    help = "Add demo lessons at every status, with their history, and a session that reused one."

    def handle(self, *args, **options):
        kmi = Organisation.objects.filter(short_name="สคส.").first()
        if kmi is None:
            raise CommandError("Run load_demo first: there is no KMI (สคส.) to give lessons to.")
        users = get_user_model().objects
        demo = users.filter(username="demo").first()
        owner = users.filter(username="aor").first() or demo
        made = 0
        with transaction.atomic():
            for spec in LESSONS:
                lesson = Lesson.objects.filter(organisation=kmi, title=spec.title).first()
                if lesson is None:
                    self.lesson(kmi, spec, by=demo, owner=owner)
                    made += 1
                else:
                    # load_demo writes its AARs and recommendations anew, and their
                    # sources went with them: point at the new ones.
                    lessons.sources_add(lesson=lesson, sources=self.sources(kmi, spec), by=None)
            self.reuse(kmi, by=demo)
        self.stdout.write(
            self.style.SUCCESS(f"Demo lessons: {made} made, {len(LESSONS) - made} already there.")
        )

    @staticmethod
    def sources(kmi, spec: DemoLesson) -> list[SearchEntry]:
        rows = []
        for start, kind, most in spec.sources:
            found = (
                SearchEntry.objects.filter(
                    session__organiser=kmi, kind=kind, text__contains=start, held_back=False
                )
                .order_by("session__date", "pk")
                .distinct()
            )
            rows += list(found[:most])
        if not rows:
            raise CommandError(f"Run load_demo first: no source found for “{spec.title}”.")
        return rows

    def lesson(self, kmi, spec: DemoLesson, *, by, owner) -> Lesson:
        now = timezone.now()
        lesson = lessons.lesson_create(
            organisation=kmi,
            title=spec.title,
            statement=spec.statement,
            owner=owner,
            sources=self.sources(kmi, spec),
            by=by,
        )
        when = now - datetime.timedelta(days=spec.days_ago)
        Lesson.objects.filter(pk=lesson.pk).update(created_at=when, updated_at=when)
        lesson.changes.update(changed_at=when)
        lesson.sources.update(added_at=when)
        for move in spec.moves:
            change = lessons.lesson_move(
                lesson=lesson,
                to_status=move.to,
                reason=move.reason,
                evidence=move.evidence,
                evidence_url=move.evidence_url,
                by=by,
            )
            when = now - datetime.timedelta(days=move.days_ago)
            LessonStatusChange.objects.filter(pk=change.pk).update(changed_at=when)
            Lesson.objects.filter(pk=lesson.pk).update(updated_at=when)
        return lesson

    @staticmethod
    def reuse(kmi, *, by) -> None:
        lesson = Lesson.objects.filter(organisation=kmi, title=REUSE_LESSON).first()
        session = AssistSession.objects.filter(organiser=kmi, title=MICRO_TITLE).first()
        if lesson is None or session is None:
            return
        if not lesson.comments.exists():
            comment = comment_add(lesson=lesson, text=REUSE_COMMENT, author=by)
            Comment.objects.filter(pk=comment.pk).update(
                created_at=timezone.now() - datetime.timedelta(hours=20)
            )
        if not LessonReuse.objects.filter(lesson=lesson, session=session).exists():
            reuse = lessons.reuse_add(lesson=lesson, session=session, note=REUSE_NOTE, by=by)
            LessonReuse.objects.filter(pk=reuse.pk).update(
                noted_at=timezone.now() - datetime.timedelta(days=1)
            )
