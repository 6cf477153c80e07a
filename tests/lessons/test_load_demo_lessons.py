"""The demo shows lessons at every status, each with its history, reasons and evidence,
its sources in the demo's own AARs and recommendations, and a session that reused one
(issue 19, "Done when"). Loading it twice makes no duplicates."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lessons.management.commands.load_demo_lessons import LESSONS, REUSE_LESSON
from lessons.models import Comment, Lesson, LessonReuse, LessonSource, LessonStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", with_demo_user=True, stdout=io.StringIO())
    call_command("load_demo_lessons", stdout=io.StringIO())
    return get_user_model().objects.get(username="demo")


def test_lessons_at_every_status_with_their_history(demo):
    lessons = Lesson.objects.all()
    assert set(lessons.values_list("status", flat=True)) == set(Lesson.Status.values)
    for lesson in lessons:
        changes = list(lesson.changes.order_by("changed_at", "pk"))
        assert [c.to_status for c in changes][-1] == lesson.status
        assert changes[0].from_status == ""
        for earlier, later in zip(changes, changes[1:], strict=False):
            assert later.from_status == earlier.to_status
            assert later.changed_at > earlier.changed_at
        for change in changes:
            if change.to_status in Lesson.NEEDS_REASON:
                assert change.reason
            if change.to_status in Lesson.NEEDS_EVIDENCE:
                assert change.evidence and change.evidence_url.startswith("https://")
        assert lesson.sources.exists()
        assert lesson.owner is not None


def test_sources_are_real_answers_and_recommendations(demo):
    kinds = set(LessonSource.objects.values_list("kind", flat=True))
    assert {"answer", "recommendation"} <= kinds
    assert not LessonSource.objects.filter(aar__isnull=True, recommendation__isnull=True).exists()


def test_a_session_reused_a_lesson_and_its_page_says_so(demo):
    reuse = LessonReuse.objects.get()
    assert reuse.lesson.title == REUSE_LESSON
    client = Client()
    client.force_login(demo)
    assert REUSE_LESSON in client.get(reuse.session.get_absolute_url()).content.decode()


def test_the_demo_coordinator_opens_every_lesson_and_reads_every_source(demo):
    client = Client()
    client.force_login(demo)
    listed = client.get(reverse("lessons:lesson_list")).context["page_obj"].object_list
    assert len(listed) == len(LESSONS)
    for lesson in Lesson.objects.all():
        response = client.get(reverse("lessons:lesson_detail", args=[lesson.pk]))
        assert response.status_code == 200
        assert all(item["row"] for item in response.context["sources"]), lesson.title


def test_a_lesson_has_a_comment_on_its_page(demo):
    comment = Comment.objects.get()
    assert comment.lesson.title == REUSE_LESSON and comment.author == demo
    client = Client()
    client.force_login(demo)
    body = client.get(reverse("lessons:lesson_detail", args=[comment.lesson_id])).content
    assert comment.text in body.decode()


MODELS = (Lesson, LessonSource, LessonStatusChange, LessonReuse, Comment)


def test_loading_twice_makes_no_duplicates(demo):
    counts = [model.objects.count() for model in MODELS]
    call_command("load_demo", with_demo_user=True, stdout=io.StringIO())
    call_command("load_demo_lessons", stdout=io.StringIO())
    again = [model.objects.count() for model in MODELS]
    assert again == counts
    assert counts[0] == len(LESSONS)


def test_without_the_demo_it_says_what_to_run():
    with pytest.raises(CommandError):
        call_command("load_demo_lessons", stdout=io.StringIO())
