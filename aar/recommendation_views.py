"""Peers' recommendations (quick entry, bulk paste, order, edit, removal) and the host's
response to each. Viewers of the session read; its editors write."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aar import recommendations as services
from aar.models import Recommendation
from aar.recommendation_forms import (
    BulkRecommendationForm,
    Givers,
    MoveForm,
    RecommendationForm,
    ResponseForm,
    response_form_save,
)
from sessions_app.access import get_session_for_user


def get_recommendation_for_user(
    request, pk, recommendation_pk, *, edit: bool = False, removed: bool = False
) -> tuple[Recommendation, bool]:
    """The one way these views load a recommendation: through its session's access check
    (outsiders 404, read-only members 403 with ``edit``), current ones only unless
    ``removed`` (then removed ones only)."""
    session, can_edit = get_session_for_user(request, pk, edit=edit)
    recommendation = get_object_or_404(
        Recommendation.objects.filter(removed_at__isnull=not removed).select_related(
            "given_by", "given_by_organisation", "response_owner", "commitment"
        ),
        session=session,
        pk=recommendation_pk,
    )
    recommendation.session = session
    return recommendation, can_edit


def _page_url(session_pk: int, anchor: str = "") -> str:
    url = reverse("followup:recommendations", args=[session_pk])
    return f"{url}#{anchor}" if anchor else url


def _render_page(request, session, can_edit, *, givers=None, form=None, bulk=None):
    rows = list(services.current_recommendations(session))
    removed = list(services.removed_recommendations(session))
    counts = dict.fromkeys(Recommendation.Response.values, 0)
    for row in rows:
        if row.response:
            counts[row.response] += 1
    # The quick entry's box takes the focus (ready for the next one) unless the paste
    # needs fixing: ``autofocus``, so it works without JavaScript.
    if bulk is not None and bulk.is_bound:
        bulk.fields["lines"].widget.attrs["autofocus"] = True
    elif form is not None:
        form.fields["text"].widget.attrs["autofocus"] = True
    context = {
        "title": _("Recommendations"),
        "session": session,
        "can_edit": can_edit,
        "rows": rows,
        "removed": removed,
        "themes": sorted({row.theme for row in rows if row.theme}),
        "counts": counts,
        "awaiting": sum(1 for row in rows if not row.response),
        "form": form,
        "bulk": bulk,
    }
    return render(request, "aar/recommendations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request, pk):
    """The list, and the quick entry: one form that comes back empty, its box focused,
    with the giver and theme of the last one kept for the next."""
    session, can_edit = get_session_for_user(request, pk, edit=request.method == "POST")
    if not can_edit:
        return _render_page(request, session, can_edit)
    givers = Givers(session)
    initial = {"giver": request.GET.get("giver", ""), "theme": request.GET.get("theme", "")}
    form = RecommendationForm(request.POST or None, givers=givers, initial=initial)
    if request.method == "POST" and form.is_valid():
        recommendation = services.recommendation_add(
            session=session,
            text=form.cleaned_data["text"],
            given_by=form.given_by,
            given_by_organisation=form.given_by_organisation,
            theme=form.cleaned_data["theme"],
            created_by=request.user,
        )
        messages.success(
            request,
            _("Saved: “%(text)s”. Write the next one.") % {"text": _excerpt(recommendation.text)},
        )
        keep = urlencode(
            {"giver": form["giver"].value() or "", "theme": form.cleaned_data["theme"]}
        )
        # No "#add": a browser skips ``autofocus`` when the address names a place on the
        # page, and the box must have the focus for the next recommendation.
        return redirect(f"{_page_url(session.pk)}?{keep}")
    return _render_page(
        request,
        session,
        can_edit,
        givers=givers,
        form=form,
        bulk=BulkRecommendationForm(givers=givers),
    )


def _excerpt(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@login_required
@require_POST
def recommendations_bulk(request, pk):
    """A paste of one recommendation a line: all saved, or none (the errors name the
    lines, and the pasted text comes back)."""
    session, can_edit = get_session_for_user(request, pk, edit=True)
    givers = Givers(session)
    bulk = BulkRecommendationForm(request.POST, givers=givers)
    if not bulk.is_valid():
        return _render_page(
            request,
            session,
            can_edit,
            givers=givers,
            form=RecommendationForm(givers=givers),
            bulk=bulk,
        )
    added = services.recommendations_add_many(
        session=session,
        texts=bulk.cleaned_data["lines"],
        given_by=bulk.given_by,
        given_by_organisation=bulk.given_by_organisation,
        theme=bulk.cleaned_data["theme"],
        created_by=request.user,
    )
    messages.success(request, _("%(count)s recommendations are saved.") % {"count": len(added)})
    return redirect(_page_url(session.pk, "list"))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk, recommendation_pk):
    recommendation, _can_edit = get_recommendation_for_user(
        request, pk, recommendation_pk, edit=True
    )
    session = recommendation.session
    givers = Givers(session, keep=recommendation)
    form = RecommendationForm(
        request.POST or None,
        givers=givers,
        initial={
            "text": recommendation.text,
            "giver": Givers.value_of(recommendation),
            "theme": recommendation.theme,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.recommendation_update(
            recommendation=recommendation,
            text=form.cleaned_data["text"],
            given_by=form.given_by,
            given_by_organisation=form.given_by_organisation,
            theme=form.cleaned_data["theme"],
        )
        messages.success(request, _("The recommendation is saved."))
        return redirect(_page_url(session.pk, f"rec-{recommendation.pk}"))
    return render(
        request,
        "aar/recommendation_edit.html",
        {
            "title": _("Edit the recommendation"),
            "session": session,
            "recommendation": recommendation,
            "form": form,
            "themes": sorted(
                set(
                    session.recommendations.current()
                    .exclude(theme="")
                    .values_list("theme", flat=True)
                )
            ),
        },
    )


@login_required
@require_POST
def recommendation_move(request, pk, recommendation_pk):
    recommendation, _can_edit = get_recommendation_for_user(
        request, pk, recommendation_pk, edit=True
    )
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Use the Move up or Move down button."))
    elif services.recommendation_move(
        recommendation=recommendation, up=form.cleaned_data["direction"] == "up"
    ):
        messages.success(request, _("The order is changed."))
    else:
        messages.info(request, _("It is already at that end of the list."))
    return redirect(_page_url(pk, f"rec-{recommendation.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_remove(request, pk, recommendation_pk):
    """Ask first; removal keeps the recommendation in the session's history."""
    recommendation, _can_edit = get_recommendation_for_user(
        request, pk, recommendation_pk, edit=True
    )
    if request.method == "POST":
        services.recommendation_remove(recommendation=recommendation, removed_by=request.user)
        messages.success(
            request,
            _(
                "The recommendation is removed. It is kept under “Removed”, where you can restore it."
            ),
        )
        return redirect(_page_url(pk, "removed"))
    return render(
        request,
        "aar/recommendation_confirm_remove.html",
        {
            "title": _("Remove this recommendation"),
            "session": recommendation.session,
            "recommendation": recommendation,
        },
    )


@login_required
@require_POST
def recommendation_restore(request, pk, recommendation_pk):
    recommendation, _can_edit = get_recommendation_for_user(
        request, pk, recommendation_pk, edit=True, removed=True
    )
    services.recommendation_restore(recommendation=recommendation)
    messages.success(request, _("The recommendation is back on the list."))
    return redirect(_page_url(pk, f"rec-{recommendation.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_response(request, pk, recommendation_pk):
    """The host's response: adopt, adapt or not adopted, why, the owner on the host team
    and a date; an adopted or adapted one can become its owner's commitment."""
    recommendation, _can_edit = get_recommendation_for_user(
        request, pk, recommendation_pk, edit=True
    )
    form = ResponseForm(request.POST or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        notes = response_form_save(form, responded_by=request.user)
        if notes is not None:
            for note in notes:
                messages.success(request, note)
            return redirect(_page_url(pk, f"rec-{recommendation.pk}"))
    return render(
        request,
        "aar/recommendation_response.html",
        {
            "title": _("The host's response"),
            "session": recommendation.session,
            "recommendation": recommendation,
            "form": form,
        },
    )
