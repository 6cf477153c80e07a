"""Comments on shared AARs: by staff on /lessons/aars/…, by participants by their
personal link (/aar/<token>/shared/…), hiding and showing by a coordinator with its
history, the email to the writer, and erasure."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from aar.models import AAR
from aar.services import participant_erase
from lessons.comments import comment_add, comment_hide, comment_notify
from lessons.models import Comment, CommentEvent
from peerassist.models import OutgoingEmail
from sessions_app.models import ERASED_NAME
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WRITER = "สมหญิง ตัวอย่าง"
READER = "สมชาย ผู้อ่าน"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def host_staff(assist_session):
    user = UserFactory(username="hoststaff")
    MembershipFactory(user=user, organisation=assist_session.host)
    return _client(user)


@pytest.fixture
def writer(assist_session):
    return ParticipantFactory(
        session=assist_session, full_name=WRITER, email="writer@example.org", language="en"
    )


@pytest.fixture
def reader(assist_session):
    return ParticipantFactory(session=assist_session, full_name=READER, email="r@example.org")


@pytest.fixture
def shared_aar(writer):
    return AARFactory(participant=writer, sharing=AAR.Sharing.PARTICIPANTS)


def _aar_url(aar):
    return reverse("lessons:aar", args=[aar.pk])


def _link_url(participant, aar):
    return reverse("lessons_link:aar", args=[participant.token, aar.pk])


def _shared_url(participant):
    return reverse("lessons_link:shared", args=[participant.token])


# --- Staff comments -------------------------------------------------------------------


def test_member_comments_on_a_shared_aar(member, member_user, shared_aar):
    response = member.post(_aar_url(shared_aar), {"text": "  ขอบคุณที่แบ่งปัน  "})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "ขอบคุณที่แบ่งปัน"
    assert comment.author == member_user
    assert comment.author_participant is None
    page = member.get(response["Location"])
    assert "ขอบคุณที่แบ่งปัน" in page.content.decode()
    assert [m.level_tag for m in page.context["messages"]] == ["success"]


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "required"), ("   \n ", "required"), ("ก" * 2001, "max_length"), ("a\x00b", "null")],
)
def test_bad_comment_is_refused_beside_the_field(member, shared_aar, text, error):
    response = member.post(_aar_url(shared_aar), {"text": text})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["text"]
    assert Comment.objects.count() == 0
    body = response.content.decode()
    assert "invalid-feedback" in body
    if error == "max_length":
        assert "ก" * 2001 in body  # the typed text is kept


def test_longest_comment_is_accepted(member, shared_aar):
    member.post(_aar_url(shared_aar), {"text": "ก" * 2000})
    assert len(Comment.objects.get().text) == 2000


def test_a_double_submit_saves_one_comment(member, shared_aar):
    member.post(_aar_url(shared_aar), {"text": "ซ้ำ"})
    response = member.post(_aar_url(shared_aar), {"text": "ซ้ำ"}, follow=True)
    assert Comment.objects.count() == 1
    # The first post's message was not read yet (no page between the two posts).
    assert [m.level_tag for m in response.context["messages"]][-1] == "info"


def test_no_comment_on_an_organisers_only_aar(member, writer):
    aar = AARFactory(participant=writer, sharing=AAR.Sharing.ORGANISERS)
    response = member.get(_aar_url(aar))
    assert response.status_code == 200
    assert response.context["can_comment"] is False
    assert member.post(_aar_url(aar), {"text": "x"}).status_code == 403
    assert Comment.objects.count() == 0


def test_no_comment_on_a_draft(member, writer):
    aar = AARFactory(participant=writer, draft=True)
    assert member.post(_aar_url(aar), {"text": "x"}).status_code == 403


def test_participating_staff_comment_only_on_widely_shared(host_staff, writer, shared_aar):
    # Shared with the participants only: not theirs to read, so not to comment on.
    assert host_staff.post(_aar_url(shared_aar), {"text": "x"}).status_code == 404
    shared_aar.sharing = AAR.Sharing.ORGANISATIONS
    shared_aar.save()
    assert host_staff.post(_aar_url(shared_aar), {"text": "จากเจ้าภาพ"}).status_code == 302
    assert Comment.objects.get().text == "จากเจ้าภาพ"


def test_outsider_and_anonymous_cannot_comment(client, outsider, shared_aar):
    assert outsider.post(_aar_url(shared_aar), {"text": "x"}).status_code == 404
    response = client.post(_aar_url(shared_aar), {"text": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Comment.objects.count() == 0


# --- Hiding and showing ---------------------------------------------------------------


@pytest.fixture
def comment(shared_aar, reader):
    return Comment.objects.create(
        aar=shared_aar, author_participant=reader, author_name=READER, text="ความเห็นหยาบ"
    )


def _hide_url(comment):
    return reverse("lessons:comment_hide", args=[comment.pk])


def _show_url(comment):
    return reverse("lessons:comment_show", args=[comment.pk])


def test_persona_matrix_on_hide(client, outsider, member, facilitator, coordinator, comment):
    url = _hide_url(comment)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url).status_code == 404
    assert member.get(url).status_code == 403
    assert member.post(url).status_code == 403
    assert facilitator.get(url).status_code == 403
    response = coordinator.get(url)
    assert response.status_code == 200 and response.context["title"]
    comment.refresh_from_db()
    assert not comment.is_hidden  # a GET changes nothing


def test_persona_matrix_on_show(client, outsider, member, coordinator, comment):
    url = _show_url(comment)
    assert client.post(url)["Location"].startswith("/accounts/login/")
    assert outsider.post(url).status_code == 404
    assert member.post(url).status_code == 403
    assert coordinator.get(url).status_code == 405
    assert coordinator.post(url).status_code == 302


def test_participating_staff_cannot_hide(host_staff, comment):
    comment.aar.sharing = AAR.Sharing.ORGANISATIONS
    comment.aar.save()
    assert host_staff.get(_hide_url(comment)).status_code == 403


def test_hide_and_show_keep_a_history(
    coordinator, coordinator_user, member, writer, reader, comment
):
    response = coordinator.post(_hide_url(comment), {"reason": "ภาษาไม่เหมาะสม"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == coordinator_user
    # Coordinators still see it, marked, with its history; nobody else does.
    body = coordinator.get(_aar_url(comment.aar)).content.decode()
    assert "ความเห็นหยาบ" in body and "ภาษาไม่เหมาะสม" in body
    assert "ความเห็นหยาบ" not in member.get(_aar_url(comment.aar)).content.decode()
    assert "ภาษาไม่เหมาะสม" not in member.get(_aar_url(comment.aar)).content.decode()
    for person in (writer, reader):
        assert "ความเห็นหยาบ" not in Client().get(_link_url(person, comment.aar)).content.decode()
    # Hiding again changes nothing more.
    coordinator.post(_hide_url(comment), {"reason": ""})
    assert CommentEvent.objects.count() == 1

    coordinator.post(_show_url(comment))
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert "ความเห็นหยาบ" in member.get(_aar_url(comment.aar)).content.decode()
    events = list(comment.events.values_list("action", "reason", "by"))
    assert events == [
        (CommentEvent.Action.HIDE, "ภาษาไม่เหมาะสม", coordinator_user.pk),
        (CommentEvent.Action.SHOW, "", coordinator_user.pk),
    ]
    assert "ภาษาไม่เหมาะสม" not in member.get(_aar_url(comment.aar)).content.decode()


def test_hide_reason_too_long_is_refused(coordinator, comment):
    response = coordinator.post(_hide_url(comment), {"reason": "ก" * 301})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    comment.refresh_from_db()
    assert not comment.is_hidden


# --- Participants by their personal link ----------------------------------------------


def test_participant_reads_and_comments(reader, shared_aar, writer):
    url = _link_url(reader, shared_aar)
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert WRITER in body and shared_aar.achieved in body
    assert response["Referrer-Policy"] == "no-referrer"
    response = Client().post(url, {"text": "ได้ไอเดียดีมาก"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_participant == reader and comment.author_name == READER
    assert "ได้ไอเดียดีมาก" in Client().get(url).content.decode()


def test_participant_bad_input_keeps_the_text(reader, shared_aar):
    response = Client().post(_link_url(reader, shared_aar), {"text": "ข" * 2001})
    assert response.status_code == 200
    assert "ข" * 2001 in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "sharing", [AAR.Sharing.ORGANISERS, AAR.Sharing.PARTICIPANTS, AAR.Sharing.ORGANISATIONS]
)
def test_link_pages_per_sharing_level(reader, writer, sharing):
    aar = AARFactory(participant=writer, sharing=sharing, goal="เป้าของผู้เขียน")
    detail = Client().get(_link_url(reader, aar))
    listing = Client().get(_shared_url(reader)).content.decode()
    if sharing == AAR.Sharing.ORGANISERS:
        assert detail.status_code == 404
        assert "เป้าของผู้เขียน" not in listing and WRITER not in listing
    else:
        assert detail.status_code == 200
        assert "เป้าของผู้เขียน" in listing and WRITER in listing


def test_link_refuses_drafts_and_other_sessions(reader, writer):
    draft = AARFactory(participant=writer, draft=True, sharing=AAR.Sharing.PARTICIPANTS)
    assert Client().get(_link_url(reader, draft)).status_code == 404
    elsewhere = AARFactory(
        participant=ParticipantFactory(session=AssistSessionFactory()),
        sharing=AAR.Sharing.ORGANISATIONS,
    )
    response = Client().get(_link_url(reader, elsewhere))
    assert response.status_code == 404
    assert Client().post(_link_url(reader, elsewhere), {"text": "x"}).status_code == 404
    assert Comment.objects.count() == 0


def test_unknown_token_is_a_friendly_404(shared_aar):
    assert Client().get(reverse("lessons_link:shared", args=["nope"])).status_code == 404
    response = Client().get(reverse("lessons_link:aar", args=["nope", shared_aar.pk]))
    assert response.status_code == 404


def test_link_list_keeps_anonymous_parts_apart(reader, writer, assist_session):
    AARFactory(
        participant=writer,
        goal="เป้ามีชื่อ",
        achieved="สำเร็จไม่มีชื่อ",
        anonymous=["achieved"],
    )
    # Two more people answer it without a name: enough (AAR.ANONYMOUS_MIN) to show them.
    for i in range(2):
        AARFactory(
            participant=ParticipantFactory(session=assist_session, full_name=f"เพื่อนร่วมวง {i}"),
            achieved=f"บรรลุแบบไม่ระบุ {i}",
            anonymous=["achieved"],
        )
    body = Client().get(_shared_url(reader)).content.decode()
    assert WRITER in body and "เป้ามีชื่อ" in body and "สำเร็จไม่มีชื่อ" in body
    # The anonymous answer is only in the section without names, after every card.
    assert body.index("สำเร็จไม่มีชื่อ") > body.rindex(WRITER)
    assert body.index("สำเร็จไม่มีชื่อ") > body.rindex("เพื่อนร่วมวง 1")
    assert "บรรลุแบบไม่ระบุ 0" in body and "บรรลุแบบไม่ระบุ 1" in body
    detail = Client().get(_link_url(reader, writer.aar)).content.decode()
    assert WRITER in detail and "สำเร็จไม่มีชื่อ" not in detail


# --- Too few anonymous answers are held back (AAR.ANONYMOUS_MIN) ----------------------

# The sentence the list shows instead of too few anonymous answers.
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


def _anonymous_answers(session, n, *, commitments=False, sharing=AAR.Sharing.PARTICIPANTS):
    """``n`` AARs shared with the participants, each with one of ANONYMOUS_TEXTS as its
    "not achieved" (or, with ``commitments``, its one commitment) shown without the
    name; the rest of each is named."""
    aars = []
    for name, text in zip(ANONYMOUS_WRITERS[:n], ANONYMOUS_TEXTS[:n], strict=True):
        person = ParticipantFactory(session=session, full_name=name)
        if commitments:
            aar = AARFactory(
                participant=person,
                sharing=sharing,
                anonymous=[AAR.COMMITMENTS_KEY],
                achieved=f"สำเร็จของ {name}",
            )
            CommitmentFactory(aar=aar, text=text)
        else:
            aar = AARFactory(
                participant=person,
                sharing=sharing,
                anonymous=["not_achieved"],
                not_achieved=text,
                achieved=f"สำเร็จของ {name}",
            )
        aars.append(aar)
    return aars


def _without_name(body) -> str:
    """The list's section of the answers shown without a name."""
    start = body.index('aria-labelledby="without-name"')
    return body[start : body.index("</section>", start)]


def _group(response, key):
    return next(g for g in response.context["groups"] if g["key"] == key)


@pytest.mark.parametrize("key", ["not_achieved", AAR.COMMITMENTS_KEY])
@pytest.mark.parametrize("n", [1, 2])
def test_link_list_holds_back_too_few_anonymous_answers(reader, assist_session, member, n, key):
    aars = _anonymous_answers(assist_session, n, commitments=key == AAR.COMMITMENTS_KEY)
    response = Client().get(_shared_url(reader))
    body = response.content.decode()
    for text in ANONYMOUS_TEXTS[:n]:
        assert text not in body
    group = _group(response, key)
    assert (group["anonymous"], group["held_back"]) == ([], n)
    # Only how many are held back, under "Shown without a name".
    assert held_back(n) in _without_name(body)
    assert body.count(held_back(n)) == 1
    # Each writer's card stays, with the named parts.
    for aar in aars:
        card_start = body.index(aar.participant.full_name)
        assert card_start < body.index('aria-labelledby="without-name"')
        assert f"สำเร็จของ {aar.participant.full_name}" in body
        # Nor is it on the AAR's own page by the link.
        detail = Client().get(_link_url(reader, aar)).content.decode()
        assert not any(text in detail for text in ANONYMOUS_TEXTS)
    # The session's answers page (staff) holds it back too.
    staff = member.get(reverse("lessons:session_answers", args=[assist_session.pk]))
    assert not any(text in staff.content.decode() for text in ANONYMOUS_TEXTS)


@pytest.mark.parametrize("key", ["not_achieved", AAR.COMMITMENTS_KEY])
def test_link_list_shows_three_anonymous_answers_without_names(reader, assist_session, key):
    aars = _anonymous_answers(assist_session, 3, commitments=key == AAR.COMMITMENTS_KEY)
    response = Client().get(_shared_url(reader))
    body = response.content.decode()
    group = _group(response, key)
    assert (group["anonymous"], group["held_back"]) == (sorted(ANONYMOUS_TEXTS), 0)
    assert held_back(3) not in body
    apart = _without_name(body)
    positions = [apart.index(text) for text in sorted(ANONYMOUS_TEXTS)]
    assert positions == sorted(positions)
    assert "<a " not in apart
    for aar in aars:
        assert aar.participant.full_name not in apart
        assert str(aar.pk) + "/" not in apart
    # Only there: not in any writer's card.
    before = body[: body.index('aria-labelledby="without-name"')]
    assert not any(text in before for text in ANONYMOUS_TEXTS)


def test_link_list_counts_only_what_participants_may_read(reader, assist_session, member):
    """Two anonymous answers shared with the participants and one for the organisers
    only: the participants' list holds back two; the organisers read three."""
    _anonymous_answers(assist_session, 2)
    AARFactory(
        participant=ParticipantFactory(session=assist_session, full_name=ANONYMOUS_WRITERS[2]),
        sharing=AAR.Sharing.ORGANISERS,
        anonymous=["not_achieved"],
        not_achieved=ANONYMOUS_TEXTS[2],
    )
    response = Client().get(_shared_url(reader))
    body = response.content.decode()
    assert not any(text in body for text in ANONYMOUS_TEXTS)
    assert _group(response, "not_achieved")["held_back"] == 2
    assert held_back(2) in body
    staff = member.get(reverse("lessons:session_answers", args=[assist_session.pk]))
    assert all(text in staff.content.decode() for text in ANONYMOUS_TEXTS)


def test_link_list_does_not_count_people_taken_off_the_roster(reader, assist_session):
    aars = _anonymous_answers(assist_session, 3)
    assert ANONYMOUS_TEXTS[0] in Client().get(_shared_url(reader)).content.decode()
    removed = aars[2].participant
    removed.removed_at = timezone.now()
    removed.save(update_fields=["removed_at"])
    response = Client().get(_shared_url(reader))
    assert not any(text in response.content.decode() for text in ANONYMOUS_TEXTS)
    assert _group(response, "not_achieved")["held_back"] == 2


def test_wholly_anonymous_writer_is_never_named_by_own_comment(reader, writer):
    aar = AARFactory(
        participant=writer, anonymous=["goal", "achieved", "not_achieved", "next_steps"]
    )
    Client().post(_link_url(writer, aar), {"text": "ตอบกลับจากผู้เขียน"})
    body = Client().get(_link_url(reader, aar)).content.decode()
    assert "ตอบกลับจากผู้เขียน" in body
    assert WRITER not in body
    assert WRITER not in Client().get(_shared_url(reader)).content.decode()


def test_writer_sees_comments_on_own_aar(writer, reader, shared_aar):
    Client().post(_link_url(reader, shared_aar), {"text": "ชอบมาก"})
    response = Client().get(_shared_url(writer))
    assert response.context["own"].comment_count == 1
    assert _link_url(writer, shared_aar) in response.content.decode()
    assert "ชอบมาก" in Client().get(_link_url(writer, shared_aar)).content.decode()


def test_link_list_query_count_is_constant(org):
    counts = []
    for n in (5, 50):
        session = AssistSessionFactory(organiser=org)
        me = ParticipantFactory(session=session)
        for i in range(n):
            aar = AARFactory(
                participant=ParticipantFactory(session=session),
                anonymous=["goal"] if i % 2 else [],
            )
            Comment.objects.create(aar=aar, author_name="ก", text="ดี")
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(_shared_url(me)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_link_detail_query_count_does_not_grow_with_comments(reader, shared_aar):
    url = _link_url(reader, shared_aar)
    counts = []
    for n in (3, 30):
        while Comment.objects.count() < n:
            Comment.objects.create(aar=shared_aar, author_name="ก", text="ดี")
        with CaptureQueriesContext(connection) as ctx:
            Client().get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- The email to the writer ----------------------------------------------------------


def test_writer_is_told_once_in_their_language(
    member, shared_aar, writer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member.post(_aar_url(shared_aar), {"text": "ขอบคุณครับ"})
    # Nothing is queued inside the request: only once the transaction commits.
    assert OutgoingEmail.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()  # the task, on the immediate backend as in the worker
    email = OutgoingEmail.objects.get()
    assert email.to == "writer@example.org"
    assert email.kind == "comment"
    assert email.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert "comment" in mail.outbox[0].subject.lower()  # English: the writer's language
    assert writer.token in mail.outbox[0].body and "ขอบคุณครับ" in mail.outbox[0].body
    # Run again: still one.
    comment = Comment.objects.get()
    assert comment_notify.call(comment.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_to_someone_who_stopped_them(writer, shared_aar, member_user):
    writer.stop_emails()
    comment = comment_add(aar=shared_aar, text="x", author=member_user)
    assert comment_notify.call(comment.pk) is False
    assert OutgoingEmail.objects.count() == 0


def test_no_email_without_an_address(writer, shared_aar, member_user):
    writer.email = ""
    writer.save()
    comment = comment_add(aar=shared_aar, text="x", author=member_user)
    assert comment_notify.call(comment.pk) is False


def test_no_email_for_ones_own_comment(writer, shared_aar):
    comment = comment_add(aar=shared_aar, text="x", author_participant=writer)
    assert comment_notify.call(comment.pk) is False


def test_no_email_to_an_erased_writer(writer, shared_aar, member_user, coordinator_user):
    comment = comment_add(aar=shared_aar, text="x", author=member_user)
    participant_erase(participant=writer, erased_by=coordinator_user)
    assert comment_notify.call(comment.pk) is False


def test_no_email_for_a_comment_hidden_before_it_went(writer, shared_aar, member_user):
    comment = comment_add(aar=shared_aar, text="x", author=member_user)
    comment_hide(comment=comment, by=member_user, reason="")
    assert comment_notify.call(comment.pk) is False


def test_participant_comment_emails_the_writer(
    reader, shared_aar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_link_url(reader, shared_aar), {"text": "เยี่ยม"})
    assert [m.to for m in mail.outbox] == [["writer@example.org"]]


# --- Erasure --------------------------------------------------------------------------


def test_erasure_blanks_the_comments_the_person_wrote(
    reader, shared_aar, member_user, coordinator_user, member
):
    mine = comment_add(aar=shared_aar, text="ข้อความส่วนตัวของฉัน", author_participant=reader)
    theirs = comment_add(aar=shared_aar, text="ของคนอื่น", author=member_user)
    participant_erase(participant=reader, erased_by=coordinator_user)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.text == "" and mine.author_name == ERASED_NAME
    assert theirs.text == "ของคนอื่น"
    body = member.get(_aar_url(shared_aar)).content.decode()
    assert "ข้อความส่วนตัวของฉัน" not in body and READER not in body
    assert ERASED_NAME in body
