"""The visual check (issue 15, item 10): every page, at 360 px and 1280 px, in Thai and
English, measured in Chromium.

On each page, in one ``page.evaluate``:

- **overflow**: the page is no wider than the viewport, and no element ends right of it,
  unless it sits inside an element that scrolls (or clips) on its own;
- **word**: no table cell or button breaks a word across lines (a Range over each word,
  Thai words found by ``Intl.Segmenter``, the same dictionary the line breaker uses), and
  none has content wider than its box; URLs and emails may break;
- **centre**: button text is vertically centred in the button, within 2 px;
- **textarea**: every textarea shows at least 3 lines inside its padding;

then axe, with 0 violations. Screenshots go to
``test-results/screenshots/visual-<page>-<lang>-<width>.png``.

One failing test names its page, language and width; its message lists each check that
failed and the elements. The last tests build small pages that break each check, to show
each one can fail, and one page that passes them all.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from aar.models import AuditEntry, QuestionSet
from aar.question_sets import question_set_choose
from aar.services import audit_record
from sessions_app.models import AssistSession, Participant
from tests.browser.conftest import PHONE
from tests.factories import AssistSessionFactory, ParticipantFactory

MICRO = "Micro Peer Assist สคส. กับ สสส."
OVERDUE = "Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน"
AUTHOR = "วรรณา (อ้อ) มีสุข"  # the source post's author: a long, submitted AAR
WIDTHS = {360: PHONE, 1280: {"width": 1280, "height": 900}}
LANGS = ("th", "en")
TOLERANCE_PX = 2

# The pages, named as in the screenshots; their paths come from the demo data (demo_urls).
PAGES = (
    "aar",
    "aar-thanks",
    "my-data",
    "checkback",
    "stop-emails",
    "login",
    "home",
    "session",
    "session-form",
    "session-brief",
    "participant-form",
    "links",
    "bulk-add",
    "dashboard",
    "followup-session",
    "synthesis",
    "audit",
    "outcomes",
    # The Peer Assist's steps (issue 17).
    "recommendations",
    "recommendation-response",
    "recommendation-edit",
    "recommendation-remove",
    "method-review",
    "method-reviews",
    "question-sets",
    "question-set-form",
    "session-question-set",
    "aar-on-behalf",
    "aar-expectation",
    "aar-army",
    "aar-army-form",
    "before",
    "before-host",
    "before-held",
)
PERSONAL = {
    "aar",
    "aar-thanks",
    "my-data",
    "checkback",
    "stop-emails",
    "aar-expectation",
    "aar-army",
    "aar-army-form",
    "before",
    "before-host",
    "before-held",
}
ANONYMOUS = PERSONAL | {"login"}
# Pages of a session still to come (the demo's are all held): built by ``upcoming_urls``.
UPCOMING = {"session-question-set", "aar-army-form", "before", "before-host"}
ARMY = "Peer Assist: เตรียมรับผู้บาดเจ็บจากอุบัติเหตุช่วงวันหยุดยาว"
NOT_YET_WRITTEN = "นพ.สุรชัย ปัญญาดี"  # micro's host team: an expectation, no AAR yet

# The four geometric checks, in the page. Returns {check: [problem, ...]}.
CHECKS_JS = """
async () => {
  await document.fonts.ready;
  const MAX = 6, TOL = __TOLERANCE__;
  const root = document.documentElement;
  const vw = root.clientWidth;
  const problems = {overflow: [], word: [], centre: [], textarea: []};
  const add = (kind, text) => { if (problems[kind].length < MAX) problems[kind].push(text); };
  const px = (v) => Math.round(v * 10) / 10;

  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const name = el.getAttribute('name');
    if (name) s += '[name=' + name + ']';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '')
      .trim().replace(/\\s+/g, ' ');
    if (text) s += ' "' + (text.length > 40 ? text.slice(0, 40) + '…' : text) + '"';
    return s;
  };

  // Not drawn, or drawn as a 1 px clip (Bootstrap's .visually-hidden): not measured.
  const hiddenCache = new Map();
  const hidden = (el) => {
    if (!el || el === root || el === document.body) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const cs = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    // checkVisibility: false inside a closed <details> too (content-visibility: hidden).
    const result = !el.checkVisibility({visibilityProperty: true})
      || cs.display === 'none' || cs.visibility !== 'visible'
      || (cs.position === 'absolute' && cs.clip !== 'auto')
      || (cs.clipPath !== 'none' && cs.clipPath !== '')
      || (rect.width <= 1 && rect.height <= 1 && cs.overflow !== 'visible')
      || hidden(el.parentElement);
    hiddenCache.set(el, result);
    return result;
  };
  const drawn = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && !hidden(el);
  };

  // 1. Nothing wider than the viewport, unless inside something that scrolls on its own.
  // Even a 1 px .visually-hidden label widens the page when it escapes its scroller, so
  // here only what is not laid out at all is skipped.
  const pageWidth = document.scrollingElement.scrollWidth;
  if (pageWidth > vw) add('overflow', 'the page is ' + pageWidth + ' px wide in a ' + vw + ' px viewport');
  const laidOut = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && el.checkVisibility();
  };
  // Clipped or scrolled by an ancestor below <body>. An absolutely positioned box is
  // clipped only by a scroller that is, or holds, its containing block; a fixed one by none.
  const scrollsOnItsOwn = (node) => {
    let escape = node.nodeType === Node.TEXT_NODE ? 'static' : getComputedStyle(node).position;
    for (let e = node.parentElement; e && e !== document.body && e !== root; e = e.parentElement) {
      if (escape === 'fixed') return false;
      const cs = getComputedStyle(e);
      if (escape === 'absolute' && cs.position === 'static') continue;  // not its containing block
      if (cs.overflowX !== 'visible') return true;
      escape = cs.position;
    }
    return false;
  };
  const outside = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right + window.scrollX <= vw + 1 || !laidOut(el) || scrollsOnItsOwn(el)) continue;
    let inner = false;
    for (let p = el.parentElement; p; p = p.parentElement) if (outside.has(p)) { inner = true; break; }
    outside.add(el);
    if (!inner) add('overflow', describe(el) + ' ends at ' + px(r.right + window.scrollX) + ' px (viewport ' + vw + ' px)');
  }
  // Text that runs out of its box (a long address in a <pre>, a word that cannot wrap).
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || outside.has(el) || !drawn(el) || scrollsOnItsOwn(n)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const right = Math.max(...[...range.getClientRects()].map((q) => q.right), 0) + window.scrollX;
    if (right <= vw + 1) continue;
    let inner = false;
    for (let p = el; p; p = p.parentElement) if (outside.has(p)) { inner = true; break; }
    outside.add(el);
    if (!inner) add('overflow', 'the text of ' + describe(el) + ' runs to ' + px(right) + ' px (viewport ' + vw + ' px)');
  }

  // 2. No table cell or button narrower than its longest word.
  const lang = root.lang || 'th';
  const segmenter = new Intl.Segmenter(lang, {granularity: 'word'});
  const urlish = /:\\/\\/|@|^www\\.|[a-z0-9-]\\.[a-z]{2,}\\//i;
  const textNodes = (el) => {
    const nodes = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.trim() && !hidden(n.parentElement)) nodes.push(n);
    }
    return nodes;
  };
  const brokenWord = (el) => {
    for (const node of textNodes(el)) {
      for (const token of node.data.matchAll(/\\S+/g)) {
        if (urlish.test(token[0])) continue;
        for (const seg of segmenter.segment(token[0])) {
          if (!seg.isWordLike || seg.segment.length < 2) continue;
          const start = token.index + seg.index;
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + seg.segment.length);
          const rects = [...range.getClientRects()].filter((q) => q.width > 0);
          if (rects.length < 2) continue;
          const tops = rects.map((q) => q.top);
          if (Math.max(...tops) - Math.min(...tops) > rects[0].height / 2) return seg.segment;
        }
      }
    }
    return null;
  };
  const boxes = document.body.querySelectorAll('td, th, button, .btn, [role=button]');
  for (const el of boxes) {
    if (!drawn(el)) continue;
    const word = brokenWord(el);
    if (word) {
      add('word', describe(el) + ' breaks the word "' + word + '" (' + px(el.getBoundingClientRect().width) + ' px wide)');
    } else if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') {
      add('word', describe(el) + ': content ' + el.scrollWidth + ' px wide in a ' + el.clientWidth + ' px box');
    }
  }

  // 3. Button text centred vertically.
  for (const el of document.body.querySelectorAll('button, .btn, [role=button]')) {
    if (!drawn(el)) continue;
    let top = Infinity, bottom = -Infinity;
    for (const node of textNodes(el)) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const q of range.getClientRects()) {
        if (!q.width) continue;
        top = Math.min(top, q.top);
        bottom = Math.max(bottom, q.bottom);
      }
    }
    if (top === Infinity) continue;
    const box = el.getBoundingClientRect();
    const off = (top + bottom) / 2 - (box.top + box.bottom) / 2;
    if (Math.abs(off) > TOL) {
      add('centre', describe(el) + ': text centre ' + px(off) + ' px from the button centre (text '
        + px(top - box.top) + ' px from the top, ' + px(box.bottom - bottom) + ' px from the bottom of ' + px(box.height) + ' px)');
    }
  }

  // 4. Textareas show at least 3 lines inside their padding.
  for (const el of document.body.querySelectorAll('textarea')) {
    if (!drawn(el)) continue;
    const cs = getComputedStyle(el);
    let line = parseFloat(cs.lineHeight);
    if (Number.isNaN(line)) line = 1.2 * parseFloat(cs.fontSize);
    const inner = el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    if (inner < 3 * line - 1) {
      add('textarea', describe(el) + ': ' + px(inner) + ' px tall inside its padding, '
        + px(inner / line) + ' lines of ' + px(line) + ' px');
    }
  }
  return problems;
}
""".replace("__TOLERANCE__", str(TOLERANCE_PX))


def measure(page) -> dict[str, list[str]]:
    return page.evaluate(CHECKS_JS)


OPEN_DETAILS_JS = """() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach((d) => { d.open = true; });
  return closed.length;
}"""


def failures(page, axe_check, screenshot=None, name="") -> dict[str, list[str]]:
    """Every check on the page: {check: [problem]} for the ones that fail. Measured as the
    page opens (and photographed so), then again with every <details> open: the menu
    and the form's optional sections must fit too. axe reads the opened page."""
    found = measure(page)
    if screenshot:
        screenshot(page, name)
    if page.evaluate(OPEN_DETAILS_JS):
        for check, problems in measure(page).items():
            found[check] += [f"{p} [details open]" for p in problems if p not in found[check]]
    try:
        axe_check(page)
    except AssertionError as exc:
        found["axe"] = [str(exc)]
    return {check: problems for check, problems in found.items() if problems}


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"  {check}:\n" + "\n".join(f"    - {problem}" for problem in problems)
        for check, problems in found.items()
    )


@pytest.fixture(scope="module")
def tab(browser):
    """One tab a (language, width), kept for the whole module: each test only changes its
    cookies. 360 px is a touch phone, as in tests/browser/conftest.py's phone_page."""
    tabs = {}

    def get(lang: str, width: int):
        if (lang, width) not in tabs:
            context = browser.new_context(
                viewport=WIDTHS[width],
                locale="th-TH" if lang == "th" else "en-GB",
                **({"is_mobile": True, "has_touch": True} if width < 576 else {}),
            )
            tabs[lang, width] = context.new_page()
        return tabs[lang, width]

    yield get
    for page in tabs.values():
        page.context.close()


@pytest.fixture
def demo_urls(transactional_db):
    """The demo data (as `make run` shows it), an audit entry, and each page's path.
    Loaded for each test: the live server's tests flush the database after each one."""
    call_command("load_demo", "--with-demo-user", verbosity=0)
    micro = AssistSession.objects.get(title=MICRO)
    overdue = AssistSession.objects.get(title=OVERDUE)
    coordinator = get_user_model().objects.get(username="demo")
    audit_record(
        action=AuditEntry.Action.EXPORT, actor=coordinator, session=micro, detail="session csv"
    )
    token = micro.participants.get(full_name=AUTHOR).token
    # The built-in question sets, as the data migration leaves them in every database
    # (the live server's flush empties the table).
    for slug in ("kmi", "army"):
        QuestionSet.objects.get_or_create(slug=slug)
    rows = micro.recommendations.filter(removed_at__isnull=True).order_by("position", "pk")
    awaiting = rows.filter(response="").first() or rows.first()
    one = f"/followup/sessions/{micro.pk}/recommendations/{awaiting.pk}/"
    waiting = micro.participants.get(full_name=NOT_YET_WRITTEN)
    army = AssistSession.objects.get(title=ARMY)
    army_token = army.participants.order_by("pk").first().token
    client = Client()
    client.force_login(coordinator)
    urls = {
        "aar": f"/aar/{token}/",
        "aar-thanks": f"/aar/{token}/thanks/",
        "my-data": f"/aar/{token}/my-data/",
        "checkback": f"/aar/{token}/commitments/",
        "stop-emails": f"/aar/{token}/stop-emails/",
        "login": "/accounts/login/",
        "home": "/",
        "session": f"/sessions/{micro.pk}/",
        "session-form": "/sessions/new/",
        "session-brief": f"/sessions/{micro.pk}/brief/",
        "participant-form": f"/sessions/{micro.pk}/participants/add/",
        "links": f"/sessions/{micro.pk}/links/",
        "bulk-add": f"/sessions/{micro.pk}/participants/bulk/",
        "dashboard": "/followup/",
        "followup-session": f"/followup/sessions/{overdue.pk}/",
        "synthesis": f"/followup/sessions/{micro.pk}/synthesis/",
        "audit": "/followup/audit/",
        "outcomes": "/followup/outcomes/",
        "recommendations": f"/followup/sessions/{micro.pk}/recommendations/",
        "recommendation-response": f"{one}response/",
        "recommendation-edit": f"{one}edit/",
        "recommendation-remove": f"{one}remove/",
        "method-review": f"/followup/sessions/{micro.pk}/method-review/",
        "method-reviews": "/followup/method-reviews/",
        "question-sets": "/followup/question-sets/",
        "question-set-form": "/followup/question-sets/new/",
        "aar-on-behalf": f"/followup/sessions/{micro.pk}/participants/{waiting.pk}/aar/",
        "aar-expectation": f"/aar/{waiting.token}/",
        "aar-army": f"/aar/{army_token}/",
        "before-held": f"/aar/{token}/before/",
    }
    return urls, client.cookies[settings.SESSION_COOKIE_NAME].value


def upcoming_urls() -> dict[str, str]:
    """A session a week from now, beside the demo data's (all held): the pages before it
    (a peer's expectation; the host team's brief too), its AAR in the US Army's four
    questions, and the choice of its questions (no AAR yet)."""
    micro = AssistSession.objects.get(title=MICRO)
    session = AssistSessionFactory(
        organiser=micro.organiser,
        host=micro.host,
        peers=[micro.organiser],
        facilitator=micro.facilitator,
        created_by=micro.facilitator,
        title="Peer Assist: วงเล่าเรื่องข้ามสำนักของ สสส. ครั้งที่สอง",
        purpose="ทบทวนสิ่งที่ลองทำหลังวงแรก และวางแผนขยายวงเล่าเรื่องไปทุกสำนัก",
        date=timezone.localdate() + datetime.timedelta(days=7),
        status=AssistSession.Status.PLANNED,
        place="https://meet.example.org/thaihealth-km-circle-second-round-2026",
        brief_problem=micro.brief_problem,
        brief_learn=micro.brief_learn,
        brief_outcome=micro.brief_outcome,
        brief_questions=micro.brief_questions,
        brief_reading=micro.brief_reading,
    )
    question_set_choose(session=session, question_set=QuestionSet.objects.get(slug="army"))
    host = ParticipantFactory(
        session=session,
        full_name="มาลี ทองดี",
        organisation=micro.host,
        role=Participant.Role.HOST,
    )
    peer = ParticipantFactory(
        session=session,
        full_name="อ.กมล ศรีสว่าง",
        organisation=micro.organiser,
        role=Participant.Role.PEER,
        expectation="อยากรู้ว่าวงเล่าเรื่องที่ สสส. ลองทำไปแล้วได้ผลอย่างไร และติดขัดตรงไหน",
        expectation_at=timezone.now(),
    )
    return {
        "session-question-set": f"/followup/sessions/{session.pk}/question-set/",
        "aar-army-form": f"/aar/{peer.token}/",
        "before": f"/aar/{peer.token}/before/",
        "before-host": f"/aar/{host.token}/before/",
    }


CASES = [
    pytest.param(name, lang, width, id=f"{name}-{lang}-{width}")
    for lang in LANGS
    for width in WIDTHS
    for name in PAGES
]


@pytest.mark.parametrize(("name", "lang", "width"), CASES)
def test_page_fits_reads_well_and_passes_axe(
    name, lang, width, live_server, demo_urls, tab, axe_check, screenshot
):
    urls, session_key = demo_urls
    if name in UPCOMING:
        urls = {**urls, **upcoming_urls()}
    page = tab(lang, width)
    page.context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
    if name not in ANONYMOUS:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}
        )
    page.context.add_cookies(cookies)
    # A personal link speaks the participant's language unless ?lang= says otherwise.
    query = f"?lang={lang}" if name in PERSONAL else ""
    response = page.goto(f"{live_server.url}{urls[name]}{query}")
    assert response.ok, f"{urls[name]} answered {response.status}"
    assert page.url.split("?")[0] == f"{live_server.url}{urls[name]}", "redirected"
    assert page.locator("html").get_attribute("lang") == lang

    found = failures(page, axe_check, screenshot, f"visual-{name}-{lang}-{width}")
    assert not found, f"{name} in {lang} at {width} px:\n{report(found)}"


# The checks themselves: each fails on a page built to break it, and a page built right
# passes them all.

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>check</title>
<style>body {{ font: 16px/1.5 sans-serif; margin: 8px }} .btn {{ border: 1px solid;
padding: 4px 8px; display: inline-block }}</style></head>
<body><main><h1>Check</h1>{body}</main></body></html>"""

GOOD = """
<div style="overflow-x: auto; position: relative" tabindex="0" role="region" aria-label="ตาราง">
<table><tr><th>ชื่อ</th><th>สถานะ</th></tr>
<tr><td style="white-space: nowrap">{wide}</td><td>ยังไม่ส่ง<label for="r" style="position: absolute;
width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0)">ข้อความ</label><input id="r">
</td></tr></table></div>
<div style="width: 120px"><table><tr><td>ต้องเตรียมความพร้อม ก่อนเข้าวงเพื่อนช่วยเพื่อน</td>
<td style="overflow-wrap: anywhere">https://example.org/a/very/long/path/that/may/break</td></tr></table></div>
<a class="btn" href="#" style="display: inline-flex; align-items: center; min-height: 64px">
ส่งออก</a>
<button type="button" style="min-height: 64px">Export</button>
<label for="t">Notes</label><textarea id="t" rows="4"></textarea>
""".format(wide="ต้องเตรียมความพร้อม " * 40)

BROKEN = {
    "overflow": '<div style="width: 900px">ตารางกว้างเกินจอ</div>',
    "overflow-escape": (
        '<div style="overflow-x: auto" tabindex="0" role="region" aria-label="ตาราง">'
        '<table><tr><td style="white-space: nowrap">' + "ยังไม่ส่ง " * 40 + "</td><td>"
        '<label for="r" style="position: absolute; width: 1px; height: 1px; overflow: hidden;'
        ' clip: rect(0 0 0 0)">ข้อความ</label><input id="r"></td></tr></table></div>'
    ),
    "overflow-text": "<pre>https://example.org/aar/" + "x" * 60 + "/</pre>",
    "word": (
        '<div style="width: 40px"><table><tr><td style="overflow-wrap: anywhere">'
        "ต้องเตรียม Accountability</td></tr></table></div>"
    ),
    "word-button": (
        '<button type="button" style="width: 40px; overflow-wrap: anywhere">ส่งออก</button>'
    ),
    "centre": '<a class="btn" href="#" style="min-height: 64px">ส่งออก</a>',
    "textarea": '<label for="t">Notes</label><textarea id="t" rows="1"></textarea>',
    "axe": '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
}


@pytest.mark.parametrize("broken", list(BROKEN))
def test_each_check_fails_on_a_page_that_breaks_it(broken, tab, axe_check):
    page = tab("th", 360)
    page.goto("about:blank")  # not the app's origin: its CSP would refuse the styles
    page.set_content(PAGE.format(lang="th", body=BROKEN[broken]))
    found = failures(page, axe_check)
    check = broken.split("-")[0]
    assert list(found) == [check], found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_page_built_right_passes_every_check(width, tab, axe_check):
    page = tab("th", width)
    page.goto("about:blank")
    page.set_content(PAGE.format(lang="th", body=GOOD))
    assert failures(page, axe_check) == {}
