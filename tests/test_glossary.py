"""The Thai reads as KMI's practitioners write it: one term a concept (docs/glossary.md).

The catalogue is read as committed (locale/th/LC_MESSAGES/django.po, which
tests/test_translations.py checks against the compiled .mo), and every rejected variant
of the glossary is looked for in every Thai string. The emails are rendered too: they
name the four parts of an AAR with the form's own labels, and they are signed.
"""

import dataclasses
import re
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.utils import translation

from aar.followup import reminder_send, reminder_text
from aar.models import AAR_PARTS, PART_LABELS
from sessions_app import roster_services
from tests.factories import ParticipantFactory

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"
GLOSSARY = ROOT / "docs" / "glossary.md"
THAI_LETTER = "\u0e00-\u0e7f"


@dataclasses.dataclass(frozen=True)
class Rule:
    concept: str
    pattern: str
    why: str
    bad: str  # a string the rule must flag: the rule itself can fail
    good: str  # the glossary's own wording: the rule must let it through

    def flags(self, text: str) -> bool:
        return re.search(self.pattern, text) is not None


RULES = [
    Rule(
        "reminder",
        r"(?<!แจ้ง)เตือน",
        "a reminder is แจ้งเตือน: คำเตือน means a warning, ถูกเตือน being reprimanded",
        "ส่งคำเตือนแล้ว; ถูกเตือนซ้ำ; เตือนความจำ",
        "ส่งข้อความแจ้งเตือนแล้ว; ได้รับการแจ้งเตือนซ้ำ",
    ),
    Rule(
        "walk-in",
        r"(?<!ลงทะเบียน)หน้างาน|วอล์ก|(?i:walk-?in)",
        "walk-in is ลงทะเบียนหน้างาน, not เข้าร่วมหน้างาน / ผู้เข้าร่วมหน้างาน / รหัสหน้างาน",
        "รหัสเข้าร่วมหน้างาน",
        "รหัสลงทะเบียนหน้างาน; จอลงทะเบียนหน้างาน",
    ),
    Rule(
        "peer team",
        r"มาช่วย|เพื่อนช่วยเพื่อน",
        "peers are ทีมเพื่อน / องค์กรเพื่อน; เพื่อนช่วยเพื่อน is the method's own name",
        "องค์กรเพื่อนที่มาช่วย; ทีมเพื่อนช่วยเพื่อน",
        "ทีมเพื่อน; องค์กรเพื่อน",
    ),
    Rule(
        "organisers",
        r"(?<!ทีม)(?<!องค์กร)ผู้จัด|จัดโดย",
        "the organisers are ทีมผู้จัด (their organisation องค์กรผู้จัด); จัดโดย beside "
        "เจ้าภาพ confuses the organiser with the host",
        "เฉพาะผู้จัด; จัดโดย สคส.",
        "เฉพาะทีมผู้จัด; องค์กรผู้จัด; ทีมผู้จัด: สคส.",
    ),
    Rule(
        "closed session",
        r"ปิดแล้ว|วง(?:นี้|จะ)?ปิด(?!รับ)",
        "a closed session is ปิดรับ AAR แล้ว: ปิดแล้ว reads as 'the circle ended today'",
        "วงนี้ปิดแล้ว; จนกว่าวงจะปิด",
        "วงนี้ปิดรับ AAR แล้ว; จนกว่าวงจะปิดรับ AAR; ปิดรับลงทะเบียนหน้างานแล้ว; บัญชีนี้ปิดการใช้งานอยู่",
    ),
    Rule(
        "question mark",
        r"\?",
        "Thai asks with หรือไม่ (or 'หาก…'), not with '?'",
        "ลบวงนี้หรือไม่?",
        "ลบวงนี้หรือไม่",
    ),
    Rule(
        "gendered particle",
        rf"ครับ|ค่ะ|คะ(?![{THAI_LETTER}])",
        "no ครับ / ค่ะ: the text speaks for a team, to everyone",
        "ขอบคุณค่ะ; ขอบคุณครับ; ใช่ไหมคะ",
        "ขอบคุณ; คะแนน",
    ),
    Rule(
        "developer words",
        r"ฟิลด์|(?i:escape)",
        "no developer words: a form field is ช่อง, and nobody needs to know about escaping",
        "ฟิลด์นี้จำเป็น; ถูก escape ไว้",
        "กรุณาใส่ชื่อวง",
    ),
    Rule("organisation", r"หน่วยงาน", "an organisation is องค์กร", "หน่วยงานใด", "องค์กรใด"),
    Rule("session", r"เซสชั?น|การประชุม", "a session is วง", "เซสชันนี้", "วงนี้"),
    Rule("synthesis", r"สังเคราะห์", "the synthesis is สรุปบทเรียน", "การสังเคราะห์", "สรุปบทเรียน"),
    Rule(
        "facilitator and note-taker",
        r"ผู้ดำเนินรายการ|วิทยากร|ผู้จดบันทึก|เลขานุการ",
        "the facilitator is คุณอำนวย, the note-taker คุณลิขิต",
        "ผู้ดำเนินรายการ",
        "คุณอำนวย; คุณลิขิต",
    ),
    Rule("private", r"ความลับ", "organisers-only is ส่วนตัว, not 'secret'", "เป็นความลับ", "ส่วนตัว"),
    Rule("share", r"แชร์", "to share is แบ่งปัน (a link is ส่ง)", "แชร์…", "แบ่งปัน"),
    Rule(
        "blog-ready copy",
        r"สำเนาพร้อม",
        "a blog-ready copy is ฉบับพร้อมลงบล็อก",
        "สำเนาพร้อมลงบล็อก",
        "ฉบับพร้อมลงบล็อก",
    ),
    Rule(
        "the four parts",
        r"สิ่งที่ได้ |สิ่งที่ยังไม่ได้|เป้าหมายส่วนตัว|ตามเป้าหมายในครั้งนี้",
        "the four parts keep the AAR form's labels word for word, nowhere paraphrased",
        "สิ่งที่ได้ สิ่งที่ยังไม่ได้และเพราะอะไร",
        "สิ่งที่บรรลุ; สิ่งที่ยังไม่บรรลุ และเพราะอะไร",
    ),
]

BY_CONCEPT = {rule.concept: rule for rule in RULES}

# Shown beside a percentage or a part of a whole: "complete" would contradict the number.
SHARE_LABELS = ["Complete", "Completion", "%(done)s of %(total)s AARs in"]
# Chosen terms the glossary must name, so the document and the test say the same.
CHOSEN = [
    "วง",
    "แจ้งเตือน",
    "ลงทะเบียนหน้างาน",
    "ทีมเพื่อน",
    "องค์กรเพื่อน",
    "ทีมผู้จัด",
    "เจ้าภาพ",
    "สรุปบทเรียน",
    "คุณอำนวย",
    "คุณลิขิต",
    "ผู้ประสานงาน",
    "ปิดรับ AAR แล้ว",
]
# Variants docs/glossary.md rejects by name (the ones the editor found in the catalogue).
NAMED_REJECTS = [
    "คำเตือน",
    "ถูกเตือน",
    "เตือนความจำ",
    "เข้าร่วมหน้างาน",
    "ผู้เข้าร่วมหน้างาน",
    "รหัสหน้างาน",
    "เพื่อนที่มาช่วย",
    "องค์กรที่มาช่วย",
    "ผู้มาช่วย",
    "ทีมเพื่อนช่วยเพื่อน",
    "จัดโดย",
    "ผู้จัดวง",
    "ปิดแล้ว",
    "ฟิลด์",
    "หน่วยงาน",
    "การสังเคราะห์",
    "ความลับ",
    "แชร์",
    "สำเนาพร้อมลงบล็อก",
    "สิ่งที่ได้ / สิ่งที่ยังไม่ได้",
]


def _thai(entry: polib.POEntry) -> str:
    return entry.msgstr or entry.msgstr_plural.get(0, "")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


@pytest.mark.parametrize("rule", RULES, ids=[rule.concept for rule in RULES])
def test_rule_flags_its_bad_example_and_passes_the_glossary_wording(rule):
    for bad in rule.bad.split("; "):
        assert rule.flags(bad), bad
    for good in rule.good.split("; "):
        assert not rule.flags(good), good


@pytest.mark.parametrize("rule", RULES, ids=[rule.concept for rule in RULES])
def test_catalogue_has_no_rejected_variant(catalogue, rule):
    found = [
        f"{entry.msgid!r} => {_thai(entry)!r}" for entry in catalogue if rule.flags(_thai(entry))
    ]
    assert found == [], f"{rule.why} (docs/glossary.md):\n" + "\n".join(found)


def test_a_share_of_the_whole_is_never_called_complete(catalogue):
    found = [
        f"{entry.msgid!r} => {_thai(entry)!r}"
        for entry in catalogue
        if entry.msgid in SHARE_LABELS and "ครบ" in _thai(entry)
    ]
    found += [
        f"{entry.msgid!r} => {_thai(entry)!r}"
        for entry in catalogue
        if re.search(r"ครบแล้ว\s*(\d|%)", _thai(entry))
    ]
    assert found == [], "'ครบแล้ว 57%' contradicts itself:\n" + "\n".join(found)


def test_djangos_own_required_message_is_said_in_the_glossarys_words():
    # Django's Thai says "ฟิลด์นี้จำเป็น"; the project's catalogue has the last word.
    with translation.override("th"):
        message = translation.gettext("This field is required.")
    assert (
        not BY_CONCEPT["developer words"].flags(message) and message != "This field is required."
    ), message


def _form_labels(catalogue) -> list[str]:
    """The Thai of the four labels on the AAR form (the model's verbose names)."""
    by_id = {entry.msgid: _thai(entry) for entry in catalogue}
    with translation.override("en"):  # the msgids
        return [by_id[str(PART_LABELS[name])] for name in AAR_PARTS]


def test_texts_that_name_the_four_parts_use_the_form_labels(catalogue):
    labels = _form_labels(catalogue)
    assert labels == ["เป้าหมายของฉัน", "สิ่งที่บรรลุ", "สิ่งที่ยังไม่บรรลุ และเพราะอะไร", "สิ่งที่จะทำต่อไป"]
    naming = [
        entry
        for entry in catalogue
        if "what was achieved" in entry.msgid.lower() and entry.msgid != "What was achieved"
    ]
    drifted = [
        f"{entry.msgid!r} => {_thai(entry)!r}"
        for entry in naming
        if not all(label in _thai(entry) for label in labels)
    ]
    assert drifted == []


def test_glossary_names_each_chosen_term_and_the_rejected_variants_the_test_flags():
    text = GLOSSARY.read_text()
    assert [term for term in CHOSEN if term not in text] == []
    assert [variant for variant in NAMED_REJECTS if variant not in text] == []
    # Each variant the glossary rejects by name is one a rule flags.
    assert [v for v in NAMED_REJECTS if not any(rule.flags(v) for rule in RULES)] == []


# The emails ----------------------------------------------------------------------------


@pytest.fixture
def thai_person(assist_session):
    return ParticipantFactory(
        session=assist_session, full_name="น้ำฝน ศรีสุข", email="namfon@example.org", language="th"
    )


def _assert_reads_well(text: str, labels: list[str]) -> None:
    for label in labels:
        assert label in text, label
    for rule in RULES:
        assert not rule.flags(text.replace("\n", " ")), (rule.concept, text)
    assert "ด้วยความขอบคุณ" in text  # signed
    assert "ทีมผู้จัด" in text


@pytest.mark.django_db
def test_invitation_is_an_invitation_signed_with_the_four_labels(catalogue, thai_person):
    labels = _form_labels(catalogue)
    assert roster_services.invitation_send(participant=thai_person)
    [message] = mail.outbox
    assert message.subject.startswith("ขอเชิญ")
    (html, _mimetype), *_ = message.alternatives
    _assert_reads_well(message.body, labels)
    _assert_reads_well(html, labels)
    facilitator = thai_person.session.facilitator
    assert (facilitator.get_full_name() or facilitator.username) in message.body


@pytest.mark.django_db
def test_reminder_is_signed_with_the_four_labels(catalogue, thai_person):
    labels = _form_labels(catalogue)
    result = reminder_send(participants=[thai_person])
    assert len(result.sent) == 1, result.skipped
    [message] = mail.outbox
    assert "แจ้งเตือน" in message.subject and not BY_CONCEPT["reminder"].flags(message.subject)
    _assert_reads_well(message.body, labels)
    # The same text is copied for LINE: signed there too.
    _assert_reads_well(reminder_text(participant=thai_person), labels)


@pytest.mark.django_db
def test_walkin_link_email_is_signed_with_the_four_labels(catalogue, thai_person):
    labels = _form_labels(catalogue)
    assert roster_services.walkin_link_send(participant=thai_person)
    [message] = mail.outbox
    (html, _mimetype), *_ = message.alternatives
    _assert_reads_well(message.body, labels)
    _assert_reads_well(html, labels)


@pytest.mark.django_db
def test_english_emails_name_the_four_parts_as_the_english_form_does(assist_session):
    person = ParticipantFactory(session=assist_session, email="jane@example.org", language="en")
    assert roster_services.invitation_send(participant=person)
    [message] = mail.outbox
    with translation.override("en"):
        labels = [str(PART_LABELS[name]) for name in AAR_PARTS]
    for label in labels:
        assert label in message.body
    assert "invite" in message.subject.lower()
    assert "With thanks," in message.body
