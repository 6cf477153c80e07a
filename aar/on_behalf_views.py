"""An AAR typed in by the session's staff for a participant who wrote it on paper in
the room. The same questions and checks as the participant's own page; the AAR and the
version are marked with who typed them in, and the participant's link still works."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from aar.forms import AARForm, new_submit_key
from aar.models import AAR, parts_of
from aar.privacy import own_parts
from aar.services import AlreadyErased, FormKeyUsed, aar_save, session_question_set
from sessions_app.access import get_participant_for_user

FORM_KEY_USED = gettext_lazy(
    "This form was sent before, and newer text has been saved since, so nothing was "
    "changed. Your text is still in the boxes below: press the button again to save it."
)


def staff_name(user) -> str:
    """How a staff member is named in an AAR's history and the exports."""
    return user.get_full_name() or user.get_username()


def _version_of(aar) -> str:
    """The AAR as the page was loaded (as on the participant's page, aar.views)."""
    return aar.updated_at.isoformat() if aar else ""


@login_required
@require_http_methods(["GET", "POST"])
def aar_on_behalf(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    if participant.is_erased or participant.removed_at is not None:
        # Off the roster or erased: nobody writes for them any more.
        raise Http404
    session = participant.session
    aar = AAR.objects.filter(participant=participant).select_related("question_set").first()
    # The questions: those the AAR was written in, or the session's set for a new one.
    parts = parts_of(aar.question_set if aar is not None else session_question_set(session.pk))
    here = reverse("followup:aar_on_behalf", args=[session.pk, participant.pk])

    if request.method == "POST" and session.is_closed:
        messages.error(request, _("This session is closed, so AARs can no longer be changed."))
        return redirect(here)

    refused = False
    if request.method == "POST":
        # A submitted AAR stays submitted: it is only saved whole.
        submitting = request.POST.get("action") == "submit" or (
            aar is not None and aar.is_submitted
        )
        form = AARForm(
            request.POST,
            instance=aar,
            submitting=submitting,
            current_version=_version_of(aar),
            token=participant.token,
            parts=parts,
        )
        if form.is_valid():
            try:
                saved = aar_save(
                    participant=participant,
                    data=form.save_data(),
                    submit=submitting,
                    saved_by=staff_name(request.user),
                    submit_key=form.cleaned_data["submit_key"],
                    entered_by=request.user,
                )
            except AlreadyErased:
                raise Http404 from None
            except FormKeyUsed:
                form.add_error(None, str(FORM_KEY_USED))
                refused = True
            else:
                names = {"name": participant.full_name}
                if saved.is_submitted:
                    messages.success(request, _("%(name)s's AAR is saved and submitted.") % names)
                else:
                    messages.success(request, _("%(name)s's AAR is saved as a draft.") % names)
                return redirect("followup:session", pk=session.pk)
    else:
        initial = {}
        if aar is None and participant.expectation.strip():
            # As on the participant's page: the first question starts from what they
            # hoped for before the session.
            initial = {parts[0].key: participant.expectation}
        form = AARForm(instance=aar, parts=parts, initial=initial)

    title = _("Type in the AAR of %(name)s") % {"name": participant.full_name}
    has_errors = form.is_bound and bool(form.errors)
    if has_errors:
        title = _("Error: %(title)s") % {"title": title}
    conflicts = form.saved_elsewhere if has_errors else {}
    return render(
        request,
        "aar/aar_on_behalf.html",
        {
            "title": title,
            "session": session,
            "participant": participant,
            "aar": aar,
            "form": form,
            "part_fields": [
                (form[part.key], conflicts.get(part.key), form.anonymous_box(part.key))
                for part in parts
            ],
            "server_version": _version_of(aar),
            "submit_key": new_submit_key(participant.token),
            "read_only": session.is_closed,
            # Closed: the AAR as written, each part shown without the name marked.
            "aar_rows": own_parts(aar) if aar is not None else [],
            "staff_name": staff_name(request.user),
        },
        status=409 if refused or (form.is_bound and form.conflict) else 200,
    )
