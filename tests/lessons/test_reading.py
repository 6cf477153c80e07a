"""Reading one AAR and a session's answers (lessons.reading, /lessons/aars/…,
/lessons/sessions/…): the persona matrix, one test per sharing level, anonymity and
query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from aar.models import AAR
from lessons.reading import answers_by_question, readable_aars
from sessions_app.models import Membership
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

WRITER = "สมหญิง ตัวอย่าง"


def _aar(session, *, sharing=AAR.Sharing.ORGANISATIONS, name=WRITER, **kwargs):
    person = ParticipantFactory(session=session, full_name=name)
    return AARFactory(participant=person, sharing=sharing, **kwargs)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def host_staff_user(assist_session):
    """Staff of the host organisation: takes part in the session, does not organise it."""
    user = UserFactory(username="hoststaff")
    MembershipFactory(user=user, organisation=assist_session.host)
    return user


@pytest.fixture
def host_staff(host_staff_user):
    return _client(host_staff_user)


def _aar_url(aar):
    return reverse("lessons:aar", args=[aar.pk])


def _answers_url(session):
    return reverse("lessons:session_answers", args=[session.pk])


# --- The rule -------------------------------------------------------------------------


def test_readable_aars_follows_the_rule(
    assist_session, coordinator_user, host_staff_user, outsider_user
):
    private = _aar(assist_session, sharing=AAR.Sharing.ORGANISERS, name="a")
    with_participants = _aar(assist_session, sharing=AAR.Sharing.PARTICIPANTS, name="b")
    widely = _aar(assist_session, sharing=AAR.Sharing.ORGANISATIONS, name="c")
    draft = _aar(assist_session, sharing=AAR.Sharing.ORGANISATIONS, name="d", draft=True)
    organisers = set(readable_aars(coordinator_user))
    assert organisers == {private, with_participants, widely, draft}
    assert set(readable_aars(host_staff_user)) == {widely}
    assert set(readable_aars(outsider_user)) == set()


def test_a_participants_organisation_takes_part(assist_session):
    third = OrganisationFactory()
    user = UserFactory(username="third")
    MembershipFactory(user=user, organisation=third)
    widely = _aar(assist_session)
    assert list(readable_aars(user)) == []
    ParticipantFactory(session=assist_session, organisation=third)
    assert list(readable_aars(user)) == [widely]


def test_a_peer_organisation_takes_part(assist_session, outsider_user, other_org):
    widely = _aar(assist_session)
    assist_session.peers.add(other_org)
    assert list(readable_aars(outsider_user)) == [widely]


# --- lessons:aar: persona matrix and sharing levels ----------------------------------


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    aar = _aar(assist_session)
    for url in (_aar_url(aar), _answers_url(assist_session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_persona_matrix_on_the_aar_page(
    assist_session, outsider, member, facilitator, coordinator, host_staff
):
    aar = _aar(assist_session)
    url = _aar_url(aar)
    assert outsider.get(url).status_code == 404
    for client in (member, facilitator, coordinator, host_staff):
        response = client.get(url)
        assert response.status_code == 200
        assert WRITER in response.content.decode()
        assert response.context["title"]


def test_organisers_only_aar(assist_session, member, host_staff, outsider):
    aar = _aar(assist_session, sharing=AAR.Sharing.ORGANISERS)
    assert member.get(_aar_url(aar)).status_code == 200
    assert host_staff.get(_aar_url(aar)).status_code == 404
    assert outsider.get(_aar_url(aar)).status_code == 404


def test_aar_shared_with_participants(assist_session, member, host_staff, outsider):
    aar = _aar(assist_session, sharing=AAR.Sharing.PARTICIPANTS)
    assert member.get(_aar_url(aar)).status_code == 200
    assert host_staff.get(_aar_url(aar)).status_code == 404
    assert outsider.get(_aar_url(aar)).status_code == 404


def test_aar_shared_with_the_organisations(assist_session, member, host_staff, outsider):
    aar = _aar(assist_session, sharing=AAR.Sharing.ORGANISATIONS)
    assert member.get(_aar_url(aar)).status_code == 200
    assert host_staff.get(_aar_url(aar)).status_code == 200
    assert outsider.get(_aar_url(aar)).status_code == 404


def test_a_draft_is_for_the_organisers_only(assist_session, member, host_staff):
    aar = _aar(assist_session, draft=True)
    assert member.get(_aar_url(aar)).status_code == 200
    assert host_staff.get(_aar_url(aar)).status_code == 404


def test_unknown_aar_is_404(member):
    assert member.get(reverse("lessons:aar", args=[999999])).status_code == 404


def test_the_page_shows_the_session_and_writer(assist_session, member):
    aar = _aar(assist_session)
    CommitmentFactory(aar=aar, text="ทดลองใช้กับทีมเล็กก่อน")
    body = member.get(_aar_url(aar)).content.decode()
    assert assist_session.title in body
    assert aar.achieved in body
    assert "ทดลองใช้กับทีมเล็กก่อน" in body
    assert "ยังไม่มีความคิดเห็น" in body or "No comments yet" in body


# --- Anonymity ------------------------------------------------------------------------


def test_anonymous_parts_are_not_beside_the_name(assist_session, member, host_staff):
    aar = _aar(assist_session, anonymous=["not_achieved", AAR.COMMITMENTS_KEY])
    CommitmentFactory(aar=aar, text="คำมั่นที่ไม่ระบุชื่อ")
    for client in (member, host_staff):
        body = client.get(_aar_url(aar)).content.decode()
        assert WRITER in body
        assert aar.achieved in body
        assert aar.not_achieved not in body
        assert "คำมั่นที่ไม่ระบุชื่อ" not in body
        assert _answers_url(assist_session) in body


def test_a_wholly_anonymous_aar_shows_no_name(assist_session, member):
    aar = _aar(assist_session, anonymous=["goal", "achieved", "not_achieved", "next_steps"])
    body = member.get(_aar_url(aar)).content.decode()
    assert WRITER not in body
    assert aar.goal not in body and aar.achieved not in body
    assert aar.participant.organisation.label not in body


def test_the_answers_page_never_names_an_anonymous_answer(assist_session, member, host_staff):
    named = _aar(assist_session, name="คนมีชื่อ", achieved="สำเร็จแบบมีชื่อ")
    # Three wholly anonymous AARs: enough people (AAR.ANONYMOUS_MIN) for their
    # answers to be shown, without names.
    hidden = []
    for i in range(3):
        aar = _aar(
            assist_session,
            name=f"คนไม่มีชื่อ {i}",
            achieved=f"สำเร็จแบบไม่มีชื่อ {i}",
            anonymous=["goal", "achieved", "not_achieved", "next_steps", AAR.COMMITMENTS_KEY],
        )
        CommitmentFactory(aar=aar, text=f"คำมั่นลับ {i}")
        hidden.append(aar)
    for client in (member, host_staff):
        body = client.get(_answers_url(assist_session)).content.decode()
        assert "คนมีชื่อ" in body and "สำเร็จแบบมีชื่อ" in body
        assert _aar_url(named) in body
        for i, aar in enumerate(hidden):
            assert f"สำเร็จแบบไม่มีชื่อ {i}" in body and f"คำมั่นลับ {i}" in body
            assert f"คนไม่มีชื่อ {i}" not in body
            assert _aar_url(aar) not in body
        assert held_back(1) not in body and held_back(3) not in body
        # Named answers first, anonymous ones after.
        assert body.index("สำเร็จแบบมีชื่อ") < body.index("สำเร็จแบบไม่มีชื่อ 0")


# --- Too few anonymous answers are held back (AAR.ANONYMOUS_MIN) ----------------------

# The sentence the pages show instead of too few anonymous answers.
HELD_BACK = (
    "%(n)s answer shown without a name is held back until at least 3 people answer this "
    "way, so that nobody can be told apart.",
    "%(n)s answers shown without a name are held back until at least 3 people answer "
    "this way, so that nobody can be told apart.",
)


def held_back(n: int) -> str:
    with translation.override("th"):
        return ngettext(*HELD_BACK, n) % {"n": n}


# Ordered by text (ก, ข, ค) they come out in another order than by AAR (ก, ค, ข) or by
# the writer's name (สอง, สาม, หนึ่ง: ค, ข, ก).
ANONYMOUS_TEXTS = ["ก ไม่ได้คุยเรื่องงบ", "ค ต้องเตรียมคำถามล่วงหน้า", "ข เวลาไม่พอให้ทุกคนเล่า"]
ANONYMOUS_WRITERS = ["คนเขียน หนึ่ง", "คนเขียน สอง", "คนเขียน สาม"]


def _anonymous_answers(session, n, *, sharing=AAR.Sharing.ORGANISATIONS, commitments=False):
    """``n`` AARs, each with one of ANONYMOUS_TEXTS as its "not achieved" (or, with
    ``commitments``, as its one commitment) shown without the name; the rest named."""
    aars = []
    for name, text in zip(ANONYMOUS_WRITERS[:n], ANONYMOUS_TEXTS[:n], strict=True):
        if commitments:
            aar = _aar(session, name=name, sharing=sharing, anonymous=[AAR.COMMITMENTS_KEY])
            CommitmentFactory(aar=aar, text=text)
        else:
            aar = _aar(
                session, name=name, sharing=sharing, anonymous=["not_achieved"], not_achieved=text
            )
        aars.append(aar)
    return aars


def _group(response, key):
    return next(g for g in response.context["groups"] if g["key"] == key)


def _section(body, key) -> str:
    start = body.index(f'aria-labelledby="q-{key}"')
    return body[start : body.index("</section>", start)]


@pytest.mark.parametrize("key", ["not_achieved", AAR.COMMITMENTS_KEY])
@pytest.mark.parametrize("n", [1, 2])
def test_too_few_anonymous_answers_are_held_back(assist_session, member, host_staff, n, key):
    commitments = key == AAR.COMMITMENTS_KEY
    named = _aar(assist_session, name="คนมีชื่อ", not_achieved="ไม่บรรลุแบบมีชื่อ")
    CommitmentFactory(aar=named, text="คำมั่นแบบมีชื่อ")
    aars = _anonymous_answers(assist_session, n, commitments=commitments)
    for client in (member, host_staff):
        response = client.get(_answers_url(assist_session))
        body = response.content.decode()
        for text in ANONYMOUS_TEXTS[:n]:
            assert text not in body
        group = _group(response, key)
        assert (group["anonymous"], group["held_back"]) == ([], n)
        # Only how many are held back, in that question's section.
        assert held_back(n) in _section(body, key)
        assert body.count(held_back(n)) == 1
        # The named answers stay, and so do the writers' other, named parts.
        assert "ไม่บรรลุแบบมีชื่อ" in body and "คำมั่นแบบมีชื่อ" in body
        for aar in aars:
            assert aar.participant.full_name in _section(body, "achieved")


@pytest.mark.parametrize("key", ["not_achieved", AAR.COMMITMENTS_KEY])
def test_three_anonymous_answers_are_shown_without_names(assist_session, member, host_staff, key):
    commitments = key == AAR.COMMITMENTS_KEY
    named = _aar(assist_session, name="คนมีชื่อ", not_achieved="ไม่บรรลุแบบมีชื่อ")
    CommitmentFactory(aar=named, text="คำมั่นแบบมีชื่อ")
    aars = _anonymous_answers(assist_session, 3, commitments=commitments)
    for client in (member, host_staff):
        response = client.get(_answers_url(assist_session))
        body = response.content.decode()
        group = _group(response, key)
        assert (group["anonymous"], group["held_back"]) == (sorted(ANONYMOUS_TEXTS), 0)
        assert held_back(3) not in body
        section = _section(body, key)
        # After the named answer, ordered by text, not by writer.
        anonymous_part = section[section.index("<h3") :]
        positions = [anonymous_part.index(text) for text in sorted(ANONYMOUS_TEXTS)]
        assert positions == sorted(positions)
        assert section.index("มีชื่อ") < section.index("<h3")
        # No name, organisation or link near them.
        assert "<a " not in anonymous_part
        for aar in aars:
            assert aar.participant.full_name not in anonymous_part
            assert _aar_url(aar) not in section
        assert assist_session.host.label not in anonymous_part


def test_only_the_answers_a_reader_may_read_count(assist_session, member, host_staff):
    """Two anonymous answers shared with the organisations and one for the organisers
    only: the organisers read three, the host's staff two, held back."""
    _anonymous_answers(assist_session, 2)
    _aar(
        assist_session,
        name=ANONYMOUS_WRITERS[2],
        sharing=AAR.Sharing.ORGANISERS,
        anonymous=["not_achieved"],
        not_achieved=ANONYMOUS_TEXTS[2],
    )
    body = member.get(_answers_url(assist_session)).content.decode()
    assert all(text in body for text in ANONYMOUS_TEXTS)
    response = host_staff.get(_answers_url(assist_session))
    body = response.content.decode()
    assert not any(text in body for text in ANONYMOUS_TEXTS)
    assert _group(response, "not_achieved")["held_back"] == 2
    assert held_back(2) in body


def test_drafts_and_blank_answers_do_not_count(assist_session, member):
    _anonymous_answers(assist_session, 2)
    _aar(assist_session, name="ร่าง", draft=True, anonymous=["not_achieved"], not_achieved="ร่าง")
    _aar(assist_session, name="ว่าง", anonymous=["not_achieved"], not_achieved="  \n ")
    response = member.get(_answers_url(assist_session))
    assert _group(response, "not_achieved")["held_back"] == 2
    assert not any(text in response.content.decode() for text in ANONYMOUS_TEXTS)


def test_commitments_count_people_not_commitments(assist_session, member):
    """One person's three anonymous commitments are still one person's: held back."""
    aar = _aar(assist_session, name=ANONYMOUS_WRITERS[0], anonymous=[AAR.COMMITMENTS_KEY])
    for text in ANONYMOUS_TEXTS:
        CommitmentFactory(aar=aar, text=text)
    response = member.get(_answers_url(assist_session))
    body = response.content.decode()
    assert not any(text in body for text in ANONYMOUS_TEXTS)
    assert _group(response, AAR.COMMITMENTS_KEY)["held_back"] == 1
    assert held_back(1) in _section(body, AAR.COMMITMENTS_KEY)
    # Two more people with one each: now all five are shown, by text.
    for i, name in enumerate(ANONYMOUS_WRITERS[1:]):
        other = _aar(assist_session, name=name, anonymous=[AAR.COMMITMENTS_KEY])
        CommitmentFactory(aar=other, text=f"ง คำมั่นอีกข้อ {i}")
    group = _group(member.get(_answers_url(assist_session)), AAR.COMMITMENTS_KEY)
    assert group["held_back"] == 0
    assert group["anonymous"] == sorted([*ANONYMOUS_TEXTS, "ง คำมั่นอีกข้อ 0", "ง คำมั่นอีกข้อ 1"])


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_answers_by_question_holds_back_below_the_minimum(assist_session, n):
    texts = [f"ข้อความ {chr(ord('ฮ') - i)}" for i in range(n)]  # made in reverse order
    for i, text in enumerate(texts):
        _aar(assist_session, name=f"คน {i}", anonymous=["goal"], goal=text)
    _aar(assist_session, name="คนมีชื่อ", goal="เป้ามีชื่อ")
    aars = list(AAR.objects.filter(participant__session=assist_session).order_by("pk"))
    groups = {g["key"]: g for g in answers_by_question(assist_session, aars)}
    goal = groups["goal"]
    assert [text for _aar, text in goal["named"]] == ["เป้ามีชื่อ"]
    # 3, as the pages' sentence says ("until at least 3 people answer this way").
    if n < 3:
        assert (goal["anonymous"], goal["held_back"]) == ([], n)
    else:
        assert (goal["anonymous"], goal["held_back"]) == (sorted(texts), 0)
    assert groups["achieved"]["held_back"] == 0


# --- lessons:session_answers ----------------------------------------------------------


def test_answers_page_per_sharing_level(assist_session, member, host_staff, outsider):
    _aar(assist_session, sharing=AAR.Sharing.ORGANISERS, name="คนแรก", goal="เป้าส่วนตัว")
    _aar(assist_session, sharing=AAR.Sharing.PARTICIPANTS, name="คนสอง", goal="เป้าในวง")
    url = _answers_url(assist_session)
    body = member.get(url).content.decode()
    assert "เป้าส่วนตัว" in body and "เป้าในวง" in body
    # Nothing shared with the organisations yet: the host's staff may read nothing here.
    assert host_staff.get(url).status_code == 404
    _aar(assist_session, sharing=AAR.Sharing.ORGANISATIONS, name="คนสาม", goal="เป้ากว้าง")
    body = host_staff.get(url).content.decode()
    assert "เป้ากว้าง" in body
    assert "เป้าส่วนตัว" not in body and "เป้าในวง" not in body
    assert "คนแรก" not in body and "คนสอง" not in body
    assert outsider.get(url).status_code == 404


def test_answers_page_empty_for_organisers(assist_session, member):
    response = member.get(_answers_url(assist_session))
    assert response.status_code == 200
    assert response.context["aar_count"] == 0


def test_answers_page_leaves_out_drafts(assist_session, member):
    _aar(assist_session, draft=True, goal="ร่างยังไม่ส่ง")
    assert "ร่างยังไม่ส่ง" not in member.get(_answers_url(assist_session)).content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_answers_page_query_count_is_constant(org, member, django_assert_num_queries):
    small, large = AssistSessionFactory(organiser=org), AssistSessionFactory(organiser=org)
    for session, n in ((small, 5), (large, 50)):
        for i in range(n):
            aar = _aar(session, name=f"คน {i}", anonymous=["goal"] if i % 2 else [])
            if i % 3 == 0:
                CommitmentFactory(aar=aar)
    # Django's session and user, the session with its question set, the AARs the user
    # may read with their people, and their commitments.
    with django_assert_num_queries(5):
        member.get(_answers_url(small))
    with django_assert_num_queries(5):
        member.get(_answers_url(large))


def test_aar_page_query_count_does_not_grow_with_comments(assist_session, coordinator):
    from lessons.models import Comment

    aar = _aar(assist_session)
    url = _aar_url(aar)
    for i in range(3):
        Comment.objects.create(aar=aar, author_name="ก", text=f"ความเห็น {i}")
    few = _count(coordinator, url)
    for i in range(30):
        Comment.objects.create(aar=aar, author_name="ก", text=f"อีก {i}")
    assert _count(coordinator, url) == few


def test_get_only_answers_page(member, assist_session):
    assert member.post(_answers_url(assist_session)).status_code == 405


def test_coordinator_of_another_role_sees_the_same(assist_session, org):
    user = UserFactory(username="coord2")
    MembershipFactory(user=user, organisation=org, role=Membership.Role.COORDINATOR)
    aar = _aar(assist_session, sharing=AAR.Sharing.ORGANISERS)
    assert _client(user).get(_aar_url(aar)).status_code == 200
