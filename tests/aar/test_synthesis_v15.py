"""Issue 15: the blog copy shows a rendered preview beside the text to copy, says
nothing in jargon, names the four parts with the AAR form's labels, and the exports say
which era their dates are in."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from aar.blog import md_escape
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

FORM_LABELS = ["เป้าหมายของฉัน", "สิ่งที่บรรลุ", "สิ่งที่ยังไม่บรรลุ และเพราะอะไร", "สิ่งที่จะทำต่อไป"]
SOURCE_POST_LABELS = ["เป้าหมายส่วนตัว", "สิ่งที่บรรลุตามเป้าหมายในครั้งนี้"]
HRD = "ภาพรวมจากคุณแน็ต (HRD สสส.) - สคส. เล่าเปรียบเทียบ"


def _preview(html: str) -> str:
    """The preview region of a page (from its opening tag to the end of the row)."""
    start = html.index('class="blog-preview')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def written(assist_session):
    assist_session.summary = "ข้อสรุป (ย่อ) ของวง"
    assist_session.save()
    return AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="วรรณา (อ้อ)"),
        goal=HRD,
        achieved="บรรทัดแรก\nบรรทัดสอง",
        not_achieved="<script>alert('x')</script> [ลิงก์](http://evil.example)",
        next_steps="1. ติดตามผล\n# ไม่ใช่หัวข้อ",
    )


def test_synthesis_shows_the_preview_beside_the_text_to_copy(member, assist_session, written):
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    row = html[html.index('aria-labelledby="blog-heading"') :]
    # Two columns of one row: the text with its Copy button, and the preview.
    assert row.index('id="blog-md"') < row.index("js-copy") < row.index('class="blog-preview')
    assert row.count('class="col-12 col-lg-6"') == 2
    preview = _preview(html)
    assert f'<h4 class="h5">{assist_session.title}</h4>' in preview
    for label in FORM_LABELS:
        assert f"<strong>{label}</strong>" in preview


def test_preview_shows_what_was_typed_without_markdown_backslashes(member, assist_session, written):
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    preview = _preview(html)
    assert HRD in preview and "\\(" not in preview and "\\-" not in preview
    assert "ข้อสรุป (ย่อ) ของวง" in preview
    assert "# ไม่ใช่หัวข้อ" in preview and "1. ติดตามผล" in preview
    # Line breaks kept: the answer's paragraph wraps as written.
    assert '<span class="pre-wrap">บรรทัดแรก\nบรรทัดสอง</span>' in preview
    # The text to copy has no needless backslashes either: "(HRD สสส.)" stays as typed.
    markdown = member.get(reverse("followup:session_blog", args=[assist_session.pk, "md"]))
    assert HRD in markdown.content.decode()


def test_preview_escapes_what_participants_wrote(member, assist_session, written):
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    preview = _preview(html)
    assert "<script>" not in preview
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in preview
    assert "<a " not in preview and "[ลิงก์](http://evil.example)" in preview
    # Only the tags the preview makes itself.
    assert set(re.findall(r"</?([a-z0-9]+)", preview)) <= {
        "div", "h4", "h5", "ul", "li", "strong", "span", "p", "em",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "markdown"),
    [
        ("(HRD) สคส. - สสส.", "(HRD) สคส. - สสส."),
        ("# หัวข้อ", "\\# หัวข้อ"),
        ("- รายการ\n+ อีก\n= =", "\\- รายการ\n\\+ อีก\n\\= ="),
        ("  - ย่อหน้า", "  \\- ย่อหน้า"),
        ("1. ข้อแรก", "1\\. ข้อแรก"),
        ("*เน้น* _เอียง_ `โค้ด`", "\\*เน้น\\* \\_เอียง\\_ \\`โค้ด\\`"),
        ("[ลิงก์](http://x) ![รูป](y)", "\\[ลิงก์\\](http://x) !\\[รูป\\](y)"),
        ("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~"),
        ("<b>หนา</b> & อื่นๆ", "&lt;b&gt;หนา&lt;/b&gt; &amp; อื่นๆ"),
        ("\\", "\\\\"),
    ],
)
def test_markdown_escapes_only_what_markdown_would_read(typed, markdown):
    assert md_escape(typed) == markdown


@pytest.mark.parametrize("page", ["session", "one"])
def test_blog_copy_uses_the_form_labels_in_every_form(member, assist_session, written, page):
    if page == "session":
        url = reverse("followup:session_blog_page", args=[assist_session.pk])
    else:
        url = reverse("followup:aar_blog_page", args=[assist_session.pk, written.participant.pk])
    response = member.get(url)
    html = response.content.decode()
    for text in (response.context["markdown"], response.context["text"], _preview(html)):
        for label in FORM_LABELS:
            assert label in text
        for label in SOURCE_POST_LABELS:
            assert label not in text
    # The page's own description names the same four labels.
    intro = html[html.index("<h1") : html.index('aria-labelledby="md-heading"')]
    assert all(label in intro for label in FORM_LABELS)


@pytest.mark.parametrize("language", ["th", "en"])
def test_blog_page_help_text_has_no_jargon(member, assist_session, written, settings, language):
    member.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("followup:session_blog_page", args=[assist_session.pk])
    html = member.get(url).content.decode()
    assert f'<html lang="{language}"' in html
    assert "escape" not in html.lower()
    assert 'class="blog-preview' in html


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_label_their_date_columns_with_the_era(coordinator, assist_session, written, fmt):
    read = _csv_rows if fmt == "csv" else _xlsx_rows
    rows = read(coordinator.get(reverse("followup:dashboard_export", args=[fmt])))
    header, first = rows[0], rows[1]
    for label in ("วันที่ (ค.ศ. ปี-เดือน-วัน)", "กำหนดส่ง AAR (ค.ศ. ปี-เดือน-วัน)"):
        assert ISO_DATE.match(first[header.index(label)])
    assert first[0] == assist_session.date.isoformat()  # the Christian era, as labelled

    rows = read(coordinator.get(reverse("followup:session_export", args=[assist_session.pk, fmt])))
    column = rows[0].index("ส่งเมื่อ (ค.ศ. ปี-เดือน-วัน ชั่วโมง:นาที)")
    assert ISO_MINUTE.match(rows[1][column])


def test_english_exports_say_ce_and_the_order(coordinator, assist_session, written, settings):
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    header = _csv_rows(coordinator.get(reverse("followup:dashboard_export", args=["csv"])))[0]
    assert header[0] == "Date (CE, YYYY-MM-DD)"
    assert "AAR deadline (CE, YYYY-MM-DD)" in header
