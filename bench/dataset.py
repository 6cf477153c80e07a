"""A large, realistic dataset for the benchmark, made with bulk inserts.

At scale 1: 5,000 sessions, 130,000 participants (26 a session), 100,000 AARs (90,000
submitted, 10,000 drafts) and about 200,000 commitments (1 to 3 an AAR; those of sessions
more than 30 days old mostly answered, each answer kept), run by 20 organisations over
three years. The AARs' answers are Thai sentences as people write them, about one in ten
AARs in English and some English words in the Thai ones ("feedback"), so issue 18's
search has a common Thai word (ทีม, in about a third of the answers), a rare one (RARE_WORD,
in RARE_ANSWERS answers), a two-letter one (งบ) and an English one to find. Sharing:
organisers only, the session's participants, or the participating organisations; a few
AARs show some parts without the writer's name. Issue 17's Peer Assist steps: a host's
brief on about half the sessions, an expectation from about half the people, about 10
peers' recommendations a held session (about 60% with the host's response, some adopted
ones an owner's commitment, a few removed) and one held session with 200, a review of the
method on about a third of the held sessions, about 5% of the sessions on the US Army's
four questions (their AARs' answers under its keys) and two custom question sets an
organising organisation. The benchmark user ``bench`` is a superuser and a coordinator of
every organising organisation, so the dashboard covers all of it: the worst case.

The search index (lessons.index) is not written here: ``python -m bench.measure``
rebuilds it after generating, and times that.

Run inside a configured Django process: ``generate(scale)``.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from aar import commitments
from aar.models import (
    AAR,
    COMMITMENT_MAX_LENGTH,
    COMMITMENTS_MAX,
    AARVersion,
    Commitment,
    CommitmentAnswer,
    MethodReview,
    QuestionSet,
    Recommendation,
    ReminderLog,
    SessionQuestionSet,
)
from lessons.models import (
    Comment,
    Lesson,
    LessonReuse,
    LessonSource,
    LessonStatusChange,
    SearchEntry,
    ThemeCount,
)
from sessions_app import tally
from sessions_app.models import (
    AssistSession,
    Membership,
    Organisation,
    Participant,
    new_token,
    new_walkin_code,
)

SESSIONS = 5_000
PEOPLE_PER_SESSION = 26
AARS = 100_000
DRAFT_SHARE = 0.1
ORGANISERS = 20
ORGANISATIONS = 60
FACILITATORS = 50
BENCH_USER = "bench"
# A coordinator of one organising organisation: the common case (a twentieth of the data).
ONE_ORG_USER = "bench_one_org"
BENCH_PASSWORD = "bench-password-not-secret"
RECOMMENDATIONS_PER_SESSION = (6, 14)  # at random between, about 10 a held session
BIG_SESSION_RECOMMENDATIONS = 200  # one held session: the "200 recommendations"
RESPONDED_SHARE = 0.6
REMOVED_SHARE = 0.03
METHOD_REVIEW_SHARE = 1 / 3
EXPECTATION_SHARE = 0.5
BRIEF_SHARE = 0.5
ARMY_SHARE = 0.05
CUSTOM_SETS_PER_ORGANISER = 2
# Who may read an AAR (AAR.sharing), by the AAR's place in the list: 1 in 10 organisers
# only, 3 in 10 the participating organisations, the rest the session's participants.
ORGANISATIONS_SHARE = 0.3
ANONYMOUS_SHARE = 0.05  # AARs with some parts shown without the writer's name
ENGLISH_SHARE = 0.5  # of the people whose language is English (1 in 5): their AAR
# Issue 18's search words. SEARCH_WORDS names them for bench/measure.py.
COMMON_WORD = "ทีม"  # "team": in about a third of the answers
RARE_WORD = "เห็ดนางฟ้า"  # "oyster mushroom": in RARE_ANSWERS answers only
RARE_ANSWERS = 40  # at scale 1; at least 6
SHORT_WORD = "งบ"  # two letters: the bounded scan ("งบประมาณ", "ของบ")
ENGLISH_WORD = "feedback"
SEARCH_WORDS = {
    "a common Thai word": COMMON_WORD,
    "a rare Thai word": RARE_WORD,
    "a 2-character Thai query": SHORT_WORD,
    "an English word": ENGLISH_WORD,
}
RARE_SENTENCE = "กลุ่มแม่บ้านเล่าว่าเริ่มจากเพาะเห็ดนางฟ้าขายในหมู่บ้าน แล้วเอากำไรมาเป็นกองทุนของชุมชน"

# AAR answers, a few sentences each, as people write them in the room (KMI's four parts;
# the Army's four take the same pools in order). Some hold ทีม, some งบ, some "feedback".
ANSWERS_TH = {
    "goal": (
        "อยากเรียนรู้วิธีชวนชุมชนให้ลุกขึ้นมาดูแลสุขภาพกันเอง",
        "อยากรู้ว่าเครือข่ายอื่นทำอย่างไรให้ชาวบ้านทำต่อเองหลังโครงการจบ",
        "ตั้งใจจะได้แนวทางหาเงินสมทบจากท้องถิ่น โดยไม่ต้องรองบประมาณจากส่วนกลาง",
        "อยากให้ทีมได้เห็นตัวอย่างการทำงานกับ อสม. ที่ได้ผลจริง",
        "หวังว่าจะได้วิธีวัดผลที่ชาวบ้านเข้าใจและวัดเองได้",
        "ต้องการคำแนะนำเรื่องการแบ่งงานในทีมเมื่อคนทำงานมีน้อย",
        "อยากได้ feedback ตรง ๆ จากเพื่อนที่เคยทำเรื่องนี้มาก่อน",
        "มาเพื่อฟังประสบการณ์การทำงานร่วมกับโรงเรียนและวัดในตำบล",
        "อยากรู้วิธีเขียนโครงการของบกองทุนสุขภาพตำบลให้ผ่าน",
        "ตั้งใจจะพาความรู้กลับไปเล่าให้ทีมที่อำเภอฟัง",
        "อยากเห็นว่าการเยี่ยมบ้านผู้สูงอายุทำอย่างไรให้ต่อเนื่อง",
        "ต้องการไอเดียการใช้ไลน์กลุ่มสื่อสารกับชาวบ้าน",
    ),
    "achieved": (
        "ได้ฟังเรื่องจริงจากพี่ ๆ เครือข่าย เห็นว่าต้องเริ่มจากเรื่องเล็ก ๆ ที่ชาวบ้านทำได้เอง",
        "ได้ตัวอย่างปฏิทินกิจกรรมที่ทำร่วมกับ รพ.สต. ซึ่งเอาไปใช้ได้ทันที",
        "ทีมเจ้าภาพเล่าได้ชัด ทำให้เข้าใจว่าทำไมปีแรกจึงไม่สำเร็จ",
        "ได้รู้จักพี่เลี้ยงจากจังหวัดใกล้เคียงที่ยินดีมาช่วยในช่วงสามเดือนแรก",
        "เพื่อน ๆ ถามคำถามที่ทำให้เราเห็นจุดบอดของแผนงานตัวเอง",
        "ได้ feedback เรื่องตัวชี้วัดว่าซับซ้อนเกินไปสำหรับชาวบ้าน",
        "เห็นวิธีแยกงบประมาณส่วนที่ชุมชนสมทบเองออกมาให้ชัด จะเกิดความเป็นเจ้าของ",
        "ได้แนวคิดเรื่องให้เด็กนักเรียนช่วยสื่อสารกับผู้ปกครอง",
        "ทีมของเราได้คุยกันนอกรอบจนเห็นตรงกันว่าจะเริ่มที่หมู่บ้านไหน",
        "ได้เห็นภาพถ่ายและเอกสารจริงของงานที่ทำมาแล้วสามปี",
        "เข้าใจมากขึ้นว่าผู้นำท้องถิ่นต้องมีส่วนตั้งแต่วันแรก",
        "ได้วิธีจดบันทึกบทเรียนสั้น ๆ หลังทุกกิจกรรม แล้วรวมเป็นคลังความรู้",
        "รู้ว่าการปลูกผักกินเองวัดผลได้ง่ายด้วยการนับครัวเรือน",
    ),
    "not_achieved": (
        "เวลาน้อย ยังไม่ได้ลงรายละเอียดงบประมาณ",
        "ยังไม่ได้คุยเรื่องการติดตามผลหลังสามเดือน",
        "คนในทีมมาไม่ครบ จึงยังตัดสินใจเรื่องการแบ่งงานไม่ได้",
        "เจ้าของปัญหาพูดนานไป ช่วงให้ข้อเสนอแนะจึงสั้นเกินไป",
        "ยังไม่ได้ข้อสรุปว่าจะวัดผลด้วยอะไร",
        "ไม่ได้ถามเรื่องการทำงานกับหน่วยงานนอกพื้นที่",
        "อยากได้ feedback มากกว่านี้ แต่หมดเวลาก่อน",
        "เอกสารส่งมาช้า จึงอ่านไม่ทันก่อนวันประชุม",
        "ยังไม่รู้ว่าจะหาคนรุ่นใหม่มาช่วยดูแลสื่อออนไลน์ได้อย่างไร",
    ),
    "next_steps": (
        "ชวนทีมไปดูงานที่อำเภอข้างเคียงเดือนหน้า",
        "จะลองตั้งวงเล่าเรื่องทุกเดือนในหมู่บ้านนำร่องสองแห่ง",
        "เขียนข้อเสนอของบกองทุนสุขภาพตำบลภายในไตรมาสนี้",
        "นัดทีมสรุปบทเรียนสั้น ๆ ไม่เกินครึ่งหน้า แล้วส่งให้ผู้อำนวย",
        "โทรหาพี่เลี้ยงที่ได้รู้จักเพื่อขอเอกสารตัวอย่าง",
        "ขอ feedback จากชาวบ้านหลังกิจกรรมแรกด้วยแบบสอบถามสั้น ๆ",
        "ชวนผู้ใหญ่บ้านและ อสม. มาร่วมวางแผนตั้งแต่ต้น",
        "ติดตามผลที่ 30 และ 90 วันโดยโทรถามสั้น ๆ ไม่ต้องนัดประชุม",
        "ทำข้อตกลงร่วมของหมู่บ้านแล้วติดประกาศให้ทุกคนเห็น",
    ),
}
ANSWERS_EN = {
    "goal": (
        "I wanted to learn how other networks keep villagers involved after a project ends.",
        "We hoped to get honest feedback on our monitoring plan.",
        "Our team came to find a simple way to measure results with the community.",
        "I came to hear how others work with schools and temples.",
        "I wanted ideas for raising local funds without waiting for the central budget.",
    ),
    "achieved": (
        "We heard real stories from the network and got practical feedback on our indicators.",
        "The host team explained clearly why the first year did not work.",
        "We met a mentor from a nearby province who offered to help for three months.",
        "The peers' questions showed us the blind spots in our own plan.",
        "I saw how to keep the community's own contribution separate in the accounts.",
    ),
    "not_achieved": (
        "There was not enough time to discuss the budget in detail.",
        "We did not get to follow-up after three months.",
        "I wanted more feedback, but we ran out of time.",
        "The papers came late, so I could not read them before the meeting.",
    ),
    "next_steps": (
        "Take the team to visit the neighbouring district next month.",
        "Ask villagers for feedback after the first activity with a short survey.",
        "Draft a proposal to the subdistrict health fund this quarter.",
        "Invite the village head and health volunteers to plan with us from the start.",
    ),
}
ARMY_PARTS = {
    "supposed": "goal",
    "happened": "achieved",
    "why_different": "not_achieved",
    "sustain_improve": "next_steps",
}
SENTENCES = {"goal": (1, 3), "achieved": (2, 4), "not_achieved": (1, 3), "next_steps": (1, 3)}
COMMITMENTS_TH = (
    "พาทีมไปดูงานที่อำเภอข้างเคียงภายในเดือนหน้า",
    "ตั้งวงเล่าเรื่องประจำเดือนในหมู่บ้านนำร่อง",
    "ส่งข้อเสนอของบกองทุนสุขภาพตำบล",
    "ทำแบบสอบถามสั้น ๆ ขอ feedback จากชาวบ้าน",
    "ชวนผู้ใหญ่บ้านมาร่วมวางแผนปีหน้า",
    "สรุปบทเรียนส่งผู้อำนวยไม่เกินครึ่งหน้า",
)
OUTCOMES_TH = (
    "ทำแล้ว ทีมไปดูงานมาเมื่อเดือนก่อน ได้แนวทางมาปรับใช้สองเรื่อง",
    "ทำได้บางส่วน วงเล่าเรื่องจัดได้สองครั้งแล้วหยุดไปช่วงเก็บเกี่ยว",
    "ยังไม่ได้ทำ รอผลการพิจารณางบประมาณจากท้องถิ่น",
    "เลิกทำ เพราะผู้ใหญ่บ้านเปลี่ยนคน ต้องเริ่มคุยใหม่",
    "ทำแล้ว ได้ feedback จากชาวบ้านกว่าห้าสิบครัวเรือน",
)

TEXT = (
    "อยากเรียนรู้วิธีชวนชุมชนให้ลุกขึ้นมาดูแลสุขภาพกันเอง ได้ฟังประสบการณ์จริงจากพี่ ๆ "
    "เครือข่าย เห็นว่าต้องเริ่มจากเรื่องเล็ก ๆ ที่ชาวบ้านทำได้เอง "
)


# Peers' recommendations as a note-taker writes them down in the room.
RECOMMENDATIONS = (
    "เริ่มจากกลุ่มเล็ก ๆ ที่สนใจจริงก่อน แล้วค่อยขยายไปทั้งตำบล",
    "ให้ อสม. เป็นคนเล่าเรื่องสำเร็จของตัวเองในเวทีประชาคมหมู่บ้าน",
    "ทำปฏิทินกิจกรรมร่วมกับ รพ.สต. เพื่อไม่ให้ชาวบ้านถูกเรียกประชุมซ้ำซ้อน",
    "ใช้ไลน์กลุ่มส่งภาพผลงานทุกสัปดาห์ ให้ทีมเห็นความคืบหน้าของกันและกัน",
    "ชวนผู้นำท้องถิ่นมาร่วมตั้งเป้าหมายตั้งแต่ต้น งบประมาณจะตามมาง่ายขึ้น",
    "บันทึกบทเรียนหลังทุกกิจกรรมสั้น ๆ ไม่เกินครึ่งหน้า แล้วรวมเป็นคลังความรู้",
    "แบ่งงานให้คนรุ่นใหม่ดูแลสื่อออนไลน์ ส่วนผู้อาวุโสดูแลการเยี่ยมบ้าน",
    "ไปดูงานที่อำเภอที่ทำสำเร็จแล้ว อย่างน้อยหนึ่งครั้งก่อนวางแผนปีหน้า",
    "ตั้งตัวชี้วัดที่ชาวบ้านวัดเองได้ เช่น จำนวนครัวเรือนที่ปลูกผักกินเอง",
    "จัดวงเล่าเรื่องทุกเดือน ให้ทุกคนได้พูดถึงสิ่งที่ได้ผลและไม่ได้ผล",
    "หาพี่เลี้ยงจากเครือข่ายที่เคยทำเรื่องนี้มาช่วยในช่วงสามเดือนแรก",
    "อย่าเพิ่งซื้ออุปกรณ์ราคาแพง ลองใช้ของที่ชุมชนมีอยู่ก่อน",
    "ให้โรงเรียนเข้ามาร่วม เด็ก ๆ ช่วยสื่อสารกับผู้ปกครองได้ดีมาก",
    "ทำข้อตกลงร่วมของหมู่บ้านเป็นลายลักษณ์อักษร แล้วติดประกาศให้ทุกคนเห็น",
    "แยกงบประมาณส่วนที่ชุมชนสมทบเองออกมาให้ชัด จะเกิดความเป็นเจ้าของ",
    "ติดตามผลที่ 30 และ 90 วัน โดยโทรถามสั้น ๆ ไม่ต้องนัดประชุม",
)
THEMES = (
    "การมีส่วนร่วมของชุมชน",
    "งบประมาณ",
    "การสื่อสาร",
    "การติดตามผล",
    "ภาคีเครือข่าย",
    "คนรุ่นใหม่",
    "",
    "",
)
REASONS = {
    Recommendation.Response.ADOPT: (
        "ตรงกับที่ทีมวางแผนไว้ และทำได้ทันทีในไตรมาสนี้",
        "ใช้งบน้อย ทีมมีคนรับผิดชอบแล้ว",
    ),
    Recommendation.Response.ADAPT: (
        "ใช้แนวคิดนี้ แต่ปรับให้เข้ากับตารางงานของ รพ.สต.",
        "ทำในสองหมู่บ้านนำร่องก่อน แล้วค่อยขยาย",
    ),
    Recommendation.Response.NOT_ADOPTED: (
        "ยังไม่มีงบในปีนี้ จะเสนอในแผนปีหน้า",
        "บริบทของเราต่างออกไป ชุมชนอยู่ห่างกันมาก",
    ),
}
RESPONSES = [
    Recommendation.Response.ADOPT,
    Recommendation.Response.ADOPT,
    Recommendation.Response.ADAPT,
    Recommendation.Response.ADAPT,
    Recommendation.Response.NOT_ADOPTED,
]
REVIEW = (
    "ผู้อำนวยเปิดวงด้วยคำถามที่ชัด เพื่อน ๆ ถามเจาะได้ตรงประเด็น",
    "เวลาช่วงให้ข้อเสนอแนะน้อยเกินไป เจ้าของปัญหาพูดนานไปหน่อย",
    "ส่งเอกสารอ่านล่วงหน้าอย่างน้อยสามวัน และกันเวลาครึ่งหนึ่งไว้ให้ข้อเสนอแนะ",
)


def _answer(rng: random.Random, part: str, english: bool) -> str:
    """A few sentences for one part of an AAR (KMI's keys; the Army's map onto them)."""
    part = ARMY_PARTS.get(part, part)
    pool = (ANSWERS_EN if english else ANSWERS_TH)[part]
    low, high = SENTENCES[part]
    return " ".join(rng.sample(pool, min(len(pool), rng.randint(low, high))))


def _text(rng: random.Random, words: int) -> str:
    start = rng.randrange(0, len(TEXT) // 2)
    return (TEXT[start:] + TEXT)[: words * 6].strip()


def clear() -> None:
    """Remove everything the generator makes (the benchmark has its own database)."""
    with transaction.atomic():
        # The search index first (on SQLite its FTS5 table follows by trigger); then
        # deleting the rows below need not collect it.
        SearchEntry.objects.all().delete()
        for model in (
            ThemeCount,
            LessonReuse,
            LessonSource,
            LessonStatusChange,
            Lesson,
            Comment,
            Recommendation,
            MethodReview,
            SessionQuestionSet,
            ReminderLog,
            AARVersion,
            AAR,
            Participant,
            AssistSession,
            Membership,
        ):
            model.objects.all().delete()
        # The built-in sets (made by a migration) stay.
        QuestionSet.objects.filter(organisation__isnull=False).delete()
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
        brief = {
            "brief_problem": "ชุมชนยังไม่ลุกขึ้นมาดูแลสุขภาพกันเอง กิจกรรมจบเมื่อโครงการจบ",
            "brief_learn": "เครือข่ายอื่นทำอย่างไรให้ชาวบ้านทำต่อเองหลังโครงการจบ",
            "brief_outcome": "ได้แนวทางสองสามข้อที่ทีมลองทำได้ภายในสามเดือน",
            "brief_questions": "เริ่มจากใคร\nใช้งบจากไหน\nวัดผลอย่างไร",
            "brief_reading": "สรุปโครงการปีที่แล้ว: https://example.org/report",
        }
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
                    **(brief if rng.random() < BRIEF_SHARE else {}),
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
                    **(brief if rng.random() < BRIEF_SHARE else {}),
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
        # A few sessions ask the US Army's four questions: chosen before their first AAR.
        army = QuestionSet.objects.get(slug="army")
        army_sessions = {s.pk for s in sessions if rng.random() < ARMY_SHARE}
        SessionQuestionSet.objects.bulk_create(
            (SessionQuestionSet(session_id=pk, question_set=army) for pk in army_sessions),
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
                        **(
                            {"expectation": _text(rng, 25), "expectation_at": now}
                            if rng.random() < EXPECTATION_SHARE
                            else {}
                        ),
                    )
                )
        people = Participant.objects.bulk_create(people, batch_size=2000)
        # AARs go to the people of held sessions, oldest sessions fullest.
        held_people = [p for p in people if p.session.date <= today]
        rng.shuffle(held_people)
        aars = []
        chosen = held_people[:n_aars]
        # The rare word: in the "what we got" answer of a few submitted AARs, an eighth
        # of them (at least 3) in sessions of the first organiser, whose coordinator
        # ONE_ORG_USER searches in bench/measure.py: so a rare word finds a few results.
        submitted_ks = range(round(n_aars * DRAFT_SHARE), len(chosen))
        n_rare = min(max(6, round(RARE_ANSWERS * scale)), len(submitted_ks) // 2)
        first = [k for k in submitted_ks if chosen[k].session.organiser_id == organisers[0].pk]
        rare = set(rng.sample(first, min(len(first), max(3, n_rare // 8))))
        rest = [k for k in submitted_ks if k not in rare]
        rare |= set(rng.sample(rest, n_rare - len(rare)))
        for k, p in enumerate(chosen):
            submitted = k >= n_aars * DRAFT_SHARE
            english = p.language == "en" and rng.random() < ENGLISH_SHARE
            when = timezone.make_aware(
                datetime.datetime.combine(p.session.date, datetime.time(15))
                + datetime.timedelta(days=rng.choice([0, 1, 2, 3, 5, 9]))
            )
            question_set = army if p.session_id in army_sessions else None
            keys = list(ARMY_PARTS) if question_set else list(SENTENCES)
            # A draft has its first two parts written.
            answers = {
                key: _answer(rng, key, english) if submitted or n < 2 else ""
                for n, key in enumerate(keys)
            }
            if k in rare:
                answers[keys[1]] += " " + RARE_SENTENCE
            sharing = AAR.Sharing.PARTICIPANTS
            if k % 10 == 0:
                sharing = AAR.Sharing.ORGANISERS
            elif rng.random() < ORGANISATIONS_SHARE / 0.9:
                sharing = AAR.Sharing.ORGANISATIONS
            anonymous = []
            if rng.random() < ANONYMOUS_SHARE:
                anonymous = [keys[2], AAR.COMMITMENTS_KEY] if k % 2 else [keys[2]]
            aars.append(
                AAR(
                    participant=p,
                    question_set=question_set,
                    answers=answers,
                    status="submitted" if submitted else "draft",
                    sharing=sharing,
                    anonymous=anonymous,
                    submitted_at=min(when, now) if submitted else None,
                )
            )
        aars = AAR.objects.bulk_create(aars, batch_size=2000)
        made = _commitments(rng, aars, today)
        recommended, linked = _recommendations(rng, sessions, people, aars, today, now)
        reviews = method_reviews(rng, sessions, today)
        custom_sets = _question_sets(organisers)
        lessons = _lessons(rng, organisers, sessions, bench, scale)
        # Statistics of the new rows before counting them. With those of the rows just
        # deleted, PostgreSQL's plans made tally.recount_all take 268 s when the data was
        # made again in place (scale 1, 2026-12-07); with this, all of generate() 59 s.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
        "commitments": made + linked,
        "recommendations": recommended,
        "method_reviews": reviews,
        "army_sessions": len(army_sessions),
        "custom_question_sets": custom_sets,
        "lessons": lessons,
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
        # A full AAR of either set (KMI's next steps, or the Army's sustain or improve).
        full = aar.next_steps or aar.answer("sustain_improve")
        for position in range(rng.choice([1, 2, 2, 2, 3, 3]) if full else 1):
            status = Commitment.Status.OPEN
            if (today - session_date).days > 30:
                status = rng.choice(ANSWERED)
            answered = status != Commitment.Status.OPEN
            rows.append(
                Commitment(
                    aar=aar,
                    position=position,
                    text=rng.choice(COMMITMENTS_TH),
                    due_date=session_date + datetime.timedelta(days=rng.choice([14, 30, 60])),
                    status=status,
                    outcome=rng.choice(OUTCOMES_TH) if answered else "",
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


def _recommendations(
    rng: random.Random,
    sessions: list[AssistSession],
    people: list[Participant],
    aars: list[AAR],
    today: datetime.date,
    now: datetime.datetime,
) -> tuple[int, int]:
    """About 10 peers' recommendations a held session (200 in one of them, the first held
    and not yet closed), given by a peer on the roster, a peer organisation, or no one
    named; about 60% with the host's response, some adopted or adapted ones the owner's
    commitment (at most one an AAR, under COMMITMENTS_MAX), a few removed. Returns the
    recommendations and the commitments made from them."""
    roster: dict[int, list[Participant]] = {}
    for p in people:
        roster.setdefault(p.session_id, []).append(p)
    Peers = AssistSession.peers.through
    peer_orgs: dict[int, list[int]] = {}
    for session_id, org_id in Peers.objects.values_list("assistsession_id", "organisation_id"):
        peer_orgs.setdefault(session_id, []).append(org_id)
    aar_of = {aar.participant_id: aar for aar in aars}
    used = {
        row["aar_id"]: row["n"]
        for row in Commitment.objects.values("aar_id").annotate(n=Count("pk")).order_by()
    }
    held = [s for s in sessions if s.date <= today]
    big = next((s for s in held if s.status == "held"), held[0] if held else None)
    rows, made, linked = [], [], set()
    for s in held:
        n = BIG_SESSION_RECOMMENDATIONS if s is big else rng.randint(*RECOMMENDATIONS_PER_SESSION)
        people_here = roster.get(s.pk, [])
        peers = [p for p in people_here if p.role == "peer"] or people_here
        hosts = [p for p in people_here if p.role == "host"]
        orgs = peer_orgs.get(s.pk, [])
        recorded = timezone.make_aware(datetime.datetime.combine(s.date, datetime.time(11)))
        position = 0
        for _k in range(n):
            text = rng.choice(RECOMMENDATIONS)
            giver = rng.random()
            row = Recommendation(
                session=s,
                text=text,
                given_by=rng.choice(peers) if giver < 0.6 and peers else None,
                given_by_organisation_id=(
                    rng.choice(orgs) if 0.6 <= giver < 0.9 and orgs else None
                ),
                theme=rng.choice(THEMES),
                created_by_id=s.facilitator_id,
            )
            if rng.random() < REMOVED_SHARE:
                row.position = 0
                row.removed_at = min(recorded + datetime.timedelta(hours=1), now)
                row.removed_by_id = s.facilitator_id
                rows.append(row)
                continue
            row.position = position
            position += 1
            if rng.random() < RESPONDED_SHARE:
                row.response = rng.choice(RESPONSES)
                row.response_reason = rng.choice(REASONS[row.response])
                row.response_owner = rng.choice(hosts) if hosts else None
                row.response_due = (
                    s.date + datetime.timedelta(days=rng.choice([30, 60, 90]))
                    if row.response != Recommendation.Response.NOT_ADOPTED
                    else None
                )
                row.responded_at = min(
                    recorded + datetime.timedelta(days=rng.choice([1, 3, 7, 14])), now
                )
                row.responded_by_id = s.facilitator_id
                owner_aar = aar_of.get(row.response_owner.pk) if row.response_owner else None
                if (
                    owner_aar is not None
                    and row.response != Recommendation.Response.NOT_ADOPTED
                    and used.get(owner_aar.pk, 0) < COMMITMENTS_MAX
                    and owner_aar.pk not in linked
                    and rng.random() < 0.3
                ):
                    position_here = used.get(owner_aar.pk, 0)
                    linked.add(owner_aar.pk)
                    used[owner_aar.pk] = position_here + 1
                    made.append(
                        (
                            Commitment(
                                aar=owner_aar,
                                position=position_here,
                                text=text[:COMMITMENT_MAX_LENGTH],
                                due_date=row.response_due,
                            ),
                            row,
                        )
                    )
            rows.append(row)
    commitments = Commitment.objects.bulk_create((c for c, _r in made), batch_size=2000)
    for commitment, (_c, row) in zip(commitments, made, strict=True):
        row.commitment = commitment
    Recommendation.objects.bulk_create(rows, batch_size=2000)
    return len(rows), len(commitments)


def method_reviews(rng: random.Random, sessions: list[AssistSession], today) -> int:
    """The facilitation team's review of the method on about a third of held sessions."""
    rows = [
        MethodReview(
            session=s,
            worked=REVIEW[0],
            did_not_work=REVIEW[1] if rng.random() < 0.8 else "",
            change_next=REVIEW[2],
            updated_by_id=s.facilitator_id,
        )
        for s in sessions
        if s.date <= today and rng.random() < METHOD_REVIEW_SHARE
    ]
    MethodReview.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _question_sets(organisers: list[Organisation]) -> int:
    """Custom question sets of each organising organisation (on the list, none chosen)."""
    prompts = [
        {"th": "เราตั้งใจจะได้อะไรจากวงนี้", "en": "What did we mean to get from this circle?"},
        {"th": "เราได้อะไรจริง ๆ", "en": "What did we actually get?"},
        {"th": "อะไรช่วย อะไรขวาง", "en": "What helped, what got in the way?"},
        {"th": "ครั้งหน้าจะทำอะไรต่างไป", "en": "What will we do differently next time?"},
    ]
    rows = QuestionSet.objects.bulk_create(
        QuestionSet(
            slug=f"bench-{org.pk}-{n}",
            organisation=org,
            name_th=f"ชุดคำถามทบทวนหลังกิจกรรม {n + 1} ({org.short_name})",
            name_en=f"After-activity review {n + 1} ({org.name_en})",
            prompts=prompts[: 2 + 2 * n],
        )
        for org in organisers
        for n in range(CUSTOM_SETS_PER_ORGANISER)
    )
    return len(rows)


# Issue 19's lessons: per organising organisation, at every status, each with its
# history, three sources (answers of its own sessions) and, one in five, a session that
# reused it. LESSON_TITLES hold words of the AARs' pools, so "solved before?" finds some.
LESSONS_PER_ORGANISER = 100  # 2,000 at scale 1
LESSON_SOURCES = 3
LESSON_TITLES = [
    "เริ่มจากทีมเล็กที่พร้อมก่อน แล้วค่อยขยาย",
    "ให้ อสม. เล่าเรื่องจริงก่อนเปิดวง",
    "แบ่งงานในทีมให้ชัดตั้งแต่ต้นปี",
    "ขอสนับสนุนงบประมาณจากท้องถิ่นตั้งแต่ไตรมาสแรก",
    "ส่งภาพผลงานในไลน์กลุ่มทุกสัปดาห์",
    "Share feedback within a week of the session",
]


def lesson_history(lesson: Lesson, by) -> list[LessonStatusChange]:
    """The status changes that brought ``lesson`` to its status, step by step, with the
    reason and evidence each step needs (not saved; ``changed_at`` is set on insert)."""
    statuses = list(Lesson.Status)
    steps = statuses[: statuses.index(lesson.status) + 1]
    return [
        LessonStatusChange(
            lesson=lesson,
            from_status=before,
            to_status=after,
            reason="ทีมทบทวนแล้ว" if after in Lesson.NEEDS_REASON else "",
            evidence="บันทึกการประชุม" if after in Lesson.NEEDS_EVIDENCE else "",
            evidence_url="https://example.org/evidence" if after in Lesson.NEEDS_EVIDENCE else "",
            changed_by=by,
        )
        for before, after in zip(["", *steps], steps, strict=False)
    ]


def _lessons(rng: random.Random, organisers, sessions, by, scale: float) -> int:
    n = max(4, round(LESSONS_PER_ORGANISER * scale))
    statuses = list(Lesson.Status)
    made = Lesson.objects.bulk_create(
        Lesson(
            organisation=org,
            title=f"{LESSON_TITLES[i % len(LESSON_TITLES)]} ({i + 1})",
            statement=rng.choice(LESSON_TITLES) + " " + rng.choice(LESSON_TITLES),
            owner=by,
            status=statuses[i % len(statuses)],
            created_by=by,
        )
        for org in organisers
        for i in range(n)
    )
    by_org: dict[int, list] = {}
    for session in sessions:
        by_org.setdefault(session.organiser_id, []).append(session)
    answered = {}
    # (Every AAR is the benchmark's own: clear() emptied the database.)
    for session_id, aar_id in AAR.objects.filter(status=AAR.Status.SUBMITTED).values_list(
        "participant__session_id", "pk"
    ):
        answered.setdefault(session_id, aar_id)
    sources, changes, reuses = [], [], []
    for lesson in made:
        own = [s for s in by_org.get(lesson.organisation_id, []) if s.pk in answered]
        for session in rng.sample(own, min(LESSON_SOURCES, len(own))):
            sources.append(
                LessonSource(
                    lesson=lesson,
                    session=session,
                    kind=SearchEntry.Kind.ANSWER,
                    part="not_achieved",
                    aar_id=answered[session.pk],
                    added_by=by,
                )
            )
        changes += lesson_history(lesson, by)
        if own and rng.random() < 0.2:
            reuses.append(LessonReuse(lesson=lesson, session=rng.choice(own), noted_by=by))
    LessonSource.objects.bulk_create(sources, batch_size=2000)
    LessonStatusChange.objects.bulk_create(changes, batch_size=2000)
    LessonReuse.objects.bulk_create(reuses, batch_size=2000, ignore_conflicts=True)
    return len(made)
