"""The demo's library of past Peer Assists (issue 18): enough AARs for search to be
meaningful. Seven earlier sessions of the same three organisations, with their people
and submitted AARs, in Thai and a few in English.

The AARs share themes that recur in real ones (เวลาไม่พอ, การสื่อสาร, ทีม, ชุมชน,
การติดตามผล), so a common word finds many and a rare one (ปุ๋ยหมัก, สายสิญจน์) few.
Each AAR's text is made from its session's own sentences and one shared sentence,
chosen by position: the same text on every run. The sharing levels are mixed, a few
answers are shown without the writer's name, and two sessions are organised by others:
the hospital's infection-control session has no KMI people at all, so KMI's staff
(the demo coordinator) find nothing of it; of the others they find only what is shared
with the participating organisations.

The people and their words are fictional.
"""

import datetime
from typing import NamedTuple

from django.utils import timezone

from aar.models import AAR
from aar.signals import aar_text_changed
from sessions_app.models import AssistSession, Participant

ORGANISERS = AAR.Sharing.ORGANISERS
PARTICIPANTS = AAR.Sharing.PARTICIPANTS
ORGANISATIONS = AAR.Sharing.ORGANISATIONS
PARTS = ("goal", "achieved", "not_achieved", "next_steps")


class Past(NamedTuple):
    """One past Peer Assist of the library and its own sentences, five a part."""

    title: str
    organiser: str  # short names of the demo's organisations
    host: str
    peers: tuple[str, ...]
    days_ago: int
    place: str
    purpose: str
    summary: str
    people: tuple[tuple[str, str, str, str], ...]  # (name, organisation, role, language)
    goal: tuple[str, ...]
    achieved: tuple[str, ...]
    not_achieved: tuple[str, ...]
    next_steps: tuple[str, ...]


KMI, THAIHEALTH, HOSPITAL = "สคส.", "สสส.", "รพ.บ้านสวน"

# The themes every kind of session meets, one sentence of them added to each part.
SHARED = {
    "goal": (
        "และอยากได้วิธีทำงานเป็นทีมที่ทุกคนมีส่วนร่วมจริง",
        "และอยากรู้ว่าเขาติดตามผลหลังกิจกรรมอย่างไรให้ต่อเนื่อง",
        "และอยากเห็นวิธีสื่อสารกับชุมชนให้เข้าใจตรงกัน",
        "",
        "และอยากรู้ว่าทำอย่างไรให้ทีมไม่รู้สึกว่าเป็นงานเพิ่ม",
    ),
    "achieved": (
        "ได้เห็นว่าการสื่อสารที่ชัดตั้งแต่ต้นช่วยให้ทีมทำงานง่ายขึ้นมาก",
        "ทีมได้ฟังกันจริงๆ ไม่ใช่แค่รายงานตัวเลข",
        "ได้รู้จักคนทำงานในชุมชนที่พร้อมช่วยกัน",
        "",
        "บรรยากาศเป็นกันเอง ทุกคนกล้าเล่าเรื่องที่พลาด",
        "ได้ตัวอย่างจริงที่กลับไปลองได้เลย",
    ),
    "not_achieved": (
        "เวลาไม่พอ คุยได้แค่ภาพรวม ยังไม่ได้ลงรายละเอียด",
        "การสื่อสารก่อนวงยังไม่ดี บางคนไม่รู้ว่าต้องเตรียมอะไรมา",
        "ยังไม่ได้คุยเรื่องการติดตามผล เพราะหมดเวลาก่อน",
        "ทีมบางส่วนติดงานประจำ มาร่วมได้ไม่ครบ",
        "เวลาช่วงถามตอบน้อยเกินไป",
    ),
    "next_steps": (
        "จะนัดทีมติดตามผลทุกเดือน",
        "จะเล่าสิ่งที่ได้ให้ทีมฟังในการประชุมประจำสัปดาห์",
        "จะชวนแกนนำชุมชนมาร่วมวงครั้งต่อไป",
        "จะเขียน AAR สั้นๆ หลังทุกกิจกรรมแล้วแบ่งปันในกลุ่มไลน์ของทีม",
        "",
    ),
}

LIBRARY = (
    Past(
        title="Peer Assist: ลดเวลารอคอยที่แผนกผู้ป่วยนอก",
        organiser=KMI,
        host=HOSPITAL,
        peers=(THAIHEALTH, KMI),
        days_ago=120,
        place="ห้องประชุม รพ.บ้านสวน",
        purpose="เรียนรู้วิธีลดเวลารอคอยของผู้ป่วยนอกจากโรงพยาบาลที่เคยทำได้",
        summary="เริ่มจากนัดผู้ป่วยเป็นช่วงเวลา และให้ อสม. ช่วยคัดกรองเบื้องต้นที่ รพ.สต.",
        people=(
            ("พว.สุดา ใจเย็น", HOSPITAL, "host", "th"),
            ("นพ.อนันต์ ทองคำ", HOSPITAL, "host", "th"),
            ("ภก.ชนิดา ยาดี", HOSPITAL, "host", "th"),
            ("อ.กมล ศรีสว่าง", KMI, "peer", "th"),
            ("ปิยะ แสงทอง", THAIHEALTH, "peer", "th"),
            ("รัตนา คำดี", KMI, "note_taker", "th"),
        ),
        goal=(
            "อยากรู้ว่าโรงพยาบาลอื่นลดเวลารอคอยหน้าห้องตรวจได้อย่างไร",
            "อยากได้วิธีจัดคิวรับยาไม่ให้ผู้ป่วยสูงอายุต้องรอนาน",
            "อยากฟังว่าการนัดผู้ป่วยเป็นช่วงเวลาใช้ได้จริงไหม",
            "มาเล่าประสบการณ์จัดระบบนัดของ สคส. กับเครือข่ายโรงพยาบาล",
            "มาฟังปัญหาจริงหน้างาน เพื่อเอาไปออกแบบการสนับสนุน",
        ),
        achieved=(
            "ได้เห็นว่าการนัดเป็นช่วงเวลาช่วยลดคนแออัดตอนเช้าได้จริง",
            "ได้ไอเดียให้ รพ.สต. ช่วยคัดกรองผู้ป่วยเรื้อรังก่อนมาโรงพยาบาล",
            "ได้วิธีส่งยาทางไปรษณีย์ให้ผู้ป่วยที่อาการคงที่",
            "เจ้าภาพเล่าตัวเลขเวลารอคอยจริงให้ฟัง ทำให้คุยกันตรงจุด",
            "ได้เห็นว่าห้องยาเป็นคอขวดมากกว่าห้องตรวจ",
        ),
        not_achieved=(
            "ยังไม่ได้ข้อสรุปเรื่องระบบคิวออนไลน์ เพราะงบประมาณยังไม่ชัด",
            "ผู้ป่วยสูงอายุหลายคนใช้โทรศัพท์ไม่คล่อง",
            "แพทย์ที่ออกตรวจไม่ได้มาร่วมวง",
            "ข้อมูลเวลารอคอยของแต่ละจุดยังเก็บไม่ครบ",
            "",
        ),
        next_steps=(
            "จะลองนัดผู้ป่วยเบาหวานเป็นช่วงเวลาในคลินิกวันพุธก่อน",
            "จะคุยกับ รพ.สต. สองแห่งเรื่องคัดกรองล่วงหน้า",
            "จะเก็บเวลารอคอยแต่ละจุดหนึ่งสัปดาห์แล้วเอามาคุยกันอีก",
            "จะส่งตัวอย่างแบบฟอร์มนัดของโรงพยาบาลเพื่อนให้ทีม",
            "จะชวนห้องยามาร่วมออกแบบคิวใหม่",
        ),
    ),
    Past(
        title="Peer Assist: ชุมชนจัดการขยะต้นทาง",
        organiser=KMI,
        host=THAIHEALTH,
        peers=(KMI, HOSPITAL),
        days_ago=160,
        place="ศาลาประชาคมบ้านสวน",
        purpose="เรียนรู้จากชุมชนที่คัดแยกขยะเองได้ เพื่อขยายผลโครงการชุมชนน่าอยู่",
        summary="ธนาคารขยะและการทำปุ๋ยหมักที่บ้านเป็นจุดเริ่มที่ชุมชนทำได้เอง",
        people=(
            ("จิราพร สุขใจ", THAIHEALTH, "host", "th"),
            ("ธีระ บุญมา", THAIHEALTH, "host", "th"),
            ("ผู้ใหญ่สมศักดิ์ ดีงาม", HOSPITAL, "peer", "th"),
            ("อ.กมล ศรีสว่าง", KMI, "peer", "th"),
            ("นิภา รักษ์ดิน", HOSPITAL, "peer", "th"),
            ("วรรณา (อ้อ) มีสุข", KMI, "facilitator", "th"),
        ),
        goal=(
            "อยากรู้ว่าชุมชนที่คัดแยกขยะได้เริ่มจากอะไร",
            "อยากได้วิธีชวนชาวบ้านมาร่วมโดยไม่ต้องบังคับ",
            "มาเล่าเรื่องธนาคารขยะของหมู่บ้านให้เพื่อนฟัง",
            "อยากเห็นว่าโรงพยาบาลช่วยเรื่องขยะติดเชื้อในชุมชนได้อย่างไร",
            "อยากได้บทเรียนไปปรับโครงการชุมชนน่าอยู่ปีหน้า",
        ),
        achieved=(
            "ได้เห็นว่าธนาคารขยะทำให้ชาวบ้านเห็นประโยชน์เป็นรูปธรรม",
            "ได้สูตรทำปุ๋ยหมักจากเศษอาหารที่บ้านทำได้เอง",
            "ได้ฟังว่าวัดและโรงเรียนเป็นแรงสำคัญของชุมชน",
            "เจ้าภาพได้ข้อเสนอเรื่องให้ชุมชนเป็นเจ้าของข้อมูลขยะเอง",
            "ได้เครือข่ายผู้ใหญ่บ้านที่พร้อมมาเป็นพี่เลี้ยง",
        ),
        not_achieved=(
            "ยังไม่ได้คุยเรื่องรถเก็บขยะของเทศบาล",
            "บางหมู่บ้านยังไม่เห็นด้วยกับการเก็บค่าขยะ",
            "ไม่มีตัวแทนร้านค้าในตลาดมาร่วมวง",
            "ยังไม่รู้จะวัดผลการลดขยะอย่างไร",
            "",
        ),
        next_steps=(
            "จะลองตั้งธนาคารขยะในหมู่บ้านนำร่องสองแห่ง",
            "จะชวนโรงเรียนทำปุ๋ยหมักในแปลงผักของนักเรียน",
            "จะทำปฏิทินรับซื้อขยะรีไซเคิลร่วมกับร้านรับซื้อ",
            "จะกลับไปเล่าในเวทีประชาคมหมู่บ้านเดือนหน้า",
            "จะเก็บน้ำหนักขยะทุกสัปดาห์เพื่อดูว่าลดลงจริงไหม",
        ),
    ),
    Past(
        title="Peer Assist: เยี่ยมบ้านผู้สูงอายุติดเตียงกับ อสม.",
        organiser=HOSPITAL,
        host=HOSPITAL,
        peers=(KMI,),
        days_ago=200,
        place="รพ.สต.บ้านหนองบัว",
        purpose="เรียนรู้การเยี่ยมบ้านผู้สูงอายุติดเตียงร่วมกับอาสาสมัครสาธารณสุข",
        summary="ตั้งทีมเยี่ยมบ้านสามคน (พยาบาล อสม. ญาติ) และใช้สมุดบันทึกประจำบ้าน",
        people=(
            ("พว.มยุรี อ่อนโยน", HOSPITAL, "host", "th"),
            ("อสม.บุญเรือน ใจบุญ", HOSPITAL, "host", "th"),
            ("นักกายภาพ ศิริพร ยืนยง", HOSPITAL, "host", "th"),
            ("ศ.นพ.วิชัย ใจดี", KMI, "peer", "th"),
            ("รัตนา คำดี", KMI, "peer", "th"),
            ("พว.อรุณี สายใจ", HOSPITAL, "note_taker", "th"),
        ),
        goal=(
            "อยากได้วิธีเยี่ยมบ้านที่ทำให้ญาติดูแลต่อเองได้",
            "อยากรู้ว่า อสม. ควรบันทึกอะไรบ้างตอนเยี่ยมบ้าน",
            "อยากเรียนวิธีป้องกันแผลกดทับที่ญาติทำได้",
            "มาเล่าการใช้เรื่องเล่าของผู้ดูแลเป็นความรู้ของทีม",
            "อยากฟังว่าทีมเยี่ยมบ้านแบ่งงานกันอย่างไร",
        ),
        achieved=(
            "ได้สมุดบันทึกประจำบ้านที่ญาติกับ อสม. เขียนร่วมกัน",
            "ได้เห็นว่าการสอนญาติพลิกตัวผู้ป่วยลดแผลกดทับได้มาก",
            "อสม. ได้เล่าเรื่องที่ไม่เคยมีใครถาม ทำให้ทีมเข้าใจบ้านแต่ละหลังมากขึ้น",
            "ได้ตัวอย่างการผูกสายสิญจน์ร่วมกับการเยี่ยมบ้านที่ทำให้ผู้สูงอายุยอมรับทีม",
            "ได้ตกลงรอบเยี่ยมบ้านที่ชัดขึ้น",
        ),
        not_achieved=(
            "ญาติที่ดูแลจริงไม่ได้มาร่วมวง เพราะต้องอยู่บ้าน",
            "ยังไม่ได้คุยเรื่องอุปกรณ์ยืมใช้ เช่น ที่นอนลม",
            "การส่งต่อข้อมูลระหว่างโรงพยาบาลกับ รพ.สต. ยังช้า",
            "อสม. บางคนยังไม่มั่นใจเรื่องวัดความดัน",
            "",
        ),
        next_steps=(
            "จะทำธนาคารอุปกรณ์ให้ยืมที่ รพ.สต.",
            "จะฝึก อสม. วัดความดันและบันทึกลงสมุดทุกครั้งที่เยี่ยม",
            "จะนัดทีมเยี่ยมบ้านคุยกันทุกเดือนที่ รพ.สต.",
            "จะถ่ายวิดีโอสั้นสอนญาติพลิกตัวผู้ป่วย",
            "จะชวนพระในหมู่บ้านร่วมเยี่ยมบ้านในวันพระ",
        ),
    ),
    Past(
        title="Peer Assist: วงเล่าเรื่องสำหรับเจ้าหน้าที่ใหม่",
        organiser=THAIHEALTH,
        host=THAIHEALTH,
        peers=(KMI,),
        days_ago=260,
        place="สำนักงาน สสส. ห้องประชุมชั้น 5",
        purpose="ออกแบบการรับเจ้าหน้าที่ใหม่ด้วยวงเล่าเรื่องแทนการปฐมนิเทศแบบบรรยาย",
        summary="ให้เจ้าหน้าที่ใหม่มีพี่เลี้ยง และเข้าวงเล่าเรื่องเดือนละครั้งในสามเดือนแรก",
        people=(
            ("ณัฐ (HRD)", THAIHEALTH, "host", "en"),
            ("กานต์ธิดา พูนผล", THAIHEALTH, "host", "th"),
            ("Sarah Collins", THAIHEALTH, "host", "en"),
            ("อ.กมล ศรีสว่าง", KMI, "peer", "th"),
            ("วรรณา (อ้อ) มีสุข", KMI, "peer", "th"),
            ("ภูมิ ศักดิ์ดี", THAIHEALTH, "note_taker", "th"),
        ),
        goal=(
            "อยากให้เจ้าหน้าที่ใหม่รู้จักงานจากเรื่องเล่าของรุ่นพี่",
            "อยากรู้ว่า สคส. รับคนใหม่อย่างไรให้ปรับตัวได้เร็ว",
            "อยากได้รูปแบบพี่เลี้ยงที่ไม่เป็นภาระของรุ่นพี่",
            "มาเล่าวงเล่าเรื่องคนใหม่ที่ สคส. ทำมาหลายปี",
            "มาเล่าว่าการเขียนบันทึกหลังวงช่วยคนใหม่อย่างไร",
        ),
        achieved=(
            "ได้รูปแบบวงเล่าเรื่องคนใหม่เดือนละครั้ง",
            "รุ่นพี่หลายคนอาสาเป็นพี่เลี้ยง",
            "ได้เห็นว่าคนใหม่อยากฟังเรื่องที่พลาดมากกว่าเรื่องสำเร็จ",
            "ได้คำถามชวนคุยสามข้อที่ใช้เปิดวงได้ทันที",
            "ได้ตัวอย่างบันทึกหลังวงของ สคส.",
        ),
        not_achieved=(
            "ยังไม่ได้ตกลงว่าพี่เลี้ยงจะได้เวลาจากงานประจำอย่างไร",
            "หัวหน้าสำนักยังไม่ได้ร่วมวง",
            "ยังไม่ได้คุยเรื่องคนที่ทำงานนอกสถานที่",
            "",
            "ยังไม่ได้วางวิธีดูว่าวงช่วยคนใหม่จริงไหม",
        ),
        next_steps=(
            "จะเปิดวงแรกกับเจ้าหน้าที่ใหม่รุ่นเดือนหน้า",
            "จะทำคู่มือพี่เลี้ยงสองหน้า",
            "จะถามคนใหม่หลังสามเดือนว่าอะไรช่วยที่สุด",
            "จะชวนหัวหน้าสำนักมาเล่าเรื่องตัวเองในวงที่สอง",
            "จะส่งคำถามเปิดวงให้ HRD",
        ),
    ),
    Past(
        title="Peer Assist: ถอดบทเรียนงานบุญปลอดเหล้า",
        organiser=KMI,
        host=THAIHEALTH,
        peers=(HOSPITAL,),
        days_ago=330,
        place="วัดบ้านสวน",
        purpose="ถอดบทเรียนงานบุญประเพณีที่ชุมชนจัดโดยไม่มีเหล้า เพื่อขยายไปหมู่บ้านอื่น",
        summary="ชุมชนตั้งกติกาเอง วัดเป็นเจ้าภาพ และมีเครื่องดื่มทางเลือกแทน",
        people=(
            ("สมพร แก้วมณี", THAIHEALTH, "host", "th"),
            ("พระครูสมุห์ธรรมรักษ์", THAIHEALTH, "host", "th"),
            ("กำนันประเสริฐ ใจกว้าง", THAIHEALTH, "host", "th"),
            ("นพ.ธนา วงศ์ดี", HOSPITAL, "peer", "th"),
            ("พว.วิไล ใจกล้า", HOSPITAL, "peer", "th"),
            ("สมชาย บันทึกดี", KMI, "note_taker", "th"),
        ),
        goal=(
            "อยากรู้ว่าหมู่บ้านนี้ตกลงกติกางานบุญปลอดเหล้าได้อย่างไร",
            "อยากได้วิธีคุยกับเจ้าภาพงานบวชงานแต่ง",
            "มาเล่าตัวเลขอุบัติเหตุช่วงงานบุญที่ห้องฉุกเฉินเห็น",
            "อยากเห็นบทบาทวัดในการเปลี่ยนประเพณี",
            "อยากรู้ว่าชุมชนดูแลคนที่ยังอยากดื่มอย่างไร",
        ),
        achieved=(
            "ได้เห็นว่ากติกาที่ชุมชนตั้งเองได้ผลกว่าคำสั่งจากข้างนอก",
            "ได้ฟังเจ้าอาวาสเล่าว่าวัดประกาศเป็นเขตปลอดเหล้าอย่างไร",
            "ได้ตัวเลขว่าผู้บาดเจ็บจากงานบุญลดลงเกือบครึ่ง",
            "ได้สูตรน้ำสมุนไพรที่ใช้แทนเหล้าในงาน",
            "ได้เห็นพลังของกลุ่มแม่บ้านในการคุมงาน",
        ),
        not_achieved=(
            "ยังไม่ได้คุยเรื่องงานศพ ซึ่งยากที่สุด",
            "ไม่มีตัวแทนกลุ่มวัยรุ่นมาร่วมวง",
            "ยังไม่ได้วางวิธีดูแลคนที่ติดสุรา",
            "",
            "ร้านค้าในหมู่บ้านยังขายช่วงงานบุญ",
        ),
        next_steps=(
            "จะชวนหมู่บ้านข้างเคียงมาดูงานบุญครั้งหน้า",
            "จะทำป้ายงานบุญปลอดเหล้าให้เจ้าภาพยืมใช้",
            "จะเก็บตัวเลขผู้บาดเจ็บช่วงงานบุญต่อเนื่องทุกปี",
            "จะคุยกับเยาวชนเรื่องกิจกรรมแทนการดื่ม",
            "จะเขียนเรื่องเล่าของหมู่บ้านนี้เป็นบันทึกเผยแพร่",
        ),
    ),
    Past(
        title="Peer Assist: ส่งต่อความรู้ก่อนเกษียณ",
        organiser=KMI,
        host=HOSPITAL,
        peers=(KMI, THAIHEALTH),
        days_ago=420,
        place="ห้องประชุม รพ.บ้านสวน",
        purpose="เก็บความรู้ฝังลึกของพยาบาลอาวุโสที่จะเกษียณในสองปีข้างหน้า",
        summary="จับคู่รุ่นพี่รุ่นน้อง และบันทึกเรื่องเล่ากรณียากเป็นคลังเรื่องเล่า",
        people=(
            ("พว.อรุณี สายใจ", HOSPITAL, "host", "th"),
            ("พว.ปราณี ชื่นชม", HOSPITAL, "host", "th"),
            ("หัวหน้าพยาบาล ลำดวน ศรีงาม", HOSPITAL, "host", "th"),
            ("Jane Peer", THAIHEALTH, "peer", "en"),
            ("ศ.นพ.วิชัย ใจดี", KMI, "peer", "th"),
            ("David Miller", THAIHEALTH, "observer", "en"),
        ),
        goal=(
            "อยากเก็บเรื่องเล่ากรณียากของรุ่นพี่ไว้ก่อนเกษียณ",
            "อยากรู้ว่าจะจับคู่รุ่นพี่รุ่นน้องอย่างไรให้ได้ผล",
            "อยากได้วิธีชวนรุ่นพี่เล่าโดยไม่รู้สึกว่าถูกสัมภาษณ์",
            "มาเล่าวิธีถอดความรู้ฝังลึกที่ สคส. ใช้",
            "",
        ),
        achieved=(
            "ได้วิธีจับคู่รุ่นพี่รุ่นน้องทำเวรเดียวกันสามเดือน",
            "ได้เห็นว่าเรื่องเล่าสั้นๆ หลังเวรเก็บความรู้ได้มากกว่าคู่มือ",
            "รุ่นพี่ได้รู้ว่าสิ่งที่ทำเป็นประจำมีค่ากับน้องมาก",
            "ได้แบบบันทึกเรื่องเล่าหนึ่งหน้า",
            "",
        ),
        not_achieved=(
            "ยังไม่ได้ตกลงว่าจะเก็บคลังเรื่องเล่าไว้ที่ไหน",
            "รุ่นน้องบางคนเวรไม่ตรงกับรุ่นพี่",
            "ยังไม่มีเวลาให้รุ่นพี่เขียนในเวลางาน",
            "",
            "",
        ),
        next_steps=(
            "จะจับคู่รุ่นพี่รุ่นน้องห้าคู่ในหอผู้ป่วยใน",
            "จะบันทึกเรื่องเล่ากรณียากเดือนละสองเรื่อง",
            "จะให้รุ่นน้องเล่าสิ่งที่ได้ในการประชุมพยาบาล",
            "จะส่งตัวอย่างแบบบันทึกให้ทีม",
            "",
        ),
    ),
    Past(
        title="Peer Assist: ลดการติดเชื้อในหอผู้ป่วยใน",
        organiser=HOSPITAL,
        host=HOSPITAL,
        peers=(THAIHEALTH,),
        days_ago=500,
        place="ห้องประชุมตึกผู้ป่วยใน รพ.บ้านสวน",
        purpose="เรียนรู้วิธีลดการติดเชื้อในโรงพยาบาลจากทีมที่ทำสำเร็จ",
        summary="ล้างมือตามจุดที่กำหนด และให้ญาติร่วมเตือนเจ้าหน้าที่ได้",
        people=(
            ("พว.ดวงใจ สะอาด", HOSPITAL, "host", "th"),
            ("นพ.ชาญ ปลอดเชื้อ", HOSPITAL, "host", "th"),
            ("พว.ลัดดา มือสะอาด", HOSPITAL, "host", "th"),
            ("ปิยะ แสงทอง", THAIHEALTH, "peer", "th"),
            ("จิราพร สุขใจ", THAIHEALTH, "peer", "th"),
        ),
        goal=(
            "อยากรู้ว่าทีมอื่นทำให้ล้างมือเป็นนิสัยได้อย่างไร",
            "อยากได้วิธีให้ญาติช่วยเตือนเจ้าหน้าที่",
            "อยากเห็นข้อมูลการติดเชื้อของโรงพยาบาลเพื่อน",
            "มาเล่าการรณรงค์ล้างมือในโรงเรียน",
            "มาฟังเพื่อเอาไปออกแบบสื่อรณรงค์",
        ),
        achieved=(
            "ได้จุดล้างมือห้าจุดที่ทีมเห็นตรงกัน",
            "ได้เห็นว่าการให้ญาติเตือนได้ไม่ทำให้เจ้าหน้าที่เสียหน้าอย่างที่กลัว",
            "ได้ตัวเลขการติดเชื้อที่ลดลงหลังทำมาหกเดือน",
            "ได้ไอเดียสติกเกอร์เตือนล้างมือแบบภาพ",
            "ได้แลกเปลี่ยนกับทีมควบคุมการติดเชื้อโดยตรง",
        ),
        not_achieved=(
            "ยังไม่ได้คุยเรื่องเวรดึกที่คนน้อย",
            "แพทย์ประจำบ้านไม่ได้มาร่วม",
            "ยังไม่มีงบซื้อเจลล้างมือเพิ่ม",
            "",
            "ยังไม่ได้ข้อสรุปเรื่องการวัดผล",
        ),
        next_steps=(
            "จะติดป้ายจุดล้างมือทุกเตียง",
            "จะให้ญาติได้การ์ดเตือนล้างมือตอนรับผู้ป่วยเข้า",
            "จะรายงานตัวเลขการติดเชื้อทุกเดือนในการประชุมทีม",
            "จะทำสื่อภาพให้เพื่อนโรงพยาบาลใช้",
            "จะชวนแพทย์ประจำบ้านร่วมวงครั้งหน้า",
        ),
    ),
)

# AARs written in English, whole, by the participants who chose English.
ENGLISH = {
    "ณัฐ (HRD)": {
        "goal": "To see how KMI welcomes new staff through story circles, and to bring one idea home.",
        "achieved": (
            "We agreed on a monthly story circle for new staff, and several senior colleagues "
            "offered to be mentors."
        ),
        "not_achieved": (
            "There was not enough time to agree how mentors get time away from their routine "
            "work; communication with the heads of office before the session was weak."
        ),
        "next_steps": "Run the first circle next month and ask the new staff after three months.",
    },
    "Sarah Collins": {
        "goal": "To learn how a knowledge-sharing culture is built, not announced.",
        "achieved": (
            "I saw that newcomers want to hear about mistakes more than successes, and that a "
            "short written note after each circle helps the team remember."
        ),
        "not_achieved": "We did not discuss staff who work in the field most of the time.",
        "next_steps": "Draft a two-page mentor guide with HRD and share it with the team.",
    },
    "Jane Peer": {
        "goal": "To share how our partners capture tacit knowledge before people retire.",
        "achieved": (
            "Pairing senior and junior nurses on the same shift for three months looked "
            "practical; the team liked short stories written after a shift."
        ),
        "not_achieved": (
            "Time ran out before we could decide where the story library will live, and the "
            "follow-up plan is still vague."
        ),
        "next_steps": "Send the one-page story template and follow up with the team in a month.",
    },
    "David Miller": {
        "goal": "To observe a Peer Assist in a Thai hospital and learn from the team.",
        "achieved": "I learned how much the senior nurses know that is written nowhere.",
        "not_achieved": "I could not follow the Thai stories without help; time was short.",
        "next_steps": "Share what I saw with our partners' teams, with the hospital's consent.",
    },
}

# Who is shown without their name, for which parts (by name and session's position).
ANONYMOUS = {
    ("ภก.ชนิดา ยาดี", 0): ["not_achieved"],
    ("ธีระ บุญมา", 1): ["not_achieved"],
    ("อสม.บุญเรือน ใจบุญ", 2): ["not_achieved", "next_steps"],
    ("กานต์ธิดา พูนผล", 3): ["not_achieved"],
    ("กำนันประเสริฐ ใจกว้าง", 4): ["goal", "not_achieved"],
    ("พว.ปราณี ชื่นชม", 5): ["not_achieved"],
}

# Wider sharing is the choice of most people in these sessions, as it is of people who
# know their AARs are read to learn from: organisers only, participants, organisations.
SHARING_CYCLE = (ORGANISATIONS, PARTICIPANTS, ORGANISATIONS, ORGANISERS, ORGANISATIONS)


def answers_of(past: Past, n: int, s: int) -> dict[str, str]:
    """Person ``n`` of session ``s``: their session's sentence of each part, and one of
    the shared themes (chosen so that neighbours differ)."""
    answers = {}
    for k, part in enumerate(PARTS):
        own = getattr(past, part)[n % 5]
        themes = SHARED[part]
        shared = themes[(n * 2 + s + k) % len(themes)]
        if not own and not shared:  # every part of a submitted AAR has words
            shared = themes[(n * 2 + s + k + 1) % len(themes)]
        answers[part] = " ".join(text for text in (own, shared) if text)
    return answers


def load_library(command, *, organisations: dict, facilitator, today: datetime.date) -> int:
    """The library's sessions, people and AARs; the number of AARs submitted. Written
    like the rest of the demo (``update_or_create``, the same rows each run), and each
    AAR's search rows through ``aar_text_changed``, as ``aar_save`` sends it."""
    submitted = 0
    for s, past in enumerate(LIBRARY):
        date = today - datetime.timedelta(days=past.days_ago)
        organiser = organisations[past.organiser]
        session = command.session(
            organiser,
            past.title,
            host=organisations[past.host],
            peers=[organisations[short] for short in past.peers],
            purpose=past.purpose,
            context="",
            date=date,
            start_time=datetime.time(9, 0),
            duration=180,
            place=past.place,
            # Only KMI has demo staff: the others' sessions name no facilitator.
            facilitator=facilitator if past.organiser == KMI else None,
            summary=past.summary,
            advice="",
            source_url="",
            status=AssistSession.Status.CLOSED,
            # Their summaries went out long ago: the scheduler sends none for them now.
            summaries_queued_at=timezone.make_aware(
                datetime.datetime.combine(
                    AssistSession.default_deadline(date) + datetime.timedelta(days=1),
                    datetime.time(8, 0),
                )
            ),
        )
        for n, (name, short, role, language) in enumerate(past.people):
            participant, _ = Participant.objects.update_or_create(
                session=session,
                full_name=name,
                defaults={
                    "email": f"library{s}.{n}@example.org",
                    "organisation": organisations[short],
                    "role": role,
                    "language": language,
                },
            )
            answers = ENGLISH.get(name) or answers_of(past, n, s)
            # The note-taker of each session keeps a draft; everyone else submitted,
            # one to three days after the session, in the evening.
            draft = role == Participant.Role.NOTE_TAKER
            on = timezone.make_aware(
                datetime.datetime.combine(
                    date + datetime.timedelta(days=1 + n % 3), datetime.time(19 + n % 3, 10 * n)
                )
            )
            aar, _ = AAR.objects.update_or_create(
                participant=participant,
                defaults={
                    "answers": answers,
                    "question_set": None,
                    "entered_by": None,
                    "status": AAR.Status.DRAFT if draft else AAR.Status.SUBMITTED,
                    "submitted_at": None if draft else on,
                    "sharing": SHARING_CYCLE[(n + s) % len(SHARING_CYCLE)],
                    "anonymous": ANONYMOUS.get((name, s), []),
                },
            )
            aar.commitments.all().delete()
            aar_text_changed(aar)
            submitted += not draft
    return submitted
