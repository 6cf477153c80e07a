"""The lesson pages (/lessons/library/…): the list of an organisation's lessons, one
lesson with its history, sources and reuses, and the coordinators' changes. Who may do
what is ``lessons.lessons``'s (``get_lesson_for_user``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lessons import lessons
from lessons.comment_forms import CommentForm
from lessons.comment_views import comment_post
from lessons.lesson_forms import (
    LessonCreateForm,
    LessonEditForm,
    LessonFilterForm,
    LessonMoveForm,
    ReuseForm,
    person_name,
)
from lessons.models import CommentEvent, LessonReuse
from lessons.search_views import part_label, result_url

PER_PAGE = 20


def _form_error(form, error: lessons.LessonError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_GET
def lesson_list(request):
    form = LessonFilterForm(request.GET or None, user=request.user)
    page = None
    if not form.is_bound or form.is_valid():
        rows = form.filter(lessons.lessons_for(request.user))
        rows = rows.select_related("organisation", "owner").order_by("-updated_at", "-pk")
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lessons/lesson_list.html",
        {
            "title": _("Lesson library"),
            "form": form,
            "page_obj": page,
            "filtered": form.is_bound and any(request.GET.get(f) for f in form.fields),
            "can_create": lessons.can_create_lessons(request.user),
        },
    )


def _sources(user, lesson) -> list[dict]:
    """Each source as the page shows it: with its text, label, link and writer when
    ``user`` may open it; otherwise only that there is one."""
    shown = []
    for source, row in lessons.sources_for(user, list(lesson.sources.all())):
        if row is None:
            shown.append({"source": source, "row": None})
            continue
        shown.append(
            {
                "source": source,
                "row": row,
                "label": part_label(row),
                "url": result_url(row),
                # A response's row carries the recommendation's giver: not its writer.
                "writer": None if row.anonymous or row.kind == "response" else row.participant,
            }
        )
    return shown


def _lesson_comments(lesson, *, see_hidden: bool) -> list:
    """The comments under a lesson: hidden ones (with their history) only for its
    coordinators. Staff write them, so each is signed with its writer's name."""
    rows = lesson.comments.all()
    if see_hidden:
        rows = rows.prefetch_related(
            Prefetch("events", queryset=CommentEvent.objects.select_related("by"))
        )
    else:
        rows = rows.filter(hidden_at__isnull=True)
    comments = list(rows)
    for comment in comments:
        comment.shown_name = comment.author_name
        comment.erased = not comment.text
    return comments


@login_required
@require_http_methods(["GET", "POST"])
def lesson_detail(request, lesson_pk):
    """A lesson with its history, sources, reuses and comments; a member's comment is
    posted here (``CommentForm``), and an error keeps what was typed."""
    lesson, can_edit = lessons.get_lesson_for_user(request, lesson_pk)
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST" and comment_form.is_valid():
        comment_post(request, comment_form, lesson=lesson, author=request.user)
        return redirect(reverse("lessons:lesson_detail", args=[lesson.pk]) + "#comments")
    context = {
        "title": lesson.title,
        "lesson": lesson,
        "can_edit": can_edit,
        "changes": list(lesson.changes.select_related("changed_by")),
        "sources": _sources(request.user, lesson),
        "reuses": list(lesson.reuses.select_related("session", "noted_by")),
        "comments": _lesson_comments(lesson, see_hidden=can_edit),
        "comment_form": comment_form,
    }
    if can_edit:
        context["move_form"] = LessonMoveForm(lesson=lesson) if lesson.next_status else None
        context["reuse_form"] = ReuseForm(lesson=lesson)
    return render(request, "lessons/lesson_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_new(request):
    if not lessons.can_create_lessons(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    chosen = (data or request.GET).getlist("entry")
    form = LessonCreateForm(data, user=request.user, chosen=chosen)
    if data is not None and form.is_valid():
        try:
            lesson = lessons.lesson_create(
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                statement=form.cleaned_data["statement"],
                owner=form.cleaned_data["owner"],
                sources=list(form.cleaned_data["entry"]),
                by=request.user,
            )
        except lessons.LessonError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The lesson is made. Its status is identified."))
            return redirect("lessons:lesson_detail", lesson_pk=lesson.pk)
    offered = list(form.fields["entry"].queryset)
    return render(
        request,
        "lessons/lesson_new.html",
        {"title": _("Make a lesson"), "form": form, "offered": offered},
    )


def _lesson_change(
    request,
    lesson_pk,
    *,
    form_class,
    save,
    message,
    title,
    template="lessons/lesson_form.html",
    **context,
):
    """A coordinator's form on one lesson: ``save`` (a ``lessons.lessons`` writer) with the
    form's values, then ``message(what it returned)`` and back to the lesson; a refusal
    is an error beside its field, with what was typed kept."""
    lesson, _can_edit = lessons.get_lesson_for_user(request, lesson_pk, edit=True)
    form = form_class(request.POST or None, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            done = save(lesson=lesson, by=request.user, **form.cleaned_data)
        except lessons.LessonError as error:
            _form_error(form, error)
        else:
            messages.success(request, message(done))
            return redirect("lessons:lesson_detail", lesson_pk=lesson.pk)
    context.update({"title": title, "lesson": lesson, "form": form})
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, lesson_pk):
    return _lesson_change(
        request,
        lesson_pk,
        form_class=LessonEditForm,
        save=lessons.lesson_edit,
        message=lambda _lesson: _("The lesson is saved."),
        title=_("Change the lesson"),
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_move(request, lesson_pk):
    return _lesson_change(
        request,
        lesson_pk,
        form_class=LessonMoveForm,
        save=lessons.lesson_move,
        message=lambda change: (
            _("The lesson is now %(status)s.") % {"status": change.get_to_status_display()}
        ),
        template="lessons/lesson_move.html",
        title=_("Move the lesson on"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_reuse_add(request, lesson_pk):
    return _lesson_change(
        request,
        lesson_pk,
        form_class=ReuseForm,
        save=lessons.reuse_add,
        message=lambda reuse: (
            _("Recorded: “%(session)s” drew on this lesson.") % {"session": reuse.session.title}
        ),
        title=_("Record a session that drew on it"),
        submit=_("Record"),
        cancel_anchor="reused",
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_reuse_remove(request, lesson_pk, session_pk):
    lesson, _can_edit = lessons.get_lesson_for_user(request, lesson_pk, edit=True)
    reuse = get_object_or_404(
        LessonReuse.objects.select_related("session", "noted_by"),
        lesson=lesson,
        session_id=session_pk,
    )
    if request.method == "POST":
        lessons.reuse_remove(reuse=reuse, by=request.user)
        messages.success(
            request,
            _("“%(session)s” is no longer recorded as drawing on this lesson.")
            % {"session": reuse.session.title},
        )
        return redirect("lessons:lesson_detail", lesson_pk=lesson.pk)
    return render(
        request,
        "lessons/lesson_confirm_reuse_remove.html",
        {
            "title": _("Take this record away?"),
            "lesson": lesson,
            "reuse": reuse,
            "noted_by": person_name(reuse.noted_by) if reuse.noted_by else "",
        },
    )
