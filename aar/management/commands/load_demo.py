"""Demo data from the source post: KMI (สคส.) runs a micro Peer Assist for ThaiHealth (สสส.).

Idempotent: running it again updates the same rows and keeps every personal link. The
people are fictional; the AAR of the post's author is the post's own text.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from aar import commitments
from aar.models import AAR, Commitment, CommitmentAnswer
from peerassist.auth import DEMO_PASSWORD
from sessions_app import tally
from sessions_app.models import AssistSession, Membership, Organisation, Participant

AUTHOR_AAR = {
    "goal": (
        "มาฟังวัฒนธรรมแลกเปลี่ยนฯ ของ สสส. (อยากรู้อยากเห็นเหมือนกันค่ะ) และมาเล่าวัฒนธรรม"
        "การแลกเปลี่ยนเรียนรู้ภายใน สคส. ให้ฟัง เพื่อจะเป็นประโยชน์ให้ สสส. ได้บ้าง"
    ),
    "achieved": (
        "ในช่วงสั้นๆ คิดว่าเรา สคส. ได้เล่าให้เห็นการสร้างวัฒนธรรม บรรยากาศการแลกเปลี่ยนเรียนรู้ "
        "ที่แตกต่างจาก สสส. ให้เห็นได้ค่อนข้างชัดเจน แม้การเล่าเรื่องจะให้ภาพละเอียดไม่ได้เท่า"
        "การเข้ามาร่วมทำจริง"
    ),
    "not_achieved": (
        "อ้อ ยังไม่เห็นสัญญาณ แนวทาง การตอบรับที่จะปฏิบัติจริง และการเสวนาร่วม จากทีม ผอ. สำนักของ "
        "สสส. อาจเป็นเพราะเวลาน้อยเกินไปสำหรับการให้คำตอบในการทำจริง และจากเหตุนี้เองทำให้ อ้อ "
        "เรียนรู้วัฒนธรรม แนวคิด ของ สสส. ได้ไม่มากเท่าที่ควร"
    ),
    "next_steps": (
        "การติดตามผลดูว่า สสส. จะมีปฏิกิริยาตอบสนองอย่างไรหลังจากกิจกรรมวันนี้ โดย อ้อ เสนอให้"
        "ผู้เข้าร่วม สสส. ทำ AAR ของแต่ละคน เขียนลง blog ให้เราได้ตามผล แล้วเป็นอย่างไร......"
        "เรา สคส. คงต้องกลับมา AAR วิธีของตนเองอีกครั้งค่ะ"
    ),
}


# Commitments under "What I will do next": (text, days after the session it is due,
# status, what happened). The older session's have had their first check-back.
COMMITMENTS = {
    "วรรณา (อ้อ) มีสุข": [
        ("ติดตามว่า สสส. จะตอบสนองอย่างไรหลังกิจกรรมวันนี้", 30, "open", ""),
        ("ชวนผู้เข้าร่วม สสส. เขียน AAR ของแต่ละคนลง blog", 14, "open", ""),
    ],
    "มาลี ทองดี": [("เริ่มวงเล่าเรื่องเล็กๆ ในสำนักของตัวเองเดือนละครั้ง", 45, "open", "")],
    "พว.อรุณี สายใจ": [
        (
            "จัดวงเล่าเรื่องข้ามเวรเรื่องผู้ป่วยเบาหวานทุกวันพฤหัส",
            21,
            "done",
            "จัดไปแล้ว 4 ครั้ง หัวหน้าเวรช่วยกันหาเวลา ที่ยากคือเวรดึกมาร่วมไม่ได้",
        ),
        (
            "เขียนคู่มือสั้นๆ จากเรื่องเล่าของพยาบาลรุ่นพี่",
            30,
            "partly",
            "ได้โครงร่างแล้ว ยังขาดเรื่องเล่าจากเวรบ่าย เพราะช่วงนี้คนไข้ล้น",
        ),
    ],
    # In the older session only (he is in both).
    ("อ.กมล ศรีสว่าง", "Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน"): [
        ("ส่งตัวอย่างแบบบันทึก AAR ให้ รพ.บ้านสวน", 7, "not_yet", "ยังหาตัวอย่างที่เหมาะไม่ได้")
    ],
}


class Command(BaseCommand):
    help = "Load the demo data of the source post (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-user",
            action="store_true",
            help="Create the demo sign-in even where DEMO_USER_ALLOWED is off (never on a real server).",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            self.load(**options)
            # A bulk load: the rows went in directly, so count everything once.
            tally.recount_all()
            commitments.recount_all()

    def load(self, **options):
        today = timezone.localdate()
        kmi = self.organisation(
            "สถาบันส่งเสริมการจัดการความรู้เพื่อสังคม",
            "Knowledge Management Institute",
            "สคส.",
            "https://www.kmi.or.th",
        )
        thaihealth = self.organisation(
            "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ",
            "Thai Health Promotion Foundation",
            "สสส.",
            "https://www.thaihealth.or.th",
        )
        hospital = self.organisation(
            "โรงพยาบาลชุมชนบ้านสวน", "Ban Suan Community Hospital", "รพ.บ้านสวน", ""
        )

        demo = aor = None
        if settings.DEMO_USER_ALLOWED or options["with_demo_user"]:
            demo = self.user("demo", "Demo", "Coordinator", staff=True)
            Membership.objects.update_or_create(
                user=demo, organisation=kmi, defaults={"role": Membership.Role.COORDINATOR}
            )
            aor = self.user("aor", "วรรณา", "มีสุข")
            Membership.objects.update_or_create(
                user=aor, organisation=kmi, defaults={"role": Membership.Role.FACILITATOR}
            )

        micro = self.session(
            kmi,
            "Micro Peer Assist สคส. กับ สสส.",
            host=thaihealth,
            peers=[kmi],
            purpose="สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้ภายในองค์กรของ สสส. เอง",
            context=(
                "เจ้าภาพ สสส. เล่าให้ฟังก่อนว่าการแลกเปลี่ยนเรียนรู้ใน สสส. ตอนนี้เป็นอย่างไร "
                "ภาพรวมจาก HRD และความรู้สึกเชิงลึกจากผู้ประสานงาน แล้ว สคส. สะท้อนเล่าเปรียบเทียบ"
                "วัฒนธรรมการแลกเปลี่ยนเรียนรู้ของสององค์กร ชี้สิ่งที่แตกต่างกัน"
            ),
            date=today - datetime.timedelta(days=2),
            start_time=datetime.time(9, 30),
            duration=60,
            place="สำนักงาน สสส. ห้องประชุมชั้น 7",
            facilitator=aor,
            summary=(
                "ทีม สสส. ได้แนวคิดจากการแลกเปลี่ยน และเสนอแนวทางดำเนินการของตัวเอง: "
                "เริ่มจากวงเล่าเรื่องเล็กๆ ในแต่ละสำนัก"
            ),
            advice=("ให้ผู้เข้าร่วมแต่ละคนเขียน AAR ของตนลง blog เพื่อให้ติดตามผลได้ และนัดทบทวนอีกครั้งในหนึ่งเดือน"),
            source_url="https://www.gotoknow.org/",
            status=AssistSession.Status.HELD,
            brief_problem="การแลกเปลี่ยนเรียนรู้ภายใน สสส. ยังเกิดเฉพาะในงานประชุม ไม่เป็นวัฒนธรรมประจำวัน",
            brief_learn="องค์กรอื่นสร้างบรรยากาศให้คนอยากเล่าและอยากฟังกันได้อย่างไร",
            brief_outcome="ได้แนวทางเริ่มต้นเล็กๆ ที่แต่ละสำนักลองทำได้ภายในเดือนหน้า",
            brief_questions="สคส. เริ่มวงเล่าเรื่องภายในอย่างไร\nผู้บริหารมีบทบาทอย่างไร\nทำอย่างไรให้ต่อเนื่อง",
            brief_reading="บันทึกต้นเรื่องใน GotoKnow: https://www.gotoknow.org/",
        )
        # (name, email, organisation, role, language, AAR: None / "draft" / dict)
        micro_people = [
            ("ศ.นพ.วิชัย ใจดี", "wichai@example.org", kmi, "facilitator", "th", "short"),
            ("อ.กมล ศรีสว่าง", "kamol@example.org", kmi, "peer", "th", "short"),
            ("สุนีย์ แก้วใส", "sunee@example.org", kmi, "note_taker", "th", "draft"),
            ("วรรณา (อ้อ) มีสุข", "aor@example.org", kmi, "coordinator", "th", AUTHOR_AAR),
            ("นพ.สุรชัย ปัญญาดี", "surachai@example.org", thaihealth, "host", "th", None),
            ("นพ.กิตติ รักษ์ไทย", "kitti@example.org", thaihealth, "host", "th", None),
            ("มาลี ทองดี", "malee@example.org", thaihealth, "host", "th", "short"),
            ("ณัฐ (HRD)", "nat@example.org", thaihealth, "host", "en", None),
        ]
        self.roster(micro, micro_people, submitted_on=today - datetime.timedelta(days=1))

        older = self.session(
            kmi,
            "Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน",
            host=hospital,
            peers=[kmi, thaihealth],
            purpose="เรียนรู้วิธีให้ทีมพยาบาลแลกเปลี่ยนประสบการณ์ดูแลผู้ป่วยเบาหวานข้ามเวร",
            context="",
            date=today - datetime.timedelta(days=30),
            start_time=datetime.time(13, 0),
            duration=120,
            place="ห้องประชุม รพ.บ้านสวน",
            facilitator=aor,
            summary="",
            advice="",
            source_url="",
            status=AssistSession.Status.HELD,
        )
        older_people = [
            ("พว.อรุณี สายใจ", "arunee@example.org", hospital, "host", "th", "short"),
            ("พว.ปราณี ชื่นชม", "pranee@example.org", hospital, "host", "th", None),
            ("นพ.ธนา วงศ์ดี", "thana@example.org", hospital, "host", "th", None),
            ("อ.กมล ศรีสว่าง", "kamol@example.org", kmi, "peer", "th", "late"),
            ("Jane Peer", "jane@example.org", thaihealth, "peer", "en", None),
            ("สมชาย บันทึกดี", "", kmi, "note_taker", "th", None),
        ]
        self.roster(older, older_people, submitted_on=today - datetime.timedelta(days=28))

        self.stdout.write(self.style.SUCCESS("Demo data loaded: 3 organisations, 2 sessions."))
        if demo:
            self.stdout.write(f"Demo sign-in: demo / {DEMO_PASSWORD} (coordinator of สคส.)")

    def organisation(self, name, name_en, short_name, website):
        org, _ = Organisation.objects.update_or_create(
            short_name=short_name,
            defaults={"name": name, "name_en": name_en, "website": website},
        )
        return org

    def user(self, username, first_name, last_name, *, staff=False):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def session(self, organiser, title, *, peers, duration, **fields):
        session, _ = AssistSession.objects.update_or_create(
            organiser=organiser,
            title=title,
            defaults={
                **fields,
                "duration_minutes": duration,
                "aar_deadline": AssistSession.default_deadline(fields["date"]),
                "created_by": fields["facilitator"],
            },
        )
        session.peers.set(peers)
        return session

    def roster(self, session, people, *, submitted_on):
        for name, email, org, role, language, aar in people:
            participant, _ = Participant.objects.update_or_create(
                session=session,
                full_name=name,
                defaults={"email": email, "organisation": org, "role": role, "language": language},
            )
            if aar is None:
                AAR.objects.filter(participant=participant).delete()
                continue
            on_time = timezone.make_aware(
                datetime.datetime.combine(submitted_on, datetime.time(20, 0))
            )
            if aar == "draft":
                defaults = {
                    "goal": "อยากเห็นว่า สสส. จะนำไปใช้อย่างไร",
                    "achieved": "ได้บันทึกประเด็นสำคัญครบ",
                    "not_achieved": "",
                    "next_steps": "",
                    "status": AAR.Status.DRAFT,
                    "submitted_at": None,
                }
            else:
                text = aar if isinstance(aar, dict) else self.short_aar(name)
                late = aar == "late"
                submitted_at = (
                    timezone.make_aware(
                        datetime.datetime.combine(
                            session.aar_deadline + datetime.timedelta(days=2), datetime.time(9)
                        )
                    )
                    if late
                    else on_time
                )
                defaults = {**text, "status": AAR.Status.SUBMITTED, "submitted_at": submitted_at}
            saved, _ = AAR.objects.update_or_create(participant=participant, defaults=defaults)
            self.commitments(
                saved, session, self.commitments_of(name, session) if aar != "draft" else []
            )

    @staticmethod
    def commitments_of(name, session):
        return COMMITMENTS.get((name, session.title), COMMITMENTS.get(name, []))

    @staticmethod
    def commitments(aar, session, rows):
        """The AAR's commitments as listed (the same rows each run), answered ones with
        their check-back answer."""
        aar.commitments.all().delete()
        for position, (text, days, status, outcome) in enumerate(rows):
            commitment = Commitment.objects.create(
                aar=aar,
                position=position,
                text=text,
                due_date=session.date + datetime.timedelta(days=days),
                status=status,
                outcome=outcome,
                answered_at=timezone.now() if outcome else None,
            )
            if outcome:
                CommitmentAnswer.objects.create(
                    commitment=commitment,
                    status=status,
                    outcome=outcome,
                    saved_by=aar.participant.full_name,
                )

    @staticmethod
    def short_aar(name):
        return {
            "goal": f"{name}: อยากเข้าใจว่าองค์กรเพื่อนสร้างบรรยากาศการแลกเปลี่ยนเรียนรู้อย่างไร",
            "achieved": "ได้เห็นความแตกต่างของวัฒนธรรมสององค์กรชัดขึ้น เพราะมีตัวอย่างจริงเล่าให้ฟัง",
            "not_achieved": "ยังไม่ได้ลงรายละเอียดวิธีปฏิบัติ เพราะเวลาเพียงหนึ่งชั่วโมง",
            "next_steps": "ชวนทีมทำวงเล่าเรื่องสั้นๆ ทุกสัปดาห์ และเขียน AAR หลังทุกกิจกรรม",
        }
