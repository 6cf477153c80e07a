"""Adding several people at once: paste or upload, check the preview, then save."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sessions_app import bulk, roster_services
from sessions_app.access import get_session_for_user
from sessions_app.models import AssistSession, Organisation
from sessions_app.roster_forms import BulkAddForm, BulkConfirmForm


def _parse(session: AssistSession, text: str) -> list[bulk.Row]:
    preferred = {session.host_id, *session.peers.values_list("pk", flat=True)}
    return bulk.parse(
        text,
        organisations=bulk.OrganisationIndex.build(Organisation.objects.all(), preferred),
        existing_emails=session.participants.exclude(email="").values_list("email", flat=True),
        host_id=session.host_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_bulk_add(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    context = {"title": _("Add several people"), "session": session, "role_help": bulk.ROLE_HELP}
    form = BulkAddForm()
    if request.method == "POST" and request.POST.get("action") == "confirm":
        confirm = BulkConfirmForm(request.POST)
        if confirm.is_valid():
            text = confirm.cleaned_data["text"]
            try:
                rows = _parse(session, text)
            except bulk.BulkInputError as error:
                form = BulkAddForm(initial={"text": text})
                messages.error(request, str(error))
            else:
                if rows and all(row.ok for row in rows):
                    roster_services.roster_import(session=session, rows=rows)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s person was added to the roster.",
                            "%(count)s people were added to the roster.",
                            len(rows),
                        )
                        % {"count": len(rows)},
                    )
                    return redirect("sessions_app:participant_links", pk=session.pk)
                return _bulk_preview(request, context, text, rows)
        else:
            messages.error(request, _("Nothing came back to save. Paste the lines again."))
    elif request.method == "POST":
        form = BulkAddForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.content
            try:
                rows = _parse(session, text)
            except bulk.BulkInputError as error:
                form.add_error("file" if form.cleaned_data.get("file") else "text", str(error))
            else:
                if rows:
                    return _bulk_preview(request, context, text, rows)
                form.add_error("text", _("No one was found in what you gave."))
    return render(request, "sessions_app/bulk_add.html", {**context, "form": form})


def _bulk_preview(request, context, text, rows):
    errors = sum(1 for row in rows if not row.ok)
    return render(
        request,
        "sessions_app/bulk_preview.html",
        {
            **context,
            "title": _("Check before saving"),
            "rows": rows,
            "error_count": errors,
            "confirm_form": BulkConfirmForm(initial={"text": text}),
            "form": BulkAddForm(initial={"text": text}),
        },
    )
