"""What every page reached by a participant's personal link (/aar/<token>/...) shares:
finding the person by the token, the friendly page for an unknown link, the language,
and responses that never leak the link."""

import functools

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from sessions_app.models import Participant

LANGUAGES = dict(settings.LANGUAGES)


def participant_by_token(token: str) -> Participant | None:
    """The person on the roster with this link, with their session, its host and peers,
    and their AAR: two queries. ``get`` rather than ``first``: the token is unique, so
    no ordering is needed."""
    try:
        return (
            Participant.objects.active()
            .select_related(
                "session__host",
                "session__question_choice__question_set",
                "organisation",
                "aar__question_set",
            )
            .prefetch_related("session__peers")
            .get(token=token)
        )
    except Participant.DoesNotExist:
        return None


def personal_link(view):
    """Give the view the participant of the link in the URL, instead of its token; an
    unknown or replaced link gets the friendly 404."""

    @functools.wraps(view)
    def wrapped(request, token, *args, **kwargs):
        participant = participant_by_token(token)
        if participant is None:
            return link_not_found(request)
        return view(request, participant, *args, **kwargs)

    return wrapped


def token_response(request, template, context, *, language, status=200):
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    # A personal link must never leak to another site through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def link_not_found(request):
    """Unknown or replaced link: friendly, in both languages, and reveals nothing."""
    return token_response(request, "aar/link_not_found.html", {}, language="th", status=404)


def language_for(request, participant) -> str:
    """``?lang=`` when it names a language, else the participant's own."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else participant.language
