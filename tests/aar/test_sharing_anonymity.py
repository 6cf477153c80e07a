"""Sharing per AAR (three levels) and answers shown without the writer's name (issue 18,
item 2): the form, and every place that shows AAR text to others."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from aar.models import AAR
from tests.factories import AARFactory, CommitmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

FULL = {
    "goal": "เป้าหมายของฉันคือฟัง",
    "achieved": "ได้เห็นความแตกต่างชัดเจน",
    "not_achieved": "ยังไม่เห็นการตอบรับ เพราะเวลาน้อย",
    "next_steps": "ติดตามผลหลังกิจกรรม",
    "sharing": "participants",
}


def entry_url(participant):
    return reverse("aar:entry", args=[participant.token])


def thanks_url(participant):
    return reverse("aar:thanks", args=[participant.token])


def post(client, participant, action="submit", *, anonymous=(), shown=True, **changes):
    data = {**FULL, **changes, "action": action, "anonymous": list(anonymous)}
    if shown:
        data["anonymous_shown"] = "1"
    return client.post(entry_url(participant), data)


@pytest.fixture
def participant(assist_session):
    return ParticipantFactory(session=assist_session, full_name="สมหญิง ผู้เขียน")


# --- The form -------------------------------------------------------------------------


def test_the_three_levels_are_offered_narrowest_first_with_hints(client, participant):
    html = client.get(entry_url(participant)).content.decode()
    values = re.findall(r'name="sharing" value="([a-z]+)"', html)
    assert values == ["organisers", "participants", "organisations"]
    # A new AAR starts private.
    assert re.search(r'name="sharing" value="organisers"[^>]*checked', html)
    # Each level's hint is shown under it (a form-text per radio).
    sharing = html[html.index('name="sharing"') :]
    assert sharing.count('class="form-text mt-0 mb-0"') >= 3


def test_a_box_under_each_part_and_one_for_the_commitments(client, participant):
    html = client.get(entry_url(participant)).content.decode()
    boxes = re.findall(r'type="checkbox" name="anonymous" value="([a-z_]+)"', html)
    assert boxes == ["goal", "achieved", "not_achieved", "next_steps", "commitments"]
    # Each box sits under its own part's text box, before the next part's.
    for key, following in zip(
        ["goal", "achieved", "not_achieved"],
        ["achieved", "not_achieved", "next_steps"],
        strict=True,
    ):
        box = html.index(f'name="anonymous" value="{key}"')
        assert html.index(f'name="{key}"') < box < html.index(f'name="{following}"')
    assert 'name="anonymous_shown"' in html


@pytest.mark.parametrize("level", ["organisers", "participants", "organisations"])
def test_the_form_saves_each_sharing_level(client, participant, level):
    response = post(client, participant, sharing=level)
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.sharing == level
    assert aar.anonymous == []


def test_the_form_saves_anonymity_per_part_and_shows_it_again(client, participant):
    response = post(client, participant, "draft", anonymous=["commitments", "not_achieved"])
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    # In the order of the questions, the commitments last.
    assert aar.anonymous == ["not_achieved", "commitments"]
    assert aar.is_anonymous("not_achieved") and not aar.is_anonymous("goal")
    html = client.get(entry_url(participant)).content.decode()
    checked = re.findall(r'name="anonymous" value="([a-z_]+)"[^>]*checked', html)
    assert checked == ["not_achieved", "commitments"]


def test_unticking_every_box_clears_the_choice(client, participant):
    post(client, participant, "draft", anonymous=["goal"])
    post(client, participant, "draft", anonymous=[])
    assert AAR.objects.get(participant=participant).anonymous == []


def test_a_page_from_before_the_boxes_keeps_the_stored_choice(client, participant):
    post(client, participant, "draft", anonymous=["goal"])
    response = post(client, participant, "draft", shown=False, goal="แก้แล้ว")
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "แก้แล้ว" and aar.anonymous == ["goal"]


def test_a_bad_sharing_value_is_refused_beside_the_field_with_the_text_kept(client, participant):
    response = post(client, participant, sharing="everyone", goal="ข้อความที่พิมพ์ไว้")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sharing-error"' in html
    # Beside the field: inside the sharing fieldset, before its first radio.
    assert html.index('id="sharing-error"') < html.index('name="sharing" value="organisers"')
    assert "ข้อความที่พิมพ์ไว้" in html
    assert not AAR.objects.exists()


@pytest.mark.parametrize("bad", ["email", "full_name", "p1", "<script>"])
def test_an_unknown_anonymous_key_is_refused_and_nothing_is_saved(client, participant, bad):
    response = post(client, participant, anonymous=["goal", bad], goal="เก็บไว้ไม่หาย")
    assert response.status_code == 200
    html = response.content.decode()
    assert "เก็บไว้ไม่หาย" in html
    assert 'href="#id_anonymous_0"' in html  # the error summary leads to the boxes
    assert "<script>" not in html
    # The ticked box stays ticked.
    assert re.search(r'name="anonymous" value="goal"[^>]*checked', html)
    assert not AAR.objects.exists()


def test_boxes_keep_their_state_on_a_validation_error(client, participant):
    # Submitting with a part empty is refused; the ticked boxes stay ticked.
    response = post(client, participant, goal="", anonymous=["achieved", "commitments"])
    assert response.status_code == 200
    html = response.content.decode()
    checked = re.findall(r'name="anonymous" value="([a-z_]+)"[^>]*checked', html)
    assert checked == ["achieved", "commitments"]
    assert not AAR.objects.exists()


def test_existing_aars_keep_sharing_and_have_no_anonymous_parts(client, assist_session):
    private = AARFactory(
        participant=ParticipantFactory(session=assist_session), sharing="organisers"
    )
    shared = AARFactory(participant=ParticipantFactory(session=assist_session))
    for aar in (private, shared):
        aar.refresh_from_db()
        assert aar.anonymous == []
        assert not any(aar.is_anonymous(key) for key in (*FULL, AAR.COMMITMENTS_KEY))
    assert private.sharing == "organisers" and shared.sharing == "participants"
    # Reopened, nothing is ticked and the stored level is chosen.
    html = client.get(entry_url(shared.participant)).content.decode()
    assert not re.search(r'name="anonymous" value="[a-z_]+"[^>]*checked', html)
    assert re.search(r'name="sharing" value="participants"[^>]*checked', html)


def test_staff_typing_it_in_save_the_level_and_the_anonymity(facilitator, participant):
    url = reverse("followup:aar_on_behalf", args=[participant.session_id, participant.pk])
    html = facilitator.get(url).content.decode()
    assert re.findall(r'name="sharing" value="([a-z]+)"', html) == [
        "organisers",
        "participants",
        "organisations",
    ]
    assert 'name="anonymous" value="goal"' in html
    data = {**FULL, "sharing": "organisations", "anonymous": ["goal"], "anonymous_shown": "1"}
    response = facilitator.post(url, {**data, "action": "submit"})
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.sharing == "organisations" and aar.anonymous == ["goal"]


# --- The synthesis --------------------------------------------------------------------


def _blocks(html: str) -> list[str]:
    """Each answer's block on the synthesis page."""
    return re.findall(r'<div class="answer[^"]*">(.*?)</div>', html, re.S)


@pytest.fixture
def writers(assist_session):
    """Three writers in alphabetical order; the first and last show their goal without
    their name, and their texts sort the other way round from their names."""
    people = []
    for name, goal, anonymous in [
        ("กนก ต้นอักษร", "ฮ เป้าหมายของกนก", ["goal"]),
        ("ขจร กลางอักษร", "ข เป้าหมายของขจร", []),
        ("ฮูก ท้ายอักษร", "ก เป้าหมายของฮูก", ["goal", "commitments"]),
    ]:
        person = ParticipantFactory(session=assist_session, full_name=name)
        people.append(AARFactory(participant=person, goal=goal, anonymous=anonymous))
    return people


@pytest.fixture
def three_anonymous(assist_session, writers):
    """``writers`` and a fourth who shows the goal without the name: three anonymous
    goals, as many as readers other than organisers need to see them
    (``AAR.ANONYMOUS_MIN``). Names ก ข ง ฮ; anonymous texts ฮ (กนก), ค (งาม), ก (ฮูก)."""
    fourth = AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="งาม ลับนาม"),
        goal="ค เป้าหมายของงาม",
        anonymous=["goal"],
    )
    return [*writers, fourth]


ANONYMOUS_GOALS = ["ก เป้าหมายของฮูก", "ค เป้าหมายของงาม", "ฮ เป้าหมายของกนก"]


def test_synthesis_never_shows_an_anonymous_answer_beside_its_writer(
    member, assist_session, writers
):
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    blocks = _blocks(html)
    for aar in writers:
        goal = aar.goal
        for block in blocks:
            if goal in block:
                named = aar.participant.full_name in block
                assert named != aar.is_anonymous("goal"), block
    # The named parts keep the name.
    achieved = [b for b in blocks if writers[0].achieved in b]
    assert all(any(aar.participant.full_name in b for aar in writers) for b in achieved)


def test_synthesis_lists_anonymous_answers_after_named_ones_by_text(
    member, assist_session, writers
):
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    goals = html[html.index('id="q-goal"') : html.index('id="q-achieved"')]
    order = [goals.index(text) for text in ("ข เป้าหมายของขจร", "ก เป้าหมายของฮูก", "ฮ เป้าหมายของกนก")]
    # Named first; then the anonymous ones by their text (ก before ฮ), the reverse of
    # their writers' names (กนก before ฮูก): the order gives nobody away.
    assert order == sorted(order)


def test_synthesis_keeps_anonymous_host_commitments_away_from_the_name(
    member, assist_session, writers
):
    CommitmentFactory(aar=writers[1], text="สัญญาของขจรแบบมีชื่อ")
    CommitmentFactory(aar=writers[2], text="สัญญาไม่ระบุชื่อของฮูก")
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    section = html[html.index('id="host-commitments-heading"') :]
    section = section[: section.index("</section>")]
    assert "สัญญาของขจรแบบมีชื่อ" in section and "ขจร กลางอักษร" in section
    assert "สัญญาไม่ระบุชื่อของฮูก" in section
    assert "ฮูก ท้ายอักษร" not in section


def test_blog_copy_honours_anonymity(member, assist_session, three_anonymous):
    writers = three_anonymous
    text = member.get(
        reverse("followup:session_blog", args=[assist_session.pk, "txt"])
    ).content.decode()
    # The signed AARs, then (after the last signature) the answers without names.
    signed, tail = text.rsplit("ฮูก ท้ายอักษร (สสส.)", 1)
    assert "ข เป้าหมายของขจร" in signed
    for anonymous_goal in ANONYMOUS_GOALS:
        assert anonymous_goal not in signed
        assert anonymous_goal in tail
    assert [tail.index(goal) for goal in ANONYMOUS_GOALS] == sorted(
        tail.index(goal) for goal in ANONYMOUS_GOALS
    )
    for aar in writers:
        assert aar.participant.full_name not in tail
    # One AAR's signed copy leaves its anonymous part out.
    one = member.get(
        reverse("followup:aar_blog", args=[assist_session.pk, writers[0].participant.pk, "txt"])
    ).content.decode()
    assert "ฮ เป้าหมายของกนก" not in one and writers[0].achieved in one


# --- The thanks page ------------------------------------------------------------------


def test_thanks_page_shows_named_parts_under_the_name_and_the_rest_without(
    client, assist_session, three_anonymous
):
    writers = three_anonymous
    reader = AARFactory(participant=ParticipantFactory(session=assist_session)).participant
    html = client.get(thanks_url(reader)).content.decode()
    cards = re.findall(r'<article class="card mb-3">(.*?)</article>', html, re.S)
    assert len(cards) == 4
    for card in cards:
        for aar in writers:
            if aar.participant.full_name in card:
                assert (aar.goal in card) != aar.is_anonymous("goal")
                assert aar.achieved in card
    section = html[html.index('id="anonymous-answers"') :]
    order = [section.index(goal) for goal in ANONYMOUS_GOALS]
    assert order == sorted(order)
    for aar in writers:
        assert aar.participant.full_name not in section
    assert "ข เป้าหมายของขจร" not in section


def test_an_aar_with_every_part_anonymous_has_no_card(client, assist_session):
    parts = ["goal", "achieved", "not_achieved", "next_steps"]
    AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="ไร้นาม ทั้งหมด"),
        anonymous=parts,
        goal="เป้าหมายลับนาม",
    )
    # Two more goals shown without a name: three, enough to be shown to readers.
    for goal in ("เป้าหมายลับอีกคน ก", "เป้าหมายลับอีกคน ข"):
        AARFactory(
            participant=ParticipantFactory(session=assist_session), goal=goal, anonymous=["goal"]
        )
    reader = AARFactory(participant=ParticipantFactory(session=assist_session)).participant
    html = client.get(thanks_url(reader)).content.decode()
    assert "ไร้นาม ทั้งหมด" not in html
    assert "เป้าหมายลับนาม" in html[html.index('id="anonymous-answers"') :]


@pytest.mark.parametrize(
    ("level", "readable"),
    [("organisers", False), ("participants", True), ("organisations", True)],
)
def test_who_reads_on_the_thanks_page_per_sharing_level(client, assist_session, level, readable):
    AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="ผู้เขียน ระดับ"),
        sharing=level,
        goal="ข้อความตามระดับ",
        anonymous=["achieved"],
        achieved="บรรลุแบบไม่ระบุชื่อ",
    )
    # Two more at the same level answer it so: three, enough to be shown to readers.
    for achieved in ("อีกคนบรรลุ ก", "อีกคนบรรลุ ข"):
        AARFactory(
            participant=ParticipantFactory(session=assist_session),
            sharing=level,
            anonymous=["achieved"],
            achieved=achieved,
        )
    reader = AARFactory(participant=ParticipantFactory(session=assist_session)).participant
    html = client.get(thanks_url(reader)).content.decode()
    for text in ("ผู้เขียน ระดับ", "ข้อความตามระดับ", "บรรลุแบบไม่ระบุชื่อ", "อีกคนบรรลุ ก"):
        assert (text in html) is readable
    # Someone from another session never reads it, whatever the level.
    stranger = AARFactory(participant=ParticipantFactory()).participant
    assert "ข้อความตามระดับ" not in client.get(thanks_url(stranger)).content.decode()


def test_the_writer_sees_their_level_and_their_anonymous_parts(client, participant):
    post(client, participant, sharing="organisations", anonymous=["goal"])
    html = client.get(thanks_url(participant)).content.decode()
    mine = html[html.index('id="mine"') : html.index('id="others"')]
    assert "badge" in mine  # the goal is marked as shown without the name
    assert mine.count("badge text-bg-light border") == 1


@pytest.mark.parametrize("others", [5, 50])
def test_thanks_page_queries_stay_constant(
    client, assist_session, others, django_assert_num_queries
):
    for n in range(others):
        AARFactory(
            participant=ParticipantFactory(session=assist_session),
            anonymous=["goal"] if n % 2 else [],
            sharing="organisations" if n % 3 else "participants",
        )
    reader = AARFactory(participant=ParticipantFactory(session=assist_session)).participant
    # participant with session/host/organisation/own AAR (1), peers (1), every shared
    # AAR's words without writers (1), the page's AARs with writers (1), the host's
    # responses to recommendations (1)
    with django_assert_num_queries(5):
        response = client.get(thanks_url(reader))
    assert response.content.decode().count('class="card mb-3"') == min(others, 10)


@pytest.mark.parametrize("people", [5, 50])
def test_synthesis_queries_stay_constant(member, assist_session, people, django_assert_num_queries):
    for n in range(people):
        aar = AARFactory(
            participant=ParticipantFactory(session=assist_session),
            anonymous=["goal", "commitments"] if n % 2 else [],
        )
        if n < 3:
            CommitmentFactory(aar=aar)
    # auth session + user (2), session with the can-edit check (1), AARs with writers
    # (1), the host team's commitments (1), peers (1), recommendations (1), review (1)
    with django_assert_num_queries(8):
        member.get(reverse("followup:synthesis", args=[assist_session.pk]))


# --- Held back until three answer so ------------------------------------------------

HIDDEN_GOALS = ["ฮ เป้าหมายลับ หนึ่ง", "ก เป้าหมายลับ สอง", "ค เป้าหมายลับ สาม"]
HIDDEN_NAMES = ["กมล ผู้ซ่อน", "ขวัญ ผู้ซ่อน", "คำ ผู้ซ่อน"]


def _hidden_writers(session, n, *, sharing="participants"):
    """A named writer, and ``n`` whose goals are shown without their name (their texts
    sort the other way round from their names)."""
    AARFactory(
        participant=ParticipantFactory(session=session, full_name="นาม ผู้เปิดเผย"),
        goal="เป้าหมายที่มีชื่อ",
        sharing=sharing,
    )
    return [
        AARFactory(
            participant=ParticipantFactory(session=session, full_name=name),
            goal=goal,
            anonymous=["goal"],
            sharing=sharing,
        )
        for name, goal in zip(HIDDEN_NAMES[:n], HIDDEN_GOALS[:n], strict=True)
    ]


def _fellow_thanks(client, session) -> str:
    reader = AARFactory(participant=ParticipantFactory(session=session)).participant
    return client.get(thanks_url(reader)).content.decode()


def _blog_copies(member, session) -> dict[str, str]:
    """The session's blog copy: the page (Markdown, plain text and the HTML preview) and
    both downloads."""
    copies = {"page": member.get(reverse("followup:session_blog_page", args=[session.pk]))}
    for kind in ("md", "txt"):
        copies[kind] = member.get(reverse("followup:session_blog", args=[session.pk, kind]))
    for response in copies.values():
        assert response.status_code == 200
    return {kind: response.content.decode() for kind, response in copies.items()}


@pytest.mark.parametrize("n", [1, 2])
def test_too_few_anonymous_answers_are_held_back_on_the_thanks_page(client, assist_session, n):
    assert n < AAR.ANONYMOUS_MIN
    hidden = _hidden_writers(assist_session, n)
    html = _fellow_thanks(client, assist_session)
    for aar in hidden:
        assert aar.goal not in html  # nowhere on the page
        # The writer's named parts are still there, under the name.
        assert aar.participant.full_name in html
    assert "เป้าหมายที่มีชื่อ" in html
    section = html[html.index('id="anonymous-answers"') :]
    # Only the sentence that says how many are held back.
    assert f"มีคำตอบที่ไม่ระบุชื่อ {n} คำตอบที่ยังไม่แสดง" in section
    assert 'class="card card-body mb-2 pre-wrap"' not in section


@pytest.mark.parametrize("n", [1, 2])
def test_too_few_anonymous_answers_are_left_out_of_the_blog_copy(member, assist_session, n):
    hidden = _hidden_writers(assist_session, n)
    copies = _blog_copies(member, assist_session)
    for kind, text in copies.items():
        assert "เป้าหมายที่มีชื่อ" in text, kind
        for aar in hidden:
            assert aar.goal not in text, kind
            # The writer's signed AAR stays, without the goal.
            assert aar.achieved in text, kind


def test_three_anonymous_answers_are_shown_without_names_by_their_text(
    client, member, assist_session
):
    hidden = _hidden_writers(assist_session, 3)
    in_order = sorted(HIDDEN_GOALS, key=lambda text: (text.casefold(), text))
    assert in_order != HIDDEN_GOALS  # the writers' order is not the text's
    html = _fellow_thanks(client, assist_session)
    section = html[html.index('id="anonymous-answers"') :]
    positions = [section.index(goal) for goal in in_order]
    assert positions == sorted(positions)
    for aar in hidden:
        assert aar.participant.full_name not in section
    assert "คำตอบที่ยังไม่แสดง" not in section
    # Never beside the name in a card either.
    for card in re.findall(r'<article class="card mb-3">(.*?)</article>', html, re.S):
        assert not any(goal in card for goal in HIDDEN_GOALS)
    copies = _blog_copies(member, assist_session)
    page = copies.pop("page")
    md = page[page.index('id="blog-md"') :]
    preview = page[page.index('class="blog-preview') : page.index('id="txt-heading"')]
    txt = page[page.index('id="blog-txt"') :]
    copies |= {
        "page markdown": md[: md.index("</textarea>")],
        "page preview": preview,
        "page text": txt[: txt.index("</textarea>")],
    }
    for kind, text in copies.items():
        # The answers without names come last, after every signed AAR.
        tail = text[text.index(in_order[0]) :]
        positions = [tail.index(goal) for goal in in_order]
        assert positions == sorted(positions), kind
        for aar in hidden:
            assert aar.participant.full_name not in tail, kind
            assert text.count(aar.goal) == 1, kind


def test_organisers_only_answers_do_not_count_towards_the_three(client, assist_session):
    _hidden_writers(assist_session, 2)
    AARFactory(
        participant=ParticipantFactory(session=assist_session),
        goal="ข เป้าหมายลับของผู้ไม่แบ่งปัน",
        anonymous=["goal"],
        sharing=AAR.Sharing.ORGANISERS,
    )
    html = _fellow_thanks(client, assist_session)
    for goal in (*HIDDEN_GOALS[:2], "ข เป้าหมายลับของผู้ไม่แบ่งปัน"):
        assert goal not in html
    assert "มีคำตอบที่ไม่ระบุชื่อ 2 คำตอบที่ยังไม่แสดง" in html


def test_organisers_see_a_single_anonymous_answer_in_the_synthesis(member, assist_session):
    (hidden,) = _hidden_writers(assist_session, 1)
    html = member.get(reverse("followup:synthesis", args=[assist_session.pk])).content.decode()
    # Not held back for the organisers, and still never beside the name.
    assert hidden.goal in html
    for block in _blocks(html):
        if hidden.goal in block:
            assert hidden.participant.full_name not in block


# --- Exports --------------------------------------------------------------------------


def _rows(response, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_session_export_blanks_anonymous_parts_and_lists_them_without_names(
    coordinator, assist_session, writers, fmt
):
    evil = AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name="ผู้เขียนสูตร"),
        goal='=HYPERLINK("http://evil")',
        anonymous=["goal"],
    )
    response = coordinator.get(reverse("followup:session_export", args=[assist_session.pk, fmt]))
    rows = _rows(response, fmt)
    header, body = rows[0], rows[1:]
    goal = header.index(next(h for h in header if "เป้าหมาย" in h or "goal" in h.lower()))
    by_name = {row[0]: row for row in body}
    for aar in (*writers, evil):
        row = by_name[aar.participant.full_name]
        if aar.is_anonymous("goal"):
            assert aar.goal not in row[goal]
            assert row[goal] and row[goal] not in ("", aar.goal)  # the marker
        else:
            assert row[goal] == aar.goal
    named = {aar.participant.full_name for aar in (*writers, evil)}
    anonymous = [row for row in body if row[0] not in named]
    texts = [row[goal] for row in anonymous if row[goal]]
    assert texts == sorted(texts, key=lambda t: (t.casefold(), t))
    assert "ก เป้าหมายของฮูก" in texts and "ฮ เป้าหมายของกนก" in texts
    assert '\'=HYPERLINK("http://evil")' in texts  # still neutralised
    for row in anonymous:
        others = [cell for n, cell in enumerate(row) if n not in (0, goal)]
        assert all(cell == "" for cell in others), row
        for aar in (*writers, evil):
            assert aar.participant.full_name not in row
            assert aar.participant.email not in row


# --- My data --------------------------------------------------------------------------


def test_my_data_shows_the_level_and_the_anonymous_parts(client, participant):
    post(client, participant, sharing="organisations", anonymous=["achieved", "commitments"])
    html = client.get(reverse("aar:my_data", args=[participant.token])).content.decode()
    anonymous = html[html.index('id="my-anonymous"') :]
    anonymous = anonymous[: anonymous.index("</p>")]
    assert anonymous.count("badge") == 2
    data = client.get(reverse("aar:my_data_json", args=[participant.token])).json()
    sharing = html[html.index('id="my-sharing"') :]
    assert data["aar"]["sharing_label"] in sharing[: sharing.index("</p>")]
    assert data["aar"]["sharing"] == "organisations"
    assert data["aar"]["anonymous"] == ["achieved", "commitments"]


def test_the_commitments_card_says_when_they_are_shown_without_the_name(client, participant):
    post(client, participant, "draft", anonymous=["commitments"])
    CommitmentFactory(aar=AAR.objects.get(participant=participant), text="ทำให้เสร็จ")
    html = client.get(entry_url(participant)).content.decode()
    card = html[html.index('id="your-commitments"') :]
    assert "badge text-bg-light border fw-normal" in card[: card.index("</h2>")]


def test_staff_see_the_whole_aar_with_anonymous_parts_marked(facilitator, participant):
    AARFactory(participant=participant, anonymous=["achieved"], achieved="บรรลุแต่ไม่ระบุชื่อ")
    participant.session.close()
    url = reverse("followup:aar_on_behalf", args=[participant.session_id, participant.pk])
    html = facilitator.get(url).content.decode()
    parts = html[html.index('class="aar-parts"') :]
    parts = parts[: parts.index("</dl>")]
    # Complete (organisers chase people), with the one anonymous part marked.
    assert "บรรลุแต่ไม่ระบุชื่อ" in parts and "มาฟังวัฒนธรรมแลกเปลี่ยนเรียนรู้" in parts
    assert parts.count("badge") == 1
    assert parts.index("badge") < parts.index("บรรลุแต่ไม่ระบุชื่อ")
