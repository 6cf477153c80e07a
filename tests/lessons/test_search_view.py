"""The search page (/lessons/?q=...): who finds what, the filters and their errors, the
highlighted snippet, anonymity, and bad queries that never break it."""

import datetime
import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from aar.method_review import method_review_save
from aar.models import AAR, QuestionSet, Recommendation
from aar.recommendations import recommendation_add, response_save
from lessons import search
from lessons.models import SearchEntry
from sessions_app.models import Membership, Organisation, Participant
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "ความลับของเจ้าภาพ"


def get(client, **params):
    response = client.get(reverse("lessons:search"), params)
    assert response.status_code == 200, response.status_code
    return response


def html(response) -> str:
    # The marks carry Bootstrap's p-0 (no padding: a gap inside a Thai word reads as a
    # space); the tests read them as plain <mark>.
    return response.content.decode().replace('<mark class="p-0">', "<mark>")


def found_texts(response) -> list[str]:
    page = response.context["page_obj"]
    return [result["row"].text for result in page.object_list] if page else []


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_of(organisation, username: str) -> Client:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
    return signed_in(user)


# --- Who may search, and what they find -------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("lessons:search"), {"q": "ทดลอง"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_is_refused(coordinator):
    assert coordinator.post(reverse("lessons:search"), {"q": "x"}).status_code == 405


def test_outsider_finds_nothing_of_others_and_sees_no_count(assist_session, outsider):
    AARFactory(participant__session=assist_session, goal=SECRET, sharing=AAR.Sharing.ORGANISATIONS)
    response = get(outsider, q="ความลับ")
    assert response.context["page_obj"].count == 0
    assert not response.context["page_obj"].more
    body = html(response)
    assert SECRET not in body and "ความลับของ" not in body
    assert assist_session.title not in body
    # Only their own organisation to choose: never the session's organiser.
    offered = list(response.context["form"].fields["organisation"].queryset)
    assert assist_session.organiser not in offered
    assert offered == list(Organisation.objects.filter(memberships__user__username="outsider"))


@pytest.mark.parametrize("persona", ["member", "facilitator", "coordinator"])
def test_staff_of_the_organiser_find_their_sessions_rows(request, assist_session, persona):
    AARFactory(participant__session=assist_session, not_achieved="ยังไม่เห็นการตอบรับจากชุมชน")
    response = get(request.getfixturevalue(persona), q="ตอบรับ")
    assert found_texts(response) == ["ยังไม่เห็นการตอบรับจากชุมชน"]
    assert "ยังไม่เห็นการ<mark>ตอบรับ</mark>จากชุมชน" in html(response)
    assert response.context["title"] == thai("Search: %(q)s") % {"q": "ตอบรับ"}


def test_the_empty_page_explains_what_is_searched(coordinator):
    response = get(coordinator)
    assert response.context["page_obj"] is None
    assert response.context["title"] == thai("Lessons")
    assert 'id="about-heading"' in html(response)
    assert "<mark>" not in html(response)


def test_nothing_found_says_so_with_a_hint(coordinator, assist_session):
    AARFactory(participant__session=assist_session)
    response = get(coordinator, q="ไม่มีคำนี้แน่นอน")
    assert response.context["page_obj"].count == 0
    assert 'id="results-heading"' in html(response)
    assert thai("Nothing found") in html(response)


# --- One test per sharing level ----------------------------------------------------------


@pytest.fixture
def shared_session(org, coordinator_user):
    """Organised by ``org``; hosted by one organisation, with peers from another, and a
    participant from a third: staff of each of those three take part without organising."""
    host, peer, third = (
        OrganisationFactory(name_en="Host"),
        OrganisationFactory(name_en="Peer"),
        OrganisationFactory(name_en="Third"),
    )
    session = AssistSessionFactory(organiser=org, host=host, peers=[peer], title="วงแลกเปลี่ยน")
    writer = ParticipantFactory(session=session, organisation=third, role=Participant.Role.PEER)
    recommendation = recommendation_add(session=session, text="ข้อเสนอแนะเรื่องพี่เลี้ยง")
    response_save(
        recommendation=recommendation,
        response=Recommendation.Response.ADAPT,
        reason="คำตอบเรื่องพี่เลี้ยงของเจ้าภาพ",
    )
    method_review_save(session=session, data={"worked": "วิธีพี่เลี้ยงได้ผลดี"}, user=coordinator_user)
    readers = {
        "host": staff_of(host, "host_reader"),
        "peer": staff_of(peer, "peer_reader"),
        "participant_org": staff_of(third, "third_reader"),
    }
    return session, writer, readers


@pytest.mark.parametrize("reader", ["host", "peer", "participant_org"])
@pytest.mark.parametrize(
    ("sharing", "status", "seen"),
    [
        (AAR.Sharing.ORGANISERS, AAR.Status.SUBMITTED, False),
        (AAR.Sharing.PARTICIPANTS, AAR.Status.SUBMITTED, False),
        (AAR.Sharing.ORGANISATIONS, AAR.Status.SUBMITTED, True),
        (AAR.Sharing.ORGANISATIONS, AAR.Status.DRAFT, False),
    ],
)
def test_each_sharing_level(shared_session, coordinator, reader, sharing, status, seen):
    session, writer, readers = shared_session
    AARFactory(participant=writer, goal="พี่เลี้ยงช่วยได้มาก", sharing=sharing, status=status)
    everything = {
        "พี่เลี้ยงช่วยได้มาก",
        "ข้อเสนอแนะเรื่องพี่เลี้ยง",
        "คำตอบเรื่องพี่เลี้ยงของเจ้าภาพ",
        "วิธีพี่เลี้ยงได้ผลดี",
    }
    # The organiser's staff read all of it; a participating organisation's staff only a
    # submitted AAR shared with them, never the session's recommendations, the host's
    # responses or the method review.
    assert set(found_texts(get(coordinator, q="พี่เลี้ยง"))) == everything
    response = get(readers[reader], q="พี่เลี้ยง")
    assert found_texts(response) == (["พี่เลี้ยงช่วยได้มาก"] if seen else [])
    body = html(response)
    for text in everything - {"พี่เลี้ยงช่วยได้มาก"}:
        assert text not in body
    if seen:
        assert f'href="/lessons/aars/{writer.aar.pk}/"' in body
        assert reverse("followup:synthesis", args=[session.pk]) not in body
    else:
        assert "พี่เลี้ยงช่วยได้มาก" not in body and session.title not in body
        assert response.context["page_obj"].count == 0


def test_a_reader_in_several_taking_part_organisations_finds_each_row_once(shared_session, org):
    session, writer, _readers = shared_session
    AARFactory(participant=writer, goal="พี่เลี้ยงช่วยได้มาก", sharing=AAR.Sharing.ORGANISATIONS)
    reader = UserFactory(username="everywhere")
    peer = OrganisationFactory()
    session.peers.add(peer)
    for organisation in (session.host, peer, writer.organisation, org):
        MembershipFactory(user=reader, organisation=organisation)
    # ช่วย, ได้ and มาก are all Thai stop words: the run is looked for whole.
    response = get(signed_in(reader), q="ช่วยได้มาก")
    assert found_texts(response) == ["พี่เลี้ยงช่วยได้มาก"]
    assert response.context["page_obj"].count == 1


def test_a_thai_run_is_found_by_its_words_and_whole_first(shared_session, coordinator):
    session, writer, _readers = shared_session
    AARFactory(participant=writer, goal="การสื่อสารในทีมยังช้า", achieved="ทีมเล็กแต่การสื่อสารดี")
    # การสื่อสาร and ทีม, wherever they are; the run found whole comes first.
    found = found_texts(get(coordinator, q="การสื่อสารในทีม"))
    assert found == ["การสื่อสารในทีมยังช้า", "ทีมเล็กแต่การสื่อสารดี"]


def test_session_rows_link_to_the_synthesis(shared_session, coordinator):
    session, _writer, _readers = shared_session
    body = html(get(coordinator, q="พี่เลี้ยง"))
    synthesis = reverse("followup:synthesis", args=[session.pk])
    assert f'href="{synthesis}#recommendations-heading"' in body
    assert f'href="{synthesis}#method-review"' in body


# --- Anonymity -------------------------------------------------------------------------


def test_an_anonymous_part_shows_no_name_and_links_to_the_shared_answers(
    shared_session, coordinator
):
    session, writer, readers = shared_session
    writer.full_name = "สมหญิง ชื่อจริง"
    writer.save()
    aar = AARFactory(
        participant=writer,
        goal="เขียนโดยมีชื่อ",
        not_achieved="เหตุผลที่ไม่อยากบอกชื่อ",
        sharing=AAR.Sharing.ORGANISATIONS,
        anonymous=["not_achieved"],
    )
    # Only one person of the session answered without a name: held back from readers
    # (their named answers would give them away); the organisers still find it.
    assert found_texts(get(readers["peer"], q="ไม่อยากบอก")) == []
    assert found_texts(get(coordinator, q="ไม่อยากบอก")) == ["เหตุผลที่ไม่อยากบอกชื่อ"]
    for n in range(2):
        AARFactory(
            participant=ParticipantFactory(session=session),
            not_achieved=f"งบไม่พอ {n}",
            sharing=AAR.Sharing.ORGANISATIONS,
            anonymous=["not_achieved"],
        )
    for client in (coordinator, readers["peer"]):
        response = get(client, q="ไม่อยากบอก")
        assert found_texts(response) == ["เหตุผลที่ไม่อยากบอกชื่อ"]
        body = html(response)
        assert "สมหญิง" not in body
        assert writer.organisation.label not in body
        assert f"/lessons/aars/{aar.pk}/" not in body
        assert f'href="/lessons/sessions/{session.pk}/#q-not_achieved"' in body
        # The named part of the same AAR keeps its name.
        named = html(get(client, q="โดยมีชื่อ"))
        assert "สมหญิง ชื่อจริง" in named and f'href="/lessons/aars/{aar.pk}/"' in named
    # Choosing a role never tells who wrote an anonymous answer.
    response = get(coordinator, q="ไม่อยากบอก", role=Participant.Role.PEER)
    assert found_texts(response) == []


def test_anonymous_commitments_beside_a_named_answer(assist_session, coordinator):
    aar = AARFactory(
        participant__session=assist_session,
        participant__full_name="ชื่อผู้เขียนจริง",
        goal="เป้าหมายที่เปิดเผย",
        anonymous=[AAR.COMMITMENTS_KEY],
    )
    CommitmentFactory(aar=aar, text="สัญญาว่าจะลองทำดู")
    # Looked for as สัญญา and ลอง (ว่า and จะ are stop words); the run found whole.
    body = html(get(coordinator, q="สัญญาว่าจะลอง"))
    assert "<mark>สัญญาว่าจะลอง</mark>ทำดู" in body
    assert "ชื่อผู้เขียนจริง" not in body
    assert f'/lessons/sessions/{assist_session.pk}/#q-{AAR.COMMITMENTS_KEY}"' in body


# --- Bad queries ---------------------------------------------------------------------------

BAD_QUERIES = [
    "ก" * 10_000,
    '"',
    "*",
    "NEAR",
    "AND",
    "-",
    "(",
    ")",
    "(ผล) AND (งาน)",
    'NEAR("a" "b")',
    "' OR 1=1 --",
    "'; DROP TABLE lessons_searchentry; --",
    "😀",
    "ทด\u200bลอง",
    "\u200b",
    "\x00",
    "\x07ทดลอง",
    "%",
    "_",
    "\\",
]


@pytest.mark.parametrize("q", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
def test_bad_queries_never_break_the_page(coordinator, assist_session, q):
    AARFactory(participant__session=assist_session, goal='ทดลอง "NEAR" (ผล) AND งาน 50% 😀')
    response = get(coordinator, q=q)
    query = response.context["query"]
    form = response.context["form"]
    if query.error:
        # Nothing searchable was typed: said beside the box, no results block.
        assert form.errors["q"] == [str(query.error)]
        assert response.context["page_obj"] is None
        assert 'id="id_q_error"' in html(response) or "invalid-feedback" in html(response)
    else:
        assert not form.errors
        assert response.context["page_obj"] is not None


def test_fts_syntax_and_sql_fragments_are_searched_as_text(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal='ใช้ "NEAR(a b)" -x * AND (ok)')
    assert found_texts(get(coordinator, q='"NEAR(a'))
    assert found_texts(get(coordinator, q="' OR 1=1 --")) == []


def test_control_and_zero_width_characters_are_dropped(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="ทดลองใช้จริง")
    assert found_texts(get(coordinator, q="ทด\u200bลอง"))
    assert found_texts(get(coordinator, q="\x07ทดลอง\x00"))
    only_controls = get(coordinator, q="\x00\u200b")
    assert only_controls.context["form"].errors["q"]


def test_a_long_query_is_cut_and_says_so(coordinator, assist_session):
    AARFactory(participant__session=assist_session)
    response = get(coordinator, q="ก" * 10_000)
    assert response.context["query"].truncated
    assert len(response.context["query"].text) == search.MAX_QUERY
    message = thai("Only the first %(limit)s characters were searched.") % {"limit": "200"}
    assert message in response.context["notices"]


def test_a_two_character_query_says_it_searched_only_the_newest(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="ฟังเพื่อน")
    response = get(coordinator, q="ฟั")
    assert found_texts(response) == ["ฟังเพื่อน"]
    message = thai(
        "Words of one or two characters are looked for only in the newest "
        "%(rows)s entries; type %(min)s characters or more to search everything."
    ) % {"rows": "20,000", "min": 3}
    assert response.context["notices"] == [message]
    assert "20,000" in html(response)
    assert get(coordinator, q="ฟังเพื่อน").context["notices"] == []


def test_english_words_are_found_whatever_their_case(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="We tried the Knowledge Café format")
    for q in ["knowledge", "KNOWLEDGE", "Knowledge café", "CAFÉ"]:
        assert found_texts(get(coordinator, q=q)) == ["We tried the Knowledge Café format"], q
    assert "<mark>Knowledge</mark>" in html(get(coordinator, q="knowledge"))


def test_highlight_never_splits_a_thai_cluster(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="ที่นี่มีคนฟัง")
    body = html(get(coordinator, q="ที"))
    assert "<mark>ที่</mark>" in body
    assert "<mark>ที</mark>" not in body
    # No mark starts with a vowel or tone mark, and none is left just after a mark.
    for marked, after in re.findall(r"<mark>(.*?)</mark>(.?)", body):
        assert unicodedata.category(marked[0]) not in ("Mn", "Mc"), marked
        assert not after or unicodedata.category(after) not in ("Mn", "Mc"), marked + after


def test_the_snippet_is_escaped(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="<script>alert(1)</script> ทดลอง")
    body = html(get(coordinator, q="ทดลอง"))
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>ทดลอง</mark>" in body


# --- Filters and their bad values ---------------------------------------------------------


@pytest.fixture
def two_sessions(assist_session, org):
    other = AssistSessionFactory(
        organiser=org,
        title="ครั้งก่อน",
        date=assist_session.date - datetime.timedelta(days=30),
    )
    AARFactory(participant__session=assist_session, goal="บทเรียนใหม่", achieved="")
    AARFactory(
        participant__session=other,
        participant__role=Participant.Role.PEER,
        goal="",
        achieved="บทเรียนเก่า",
    )
    return assist_session, other


def test_filters_narrow_the_results(coordinator, two_sessions):
    new, old = two_sessions
    assert set(found_texts(get(coordinator, q="บทเรียน"))) == {"บทเรียนใหม่", "บทเรียนเก่า"}
    assert found_texts(get(coordinator, q="บทเรียน", session=old.pk)) == ["บทเรียนเก่า"]
    assert found_texts(get(coordinator, q="บทเรียน", part="goal")) == ["บทเรียนใหม่"]
    assert found_texts(get(coordinator, q="บทเรียน", role="peer")) == ["บทเรียนเก่า"]
    be_year = new.date.year + 543
    response = get(coordinator, q="บทเรียน", date_from=f"{new.date.day}/{new.date.month}/{be_year}")
    assert found_texts(response) == ["บทเรียนใหม่"]
    assert found_texts(get(coordinator, q="บทเรียน", question_set="army")) == []
    assert set(found_texts(get(coordinator, q="บทเรียน", question_set="kmi"))) == {
        "บทเรียนใหม่",
        "บทเรียนเก่า",
    }
    by_date = found_texts(get(coordinator, q="บทเรียน", sort="date"))
    assert by_date == ["บทเรียนใหม่", "บทเรียนเก่า"]
    organisation = new.organiser.pk
    assert len(found_texts(get(coordinator, q="บทเรียน", organisation=organisation))) == 2
    # The chosen session is named on the page, with a way back to every session.
    body = html(get(coordinator, q="บทเรียน", session=old.pk))
    assert f'name="session" value="{old.pk}"' in body and "ครั้งก่อน" in body


def test_the_synthesis_searches_its_own_session(coordinator, two_sessions):
    new, old = two_sessions
    page = html(coordinator.get(reverse("followup:synthesis", args=[old.pk])))
    form = re.search(r'<form method="get" action="/lessons/".*?</form>', page, re.S)
    assert form, "the synthesis has no search form"
    assert f'name="session" value="{old.pk}"' in form.group(0)
    assert 'name="q"' in form.group(0)
    # What that form sends: the session's own results only.
    assert found_texts(get(coordinator, session=old.pk, q="บทเรียน")) == ["บทเรียนเก่า"]


def test_a_custom_question_set_is_a_filter_and_labels_its_answers(
    coordinator, assist_session, org, coordinator_user
):
    custom = QuestionSet.objects.create(
        slug="custom-search-1",
        organisation=org,
        name_th="ชุดของเรา",
        name_en="Our set",
        prompts=[{"th": "ได้เรียนรู้อะไร", "en": "What did you learn?"}, {"th": "ต่อไป", "en": "Next"}],
        created_by=coordinator_user,
    )
    AARFactory(participant__session=assist_session, goal="บทเรียนแบบเดิม")
    AARFactory(
        participant__session=assist_session, question_set=custom, answers={"p1": "บทเรียนชุดใหม่"}
    )
    response = get(coordinator, q="บทเรียน", question_set=custom.slug)
    assert ("custom-search-1", "ชุดของเรา") in response.context["form"].fields[
        "question_set"
    ].choices
    assert found_texts(response) == ["บทเรียนชุดใหม่"]
    assert "ได้เรียนรู้อะไร · " in html(response)  # the prompt is the result's label
    assert found_texts(get(coordinator, q="บทเรียน", question_set="kmi")) == ["บทเรียนแบบเดิม"]
    # Another organisation's set is not offered, and not accepted.
    outsider_set = QuestionSet.objects.create(
        slug="theirs-1", organisation=OrganisationFactory(), name_th="ของเขา", prompts=[]
    )
    response = get(coordinator, q="บทเรียน", question_set=outsider_set.slug)
    assert list(response.context["form"].errors) == ["question_set"]


BAD_FILTERS = [
    ("organisation", "abc"),
    ("organisation", "99999999"),
    ("organisation", "99999999999999999999999"),
    ("organisation", "\x00"),
    ("role", "king"),
    ("part", "'; DROP"),
    ("part", "answer"),
    ("question_set", "nope"),
    ("sort", "random"),
    ("date_from", "32/13/2569"),
    ("date_from", "ไม่ใช่วันที่"),
    ("date_to", "1/1/3112"),
    ("session", "abc"),
    ("session", "-1"),
    ("session", "99999999"),
    ("session", "9" * 40),
]


@pytest.mark.parametrize(("name", "value"), BAD_FILTERS, ids=[f"{n}={v!r}" for n, v in BAD_FILTERS])
def test_a_bad_filter_is_an_error_beside_it_and_keeps_the_value(
    coordinator, assist_session, name, value
):
    AARFactory(participant__session=assist_session, goal="บทเรียนใหม่")
    response = get(coordinator, q="บทเรียน", **{name: value})
    form = response.context["form"]
    assert list(form.errors) == [name]
    assert response.context["page_obj"] is None  # nothing searched on a half-read form
    body = html(response)
    assert f'id="id_{name}"' in body and "is-invalid" in body
    assert "บทเรียนใหม่" not in body
    if name in ("session", "date_from", "date_to") and "\x00" not in value:
        assert f'value="{value}"' in body  # what was typed stays in the box
    assert 'value="บทเรียน"' in body


def test_another_organisations_session_is_an_error_not_a_leak(outsider, assist_session):
    AARFactory(participant__session=assist_session, goal=SECRET)
    response = get(outsider, q="ความลับ", session=assist_session.pk)
    missing = get(outsider, q="ความลับ", session=99999999)
    assert response.context["form"].errors["session"] == missing.context["form"].errors["session"]
    assert assist_session.title not in html(response)
    assert SECRET not in html(response)


def test_an_organisation_not_readable_is_refused(outsider, assist_session):
    response = get(outsider, q="ความลับ", organisation=assist_session.organiser.pk)
    assert "organisation" in response.context["form"].errors


def test_end_before_start_is_an_error_beside_the_end(coordinator, assist_session):
    response = get(coordinator, q="บทเรียน", date_from="10/12/2569", date_to="1/12/2569")
    assert list(response.context["form"].errors) == ["date_to"]
    assert response.context["form"].errors["date_to"] == [
        thai("The end date is before the start date.")
    ]
    assert 'value="10/12/2569"' in html(response) and 'value="1/12/2569"' in html(response)


def test_a_bad_page_number_shows_the_first_or_last_page(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="บทเรียนใหม่")
    for page in ["abc", "0", "-1", "999999999999", "\x00"]:
        response = get(coordinator, q="บทเรียน", page=page)
        assert found_texts(response) == ["บทเรียนใหม่"], page


# --- Pages, counts and the query count -----------------------------------------------------


def _aars(session, n):
    for i in range(n):
        AARFactory(
            participant__session=session,
            goal=f"บทเรียนที่ {i}",
            achieved="",
            not_achieved="",
            next_steps="",
        )


def test_results_come_twenty_a_page(coordinator, assist_session):
    _aars(assist_session, 45)
    first = get(coordinator, q="บทเรียน")
    assert first.context["page_obj"].count == 45
    assert len(found_texts(first)) == 20
    last = get(coordinator, q="บทเรียน", page=3)
    assert len(found_texts(last)) == 5
    assert (
        'href="?q=%E0%B8%9A%E0%B8%97%E0%B9%80%E0%B8%A3%E0%B8%B5%E0%B8%A2%E0%B8%99&amp;page=2"'
        in html(last)
    )
    seen = set()
    for page in (1, 2, 3):
        seen |= set(found_texts(get(coordinator, q="บทเรียน", page=page)))
    assert len(seen) == 45


def test_counting_stops_at_the_limit(coordinator, assist_session, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 30)
    _aars(assist_session, 35)
    response = get(coordinator, q="บทเรียน")
    page = response.context["page_obj"]
    assert (page.count, page.more) == (30, True)
    assert page.num_pages == 2
    assert response.context["count_limit"] == "30"


@pytest.mark.parametrize("n", [5, 50])
def test_query_count_stays_the_same_as_results_grow(
    coordinator, assist_session, django_assert_num_queries, n
):
    _aars(assist_session, n)
    with django_assert_num_queries(7):
        # 1 the Django session, 2 the user, 3 the question sets offered (the form),
        # 4 the matching rows' ids, scores and dates, newest first, up to the limit
        # (search.found: the count; search.ranked sorts them in Python), 5 the page of
        # rows (search.rows_of), with their session, writer, writer's organisation, AAR
        # and question set (one join), 6 whether the user coordinates an organisation
        # (results can be made a lesson), 7 the organisations offered (rendering the
        # form's select).
        response = get(coordinator, q="บทเรียน", sort="relevance")
    assert len(found_texts(response)) == min(n, 20)


@pytest.mark.parametrize("n", [5, 50])
def test_query_count_with_every_filter_stays_the_same(
    coordinator, assist_session, django_assert_num_queries, n
):
    _aars(assist_session, n)
    params = {
        "q": "บทเรียน",
        "organisation": assist_session.organiser_id,
        "session": assist_session.pk,
        "role": "host",
        "part": "goal",
        "question_set": "kmi",
        "date_from": "1/1/2500",
        "date_to": "31/12/2600",
        "sort": "date",
    }
    with django_assert_num_queries(9):
        # 1 the Django session, 2 the user, 3 the question sets offered, 4 the
        # organisation chosen (the form's check), 5 the session chosen
        # (search.readable_sessions), 6 the matching ids with their scores (the count),
        # 7 the page of rows, 8 whether the user coordinates an organisation (the
        # promote form), 9 the organisations offered (rendering the select).
        response = get(coordinator, **params)
    assert len(found_texts(response)) == min(n, 20)


# --- Thai and English ----------------------------------------------------------------------


def test_thai_page_shows_the_buddhist_year(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="บทเรียนใหม่")
    body = html(get(coordinator, q="บทเรียน"))
    assert '<html lang="th">' in body
    assert str(assist_session.date.year + 543) in body


def test_english_page(coordinator, assist_session):
    AARFactory(participant__session=assist_session, goal="บทเรียนใหม่")
    response = coordinator.get(
        reverse("lessons:search"), {"q": "บทเรียน"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = html(response)
    assert '<html lang="en">' in body
    assert "Search: บทเรียน" in body
    assert "1 found" in body
    assert str(assist_session.date.year) in body
    assert str(assist_session.date.year + 543) not in body
    assert "The writer&#x27;s goal" in body and "My goal" not in body  # a reader's label


# --- Every string of the page has its Thai ---------------------------------------------

SEARCH_FILES = [
    "lessons/search.py",
    "lessons/search_forms.py",
    "lessons/search_views.py",
    "templates/lessons/search.html",
    "templates/lessons/_search_result.html",
]


def test_every_string_of_the_page_is_translated_into_thai(tmp_path):
    """The msgids of the page's files, extracted as ``make messages`` does, each have a
    Thai translation: in locale/parts/lessons_search.po or already in the catalogue."""
    import shutil
    import subprocess

    import polib
    from django.conf import settings
    from django.utils.translation.template import templatize

    if not shutil.which("xgettext"):
        pytest.skip("xgettext (gettext) is not installed")
    root = settings.BASE_DIR
    sources = []
    for name in SEARCH_FILES:
        path = root / name
        if name.endswith(".html"):
            converted = tmp_path / (path.name + ".py")
            converted.write_text(templatize(path.read_text(), origin=str(path)))
            sources.append(str(converted))
        else:
            sources.append(str(path))
    out = tmp_path / "messages.po"
    subprocess.run(
        ["xgettext", "-d", "django", "--language=Python", "--from-code=UTF-8", "--keyword=gettext_noop",
         "--keyword=gettext_lazy", "--keyword=ngettext_lazy:1,2", "--keyword=pgettext:1c,2",
         "--keyword=pgettext_lazy:1c,2", "--output", str(out), *sources],
        check=True,
    )  # fmt: skip
    wanted = {entry.msgid for entry in polib.pofile(str(out)) if entry.msgid}
    with translation.override(None):  # the msgids: shown on each result
        wanted |= {str(label) for label in SearchEntry.Kind.labels}
    translated = {
        entry.msgid
        for po in (
            root / "locale/parts/lessons_search.po",
            root / "locale/th/LC_MESSAGES/django.po",
        )
        for entry in polib.pofile(str(po))
        if entry.msgstr
    }
    assert len(wanted) > 40
    assert sorted(wanted - translated) == []
