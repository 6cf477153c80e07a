"""Demo data for the trends and the year in review (issue 20), after ``load_demo``: 18
months of Peer Assists of four organisations, KMI (สคส.) and three partners that the
health-promotion fund supports, all coordinated by the demo coordinator ("demo").

Each organisation holds a session about every six weeks, staggered so every month has
some. The same people come back across sessions (a person's history has something to
show), some AARs arrive late, some are drafts or missing, and commitments were answered
at the check-backs: some done, some partly, some dropped, some not yet. About half the
sessions have a review of the method, with points that recur.

Written through the app's own services, so the kept counts follow as in the app:
``tally.session_added`` for a session (what ``session_create`` does after its form),
``participant_add`` for the roster, ``aar_save`` for AARs and their commitments,
``checkback_save`` for the answers and ``method_review_save`` for the reviews. The AARs
are then dated back to when they were "written" (a bulk load's step, as ``load_demo``
dates its paper AAR), so the sessions' late AARs and the months' AARs received are
counted once more at the end (``tally.recount_all``).

Idempotent: a session already there (by its organisation and title) is left as it is,
so a second run adds nothing. The people are fictional.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aar.commitments import checkback_save
from aar.method_review import method_review_save
from aar.models import AAR, AARVersion, Commitment
from aar.services import aar_save
from sessions_app import tally
from sessions_app.models import AssistSession, Membership, Organisation, Participant
from sessions_app.roster_services import participant_add

KMI = "สคส."
# (short name, name, English name): the three partners, after KMI.
PARTNERS = (
    ("ศรช.นาดี", "ศูนย์การเรียนรู้ชุมชนบ้านนาดี", "Ban Na Di Community Learning Centre"),
    ("คร.สส.ลำปาง", "เครือข่ายโรงเรียนส่งเสริมสุขภาพลำปาง", "Lampang Health-Promoting Schools Network"),
    ("มผส.", "มูลนิธิผู้สูงวัยใจดี", "Kind Elders Foundation"),
)
MONTHS = 18
SESSIONS_EACH = 12
EVERY_DAYS = 48
FIRST_DAYS_AGO = 12  # the newest session: its AARs were due five days ago

TOPICS = {
    KMI: (
        "ชวนคนรุ่นใหม่เข้าวงเล่าเรื่อง",
        "ทำคลังความรู้ที่คนใช้จริง",
        "AAR หลังงานอบรม",
        "คุณอำนวยมือใหม่",
        "วงเล่าเรื่องออนไลน์",
        "ถอดบทเรียนโครงการปีแรก",
        "ชุมชนนักปฏิบัติข้ามองค์กร",
        "เก็บความรู้ก่อนคนเกษียณ",
        "ใช้ AAR ในการประชุมประจำเดือน",
        "เล่าเรื่องความล้มเหลวอย่างปลอดภัย",
        "ความรู้จากงานภาคสนาม",
        "วัดผลการจัดการความรู้",
    ),
    "ศรช.นาดี": (
        "ตลาดสีเขียวของชุมชน",
        "ปุ๋ยหมักจากเศษอาหาร",
        "กองทุนข้าวของหมู่บ้าน",
        "อาสาสมัครดูแลผู้ป่วยติดเตียง",
        "ลดการเผาในไร่",
        "น้ำสะอาดสำหรับโรงเรียน",
        "แปลงผักของผู้สูงอายุ",
        "บัญชีครัวเรือน",
        "ชวนเยาวชนกลับบ้าน",
        "ธนาคารเมล็ดพันธุ์",
        "ป่าชุมชนกับไฟป่า",
        "ท่องเที่ยวชุมชนเล็กๆ",
    ),
    "คร.สส.ลำปาง": (
        "อาหารกลางวันลดหวาน",
        "ออกกำลังกายก่อนเข้าเรียน",
        "ครูกับสุขภาพใจของนักเรียน",
        "แปลงผักในโรงเรียน",
        "ลดขยะในโรงอาหาร",
        "ชวนผู้ปกครองมาร่วม",
        "นักเรียนแกนนำสุขภาพ",
        "ป้องกันจมน้ำ",
        "จอดรถรับส่งอย่างปลอดภัย",
        "ดื่มน้ำเปล่าแทนน้ำหวาน",
        "แบ่งปันสื่อการสอนสุขศึกษา",
        "ตรวจสายตานักเรียน",
    ),
    "มผส.": (
        "ชมรมผู้สูงอายุที่คนมาต่อเนื่อง",
        "เยี่ยมบ้านผู้สูงอายุอยู่ลำพัง",
        "ป้องกันการหกล้ม",
        "อาสาสมัครรุ่นใหม่",
        "กินดีสำหรับผู้สูงวัย",
        "ใช้มือถือโทรหาลูกหลาน",
        "กองทุนฌาปนกิจของชมรม",
        "ดนตรีกับความจำ",
        "ปรับบ้านให้ปลอดภัย",
        "รับยาต่อเนื่องที่ รพ.สต.",
        "ผู้ดูแลที่เหนื่อยล้า",
        "ถ่ายทอดภูมิปัญญาให้เด็ก",
    ),
}

# Each organisation's people (name, email): the same people come back.
PEOPLE = {
    KMI: (
        ("ปิยะ ใจงาม", "piya.kmi"),
        ("สุดา รักเรียน", "suda.kmi"),
        ("อนันต์ ศรีสุข", "anan.kmi"),
        ("จันทร์เพ็ญ ทองมา", "janpen.kmi"),
        ("ธีระ บุญมี", "teera.kmi"),
    ),
    "ศรช.นาดี": (
        ("ผู้ใหญ่สมบัติ ดีงาม", "sombat.nadee"),
        ("ป้าบุญมา แก้วกล้า", "boonma.nadee"),
        ("ครูอำไพ ศรีนาดี", "ampai.nadee"),
        ("เอก ชาวนา", "ake.nadee"),
        ("นิด อาสา", "nid.nadee"),
    ),
    "คร.สส.ลำปาง": (
        ("ครูวิภา สอนดี", "wipa.lampang"),
        ("ผอ.ประสิทธิ์ มั่นคง", "prasit.lampang"),
        ("ครูนงลักษณ์ ใจเย็น", "nongluck.lampang"),
        ("ครูเก่ง พละดี", "keng.lampang"),
        ("พยาบาลอร สุขใจ", "orn.lampang"),
    ),
    "มผส.": (
        ("ยายเพ็ญ อารีย์", "pen.elders"),
        ("ลุงชาญ ใจบุญ", "chan.elders"),
        ("อสม.มณี ช่วยเหลือ", "manee.elders"),
        ("หมอฝน ใส่ใจ", "fon.elders"),
        ("แก้ว อาสาดี", "kaew.elders"),
    ),
}

ANSWERS = {
    "goal": (
        "อยากได้วิธีที่ลองทำได้จริงในงานของเรา",
        "อยากรู้ว่าที่อื่นเริ่มจากอะไร",
        "อยากฟังเรื่องที่เคยพลาดและวิธีแก้",
        "อยากได้เพื่อนที่ทำเรื่องเดียวกัน",
    ),
    "achieved": (
        "ได้ตัวอย่างจริงที่กลับไปลองได้เลย",
        "ได้เห็นว่าเริ่มจากกลุ่มเล็กก่อนได้ผลกว่า",
        "ทีมได้ฟังกันจริงๆ ไม่ใช่แค่รายงาน",
        "ได้รู้จักคนที่พร้อมช่วยกันต่อ",
    ),
    "not_achieved": (
        "เวลาไม่พอ คุยได้แค่ภาพรวม",
        "ยังไม่ได้คุยเรื่องงบประมาณ เพราะเวลาไม่พอ",
        "การสื่อสารก่อนวงยังไม่ดี บางคนไม่ได้เตรียมตัว",
        "ทีมบางส่วนติดงานประจำ มาได้ไม่ครบ",
        "ยังไม่ได้วางแผนติดตามผล",
    ),
    "next_steps": (
        "จะนัดทีมติดตามผลทุกเดือน",
        "จะเล่าสิ่งที่ได้ให้ทีมฟังในการประชุมประจำสัปดาห์",
        "จะลองทำกับกลุ่มเล็กก่อนหนึ่งเดือน",
        "จะเขียน AAR สั้นๆ หลังทุกกิจกรรม",
    ),
}
COMMITMENTS = (
    "นัดทีมคุยเรื่องนี้ภายในสองสัปดาห์",
    "ลองทำกับกลุ่มเล็กหนึ่งกลุ่ม",
    "เขียนสรุปสั้นๆ ส่งให้ทีม",
    "ชวนองค์กรเพื่อนมาดูงาน",
    "ทำแบบฟอร์มติดตามผลรายเดือน",
)
# What the check-backs said, in turn (status, what happened); "open": not answered.
ANSWERED = (
    ("done", "ทำแล้ว ทีมช่วยกันดี"),
    ("partly", "ทำไปครึ่งหนึ่ง ติดช่วงงานยุ่ง"),
    ("done", "ทำแล้ว ได้ผลดีกว่าที่คิด"),
    ("not_yet", "ยังไม่ได้เริ่ม เพราะคนไม่พอ"),
    ("open", ""),
    ("dropped", "เปลี่ยนแผนไปทำเรื่องอื่นก่อน"),
)
METHOD_REVIEWS = {
    "worked": (
        "เจ้าภาพเล่าโจทย์ชัด เพื่อนถามตรงจุด",
        "คุณลิขิตจดข้อเสนอแนะครบ เจ้าภาพตอบได้ทุกข้อ",
        "วงเล็ก ทุกคนได้พูด",
    ),
    "did_not_work": (
        "เวลาไม่พอ ช่วงถามตอบสั้นเกินไป",
        "ส่งคำถามของเจ้าภาพช้า เพื่อนเตรียมตัวไม่ทัน",
        "เวลาไม่พอ เล่าภาพรวมนานเกินไป",
    ),
    "change_next": (
        "ส่งคำถามล่วงหน้าหนึ่งสัปดาห์",
        "กันเวลาถามตอบอย่างน้อยหนึ่งในสาม",
        "นัดวันติดตามผลไว้ตั้งแต่ในวง",
    ),
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Command(BaseCommand):
    help = "Add 18 months of Peer Assists of four organisations, for the trends (after load_demo)."

    def handle(self, *args, **options):
        kmi = Organisation.objects.filter(short_name=KMI).first()
        if kmi is None:
            raise CommandError("Run load_demo first: there is no KMI (สคส.).")
        today = timezone.localdate()
        made = 0
        with transaction.atomic():
            organisations = [kmi] + [
                Organisation.objects.get_or_create(
                    short_name=short, defaults={"name": name, "name_en": name_en}
                )[0]
                for short, name, name_en in PARTNERS
            ]
            demo = get_user_model().objects.filter(username="demo").first()
            if demo is not None:
                for organisation in organisations:
                    Membership.objects.get_or_create(
                        user=demo,
                        organisation=organisation,
                        defaults={"role": Membership.Role.COORDINATOR},
                    )
            for i in range(len(organisations)):
                for k in range(SESSIONS_EACH):
                    days_ago = FIRST_DAYS_AGO + k * EVERY_DAYS + i * 11
                    made += self.session(
                        organisations, i, k, today - datetime.timedelta(days=days_ago), today,
                        facilitator=demo,
                    )  # fmt: skip
            if made:
                # The AARs were dated back after aar_save counted them as received (and
                # late) today.
                tally.recount_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo trends: {made} sessions made, "
                f"{len(TOPICS) * SESSIONS_EACH - made} already there, "
                f"over {MONTHS} months and {len(TOPICS)} organisations."
            )
        )

    def session(self, organisations, i, k, day, today, *, facilitator) -> int:
        organiser = organisations[i]
        short = organiser.short_name
        title = f"Peer Assist: {TOPICS[short][k]}"
        if AssistSession.objects.filter(organiser=organiser, title=title).exists():
            return 0
        peer_org = organisations[(i + 1 + k % 3) % len(organisations)]  # never itself
        session = AssistSession.objects.create(
            organiser=organiser,
            title=title,
            host=organiser,
            purpose=f"เรียนรู้จากองค์กรเพื่อนเรื่อง{TOPICS[short][k]}",
            date=day,
            start_time=datetime.time(9 + k % 4, 0),
            duration_minutes=90,
            place="ห้องประชุมใหญ่" if k % 3 else "ออนไลน์",
            facilitator=facilitator,
            created_by=facilitator,
            status=(
                AssistSession.Status.CLOSED
                if (today - day).days > 60
                else AssistSession.Status.HELD
            ),
            checkback_first_days=30,
            checkback_second_days=90,
        )
        session.peers.set([peer_org])
        tally.session_added(session)  # as session_create does after saving its form
        # Four or five of the organisation's people (turn by turn) and one peer.
        own = PEOPLE[short]
        chosen = [own[(k + n) % len(own)] for n in range(4 + k % 2)]
        guest = PEOPLE[peer_org.short_name][k % 5]
        people = [(name, slug, organiser, Participant.Role.HOST) for name, slug in chosen]
        people.append((guest[0], guest[1], peer_org, Participant.Role.PEER))
        for n, (name, slug, organisation, role) in enumerate(people):
            person = participant_add(
                participant=Participant(
                    session=session,
                    full_name=name,
                    email=f"{slug}@example.org",
                    organisation=organisation,
                    role=role,
                    invited_at=_at(day, 17),
                )
            )
            self.aar(person, session, (i * 7 + k * 3 + n) % 10, today, seed=i + k + n)
        if k % 2 == 0:
            method_review_save(
                session=session,
                data={
                    name: texts[(i + k // 2) % len(texts)] for name, texts in METHOD_REVIEWS.items()
                },
                user=facilitator,
            )
        return 1

    def aar(self, person, session, kind: int, today, *, seed: int) -> None:
        """``kind`` 0: none written; 1: a draft; 2 and 3: late; else on time."""
        if kind == 0:
            return
        answers = {part: texts[seed % len(texts)] for part, texts in ANSWERS.items()}
        answers["sharing"] = AAR.Sharing.PARTICIPANTS if seed % 3 else AAR.Sharing.ORGANISERS
        submit = kind != 1
        rows = []
        if submit and seed % 2 == 0:
            rows = [
                {"text": COMMITMENTS[(seed + j) % len(COMMITMENTS)], "due_date": session.date + datetime.timedelta(days=30)}
                for j in range(1 + seed % 3 // 2)
            ]  # fmt: skip
        aar = aar_save(participant=person, data=answers, submit=submit, commitments=rows)
        if submit:
            late = kind in (2, 3)
            day = (
                session.aar_deadline + datetime.timedelta(days=3)
                if late
                else session.date + datetime.timedelta(days=1 + seed % 5)
            )
            moment = _at(min(day, today), 20)
            AAR.objects.filter(pk=aar.pk).update(submitted_at=moment)
            AARVersion.objects.filter(aar=aar).update(saved_at=moment)
        if rows and (today - session.date).days > 30:
            answers = {}
            for j, commitment in enumerate(Commitment.objects.filter(aar=aar).order_by("position")):
                status, outcome = ANSWERED[(seed // 2 + j) % len(ANSWERED)]
                if status != "open":
                    answers[commitment.pk] = (status, outcome)
            if answers:
                checkback_save(participant=person, answers=answers)
