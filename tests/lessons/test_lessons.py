"""Lessons with a life (issue 19, part 1): the services (every move allowed and refused,
the reason and evidence rules, nothing half-saved), every page with the persona matrix,
bad input, what a source shows to whom, and the pages' query counts."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from aar.models import AAR
from aar.recommendations import recommendation_add
from lessons import lessons
from lessons.comments import comment_add, comment_hide
from lessons.models import Lesson, LessonReuse, LessonSource, LessonStatusChange, SearchEntry
from sessions_app.models import Membership
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

Status = Lesson.Status
NOT_ACHIEVED = "ยังไม่ได้คุยเรื่องการติดตามผล เพราะหมดเวลาก่อน"
EVIDENCE_URL = "https://example.org/evidence"


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries_of(aar) -> list[SearchEntry]:
    return list(SearchEntry.objects.filter(aar=aar).order_by("pk"))


@pytest.fixture
def aar(assist_session):
    return AARFactory(participant__session=assist_session, not_achieved=NOT_ACHIEVED)


@pytest.fixture
def entry(aar):
    return SearchEntry.objects.get(aar=aar, part="not_achieved")


@pytest.fixture
def lesson(org, coordinator_user, entry):
    return lessons.lesson_create(
        organisation=org,
        title="นัดวงติดตามผลก่อนแยกย้าย",
        statement="ก่อนจบวงให้นัดวันทบทวนไว้เลย",
        owner=coordinator_user,
        sources=[entry],
        by=coordinator_user,
    )


def at(lesson, status):
    """``lesson`` moved on, step by step, to ``status``."""
    while lesson.status != status:
        lessons.lesson_move(
            lesson=lesson,
            to_status=lesson.next_status,
            reason="เหตุผล",
            evidence="หลักฐาน",
            evidence_url=EVIDENCE_URL,
            by=None,
        )
    return lesson


# --- Services -------------------------------------------------------------------------------


def test_create_keeps_the_sources_places_and_the_first_change(lesson, entry, coordinator_user):
    source = lesson.sources.get()
    assert (source.session_id, source.kind, source.part, source.aar_id) == (
        entry.session_id,
        "answer",
        "not_achieved",
        entry.aar_id,
    )
    assert source.added_by == coordinator_user
    change = lesson.changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        Status.IDENTIFIED,
        coordinator_user,
    )
    assert lesson.status == Status.IDENTIFIED
    assert lesson.created_by == coordinator_user


def test_create_keeps_a_recommendation_as_its_place(org, coordinator_user, assist_session):
    recommendation = recommendation_add(session=assist_session, text="นัดทบทวนในหนึ่งเดือน")
    row = SearchEntry.objects.get(recommendation=recommendation, kind="recommendation")
    made = lessons.lesson_create(
        organisation=org, title="ท", statement="ข", owner=None, sources=[row], by=coordinator_user
    )
    assert made.sources.get().recommendation == recommendation


@pytest.mark.parametrize("problem", ["none", "unreadable", "owner outside", "not coordinator"])
def test_create_refuses_and_saves_nothing(org, coordinator_user, member_user, entry, problem):
    sources, owner, by = [entry], coordinator_user, coordinator_user
    if problem == "not coordinator":
        by = member_user
    elif problem == "none":
        sources = []
    elif problem == "unreadable":
        elsewhere = AARFactory(participant__session=AssistSessionFactory())
        sources = [entry, *entries_of(elsewhere)]
    else:
        owner = UserFactory()
    with pytest.raises(lessons.LessonError):
        lessons.lesson_create(
            organisation=org,
            title="ท",
            statement="ข",
            owner=owner,
            sources=sources,
            by=by,
        )
    assert not Lesson.objects.exists()
    assert not LessonSource.objects.exists()
    assert not LessonStatusChange.objects.exists()


STATUSES = list(Status)


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("to", STATUSES)
def test_a_lesson_moves_only_one_step_forward(lesson, start, to):
    at(lesson, start)
    changes = lesson.changes.count()
    allowed = Lesson.STEPS.get(start) == to
    if allowed:
        lessons.lesson_move(
            lesson=lesson,
            to_status=to,
            reason="ร",
            evidence="ห",
            evidence_url=EVIDENCE_URL,
            by=None,
        )
    else:
        with pytest.raises(lessons.LessonError):
            lessons.lesson_move(
                lesson=lesson,
                to_status=to,
                reason="ร",
                evidence="ห",
                evidence_url=EVIDENCE_URL,
                by=None,
            )
    lesson.refresh_from_db()
    assert lesson.status == (to if allowed else start)
    assert lesson.changes.count() == changes + allowed


@pytest.mark.parametrize(
    ("to", "missing", "refused"),
    [
        (Status.VALIDATED, "reason", True),
        (Status.VALIDATED, "evidence", False),
        (Status.APPLIED, "reason", True),
        (Status.APPLIED, "evidence", True),
        (Status.APPLIED, "evidence_url", True),
        (Status.VERIFIED, "reason", False),
        (Status.VERIFIED, "evidence", True),
        (Status.VERIFIED, "evidence_url", True),
    ],
)
def test_reason_and_evidence_rules(lesson, to, missing, refused):
    at(lesson, {v: k for k, v in Lesson.STEPS.items()}[to])
    before = lesson.status
    values = {"reason": "เหตุผล", "evidence": "หลักฐาน", "evidence_url": EVIDENCE_URL}
    values[missing] = "   "
    if refused:
        with pytest.raises(lessons.LessonError) as caught:
            lessons.lesson_move(lesson=lesson, to_status=to, by=None, **values)
        assert caught.value.field == missing
        lesson.refresh_from_db()
        assert lesson.status == before
        assert not lesson.changes.filter(to_status=to).exists()
    else:
        lessons.lesson_move(lesson=lesson, to_status=to, by=None, **values)
        assert lesson.changes.get(to_status=to).__getattribute__(missing) == ""


def test_the_same_move_twice_makes_one_step(lesson):
    lessons.lesson_move(lesson=lesson, to_status=Status.VALIDATED, reason="ร", by=None)
    stale = Lesson.objects.get(pk=lesson.pk)
    stale.status = Status.IDENTIFIED  # a second copy of the form, read before the first
    with pytest.raises(lessons.LessonError):
        lessons.lesson_move(lesson=stale, to_status=Status.VALIDATED, reason="ร", by=None)
    assert lesson.changes.filter(to_status=Status.VALIDATED).count() == 1


def test_a_change_keeps_who_when_why_and_the_evidence(lesson, coordinator_user):
    at(lesson, Status.VALIDATED)
    change = lessons.lesson_move(
        lesson=lesson,
        to_status=Status.APPLIED,
        reason="  ใช้ในทุกวงแล้ว ",
        evidence="บันทึกการประชุม",
        evidence_url=EVIDENCE_URL,
        by=coordinator_user,
    )
    assert (change.from_status, change.to_status) == (Status.VALIDATED, Status.APPLIED)
    assert (change.reason, change.evidence, change.evidence_url) == (
        "ใช้ในทุกวงแล้ว",
        "บันทึกการประชุม",
        EVIDENCE_URL,
    )
    assert change.changed_by == coordinator_user and change.changed_at is not None


def test_reuse_add_and_remove(lesson, assist_session, coordinator_user):
    reuse = lessons.reuse_add(
        lesson=lesson, session=assist_session, note=" ใช้ ", by=coordinator_user
    )
    assert (reuse.note, reuse.noted_by) == ("ใช้", coordinator_user)
    with pytest.raises(lessons.LessonError):
        lessons.reuse_add(lesson=lesson, session=assist_session, note="", by=coordinator_user)
    assert LessonReuse.objects.count() == 1
    lessons.reuse_remove(reuse=reuse, by=coordinator_user)
    assert not LessonReuse.objects.exists()


def test_reuse_of_another_organisations_session_is_refused(lesson, coordinator_user):
    with pytest.raises(lessons.LessonError):
        lessons.reuse_add(
            lesson=lesson, session=AssistSessionFactory(), note="", by=coordinator_user
        )
    assert not LessonReuse.objects.exists()


def test_lessons_for_is_the_users_organisations_only(lesson, member_user, outsider_user):
    assert list(lessons.lessons_for(member_user)) == [lesson]
    assert not lessons.lessons_for(outsider_user).exists()


# --- The persona matrix -------------------------------------------------------------------


def urls(lesson, session) -> dict[str, str]:
    return {
        "lesson_list": reverse("lessons:lesson_list"),
        "lesson_new": reverse("lessons:lesson_new"),
        "lesson_detail": reverse("lessons:lesson_detail", args=[lesson.pk]),
        "lesson_edit": reverse("lessons:lesson_edit", args=[lesson.pk]),
        "lesson_move": reverse("lessons:lesson_move", args=[lesson.pk]),
        "lesson_reuse_add": reverse("lessons:lesson_reuse_add", args=[lesson.pk]),
        "lesson_reuse_remove": reverse("lessons:lesson_reuse_remove", args=[lesson.pk, session.pk]),
    }


READS = {"lesson_list", "lesson_detail"}
WRITES = {"lesson_new", "lesson_edit", "lesson_move", "lesson_reuse_add", "lesson_reuse_remove"}
OBJECT_PAGES = {"lesson_detail", "lesson_edit", "lesson_move", "lesson_reuse_add"}
OBJECT_PAGES |= {"lesson_reuse_remove"}


@pytest.fixture
def recorded(lesson, assist_session, coordinator_user):
    lessons.reuse_add(lesson=lesson, session=assist_session, note="", by=coordinator_user)
    return urls(lesson, assist_session)


@pytest.mark.parametrize("name", sorted(READS | WRITES))
def test_anonymous_is_sent_to_sign_in(client, recorded, name):
    for method in ("get", "post"):
        response = getattr(client, method)(recorded[name])
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_outsider_gets_404(outsider, recorded, name):
    # The method the page serves answers 404; the other may answer 405.
    codes = {outsider.get(recorded[name]).status_code, outsider.post(recorded[name]).status_code}
    assert codes in ({404}, {404, 405}), codes


def test_outsider_lists_no_lesson_of_ours(outsider, lesson):
    response = outsider.get(reverse("lessons:lesson_list"))
    assert response.status_code == 200
    assert lesson.title not in response.content.decode()


@pytest.mark.parametrize("name", sorted(READS))
def test_a_plain_member_reads(member, recorded, lesson, name):
    response = member.get(recorded[name])
    assert response.status_code == 200
    assert lesson.title in response.content.decode()


def test_a_plain_member_sees_no_coordinators_actions(member, recorded):
    body = member.get(recorded["lesson_detail"]).content.decode()
    for name in WRITES - {"lesson_new"}:
        assert recorded[name] not in body, name


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_plain_member_may_not_change(member, recorded, lesson, name):
    assert member.get(recorded[name]).status_code == 403
    assert member.post(recorded[name], {"title": "x", "reason": "x"}).status_code == 403
    lesson.refresh_from_db()
    assert lesson.title != "x" and lesson.status == Status.IDENTIFIED
    assert LessonReuse.objects.count() == 1


@pytest.mark.parametrize("name", sorted(READS | WRITES))
def test_a_coordinator_opens_every_page(coordinator, recorded, name, entry):
    url = recorded[name] + (f"?entry={entry.pk}" if name == "lesson_new" else "")
    response = coordinator.get(url)
    assert response.status_code == 200, name
    assert response.context["title"]


def test_a_coordinator_of_another_organisation_gets_404(lesson, other_org):
    stranger = UserFactory()
    MembershipFactory(user=stranger, organisation=other_org, role=Membership.Role.COORDINATOR)
    client = signed_in(stranger)
    assert client.get(reverse("lessons:lesson_detail", args=[lesson.pk])).status_code == 404
    response = client.post(
        reverse("lessons:lesson_move", args=[lesson.pk]), {"to_status": "validated", "reason": "r"}
    )
    assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.status == Status.IDENTIFIED


# --- Making a lesson from the search page ---------------------------------------------------


def test_the_search_results_can_be_ticked_into_a_lesson(coordinator, entry):
    response = coordinator.get(reverse("lessons:search"), {"q": "ติดตามผล"})
    body = response.content.decode()
    assert f'action="{reverse("lessons:lesson_new")}"' in body
    assert f'name="entry" value="{entry.pk}"' in body
    response = coordinator.get(reverse("lessons:lesson_new"), {"entry": [entry.pk]})
    assert response.status_code == 200
    body = response.content.decode()
    assert NOT_ACHIEVED in body
    assert f'value="{entry.pk}"' in body and "checked" in body
    for field in ("title", "statement", "organisation", "owner"):
        assert f'name="{field}"' in body


def test_posting_the_new_lesson_makes_it(coordinator, org, entry, member_user):
    response = coordinator.post(
        reverse("lessons:lesson_new"),
        {
            "entry": [entry.pk],
            "title": "นัดวงติดตามผล",
            "statement": "ก่อนจบวงให้นัด",
            "organisation": org.pk,
            "owner": member_user.pk,
        },
    )
    made = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:lesson_detail", args=[made.pk])
    assert (made.title, made.owner, made.status) == ("นัดวงติดตามผล", member_user, Status.IDENTIFIED)
    assert made.sources.count() == 1 and made.changes.count() == 1
    page = coordinator.get(response["Location"])
    assert thai("The lesson is made. Its status is identified.") in page.content.decode()


def test_new_without_results_explains_how(coordinator):
    response = coordinator.get(reverse("lessons:lesson_new"))
    assert response.status_code == 200
    assert not response.context["offered"]
    assert reverse("lessons:search") in response.content.decode()


def test_a_result_the_user_may_not_read_is_never_offered(coordinator, entry):
    elsewhere = AARFactory(participant__session=AssistSessionFactory(), not_achieved="ความลับ")
    hidden = entries_of(elsewhere)[0]
    response = coordinator.get(reverse("lessons:lesson_new"), {"entry": [entry.pk, hidden.pk]})
    assert [row.pk for row in response.context["offered"]] == [entry.pk]
    assert "ความลับ" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Give the lesson a title."),
        ({"statement": "   "}, "statement", "Write the lesson itself."),
        ({"entry": []}, "entry", "Choose at least one search result to make a lesson of."),
        ({"owner": "outsider"}, "owner", "Choose one of the people offered."),
        ({"organisation": "other"}, "organisation", "Choose an organisation you coordinate."),
    ],
)
def test_new_lesson_bad_input(
    coordinator, org, other_org, entry, outsider_user, data, field, message
):
    form = {
        "entry": [entry.pk],
        "title": "หัวข้อที่พิมพ์ไว้",
        "statement": "ข้อความที่พิมพ์ไว้ยาวๆ",
        "organisation": org.pk,
        "owner": "",
    }
    form.update(data)
    if form["owner"] == "outsider":
        form["owner"] = outsider_user.pk
    if form["organisation"] == "other":
        form["organisation"] = other_org.pk
    response = coordinator.post(reverse("lessons:lesson_new"), form)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [thai(message)]
    body = response.content.decode()
    assert thai(message) in body
    for kept in ("หัวข้อที่พิมพ์ไว้", "ข้อความที่พิมพ์ไว้ยาวๆ"):
        if kept in form.values():
            assert kept in body
    assert not Lesson.objects.exists()


def test_a_plain_member_cannot_make_a_lesson(member, entry):
    assert member.get(reverse("lessons:lesson_new"), {"entry": [entry.pk]}).status_code == 403


# --- Changing, moving and reusing through the pages -----------------------------------------


def test_edit_saves_and_keeps_typed_text_on_error(coordinator, lesson):
    url = reverse("lessons:lesson_edit", args=[lesson.pk])
    response = coordinator.post(url, {"title": "  ", "statement": "ข้อความใหม่ที่พิมพ์", "owner": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [thai("Give the lesson a title.")]
    assert "ข้อความใหม่ที่พิมพ์" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.statement != "ข้อความใหม่ที่พิมพ์"
    response = coordinator.post(url, {"title": "ชื่อใหม่", "statement": "ข้อความใหม่", "owner": ""})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.statement, lesson.owner) == ("ชื่อใหม่", "ข้อความใหม่", None)


def test_the_page_offers_only_the_next_step(coordinator, lesson):
    body = coordinator.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert 'name="to_status" value="validated"' in body
    assert 'name="evidence"' not in body
    at(lesson, Status.VALIDATED)
    body = coordinator.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert 'name="to_status" value="applied"' in body and 'name="evidence_url"' in body
    at(lesson, Status.VERIFIED)
    body = coordinator.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert 'name="to_status"' not in body


def test_moving_through_the_page_records_the_change(coordinator, lesson, coordinator_user):
    url = reverse("lessons:lesson_move", args=[lesson.pk])
    response = coordinator.post(url, {"to_status": "validated", "reason": "พบซ้ำในสามวง"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Status.VALIDATED
    page = coordinator.get(response["Location"]).content.decode()
    assert "พบซ้ำในสามวง" in page
    assert lesson.changes.last().changed_by == coordinator_user


def test_moving_to_applied_without_reason_or_evidence_shows_each_error(coordinator, lesson):
    at(lesson, Status.VALIDATED)
    url = reverse("lessons:lesson_move", args=[lesson.pk])
    response = coordinator.post(
        url, {"to_status": "applied", "reason": "", "evidence": "ที่พิมพ์ไว้", "evidence_url": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"reason", "evidence_url"}
    assert errors["evidence_url"] == [thai("Give a link to the evidence.")]
    assert "ที่พิมพ์ไว้" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == Status.VALIDATED


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ไม่ใช่ลิงก์", "ftp://example.org/x"])
def test_the_evidence_link_must_be_a_web_address(coordinator, lesson, link):
    at(lesson, Status.VALIDATED)
    response = coordinator.post(
        reverse("lessons:lesson_move", args=[lesson.pk]),
        {"to_status": "applied", "reason": "ร", "evidence": "ห", "evidence_url": link},
    )
    assert response.status_code == 200
    assert "evidence_url" in response.context["form"].errors
    lesson.refresh_from_db()
    assert lesson.status == Status.VALIDATED


def test_a_skipped_step_or_a_stale_form_is_refused(coordinator, lesson):
    url = reverse("lessons:lesson_move", args=[lesson.pk])
    data = {"to_status": "verified", "reason": "ร", "evidence": "ห", "evidence_url": EVIDENCE_URL}
    response = coordinator.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    lesson.refresh_from_db()
    assert lesson.status == Status.IDENTIFIED


def test_reuse_through_the_pages_with_confirmation(coordinator, lesson, assist_session):
    url = reverse("lessons:lesson_reuse_add", args=[lesson.pk])
    response = coordinator.post(url, {"session": "", "note": "ที่พิมพ์"})
    assert response.context["form"].errors["session"] == [
        thai("Choose the session that drew on this lesson.")
    ]
    assert "ที่พิมพ์" in response.content.decode()
    response = coordinator.post(url, {"session": assist_session.pk, "note": "ใช้ตอนเปิดวง"})
    assert response.status_code == 302
    reuse = LessonReuse.objects.get()
    assert (reuse.session, reuse.note) == (assist_session, "ใช้ตอนเปิดวง")
    again = coordinator.post(url, {"session": assist_session.pk, "note": ""})
    assert again.status_code == 200 and "session" in again.context["form"].errors
    # The session's page names it.
    session_page = coordinator.get(assist_session.get_absolute_url()).content.decode()
    assert lesson.title in session_page and "ใช้ตอนเปิดวง" in session_page
    remove = reverse("lessons:lesson_reuse_remove", args=[lesson.pk, assist_session.pk])
    confirm = coordinator.get(remove)
    assert confirm.status_code == 200 and LessonReuse.objects.exists()  # GET changes nothing
    assert coordinator.post(remove).status_code == 302
    assert not LessonReuse.objects.exists()
    assert coordinator.post(remove).status_code == 404


def test_another_organisations_session_is_not_offered_for_reuse(coordinator, lesson):
    foreign = AssistSessionFactory()
    url = reverse("lessons:lesson_reuse_add", args=[lesson.pk])
    response = coordinator.post(url, {"session": foreign.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["session"]
    assert not LessonReuse.objects.exists()


# --- The list -------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_owner(coordinator, org, coordinator_user, member_user):
    a = LessonFactory(organisation=org, owner=coordinator_user, status=Status.APPLIED, title="ก")
    b = LessonFactory(organisation=org, owner=member_user, status=Status.IDENTIFIED, title="ข")
    url = reverse("lessons:lesson_list")

    def listed(**params):
        response = coordinator.get(url, params)
        assert response.status_code == 200
        return list(response.context["page_obj"].object_list)

    assert set(listed()) == {a, b}
    assert listed(status="applied") == [a]
    assert listed(owner=member_user.pk) == [b]
    assert listed(status="applied", owner=member_user.pk) == []


def test_the_list_shows_a_bad_filter_beside_its_field(coordinator, org):
    response = coordinator.get(reverse("lessons:lesson_list"), {"status": "done", "owner": "abc"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["status"] == [thai("Choose one of the statuses.")]
    assert errors["owner"] == [thai("Choose one of the people offered.")]


def test_the_list_is_empty_then_says_so(coordinator):
    response = coordinator.get(reverse("lessons:lesson_list"))
    assert thai("Your organisations have no lessons yet.") in response.content.decode()


def test_the_list_is_newest_change_first_twenty_a_page(coordinator, org):
    made = [LessonFactory(organisation=org) for _ in range(25)]
    first = coordinator.get(reverse("lessons:lesson_list")).context["page_obj"]
    assert len(first.object_list) == 20 and first.paginator.num_pages == 2
    assert first.object_list[0] == made[-1]


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_stays_the_same(
    coordinator, org, member_user, django_assert_num_queries, n
):
    for i in range(n):
        LessonFactory(organisation=org, owner=member_user if i % 2 else None)
    with django_assert_num_queries(7):
        # 1 the Django session, 2 the user, 3 the count (paginator), 4 the page's lessons
        # with organisation and owner, 5 whether the user coordinates (the hint),
        # 6 the organisations offered, 7 the owners offered (rendering the filters).
        response = coordinator.get(reverse("lessons:lesson_list"))
    assert len(response.context["page_obj"].object_list) == min(n, 20)


# --- One lesson's page: its sources, and who sees their text --------------------------------


@pytest.fixture
def shared_source():
    """A lesson of organisation L, from an AAR in a session that another organisation
    organised, in which L was the host. Its maker is a coordinator of both; its readers
    are the plain members of L."""
    own, organiser = OrganisationFactory(name_en="Lesson org"), OrganisationFactory()
    session = AssistSessionFactory(organiser=organiser, host=own, title="วงของคนอื่น")
    maker = UserFactory(username="maker")
    for organisation in (own, organiser):
        MembershipFactory(user=maker, organisation=organisation, role=Membership.Role.COORDINATOR)
    reader = UserFactory(username="reader")
    MembershipFactory(user=reader, organisation=own)

    def make(sharing, *, anonymous=()):
        writer = ParticipantFactory(session=session, full_name="นักเขียนคนหนึ่ง")
        aar = AARFactory(
            participant=writer,
            not_achieved="ข้อความของแหล่งที่มา",
            sharing=sharing,
            anonymous=list(anonymous),
        )
        row = SearchEntry.objects.get(aar=aar, part="not_achieved")
        lesson = lessons.lesson_create(
            organisation=own,
            title="บทเรียน",
            statement="ข้อความ",
            owner=None,
            sources=[row],
            by=maker,
        )
        return lesson, signed_in(reader)

    return make


@pytest.mark.parametrize(
    ("sharing", "seen"),
    [
        (AAR.Sharing.ORGANISERS, False),
        (AAR.Sharing.PARTICIPANTS, False),
        (AAR.Sharing.ORGANISATIONS, True),
    ],
)
def test_a_sources_text_is_shown_only_to_who_may_open_it(shared_source, sharing, seen):
    lesson, reader = shared_source(sharing)
    response = reader.get(reverse("lessons:lesson_detail", args=[lesson.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert ("ข้อความของแหล่งที่มา" in body) is seen
    assert ("วงของคนอื่น" in body) is seen
    assert ("นักเขียนคนหนึ่ง" in body) is seen
    assert (thai("A source you may not open.") in body) is not seen
    if seen:
        assert reverse("lessons:aar", args=[lesson.sources.get().aar_id]) in body


def test_an_anonymous_source_shows_no_name_and_links_to_the_answers(shared_source):
    lesson, reader = shared_source(AAR.Sharing.ORGANISATIONS, anonymous=["not_achieved"])
    source = lesson.sources.get()
    # Alone without a name, it is held back from readers (not organisers): too few to
    # hide among.
    body = reader.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert "ข้อความของแหล่งที่มา" not in body
    assert thai("A source you may not open.") in body
    for _ in range(AAR.ANONYMOUS_MIN - 1):
        AARFactory(
            participant__session=source.session,
            sharing=AAR.Sharing.ORGANISATIONS,
            anonymous=["not_achieved"],
        )
    body = reader.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert "ข้อความของแหล่งที่มา" in body
    assert "นักเขียนคนหนึ่ง" not in body
    assert reverse("lessons:aar", args=[source.aar_id]) not in body
    assert reverse("lessons:session_answers", args=[source.session_id]) in body


def test_a_source_withdrawn_from_sharing_is_hidden_again(shared_source):
    lesson, reader = shared_source(AAR.Sharing.ORGANISATIONS)
    AAR.objects.filter(pk=lesson.sources.get().aar_id).update(sharing=AAR.Sharing.ORGANISERS)
    body = reader.get(reverse("lessons:lesson_detail", args=[lesson.pk])).content.decode()
    assert "ข้อความของแหล่งที่มา" not in body


def test_a_recommendation_links_to_the_synthesis(
    coordinator, org, coordinator_user, assist_session
):
    recommendation = recommendation_add(session=assist_session, text="ข้อเสนอของเพื่อน")
    row = SearchEntry.objects.get(recommendation=recommendation, kind="recommendation")
    made = lessons.lesson_create(
        organisation=org, title="ท", statement="ข", owner=None, sources=[row], by=coordinator_user
    )
    body = coordinator.get(reverse("lessons:lesson_detail", args=[made.pk])).content.decode()
    assert reverse("followup:synthesis", args=[assist_session.pk]) in body
    assert "ข้อเสนอของเพื่อน" in body


@pytest.mark.parametrize("n", [2, 12])
def test_lesson_page_query_count_stays_the_same(
    coordinator, org, coordinator_user, assist_session, django_assert_num_queries, n
):
    rows = []
    for _ in range(n):
        rows += entries_of(AARFactory(participant__session=assist_session))
    made = lessons.lesson_create(
        organisation=org, title="ท", statement="ข", owner=coordinator_user, sources=rows, by=None
    )
    at(made, Status.VERIFIED)
    for _ in range(n):
        lessons.reuse_add(
            lesson=made, session=AssistSessionFactory(organiser=org), note="น", by=None
        )
    for number in range(n):
        comment = comment_add(lesson=made, text=f"ความเห็น {number}", author=coordinator_user)
        comment_hide(comment=comment, by=coordinator_user, reason="ซ้ำ")
    with django_assert_num_queries(11):
        # 1 the Django session, 2 the user, 3 the lesson with organisation, owner and
        # maker (the access helper), 4 whether the user coordinates it, 5 its changes
        # with who made them, 6 its sources, 7 their rows the user may read (one query,
        # with session, writer and question set), 8 its reuses with their sessions,
        # 9 its comments, 10 their hiding history with who hid them (a coordinator's),
        # 11 the sessions offered for reuse (rendering the select).
        response = coordinator.get(reverse("lessons:lesson_detail", args=[made.pk]))
    assert len(response.context["comments"]) == n
    assert len(response.context["sources"]) == len(rows)
    assert all(item["row"] for item in response.context["sources"])


def test_the_page_in_english(coordinator, lesson):
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator.get(reverse("lessons:lesson_detail", args=[lesson.pk]))
    assert "Status and its history" in response.content.decode()


def test_a_source_is_found_by_the_ids_it_has_not_by_null_ones(lesson, coordinator_user):
    """ "commitment_id IS NULL" led SQLite to read nearly every row by that index (558 ms
    for a lesson's page over 100,000 AARs, bench, issue 19)."""
    source = lesson.sources.get()
    assert source.aar_id and source.commitment_id is None
    sql = str(SearchEntry.objects.filter(lessons._place(source)).query)
    assert "IS NULL" not in sql
    [(found_source, row)] = lessons.sources_for(coordinator_user, [source])
    assert row is not None and row.aar_id == source.aar_id and row.kind == source.kind
