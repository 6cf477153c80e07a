"""PDPA rights: a participant downloads what is held about them (by personal link), and
a coordinator erases a person on request."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aar.personal_link import language_for, personal_link, token_response
from aar.privacy import participant_data
from aar.services import AlreadyErased, participant_erase
from peerassist.ratelimit import ratelimit
from sessions_app.access import get_participant_for_user


def _labelled(row: dict | None, questions: list[dict]) -> list[tuple[str, str]]:
    """(label, text) for each question of an AAR or version, for the page."""
    if row is None:
        return []
    return [(question["label"], row[question["key"]]) for question in questions]


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_GET
@personal_link
def my_data(request, participant):
    """Everything held about the holder of this link, readable, in their language."""
    language = language_for(request, participant)
    with translation.override(language):
        data = participant_data(participant)
        title = _("My data")
    context = {
        "title": title,
        "participant": participant,
        "data": data,
        "aar_parts": _labelled(data["aar"], data["questions"]),
        "versions": [
            {**version, "parts": _labelled(version, data["questions"])}
            for version in data["aar_versions"]
        ],
        "other_language": "en" if language == "th" else "th",
    }
    return token_response(request, "aar/my_data.html", context, language=language)


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_GET
@personal_link
def my_data_json(request, participant):
    """The same, as a JSON file to keep (UTF-8, Thai as written, not escaped)."""
    with translation.override(language_for(request, participant)):
        data = participant_data(participant)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="peerassist-my-data-{stamp}.json"'
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def participant_confirm_erase(request, pk, participant_pk):
    """GET: what erasure does, and that it cannot be undone. POST: erase.

    Only the coordinators of the session's organiser: erasure destroys writing the
    organisation may need, so it is theirs to decide, not a facilitator's."""
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    session = participant.session
    if not session.user_coordinates:
        raise PermissionDenied
    if request.method == "POST":
        try:
            participant_erase(participant=participant, erased_by=request.user)
        except AlreadyErased:
            messages.warning(request, _("This person's data was already erased."))
        else:
            messages.success(
                request,
                _("The personal data of %(name)s was erased.") % {"name": participant.full_name},
            )
        return redirect("followup:session", pk=session.pk)
    return render(
        request,
        "aar/participant_confirm_erase.html",
        {
            "title": _("Erase personal data"),
            "session": session,
            "participant": participant,
        },
    )


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@csrf_exempt  # the mail program's one-click POST (RFC 8058) carries no CSRF token;
# the secret link is the key, and the only thing it can do is stop that person's emails
@require_http_methods(["GET", "POST"])
@personal_link
def stop_emails(request, participant):
    """The link in every email about a session (reminders, check-backs, the summary): a
    page with one button (works without JavaScript), or one click in the mail program (a
    POST), stops that person's emails about it."""
    language = language_for(request, participant)
    if request.method == "POST":
        participant.stop_emails()
    with translation.override(language):
        title = _("Emails about this session")
    return token_response(
        request,
        "aar/stop_emails.html",
        {
            "title": title,
            "participant": participant,
            "stopped": participant.emails_stopped_at,
            "other_language": "en" if language == "th" else "th",
        },
        language=language,
    )
