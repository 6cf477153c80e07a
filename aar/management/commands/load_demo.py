"""Demo data from the source post: KMI (สคส.) runs a micro Peer Assist for ThaiHealth (สสส.).

The micro Peer Assist is shown whole: the host's brief and the participants' expectations
before it, the peers' recommendations during it (one removed, kept in its history), the
host's responses after it (two of them now commitments of the host team), one AAR typed
in from paper by the facilitator, and the facilitation team's review of the method. An
older session used the US Army's four questions and has its own review of the method.
A library of seven earlier sessions (``_demo_library``) holds enough AARs, in Thai and a
few in English, with every sharing level and some answers shown without a name, for the
search across what was learned to be meaningful; every AAR's search rows are written as
the app's writers write them (``aar.signals.aar_text_changed``).

Idempotent: running it again updates the same rows and keeps every personal link. The
people are fictional; the AAR of the post's author is the post's own text.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from aar import commitments
from aar.management.commands._demo_library import LIBRARY, load_library
from aar.method_review import method_review_save
from aar.models import (
    AAR,
    Commitment,
    CommitmentAnswer,
    QuestionSet,
    Recommendation,
    ReminderLog,
    SessionQuestionSet,
)
from aar.question_sets import question_set_choose
from aar.recommendations import (
    recommendation_add,
    recommendation_remove,
    response_save,
    responses_recipients,
    staff_name,
)
from aar.services import aar_save, session_question_set
from aar.signals import aar_text_changed
from peerassist.auth import DEMO_PASSWORD
from sessions_app import tally
from sessions_app.models import (
    AssistSession,
    Membership,
    Organisation,
    Participant,
    SessionTally,
)

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


MICRO_TITLE = "Micro Peer Assist สคส. กับ สสส."
ARMY_TITLE = "Peer Assist: เตรียมรับผู้บาดเจ็บจากอุบัติเหตุช่วงวันหยุดยาว"

# Written through the personal link in the days before the session: "My goal" of an AAR
# not yet written starts from it (สุรชัย and ณัฐ have written none). สุนีย์ wrote none.
EXPECTATIONS = {
    "ศ.นพ.วิชัย ใจดี": (
        "อยากฟังจากเจ้าภาพว่าอะไรทำให้คนใน สสส. ยังไม่ค่อยเล่าเรื่องงานให้กันฟัง แล้วช่วยชี้จุดเริ่มที่ทำได้จริง"
    ),
    "อ.กมล ศรีสว่าง": (
        "อยากเล่าว่า สคส. ใช้วงเล่าเรื่องเล็กๆ ในงานประจำอย่างไร และอยากรู้ว่าอะไรที่ สสส. เคยลองแล้วไม่ได้ผล"
    ),
    "วรรณา (อ้อ) มีสุข": (
        "อยากฟังวัฒนธรรมการแลกเปลี่ยนเรียนรู้ของ สสส. และเล่าของ สคส. ให้ฟัง เผื่อเป็นประโยชน์กับ สสส. บ้าง"
    ),
    "นพ.สุรชัย ปัญญาดี": ("อยากได้วิธีที่ทำให้ ผอ. สำนักเห็นว่าการแลกเปลี่ยนเรียนรู้เป็นส่วนหนึ่งของงาน ไม่ใช่งานเพิ่ม"),
    "นพ.กิตติ รักษ์ไทย": ("อยากรู้ว่าองค์กรที่ทำเรื่องนี้มานานเริ่มจากอะไร และใช้เวลานานแค่ไหนกว่าจะเห็นผล"),
    "มาลี ทองดี": "อยากได้ตัวอย่างวงเล่าเรื่องที่ลองทำในสำนักของตัวเองได้เลยเดือนหน้า",
    "ณัฐ (HRD)": (
        "อยากเล่าภาพรวมที่ HRD เห็น และอยากได้คำแนะนำว่า HRD ควรหนุนอย่างไร โดยไม่กลายเป็นภาระของสำนัก"
    ),
}

# นพ.กิตติ wrote his AAR on paper in the room; the facilitator typed it in the next day.
PAPER_AARS = {
    "นพ.กิตติ รักษ์ไทย": {
        "goal": "อยากรู้ว่าองค์กรที่ทำเรื่องนี้มานานเริ่มจากอะไร และใช้เวลานานแค่ไหนกว่าจะเห็นผล",
        "achieved": (
            "ได้เห็นว่า สคส. เริ่มจากวงเล็กๆ ที่ผู้บริหารนั่งเล่าด้วย ไม่ได้เริ่มจากนโยบาย "
            "และใช้เวลาเป็นปีกว่าคนจะเล่าเรื่องที่พลาดได้อย่างสบายใจ"
        ),
        "not_achieved": "ยังไม่ได้คุยว่าจะดูผลอย่างไรโดยไม่ให้กลายเป็นภาระ เพราะหมดเวลาก่อน",
        "next_steps": "นัดทีมทบทวนร่วมกับ สคส. อีกครั้งในหนึ่งเดือน",
    }
}


class Advice(NamedTuple):
    """A peer's recommendation and the host's response to it."""

    giver: str  # a name on the roster, or an organisation's short name
    theme: str
    text: str
    response: str = ""  # none yet, or a Recommendation.Response
    reason: str = ""
    owner: str = ""  # on the host team
    due_days: int | None = None  # after the session
    commitment: bool = False  # becomes the owner's commitment
    removed: bool = False


ADOPT = Recommendation.Response.ADOPT
ADAPT = Recommendation.Response.ADAPT
NOT_ADOPTED = Recommendation.Response.NOT_ADOPTED

# Recorded by the note-taker during the session, in this order.
RECOMMENDATIONS = [
    Advice(
        "ศ.นพ.วิชัย ใจดี",
        "บทบาทผู้บริหาร",
        "ให้ ผอ. สำนักเป็นคนเปิดวงเล่าเรื่องเอง โดยเริ่มจากเรื่องที่ตัวเองเคยพลาด คนในสำนักจะกล้าเล่าเรื่องจริงตามมา",
        ADOPT,
        "ทำได้ทันทีในการประชุมสำนักครั้งหน้าโดยไม่ต้องใช้งบเพิ่ม นพ.สุรชัยจะชวน ผอ. สำนักคุยเรื่องนี้ก่อน",
        "นพ.สุรชัย ปัญญาดี",
        30,
    ),
    Advice(
        "อ.กมล ศรีสว่าง",
        "คุณอำนวย",
        "ตั้งคุณอำนวยประจำสำนักละหนึ่งคน และฝึกให้ชวนคุยและฟังโดยไม่ตัดสิน",
        ADOPT,
        "มาลีรับเป็นคุณอำนวยของสำนักตัวเองก่อน แล้วชวนสำนักอื่นส่งคนมาฝึกด้วยกัน",
        "มาลี ทองดี",
        45,
        commitment=True,
    ),
    Advice(
        "วรรณา (อ้อ) มีสุข",
        "การบันทึกและแบ่งปัน",
        "ให้ผู้เข้าร่วมแต่ละคนเขียน AAR ของตัวเองลง blog หลังกิจกรรม ให้ทั้งสององค์กรตามผลกันได้",
        ADAPT,
        "บางเรื่องยังเปิดเผยข้างนอกไม่ได้ จะเขียนในพื้นที่ภายในของ สสส. ก่อน แล้วเลือกเรื่องที่เปิดได้ขึ้น blog",
        "ณัฐ (HRD)",
        14,
    ),
    Advice(
        "สคส.",
        "ความต่อเนื่อง",
        "นัดทบทวนร่วมกันอีกครั้งในหนึ่งเดือน ดูว่าสิ่งที่เริ่มทำไปเป็นอย่างไร",
        ADOPT,
        "ตรงกับที่ทีมเสนอไว้ในวง ลงปฏิทินของทีมแล้ว",
        "นพ.กิตติ รักษ์ไทย",
        30,
        commitment=True,
    ),
    # Typed twice during the session; removed, and kept in the page's history.
    Advice(
        "สคส.",
        "ความต่อเนื่อง",
        "นัดทบทวนร่วมกันอีกครั้งในหนึ่งเดือน",
        removed=True,
    ),
    Advice(
        "อ.กมล ศรีสว่าง",
        "พื้นที่และเวลา",
        "จัดมุมกาแฟหรือพื้นที่กลางให้คนต่างสำนักได้เจอกันแบบไม่เป็นทางการ",
        NOT_ADOPTED,
        "พื้นที่สำนักงานตอนนี้ไม่พอ และปีนี้ไม่มีงบปรับปรุง จะกลับมาพิจารณาอีกครั้งตอนย้ายอาคาร",
    ),
    Advice(
        "ศ.นพ.วิชัย ใจดี",
        "บทบาทผู้บริหาร",
        "อย่าผูกการเล่าเรื่องกับตัวชี้วัดหรือการประเมินผลงาน ไม่อย่างนั้นคนจะเล่าแต่เรื่องที่สำเร็จ",
        ADOPT,
        "HRD จะไม่นับจำนวนวงเล่าเรื่องเป็นตัวชี้วัดในปีแรก",
        "ณัฐ (HRD)",
    ),
    Advice(
        "สคส.",
        "วงเล่าเรื่อง",
        "ปิดท้ายการประชุมโครงการทุกครั้งด้วย AAR สั้นๆ สี่คำถาม ใช้เวลาไม่เกินสิบนาที",
        ADAPT,
        "เริ่มกับการประชุมที่ยาวครึ่งวันขึ้นไปก่อน ส่วนการประชุมสั้นจะถามข้อเดียวว่า ครั้งหน้าจะทำอะไรต่างไป",
        "มาลี ทองดี",
        30,
    ),
    # The host has not decided on this one yet.
    Advice(
        "วรรณา (อ้อ) มีสุข",
        "การบันทึกและแบ่งปัน",
        "ให้คุณลิขิตของแต่ละวงจดเรื่องเล่าสั้นๆ เก็บไว้ในที่เดียวที่ทุกสำนักค้นกลับได้",
    ),
]

# The facilitation team's AAR of the method: the post's closing line, "เรา สคส. คงต้อง
# กลับมา AAR วิธีของตนเองอีกครั้ง", done.
METHOD_REVIEWS = {
    MICRO_TITLE: {
        "worked": (
            "เจ้าภาพเล่าสภาพจริงก่อน ทั้งภาพรวมจาก HRD และความรู้สึกของผู้ประสานงาน "
            "ทีม สคส. จึงสะท้อนได้ตรงจุด การเล่าเปรียบเทียบวัฒนธรรมสององค์กรทำให้เห็นความต่างชัด "
            "และคุณลิขิตจดข้อเสนอแนะไว้ครบ เจ้าภาพจึงตอบได้ทุกข้อภายหลัง"
        ),
        "did_not_work": (
            "หนึ่งชั่วโมงน้อยเกินไป ผอ. สำนักของ สสส. ส่วนใหญ่ได้แต่ฟัง ยังไม่ได้ร่วมเสวนาจริง "
            "และฝั่ง สคส. เล่าเรื่องของตัวเองมากกว่าถาม จึงได้เรียนรู้วัฒนธรรมของ สสส. น้อยกว่าที่ควร"
        ),
        "change_next": (
            "ขอเวลาอย่างน้อยครึ่งวัน ส่งคำถามของเจ้าภาพถึงเพื่อนล่วงหน้าพร้อมบันทึกต้นเรื่อง "
            "ให้เพื่อนถามก่อนเล่า เปิดช่วงให้ ผอ. สำนักเสนอแนวทางของตัวเองก่อนสรุป "
            "และนัดวันติดตามผลไว้ตั้งแต่ในวง"
        ),
    },
    ARMY_TITLE: {
        "worked": (
            "เจ้าภาพส่งสถิติผู้บาดเจ็บช่วงวันหยุดยาวให้เพื่อนอ่านก่อน วงจึงคุยเรื่องจริงได้เร็ว "
            "การเขียน AAR ด้วยสี่คำถามของกองทัพสหรัฐฯ ที่ทีมห้องฉุกเฉินคุ้นจากการซ้อมแผน "
            "ทำให้ทุกคนเขียนได้เร็วและครบ"
        ),
        "did_not_work": (
            "ช่วงเล่าสถิติยาวเกินไป เหลือเวลาคุยเรื่องการจัดเวรน้อย และขาดตัวแทนกู้ภัยอาสาซึ่งเป็นคนสำคัญของเรื่องนี้"
        ),
        "change_next": (
            "แบ่งเวลาแต่ละช่วงให้ชัดและให้คุณอำนวยคุมเวลา "
            "เชิญผู้เกี่ยวข้องหลักอย่างน้อยสองสัปดาห์ก่อนวัน และส่งคำถามถึงเพื่อนพร้อมเอกสาร"
        ),
    },
}

# AARs of the older session, in the US Army's four questions.
ARMY_AARS = {
    "นพ.ธนา วงศ์ดี": {
        "supposed": "ได้แนวทางเตรียมห้องฉุกเฉินรับผู้บาดเจ็บช่วงวันหยุดยาว จากประสบการณ์ของเครือข่าย สสส.",
        "happened": (
            "ได้ฟังเรื่องด่านชุมชนและจุดพักรถ ซึ่งช่วยลดผู้บาดเจ็บตั้งแต่ต้นทาง แต่เรื่องการจัดคนในห้องฉุกเฉินได้คุยกันน้อย"
        ),
        "why_different": (
            "เพื่อนจาก สสส. มีประสบการณ์ด้านป้องกันมากกว่าการรักษา และเราไม่ได้ส่งคำถามเรื่องการจัดเวรไปให้ล่วงหน้า"
        ),
        "sustain_improve": (
            "รักษาไว้: ชวนทีมกู้ชีพเข้าวงตั้งแต่ต้น ปรับปรุง: ครั้งหน้าชวนห้องฉุกเฉินของ"
            "โรงพยาบาลที่เคยรับมือช่วงเทศกาลมาเป็นเพื่อนด้วย"
        ),
    },
    "พว.วิไล ใจกล้า": {
        "supposed": "อยากรู้ว่าจะจัดเวรพยาบาลและเตียงสำรองอย่างไรให้พอเมื่อผู้บาดเจ็บมาพร้อมกัน",
        "happened": ("ได้ไอเดียแบ่งโซนคัดกรองหน้าห้องฉุกเฉิน และให้ด่านชุมชนโทรแจ้งล่วงหน้าเมื่อมีผู้บาดเจ็บหนัก"),
        "why_different": "ช่วงแรกใช้เวลาเล่าสถิติมาก ช่วงแลกเปลี่ยนเรื่องเวรจึงสั้น",
        "sustain_improve": (
            "รักษาไว้: ซ้อมแผนก่อนเทศกาลทุกครั้ง ปรับปรุง: ทำป้ายโซนคัดกรอง "
            "และตั้งกลุ่มไลน์กับด่านชุมชนก่อนวันหยุดยาวครั้งหน้า"
        ),
    },
    "สมปอง ช่วยเหลือ": {
        "supposed": "ตกลงวิธีประสานระหว่างรถกู้ชีพของโรงพยาบาลกับกู้ภัยอาสาให้ชัด",
        "happened": "ได้ข้อตกลงเบื้องต้นว่าใครรับเหตุช่วงไหน แต่ตัวแทนกู้ภัยอาสาไม่ได้มาร่วมวง",
        "why_different": "เชิญกู้ภัยอาสากระชั้นเกินไป วันนั้นเขามีภารกิจ",
        "sustain_improve": (
            "รักษาไว้: คุยกันตรงๆ ระหว่างทีม ปรับปรุง: ไปคุยกับกู้ภัยอาสาที่ศูนย์ของเขาเองก่อนเทศกาล"
        ),
    },
    "พิมพ์ชนก ปลอดภัย": {
        "supposed": "เล่าประสบการณ์ด่านชุมชนและการรณรงค์ดื่มไม่ขับ ให้ทีมโรงพยาบาลเลือกไปปรับใช้",
        "happened": ("ทีมโรงพยาบาลสนใจเรื่องให้ด่านชุมชนแจ้งเหตุล่วงหน้ามากที่สุด ซึ่งเราไม่ได้เตรียมตัวอย่างมา"),
        "why_different": "เราเตรียมเรื่องการรณรงค์มามากกว่าการประสานกับหน่วยบริการ",
        "sustain_improve": (
            "รักษาไว้: เล่าจากกรณีจริงในพื้นที่ ปรับปรุง: ส่งตัวอย่างแบบฟอร์มแจ้งเหตุ"
            "จากด่านชุมชนให้ รพ.บ้านสวนภายในสัปดาห์นี้"
        ),
    },
}


# The demo organisation's own question set (``own_question_set``).
DEMO_QUESTION_SET = "custom-demo-field-visit"


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

        self.own_question_set(kmi, created_by=demo)

        micro = self.session(
            kmi,
            MICRO_TITLE,
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
            brief_reading=(
                "บันทึกต้นเรื่องใน GotoKnow: https://www.gotoknow.org/\n"
                "สรุปผลสำรวจบรรยากาศการแลกเปลี่ยนเรียนรู้ภายใน สสส. จาก HRD (ส่งไปกับอีเมลเชิญ)"
            ),
        )
        # (name, email, organisation, role, language, AAR: see ``roster``)
        micro_people = [
            ("ศ.นพ.วิชัย ใจดี", "wichai@example.org", kmi, "facilitator", "th", "short"),
            ("อ.กมล ศรีสว่าง", "kamol@example.org", kmi, "peer", "th", "short"),
            ("สุนีย์ แก้วใส", "sunee@example.org", kmi, "note_taker", "th", "draft"),
            ("วรรณา (อ้อ) มีสุข", "aor@example.org", kmi, "coordinator", "th", AUTHOR_AAR),
            ("นพ.สุรชัย ปัญญาดี", "surachai@example.org", thaihealth, "host", "th", None),
            ("นพ.กิตติ รักษ์ไทย", "kitti@example.org", thaihealth, "host", "th", "paper"),
            ("มาลี ทองดี", "malee@example.org", thaihealth, "host", "th", "short"),
            ("ณัฐ (HRD)", "nat@example.org", thaihealth, "host", "en", None),
        ]
        self.roster(
            micro,
            micro_people,
            submitted_on=today - datetime.timedelta(days=1),
            expectations=EXPECTATIONS,
            entered_by=aor,
        )
        self.recommendations(micro, RECOMMENDATIONS, staff=aor)
        method_review_save(session=micro, data=METHOD_REVIEWS[MICRO_TITLE], user=aor)

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

        # An older session that wrote its AARs in the US Army's four questions, which
        # the hospital's emergency team knows from its drills.
        army = self.session(
            kmi,
            ARMY_TITLE,
            host=hospital,
            peers=[thaihealth, kmi],
            purpose=(
                "เรียนรู้จากประสบการณ์ลดอุบัติเหตุทางถนนของเครือข่าย สสส. "
                "เพื่อเตรียมห้องฉุกเฉินและทีมกู้ชีพให้พร้อมรับช่วงวันหยุดยาว"
            ),
            context=(
                "ทีมห้องฉุกเฉินของ รพ.บ้านสวนคุ้นกับการทบทวนหลังซ้อมแผนด้วยสี่คำถาม"
                "ของกองทัพสหรัฐฯ จึงเลือกใช้ชุดคำถามนี้เขียน AAR หลังวง"
            ),
            date=today - datetime.timedelta(days=75),
            start_time=datetime.time(9, 0),
            duration=180,
            place="ห้องประชุมตึกอุบัติเหตุ รพ.บ้านสวน",
            facilitator=aor,
            summary=("ทีมโรงพยาบาลจะแบ่งโซนคัดกรองหน้าห้องฉุกเฉิน และให้ด่านชุมชนแจ้งล่วงหน้าเมื่อมีผู้บาดเจ็บหนัก"),
            advice="ซ้อมแผนร่วมกับด่านชุมชนและกู้ภัยอาสาก่อนวันหยุดยาวครั้งหน้าอย่างน้อยหนึ่งครั้ง",
            source_url="",
            status=AssistSession.Status.CLOSED,
            brief_problem=(
                "ช่วงวันหยุดยาวผู้บาดเจ็บจากอุบัติเหตุมาพร้อมกันจำนวนมาก ห้องฉุกเฉินรับไม่ทันและการส่งต่อล่าช้า"
            ),
            brief_learn="ชุมชนและเครือข่ายที่ สสส. ทำงานด้วยลดอุบัติเหตุและเตรียมจุดบริการอย่างไร",
            brief_outcome="แผนเตรียมคน เตียง และการประสานกับด่านชุมชน ที่ลองใช้ได้ในวันหยุดยาวครั้งถัดไป",
            brief_questions=(
                "ด่านชุมชนช่วยลดผู้บาดเจ็บได้จริงแค่ไหน\n"
                "จะประสานกับกู้ภัยอาสาอย่างไรไม่ให้ซ้ำซ้อน\n"
                "ระหว่างเทศกาลควรเก็บข้อมูลอะไร"
            ),
            brief_reading="สถิติผู้บาดเจ็บช่วงวันหยุดยาวปีที่แล้วของ รพ.บ้านสวน (ส่งทางอีเมลก่อนวง)",
        )
        self.choose_questions(army, "army")
        army_people = [
            ("นพ.ธนา วงศ์ดี", "thana@example.org", hospital, "host", "th"),
            ("พว.วิไล ใจกล้า", "wilai@example.org", hospital, "host", "th"),
            ("สมปอง ช่วยเหลือ", "sompong@example.org", hospital, "host", "th"),
            ("พิมพ์ชนก ปลอดภัย", "pimchanok@example.org", thaihealth, "peer", "th"),
        ]
        self.roster(
            army,
            [(*person, ARMY_AARS[person[0]]) for person in army_people],
            submitted_on=army.date + datetime.timedelta(days=1),
        )
        method_review_save(session=army, data=METHOD_REVIEWS[ARMY_TITLE], user=aor)

        # Earlier Peer Assists, for search across what was learned (issue 18).
        library = load_library(
            self,
            organisations={org.short_name: org for org in (kmi, thaihealth, hospital)},
            facilitator=aor,
            today=today,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: 3 organisations, {3 + len(LIBRARY)} sessions "
                f"({library} AARs in the library of past sessions)."
            )
        )
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
        # The services used below keep counts on it; the load recounts them at the end.
        SessionTally.objects.get_or_create(session=session)
        return session

    def roster(self, session, people, *, submitted_on, expectations=None, entered_by=None):
        """The session's people and their AARs. ``aar`` is None (nothing written),
        "draft", "short", "late", "paper" (typed in by ``entered_by``) or the answers."""
        question_set = session_question_set(session.pk)
        expectations = expectations or {}
        for n, (name, email, org, role, language, aar) in enumerate(people):
            expectation = expectations.get(name, "")
            participant, _ = Participant.objects.update_or_create(
                session=session,
                full_name=name,
                defaults={
                    "email": email,
                    "organisation": org,
                    "role": role,
                    "language": language,
                    "expectation": expectation,
                    # Written in the evenings of the three days before the session.
                    "expectation_at": (
                        timezone.make_aware(
                            datetime.datetime.combine(
                                session.date - datetime.timedelta(days=1 + n % 3),
                                datetime.time(19, 5 * n),
                            )
                        )
                        if expectation
                        else None
                    ),
                },
            )
            if aar is None:
                AAR.objects.filter(participant=participant).delete()
                continue
            on_time = timezone.make_aware(
                datetime.datetime.combine(submitted_on, datetime.time(20, 0))
            )
            if aar == "paper":
                self.paper_aar(
                    participant,
                    PAPER_AARS[name],
                    entered_by=entered_by,
                    on=on_time - datetime.timedelta(hours=10),
                )
                continue
            if aar == "draft":
                answers = {
                    "goal": "อยากเห็นว่า สสส. จะนำไปใช้อย่างไร",
                    "achieved": "ได้บันทึกประเด็นสำคัญครบ",
                    "not_achieved": "",
                    "next_steps": "",
                }
                defaults = {"status": AAR.Status.DRAFT, "submitted_at": None}
            else:
                answers = aar if isinstance(aar, dict) else self.short_aar(name)
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
                defaults = {"status": AAR.Status.SUBMITTED, "submitted_at": submitted_at}
            saved, _ = AAR.objects.update_or_create(
                participant=participant,
                defaults={
                    **defaults,
                    "answers": answers,
                    "question_set": question_set,
                    "entered_by": None,
                },
            )
            self.commitments(
                saved, session, self.commitments_of(name, session) if aar != "draft" else []
            )
            # Written directly: its search rows as aar_save would keep them.
            aar_text_changed(saved)

    @staticmethod
    def paper_aar(participant, answers, *, entered_by, on):
        """Written on paper in the room and typed in by the facilitator: through
        ``aar_save``, the one writer, so it is marked "entered by" with a version of its
        own. Made afresh each run, so it keeps one version."""
        AAR.objects.filter(participant=participant).delete()
        saved = aar_save(
            participant=participant,
            data=answers,
            submit=True,
            saved_by=staff_name(entered_by) if entered_by else "",
            entered_by=entered_by,
        )
        # Typed in the morning after the session (recounted at the end of the load).
        AAR.objects.filter(pk=saved.pk).update(submitted_at=on)
        saved.versions.update(saved_at=on)

    @staticmethod
    def own_question_set(organisation, *, created_by):
        """An organisation's own question set, not yet used, so the demo shows one that
        can be edited: two of its prompts count in the themes."""
        QuestionSet.objects.update_or_create(
            slug=DEMO_QUESTION_SET,
            defaults={
                "organisation": organisation,
                "name_th": "ทบทวนหลังลงพื้นที่ของ สคส.",
                "name_en": "KMI's review after a field visit",
                "prompts": [
                    {"th": "ได้เห็นอะไรในพื้นที่", "en": "What did you see in the field?"},
                    {
                        "th": "อะไรยังติดขัด เพราะอะไร",
                        "en": "What is still stuck, and why?",
                        "theme": "not_achieved",
                    },
                    {
                        "th": "จะกลับไปลองทำอะไร",
                        "en": "What will you go back and try?",
                        "theme": "next_steps",
                    },
                ],
                "created_by": created_by,
            },
        )

    @staticmethod
    def choose_questions(session, slug):
        """The session's question set, chosen as a facilitator would, before its first
        AAR. The choice is fixed once an AAR exists: on a later run it is already made
        (or, were it not, the session's demo AARs are written afresh after it)."""
        question_set, _ = QuestionSet.objects.get_or_create(slug=slug)
        if SessionQuestionSet.objects.filter(session=session, question_set=question_set).exists():
            return
        AAR.objects.filter(participant__session=session).delete()
        question_set_choose(session=session, question_set=question_set)

    @staticmethod
    def recommendations(session, rows, *, staff):
        """The peers' recommendations and the host's responses, through the services
        (positions, the owners' commitments and their counts as in the app), written
        afresh each run: the old rows and the commitments they became go first."""
        Commitment.objects.filter(recommendation__session=session).delete()
        Recommendation.objects.filter(session=session).delete()
        people = {person.full_name: person for person in session.participants.all()}
        organisations = {org.short_name: org for org in Organisation.objects.all()}
        for row in rows:
            person = people.get(row.giver)
            recommendation = recommendation_add(
                session=session,
                text=row.text,
                given_by=person,
                given_by_organisation=None if person else organisations[row.giver],
                theme=row.theme,
                created_by=staff,
            )
            if row.removed:
                recommendation_remove(recommendation=recommendation, removed_by=staff)
            elif row.response:
                response_save(
                    recommendation=recommendation,
                    response=row.response,
                    reason=row.reason,
                    owner=people[row.owner] if row.owner else None,
                    due=(
                        session.date + datetime.timedelta(days=row.due_days)
                        if row.due_days
                        else None
                    ),
                    make_commitment=row.commitment,
                    responded_by=staff,
                )
        # The peers who gave them were told of the responses, as ``responses_notify``
        # records it: the demo sends no email, and the task each response queues finds
        # nobody left to tell.
        ReminderLog.objects.bulk_create(
            ReminderLog(
                participant=person,
                channel=ReminderLog.Channel.EMAIL,
                kind=ReminderLog.Kind.RESPONSES,
            )
            for person in responses_recipients(session.pk)
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
