"""Issue 19's "has this been solved before?" and peer finder: the key words of a typed
text, what is related (never beyond what the user may read), who the peers are (never a
name its writer hid), the two pages and their persona matrix, bad input, and query
counts that stay flat."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from aar.models import AAR
from aar.recommendations import recommendation_add
from lessons import suggest
from lessons.models import Lesson
from lessons.suggest_views import lesson_url
from sessions_app.models import AssistSession, Membership, Participant
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    LessonFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SOLVED = "lessons:solved_before"
PEERS = "lessons:peer_finder"
# A word inside a longer Thai purpose, and a text typed around it.
WORD = "ประชาสัมพันธ์"
PAST_PURPOSE = "เราอยากปรับปรุงการประชาสัมพันธ์ของโครงการให้ชุมชนรู้จักมากขึ้น"
TYPED = "จะทำประชาสัมพันธ์อย่างไรให้คนในพื้นที่สนใจเข้าร่วม"
BAD_INPUTS = [
    "ก" * 10_000,
    "ทีม\x00งาน\x01\u200b\u202e",
    '"ทีม" OR NEAR(ประชา สัมพันธ์) AND * ^ col:text -',
    "'; DROP TABLE lessons_searchentry; --",
    "%_%\\",
]


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_of(organisation, username: str, role=Membership.Role.FACILITATOR):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


# --- Key words --------------------------------------------------------------------------


def test_key_words_of_thai_text_are_its_telling_words_longest_first():
    words = suggest.key_words(TYPED + " และที่ของการ")
    assert words[0] == WORD  # the longest
    assert "สนใจ" in words or "พื้นที่" in words
    for stop in ("และ", "ที่", "ของ", "การ", "ให้", "อย่างไร"):
        assert stop not in words
    assert all(len(word) >= 3 for word in words)
    assert len(words) <= 6
    assert suggest.key_words(TYPED) == suggest.key_words(TYPED)  # deterministic
    assert suggest.key_words(TYPED, limit=2) == words[:2]


def test_key_words_of_english_drop_stop_words_numbers_and_punctuation():
    words = suggest.key_words("How do we share the feedback, with 2567 (communities)?")
    assert words == ["communities", "feedback", "share"]


def test_key_words_are_stable_when_typed_again():
    # The button's page is reached with the key words as its text.
    words = suggest.key_words(TYPED)
    assert suggest.key_words(" ".join(words)) == words


@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_key_words_of_bad_input(text):
    words = suggest.key_words(text)
    assert all(len(word) >= 3 for word in words)
    assert all("\x00" not in word and "\u200b" not in word for word in words)


def test_no_key_word_in_short_or_common_words():
    assert suggest.key_words("") == []
    assert suggest.key_words("ab และ ที่ 12345 ...") == []


# --- Related: sessions and lessons -------------------------------------------------------


@pytest.fixture
def past(org):
    return AssistSessionFactory(organiser=org, title="วงเรียนรู้ของโครงการ", purpose=PAST_PURPOSE)


def test_related_finds_a_past_session_by_a_thai_word_inside_its_purpose(
    past, coordinator_user, other_org, outsider_user
):
    unreadable = AssistSessionFactory(organiser=other_org, purpose=PAST_PURPOSE)
    found = suggest.related(coordinator_user, TYPED)
    assert WORD in found.words
    assert [s.pk for s in found.sessions] == [past.pk]
    assert found.sessions[0].organised
    # The other organisation's staff find their own, never ours.
    assert [s.pk for s in suggest.related(outsider_user, TYPED).sessions] == [unreadable.pk]


def test_an_outsider_gets_nothing(past, outsider_user):
    found = suggest.related(outsider_user, TYPED)
    assert found.empty and found.sessions == [] and found.lessons == []


def test_sessions_holding_more_words_come_first_then_the_newest(org, coordinator_user):
    import datetime

    one = AssistSessionFactory(organiser=org, purpose="ประชาสัมพันธ์", date=datetime.date(2026, 1, 1))
    newer = AssistSessionFactory(
        organiser=org, purpose="ประชาสัมพันธ์", date=datetime.date(2026, 2, 1)
    )
    both = AssistSessionFactory(
        organiser=org, purpose="ประชาสัมพันธ์ในพื้นที่", date=datetime.date(2025, 1, 1)
    )
    found = suggest.related(coordinator_user, TYPED)
    assert [s.pk for s in found.sessions] == [both.pk, newer.pk, one.pk]
    assert suggest.related_sessions(coordinator_user, [WORD], exclude=newer.pk)[0].pk == one.pk


def test_a_session_taken_part_in_is_found_by_its_title_not_its_purpose(past, org):
    # Host staff read the session's shared answers, not its purpose.
    writer = ParticipantFactory(session=past, organisation=past.host)
    AARFactory(participant=writer, sharing=AAR.Sharing.ORGANISATIONS)
    host_reader = staff_of(past.host, "host_reader")
    assert suggest.related(host_reader, TYPED).sessions == []
    found = suggest.related(host_reader, "วงเรียนรู้ของโครงการ")
    assert [s.pk for s in found.sessions] == [past.pk]
    assert not found.sessions[0].organised


def test_a_session_taken_part_in_without_a_widely_shared_aar_is_not_found(past):
    writer = ParticipantFactory(session=past, organisation=past.host)
    AARFactory(participant=writer, sharing=AAR.Sharing.PARTICIPANTS)
    host_reader = staff_of(past.host, "host_reader")
    assert suggest.related(host_reader, "วงเรียนรู้ของโครงการ").sessions == []


def test_lessons_of_other_organisations_never_appear(org, other_org, coordinator_user):
    ours = LessonFactory(organisation=org, title="ประชาสัมพันธ์ผ่านผู้นำชุมชน")
    by_statement = LessonFactory(organisation=org, statement="เริ่มประชาสัมพันธ์ก่อนสามเดือน")
    LessonFactory(organisation=other_org, title="ประชาสัมพันธ์ของคนอื่น")
    found = suggest.related(coordinator_user, TYPED)
    assert {lesson.pk for lesson in found.lessons} == {ours.pk, by_statement.pk}


def test_a_lesson_links_to_its_page(org):
    lesson = LessonFactory(organisation=org, title="ประชาสัมพันธ์")
    url = lesson_url(lesson)
    assert url == f"/lessons/library/{lesson.pk}/"


# --- Peers --------------------------------------------------------------------------------


@pytest.fixture
def topic_session(org):
    host = OrganisationFactory(name="เจ้าภาพ", name_en="Host", short_name="จภ.")
    peer = OrganisationFactory(name="เพื่อน", name_en="Peer", short_name="พอ.")
    return AssistSessionFactory(organiser=org, host=host, peers=[peer], purpose="เรื่องอื่น")


def named_writer(session, name="สมศรี ใจดี", **aar):
    person = ParticipantFactory(
        session=session,
        full_name=name,
        organisation=session.peers.first(),
        role=Participant.Role.PEER,
    )
    AARFactory(participant=person, achieved=PAST_PURPOSE, **aar)
    return person


def test_peers_are_the_named_writers_with_their_counts_and_latest_date(
    topic_session, coordinator_user
):
    person = named_writer(topic_session)
    peers = suggest.peers_for(coordinator_user, TYPED)
    assert [(p.name, p.organisation, p.entries) for p in peers.people] == [
        ("สมศรี ใจดี", person.organisation, 1)
    ]
    assert peers.people[0].last_date == topic_session.date
    assert peers.people[0].role == str(Participant.Role.PEER.label)
    assert [(o.organisation, o.entries, o.people_count) for o in peers.organisations] == [
        (person.organisation, 1, 1)
    ]


def test_a_person_in_several_sessions_is_one_person(org, topic_session, coordinator_user):
    named_writer(topic_session)
    later = AssistSessionFactory(organiser=org, peers=[topic_session.peers.first()])
    named_writer(later)
    peers = suggest.peers_for(coordinator_user, TYPED)
    assert len(peers.people) == 1
    assert peers.people[0].entries == 2 and len(peers.people[0].sessions) == 2


def test_an_answer_shown_without_the_name_never_names_nor_counts(topic_session, coordinator_user):
    named_writer(topic_session, name="ผู้ไม่ประสงค์ออกนาม", anonymous=["achieved"])
    peers = suggest.peers_for(coordinator_user, TYPED)
    assert peers.people == [] and peers.organisations == []


def test_a_named_part_counts_though_another_part_is_anonymous(topic_session, coordinator_user):
    named_writer(topic_session, goal="ไม่เกี่ยว " + WORD, anonymous=["achieved"])
    peers = suggest.peers_for(coordinator_user, TYPED)
    assert [(p.name, p.entries) for p in peers.people] == [("สมศรี ใจดี", 1)]


def test_an_erased_person_is_left_out(topic_session, coordinator_user):
    from django.utils import timezone

    person = named_writer(topic_session)
    Participant.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    assert suggest.peers_for(coordinator_user, TYPED).people == []


def test_recommendation_givers_are_peers_for_the_organisers_only(topic_session, coordinator_user):
    giver = ParticipantFactory(
        session=topic_session, full_name="ผู้ให้คำแนะนำ", organisation=topic_session.host
    )
    recommendation_add(session=topic_session, text="ลองประชาสัมพันธ์ทางวิทยุชุมชน", given_by=giver)
    assert [p.name for p in suggest.peers_for(coordinator_user, TYPED).people] == ["ผู้ให้คำแนะนำ"]
    host_reader = staff_of(topic_session.host, "host_reader")
    assert suggest.peers_for(host_reader, TYPED).people == []


@pytest.mark.parametrize(
    ("sharing", "seen"),
    [
        (AAR.Sharing.ORGANISERS, False),
        (AAR.Sharing.PARTICIPANTS, False),
        (AAR.Sharing.ORGANISATIONS, True),
    ],
)
@pytest.mark.parametrize("reader_of", ["host", "peer"])
def test_each_sharing_level(
    topic_session, coordinator_user, outsider_user, sharing, seen, reader_of
):
    named_writer(topic_session, sharing=sharing)
    organisation = topic_session.host if reader_of == "host" else topic_session.peers.first()
    reader = staff_of(organisation, f"{reader_of}_reader")
    # The organisers' staff find every writer; a taking-part organisation's staff only
    # those of AARs shared with everyone in the participating organisations.
    assert [p.name for p in suggest.peers_for(coordinator_user, TYPED).people] == ["สมศรี ใจดี"]
    names = [p.name for p in suggest.peers_for(reader, TYPED).people]
    assert names == (["สมศรี ใจดี"] if seen else [])
    assert suggest.peers_for(outsider_user, TYPED).people == []


def test_a_draft_is_read_by_the_organisers_only(topic_session, coordinator_user):
    named_writer(topic_session, draft=True, sharing=AAR.Sharing.ORGANISATIONS)
    host_reader = staff_of(topic_session.host, "host_reader")
    assert suggest.peers_for(host_reader, TYPED).people == []


def test_peers_are_counted_among_the_newest_entries(topic_session, coordinator_user, monkeypatch):
    monkeypatch.setattr(suggest, "PEER_ROWS", 1)
    named_writer(topic_session, name="คนแรก")
    named_writer(topic_session, name="คนที่สอง")
    peers = suggest.peers_for(coordinator_user, TYPED)
    assert peers.capped and peers.read == 1
    assert [p.name for p in peers.people] == ["คนที่สอง"]


# --- The pages: who may open them ----------------------------------------------------------


@pytest.mark.parametrize("name", [SOLVED, PEERS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, name, method):
    response = getattr(client, method)(reverse(name), {"text": TYPED, "topic": TYPED})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "member", "facilitator", "coordinator"])
@pytest.mark.parametrize("name", [SOLVED, PEERS])
def test_staff_open_the_pages(request, past, persona, name):
    response = request.getfixturevalue(persona).get(reverse(name), {"text": TYPED, "topic": TYPED})
    assert response.status_code == 200
    assert response.context["title"]
    body = response.content.decode()
    # Only the organisers' staff are told about the session.
    assert (past.title in body) == (persona != "outsider" and name == SOLVED)


def test_the_peer_finder_refuses_a_post(coordinator):
    assert coordinator.post(reverse(PEERS), {"topic": TYPED}).status_code == 405


# --- "Has this been solved before?" page ---------------------------------------------------


def test_the_page_lists_lessons_and_sessions_with_links(org, past, coordinator):
    lesson = LessonFactory(organisation=org, title="ประชาสัมพันธ์ผ่านผู้นำชุมชน")
    response = coordinator.get(reverse(SOLVED), {"text": TYPED})
    body = response.content.decode()
    assert response.context["title"] == thai("Has this been solved before?")
    assert f'href="{past.get_absolute_url()}"' in body
    assert f'href="{lesson_url(lesson)}"' in body.replace("&amp;", "&")
    assert f'<mark class="p-0">{WORD}</mark>' in body  # the purpose's snippet
    # Search everything, a word at a time (the search ANDs its words).
    assert f'href="/lessons/?q={quote(WORD)}"' in body
    # And who has practice in it.
    assert f'href="{reverse(PEERS)}?topic={quote(WORD)}' in body
    assert "<html" in body


def test_a_taken_part_session_links_to_its_shared_answers_without_its_purpose(past):
    writer = ParticipantFactory(session=past, organisation=past.host)
    AARFactory(participant=writer, sharing=AAR.Sharing.ORGANISATIONS)
    reader = signed_in(staff_of(past.host, "host_reader"))
    body = reader.get(reverse(SOLVED), {"text": "วงเรียนรู้ของโครงการ"}).content.decode()
    assert reverse("lessons:session_answers", args=[past.pk]) in body
    assert f'href="{past.get_absolute_url()}"' not in body
    assert "ชุมชนรู้จัก" not in body


def test_the_empty_states(coordinator, past):
    body = coordinator.get(reverse(SOLVED)).content.decode()
    assert (
        thai(
            "Type a few words of the purpose or the problem (three characters or more) to see "
            "related lessons and past sessions."
        )
        in body
    )
    body = coordinator.get(reverse(SOLVED), {"text": "ไม่มีเรื่องนี้แน่นอนหรอกครับ"}).content
    assert thai("No lesson or past session you may read holds these words.") in body.decode()


def test_partial_is_the_list_only(coordinator, past):
    response = coordinator.get(reverse(SOLVED), {"text": TYPED, "partial": "1"})
    body = response.content.decode()
    assert "<html" not in body and past.title in body
    assert 'class="solved-before-list"' in body


def test_the_forms_button_posts_and_is_sent_on_with_the_key_words_only(coordinator, past):
    data = {
        "csrfmiddlewaretoken": "x" * 64,
        "title": "ชื่อ",
        "purpose": TYPED,
        "draft": "abc",
        "from": "new",
    }
    response = coordinator.post(reverse(SOLVED), data)
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(reverse(SOLVED) + "?text=")
    assert "csrf" not in location and "draft" not in location and "from=new" in location
    page = coordinator.get(location)
    assert past.title in page.content.decode()
    assert page.context["from_form"]
    assert (
        thai(
            "What you typed is kept in the form: use your browser's Back to return to it and "
            "carry on."
        )
        in page.content.decode()
    )


def test_the_brief_s_button_reads_the_problem_and_leaves_out_its_own_session(org, coordinator):
    own = AssistSessionFactory(organiser=org, purpose=PAST_PURPOSE)
    other = AssistSessionFactory(organiser=org, purpose=PAST_PURPOSE)
    response = coordinator.post(
        reverse(SOLVED),
        {"brief_problem": TYPED, "brief_learn": "", "from": str(own.pk), "partial": "1"},
    )
    body = response.content.decode()
    assert other.title in body and own.title not in body


def test_the_script_s_post_gets_the_list(coordinator, past):
    response = coordinator.post(reverse(SOLVED), {"text": TYPED, "partial": "1", "from": "new"})
    assert response.status_code == 200 and past.title in response.content.decode()


@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_input_never_breaks_the_page(coordinator, past, text, method):
    response = getattr(coordinator, method)(reverse(SOLVED), {"text": text, "from": "x" * 50})
    assert response.status_code in (200, 303)
    response = getattr(coordinator, method)(reverse(SOLVED), {"text": text, "partial": "1"})
    assert response.status_code == 200


def test_the_session_form_and_the_brief_offer_the_button(facilitator, assist_session):
    for url, field in [
        (reverse("sessions_app:session_create"), "id_purpose"),
        (reverse("sessions_app:session_edit", args=[assist_session.pk]), "id_purpose"),
        (reverse("sessions_app:session_brief", args=[assist_session.pk]), "id_brief_problem"),
    ]:
        body = facilitator.get(url).content.decode()
        assert f'formaction="{reverse(SOLVED)}"' in body, url
        assert 'formmethod="post"' in body and "formnovalidate" in body
        assert f'data-field="{field}"' in body
        assert 'aria-live="polite"' in body
        assert "js/solved_before.js" in body and "defer" in body
        assert thai("Has this been solved before?") in body
    brief = facilitator.get(reverse("sessions_app:session_brief", args=[assist_session.pk]))
    assert f'href="{reverse(PEERS)}?topic=' in brief.content.decode()


# --- Peer finder page ---------------------------------------------------------------------


def test_the_peer_finder_lists_people_and_organisations(topic_session, coordinator):
    person = named_writer(topic_session)
    named_writer(topic_session, name="ผู้ไม่ประสงค์ออกนาม", anonymous=["achieved"])
    response = coordinator.get(reverse(PEERS), {"topic": TYPED})
    body = response.content.decode()
    assert "สมศรี ใจดี" in body and person.organisation.label in body
    assert "ผู้ไม่ประสงค์ออกนาม" not in body
    assert response.context["title"].startswith(thai("Peer finder: %(topic)s").split("%")[0])


def test_the_peer_finder_s_empty_states(coordinator, topic_session):
    response = coordinator.get(reverse(PEERS))
    assert response.context["peers"] is None
    assert 'id="about-heading"' in response.content.decode()
    response = coordinator.get(reverse(PEERS), {"topic": "ไม่มีใครเขียนเรื่องนี้แน่นอน"})
    assert response.context["peers"].people == []
    assert thai("No one found") in response.content.decode()


@pytest.mark.parametrize("topic", ["ab", "และ ที่", "\u200b\u200b", "...!!!"])
def test_an_unusable_topic_is_an_error_beside_the_field_and_kept(coordinator, topic):
    response = coordinator.get(reverse(PEERS), {"topic": topic})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["topic"]
    assert response.context["peers"] is None
    body = response.content.decode()
    assert 'class="invalid-feedback' in body or "is-invalid" in body
    if topic.isprintable():
        assert f'value="{topic}"' in body


@pytest.mark.parametrize("topic", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_topics_never_break_the_peer_finder(coordinator, topic_session, topic):
    named_writer(topic_session)
    assert coordinator.get(reverse(PEERS), {"topic": topic}).status_code == 200


# --- Query counts ----------------------------------------------------------------------------


def test_solved_before_query_count_stays_the_same(org, coordinator):
    counts = []
    for sessions in (5, 50):
        while org.organised_sessions.count() < sessions:
            AssistSessionFactory(organiser=org, purpose=PAST_PURPOSE)
            LessonFactory(organisation=org, title=WORD)
        counts.append(
            [
                queries(coordinator, "get", reverse(SOLVED), {"text": TYPED}),
                queries(coordinator, "get", reverse(SOLVED), {"text": TYPED, "partial": "1"}),
            ]
        )
    # The session and the user (sign-in); the lessons and the sessions the engines find
    # holding a word, and those of them the user may read.
    assert counts[0] == counts[1] == [6, 6], counts


def test_peer_finder_query_count_stays_the_same(org, topic_session, coordinator):
    counts = []
    for writers in (5, 50):
        while Participant.objects.filter(session__organiser=org).count() < writers:
            other = OrganisationFactory()
            person = ParticipantFactory(session=topic_session, organisation=other)
            AARFactory(participant=person, achieved=PAST_PURPOSE)
        counts.append(queries(coordinator, "get", reverse(PEERS), {"topic": TYPED}))
    # The session and the user (sign-in), the entries, their organisations.
    assert counts[0] == counts[1] == 4, counts


def test_readable_sessions_in_every_case_of_taking_part_and_sharing(
    org, other_org, coordinator_user, outsider_user
):
    # search.readable_sessions (used here) asks EXISTS of each session: the rule holds in
    # every case of taking part and sharing.
    from lessons import search

    host, peer, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    widely_shared = None
    for sharing in AAR.Sharing.values:
        for draft in (False, True):
            session = AssistSessionFactory(organiser=other_org, host=host, peers=[peer])
            person = ParticipantFactory(session=session, organisation=third)
            AARFactory(participant=person, sharing=sharing, draft=draft)
            if sharing == AAR.Sharing.ORGANISATIONS and not draft:
                widely_shared = session.pk
    ours = AssistSessionFactory(organiser=org)
    AssistSessionFactory(organiser=other_org, host=host)  # no AAR at all
    readable = lambda user: set(search.readable_sessions(user).values_list("pk", flat=True))  # noqa: E731
    assert readable(coordinator_user) == {ours.pk}
    # The outsider's organisation (other_org) organised the others, so they read them all.
    assert readable(outsider_user) == set(
        AssistSession.objects.filter(organiser=other_org).values_list("pk", flat=True)
    )
    assert readable(UserFactory(username="nobody")) == set()
    for n, taking_part in enumerate((host, peer, third)):
        assert readable(staff_of(taking_part, f"reader{n}")) == {widely_shared}, n


# --- The engine over the sessions' titles and purposes (migration lessons 0007) ---------


def sessions_found(words, exclude=None):
    rows = AssistSession.objects.exclude(pk=exclude)
    rows = suggest._found_by_engine(rows, suggest.SESSION_FTS, ("title", "purpose"), words)
    return list(rows.values_list("pk", flat=True))


def lessons_found(words):
    rows = suggest._found_by_engine(
        Lesson.objects.all(), suggest.LESSON_FTS, ("title", "statement"), words
    )
    return list(rows.values_list("pk", flat=True))


def test_the_engines_are_in_step(org, coordinator_user):
    """A session is found by its title and purpose as soon as it is written, by its new
    words once edited (and no longer by its old ones), and not at all once deleted. This
    fails if the engine's triggers are gone (a later migration rebuilding the sessions'
    table on SQLite drops them)."""
    session = AssistSessionFactory(organiser=org, title="วงเรียนรู้การเลี้ยงผึ้งชันโรง", purpose="")
    assert sessions_found(["ผึ้งชันโรง"]) == [session.pk]
    session.title = "วงเรียนรู้"
    session.purpose = "อยากรู้เรื่องปลูกกาแฟใต้ร่มไม้"
    session.save()
    assert sessions_found(["ผึ้งชันโรง"]) == []
    assert sessions_found(["กาแฟใต้ร่ม"]) == [session.pk]
    session.delete()
    assert sessions_found(["กาแฟใต้ร่ม"]) == []

    lesson = LessonFactory(organisation=org, title="เลี้ยงผึ้งชันโรง", statement="")
    assert lessons_found(["ผึ้งชันโรง"]) == [lesson.pk]
    lesson.title = "x"
    lesson.statement = "ปลูกกาแฟใต้ร่มไม้"
    lesson.save()
    assert lessons_found(["ผึ้งชันโรง"]) == []
    assert lessons_found(["กาแฟใต้ร่ม"]) == [lesson.pk]
    lesson.delete()
    assert lessons_found(["กาแฟใต้ร่ม"]) == []


def test_the_engine_matches_any_word_whatever_its_case(org):
    first = AssistSessionFactory(organiser=org, title="Coffee under the trees", purpose="")
    second = AssistSessionFactory(organiser=org, title="x", purpose="เลี้ยงผึ้งชันโรงในสวน")
    AssistSessionFactory(organiser=org, title="y", purpose="อย่างอื่น")
    found = sessions_found(["COFFEE", "ผึ้งชันโรง"])
    assert found == [second.pk, first.pk]  # newest first
    assert sessions_found(["COFFEE"], exclude=first.pk) == []


def test_only_the_newest_candidates_are_read(org, coordinator, monkeypatch):
    """A common word is in most purposes: the newest CANDIDATES sessions holding a word
    are read, the recent practice."""
    monkeypatch.setattr(suggest, "CANDIDATES", 2)
    made = [AssistSessionFactory(organiser=org, title=f"ผึ้งชันโรง {n}") for n in range(4)]
    user = coordinator.get(reverse(SOLVED)).wsgi_request.user
    shown = suggest.related_sessions(user, ["ผึ้งชันโรง"])
    assert [row.pk for row in shown] == [made[3].pk, made[2].pk]
