"""Comments on lessons (issue 18, "and on lessons, once the lessons issue adds them"):
members of the lesson's organisation comment on its page, its coordinators hide and show
them with a history, and the lesson's owner is told by email through the worker."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from lessons import lessons
from lessons.comments import comment_add, comment_hide, comment_notify
from lessons.models import Comment, CommentEvent, SearchEntry
from peerassist.models import OutgoingEmail
from tests.factories import AARFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "เคยลองนัดวงติดตามผลแล้ว ได้ผลดีมาก"


@pytest.fixture
def lesson(org, coordinator_user, assist_session):
    coordinator_user.email = "owner@example.org"
    coordinator_user.save()
    aar = AARFactory(participant__session=assist_session)
    return lessons.lesson_create(
        organisation=org,
        title="นัดวงติดตามผลก่อนแยกย้าย",
        statement="ก่อนจบวงให้นัดวันทบทวนไว้เลย",
        owner=coordinator_user,
        sources=list(SearchEntry.objects.filter(aar=aar)[:1]),
        by=coordinator_user,
    )


def _url(lesson):
    return reverse("lessons:lesson_detail", args=[lesson.pk])


@pytest.fixture
def comment(lesson, member_user):
    return comment_add(lesson=lesson, text="ความเห็นหยาบ", author=member_user)


def test_member_comments_on_a_lesson(member, member_user, lesson):
    response = member.post(_url(lesson), {"text": TEXT}, follow=True)
    assert response.redirect_chain[-1][0] == _url(lesson) + "#comments"
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    comment = Comment.objects.get()
    assert comment.lesson == lesson and comment.aar is None
    assert comment.author == member_user
    assert TEXT in response.content.decode()


@pytest.mark.parametrize(
    "text, error",
    [("", "Write a comment before sending it."), ("\u200b \n ", None), ("ก" * 2001, None)],
)
def test_bad_comment_is_refused_beside_the_field_and_kept(member, lesson, text, error):
    response = member.post(_url(lesson), {"text": text})
    assert response.status_code == 200
    errors = response.context["comment_form"].errors["text"]
    assert errors
    assert Comment.objects.count() == 0
    if text.strip():
        assert text[:50] in response.content.decode()  # what was typed stays


def test_a_double_submit_saves_one_comment(member, lesson):
    member.post(_url(lesson), {"text": TEXT}, follow=True)
    response = member.post(_url(lesson), {"text": TEXT}, follow=True)
    assert Comment.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_persona_matrix_on_commenting(client, outsider, facilitator, lesson):
    response = client.post(_url(lesson), {"text": TEXT})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.post(_url(lesson), {"text": TEXT}).status_code == 404
    assert outsider.get(_url(lesson)).status_code == 404
    assert facilitator.post(_url(lesson), {"text": TEXT}).status_code == 302
    assert Comment.objects.count() == 1


def test_a_member_of_another_organisation_of_the_session_cannot(other_org, lesson):
    stranger = UserFactory()
    MembershipFactory(user=stranger, organisation=other_org)
    client = Client()
    client.force_login(stranger)
    assert client.post(_url(lesson), {"text": TEXT}).status_code == 404
    assert Comment.objects.count() == 0


def test_a_comment_is_on_one_thing_only(lesson, member_user, assist_session):
    aar = AARFactory(participant__session=assist_session)
    with pytest.raises(ValueError):
        comment_add(aar=aar, lesson=lesson, text="x", author=member_user)
    with pytest.raises(ValueError):
        comment_add(text="x", author=member_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(aar=aar, lesson=lesson, author_name="x", text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(author_name="x", text="x")


# --- Hiding and showing ----------------------------------------------------------------


def test_persona_matrix_on_hide_and_show(client, outsider, member, coordinator, comment):
    hide = reverse("lessons:comment_hide", args=[comment.pk])
    show = reverse("lessons:comment_show", args=[comment.pk])
    assert client.get(hide)["Location"].startswith("/accounts/login/")
    assert outsider.get(hide).status_code == 404
    assert outsider.post(show).status_code == 404
    assert member.get(hide).status_code == 403
    assert member.post(hide).status_code == 403
    assert member.post(show).status_code == 403
    response = coordinator.get(hide)
    assert response.status_code == 200 and response.context["title"]
    assert _url(comment.lesson) + f"#comment-{comment.pk}" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden  # a GET changes nothing


def test_hide_and_show_keep_a_history(coordinator, coordinator_user, member, comment):
    response = coordinator.post(
        reverse("lessons:comment_hide", args=[comment.pk]), {"reason": "ภาษาไม่เหมาะสม"}
    )
    assert response["Location"] == _url(comment.lesson) + f"#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == coordinator_user
    body = coordinator.get(_url(comment.lesson)).content.decode()
    assert "ความเห็นหยาบ" in body and "ภาษาไม่เหมาะสม" in body
    body = member.get(_url(comment.lesson)).content.decode()
    assert "ความเห็นหยาบ" not in body and "ภาษาไม่เหมาะสม" not in body

    coordinator.post(reverse("lessons:comment_show", args=[comment.pk]))
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert "ความเห็นหยาบ" in member.get(_url(comment.lesson)).content.decode()
    assert list(comment.events.values_list("action", flat=True)) == [
        CommentEvent.Action.HIDE,
        CommentEvent.Action.SHOW,
    ]


# --- The email to the lesson's owner ---------------------------------------------------


def test_owner_is_told_once_through_the_worker(member, lesson, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member.post(_url(lesson), {"text": TEXT})
    assert OutgoingEmail.objects.count() == 0  # nothing inside the request
    assert len(callbacks) == 1
    callbacks[0]()  # the task, on the immediate backend as in the worker
    email = OutgoingEmail.objects.get()
    assert email.to == "owner@example.org" and email.kind == "comment"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert lesson.title in message.subject
    assert "ความคิดเห็น" in message.subject  # Thai: the site's language
    assert TEXT in message.body and _url(lesson) in message.body
    assert comment_notify.call(Comment.objects.get().pk) is False  # once a comment
    assert len(mail.outbox) == 1


def test_no_email_for_the_owners_own_comment(lesson, coordinator_user):
    comment = comment_add(lesson=lesson, text="x", author=coordinator_user)
    assert comment_notify.call(comment.pk) is False


def test_no_email_without_an_owner_or_an_address(lesson, member_user, coordinator_user):
    coordinator_user.email = ""
    coordinator_user.save()
    assert comment_notify.call(comment_add(lesson=lesson, text="a", author=member_user).pk) is False
    lesson.owner = None
    lesson.save()
    assert comment_notify.call(comment_add(lesson=lesson, text="b", author=member_user).pk) is False
    assert OutgoingEmail.objects.count() == 0


def test_no_email_for_a_comment_hidden_before_it_went(lesson, member_user, coordinator_user):
    comment = comment_add(lesson=lesson, text="x", author=member_user)
    comment_hide(comment=comment, by=coordinator_user, reason="")
    assert comment_notify.call(comment.pk) is False


@pytest.mark.parametrize("n", [1, 8])
def test_member_page_query_count_stays_the_same(
    member, lesson, member_user, django_assert_num_queries, n
):
    for number in range(n):
        comment_add(lesson=lesson, text=f"ความเห็น {number}", author=member_user)
    # The session, the user, the lesson, whether they coordinate it, its changes, its
    # sources and their rows, its reuses, and its comments.
    with django_assert_num_queries(9):
        response = member.get(_url(lesson))
    assert len(response.context["comments"]) == n
