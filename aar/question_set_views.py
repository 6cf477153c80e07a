"""Question sets: the list, a coordinator's custom sets, and a session's choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aar.models import AAR, QuestionSet, SessionQuestionSet
from aar.question_set_forms import QuestionSetForm, SessionQuestionSetForm, prompt_formset
from aar.question_sets import (
    QuestionSetInUse,
    QuestionsFixed,
    chosen_question_set,
    coordinated_organisations,
    get_question_set_for_user,
    question_set_choose,
    question_set_create,
    question_set_delete,
    question_set_in_use,
    question_set_update,
    question_sets_for_session,
    with_in_use,
)
from sessions_app.access import get_session_for_user

IN_USE = gettext_lazy(
    "An AAR has been written in this set, so it can no longer be changed or deleted: "
    "its questions must stay as they were answered."
)
FIXED = gettext_lazy("The questions cannot change once the first AAR is written.")


@login_required
@require_GET
def question_set_list(request):
    coordinated = set(coordinated_organisations(request.user).values_list("pk", flat=True))
    sets = list(
        with_in_use(QuestionSet.objects.for_user(request.user))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    for question_set in sets:
        question_set.can_edit = question_set.organisation_id in coordinated
    return render(
        request,
        "aar/question_set_list.html",
        {
            "title": _("Question sets"),
            "built_in": [s for s in sets if s.is_built_in],
            "custom": [s for s in sets if not s.is_built_in],
            "can_create": bool(coordinated),
        },
    )


def _error_items(form, formset) -> list[tuple[str, str]]:
    """The error summary: (the id of the box the error belongs to, or "", the error),
    in the page's order."""
    items = [("", error) for error in form.non_field_errors()]
    for field in form.visible_fields():
        items += [(field.id_for_label, error) for error in field.errors]
    first = formset.forms[0]["th"].id_for_label if formset.forms else ""
    items += [(first, error) for error in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, 1):
        for name in ("th", "en"):
            for error in row[name].errors:
                message = _("Prompt %(number)s: %(error)s") % {"number": number, "error": error}
                items.append((row[name].id_for_label, message))
    return items


def _form_page(request, *, form, formset, title, question_set=None):
    has_errors = bool(form.errors or formset.non_form_errors() or any(formset.errors))
    if has_errors:
        title = _("Error: %(title)s") % {"title": title}
    return render(
        request,
        "aar/question_set_form.html",
        {
            "title": title,
            "form": form,
            "formset": formset,
            "question_set": question_set,
            "error_items": _error_items(form, formset) if has_errors else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_set_create_view(request):
    organisations = coordinated_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = QuestionSetForm(data, organisations=organisations)
    formset = prompt_formset(data)
    if data is not None:
        # Both checked, so that every problem is shown at once.
        form_valid, formset_valid = form.is_valid(), formset.is_valid()
        if form_valid and formset_valid:
            question_set = question_set_create(
                organisation=form.cleaned_data["organisation"],
                name_th=form.cleaned_data["name_th"],
                name_en=form.cleaned_data["name_en"],
                prompts=formset.prompts(),
                created_by=request.user,
            )
            messages.success(
                request, _("The question set “%(name)s” is saved.") % {"name": question_set.name}
            )
            return redirect("followup:question_sets")
    return _form_page(request, form=form, formset=formset, title=_("New question set"))


@login_required
@require_http_methods(["GET", "POST"])
def question_set_edit(request, pk):
    question_set, _can_edit = get_question_set_for_user(request, pk, edit=True)
    if question_set_in_use(question_set):
        messages.error(request, IN_USE)
        return redirect("followup:question_sets")
    data = request.POST if request.method == "POST" else None
    form = QuestionSetForm(data, instance=question_set)
    formset = prompt_formset(data, prompts=question_set.prompts)
    if data is not None:
        form_valid, formset_valid = form.is_valid(), formset.is_valid()
        if form_valid and formset_valid:
            try:
                question_set = question_set_update(
                    question_set=question_set,
                    name_th=form.cleaned_data["name_th"],
                    name_en=form.cleaned_data["name_en"],
                    prompts=formset.prompts(),
                )
            except QuestionSetInUse:
                messages.error(request, IN_USE)
                return redirect("followup:question_sets")
            messages.success(
                request, _("The question set “%(name)s” is saved.") % {"name": question_set.name}
            )
            return redirect("followup:question_sets")
    return _form_page(
        request,
        form=form,
        formset=formset,
        title=_("Edit the question set “%(name)s”") % {"name": question_set.name},
        question_set=question_set,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_set_delete_view(request, pk):
    question_set, _can_edit = get_question_set_for_user(request, pk, edit=True)
    if question_set_in_use(question_set):
        messages.error(request, IN_USE)
        return redirect("followup:question_sets")
    if request.method == "POST":
        name = question_set.name
        try:
            question_set_delete(question_set=question_set)
        except QuestionSetInUse:
            messages.error(request, IN_USE)
            return redirect("followup:question_sets")
        messages.success(request, _("The question set “%(name)s” was deleted.") % {"name": name})
        return redirect("followup:question_sets")
    return render(
        request,
        "aar/question_set_confirm_delete.html",
        {
            "title": _("Delete the question set “%(name)s”?") % {"name": question_set.name},
            "question_set": question_set,
            "sessions": SessionQuestionSet.objects.filter(question_set=question_set).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_question_set_choose(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    fixed = AAR.objects.filter(participant__session=session).exists()
    if request.method == "POST" and fixed:
        messages.error(request, FIXED)
        return redirect("followup:session_question_set", pk=session.pk)
    chosen = chosen_question_set(session)
    form = SessionQuestionSetForm(
        request.POST if request.method == "POST" else None,
        initial={"question_set": chosen.pk},
        question_sets=question_sets_for_session(session).order_by("organisation_id", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        question_set = form.cleaned_data["question_set"]
        try:
            question_set_choose(session=session, question_set=question_set)
        except QuestionsFixed:
            messages.error(request, FIXED)
            return redirect("followup:session_question_set", pk=session.pk)
        messages.success(
            request,
            _("This session's AARs will use “%(name)s”.") % {"name": question_set.name},
        )
        return redirect(session.get_absolute_url())
    return render(
        request,
        "aar/question_set_choose.html",
        {
            "title": _("The session's questions"),
            "session": session,
            "form": form,
            "chosen": chosen,
            "fixed": fixed,
        },
    )
