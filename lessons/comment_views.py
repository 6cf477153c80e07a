"""Staff pages: one AAR with its comments, a session's answers, and a coordinator's
hiding and showing of comments. Who may read what is ``lessons.reading``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons.comment_forms import CommentForm, CommentHideForm
from lessons.comments import DuplicateComment, comment_add, comment_hide, comment_show
from lessons.lessons import get_lesson_for_user
from lessons.models import Comment
from lessons.reading import (
    answers_by_question,
    coordinates,
    get_aar_for_user,
    get_comment_for_coordinator,
    get_session_answers_for_user,
    is_commentable,
    reader_context,
)


def comment_post(request, form, **place_and_author) -> None:
    """Add the valid ``form``'s comment on ``aar`` or ``lesson`` by ``author`` (a user)
    or ``author_participant``, with the message that says what happened (a double post
    saves one)."""
    try:
        comment_add(text=form.cleaned_data["text"], **place_and_author)
    except DuplicateComment:
        messages.info(request, _("That comment was already saved."))
    else:
        messages.success(request, _("Your comment was added."))


def _aar_url(aar_pk: int) -> str:
    return reverse("lessons:aar", args=[aar_pk]) + "#comments"


@login_required
@require_http_methods(["GET", "POST"])
def aar_read(request, aar_pk):
    aar = get_aar_for_user(request, aar_pk)
    session = aar.participant.session
    can_comment = is_commentable(aar)
    form = CommentForm()
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        form = CommentForm(request.POST)
        if form.is_valid():
            comment_post(request, form, aar=aar, author=request.user)
            return redirect(_aar_url(aar.pk))
    is_coordinator = aar.organised and coordinates(request.user, session)
    context = reader_context(aar, see_hidden=is_coordinator)
    if context["name_shown"]:
        title = _("AAR of %(name)s") % {"name": aar.participant.full_name}
    else:
        title = _("AAR shown without a name")
    context.update(
        title=title,
        session=session,
        is_coordinator=is_coordinator,
        can_comment=can_comment,
        form=form,
    )
    return render(request, "lessons/aar_read.html", context)


@login_required
@require_GET
def session_answers(request, session_pk):
    session, aars = get_session_answers_for_user(request, session_pk)
    context = {
        "title": _("Answers of “%(title)s”") % {"title": session.title},
        "session": session,
        "groups": answers_by_question(session, aars),
        "aar_count": len(aars),
    }
    return render(request, "lessons/session_answers.html", context)


def _comment_for_coordinator(request, pk) -> Comment:
    """A comment for hiding or showing: on a lesson, 404 unless the user may read the
    lesson and 403 unless they coordinate it; on an AAR, as ``reading`` rules."""
    lesson_pk = Comment.objects.filter(pk=pk).values_list("lesson_id", flat=True).first()
    if lesson_pk is None:
        return get_comment_for_coordinator(request, pk)
    get_lesson_for_user(request, lesson_pk, edit=True)
    return Comment.objects.select_related("lesson").get(pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide_view(request, comment_pk):
    comment = _comment_for_coordinator(request, comment_pk)
    form = CommentHideForm()
    if request.method == "POST":
        form = CommentHideForm(request.POST)
        if form.is_valid():
            if comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"]):
                messages.success(request, _("The comment is hidden. Only coordinators see it."))
            else:
                messages.info(request, _("That comment was already hidden."))
            return redirect(comment.get_absolute_url())
    context = {"title": _("Hide this comment?"), "comment": comment, "form": form}
    return render(request, "lessons/comment_confirm_hide.html", context)


@login_required
@require_POST
def comment_show_view(request, comment_pk):
    comment = _comment_for_coordinator(request, comment_pk)
    if comment_show(comment=comment, by=request.user):
        messages.success(request, _("The comment is shown again."))
    else:
        messages.info(request, _("That comment was not hidden."))
    return redirect(comment.get_absolute_url())
