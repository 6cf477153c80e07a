"""The host team's responses to the peers' recommendations, through the personal link
(/aar/<token>/recommendations/): what staff do at ``followup:recommendation_response``,
for the host team on the roster, who have no accounts.

Responding is open to the session's staff and its host team only (issue 17): anyone
else with a valid link (peers, facilitators and note-takers on the roster, observers)
gets the same friendly 404 as an unknown link, so the page's existence is not
confirmed to them either.
"""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aar import recommendations as services
from aar.models import Recommendation
from aar.personal_link import (
    LANGUAGES,
    language_for,
    link_not_found,
    personal_link,
    token_response,
)
from aar.recommendation_forms import ResponseForm, response_form_save
from peerassist.ratelimit import ratelimit
from sessions_app.models import Participant

logger = logging.getLogger(__name__)


def is_host_team(participant: Participant) -> bool:
    """On the host team of the session's roster. ``personal_link`` finds people on the
    roster only (a removed person's link is already a 404); an erased person is no one."""
    return participant.role == Participant.Role.HOST and not participant.is_erased


def responses_are_open(session) -> bool:
    """Responses change until the session is closed; after that the page only shows them."""
    return not session.is_closed


def _with_lang(request, url: str) -> str:
    """Keep a ``?lang=`` the person chose on the pages that follow."""
    if request.GET.get("lang") in LANGUAGES:
        url += f"?lang={request.GET['lang']}"
    return url


def _list_url(request, token: str, anchor: str = "") -> str:
    url = _with_lang(request, reverse("aar:host_responses", args=[token]))
    return f"{url}#{anchor}" if anchor else url


def _common(request, participant, language: str) -> dict:
    return {
        "participant": participant,
        "session": participant.session,
        "read_only": not responses_are_open(participant.session),
        "lang_query": _with_lang(request, ""),
        "entry_url": f"{reverse('aar:entry', args=[participant.token])}?lang={language}",
        "other_language": "en" if language == "th" else "th",
    }


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET"])
@personal_link
def host_responses(request, participant):
    """The session's current recommendations in order, each with its response and a link
    to respond or change it. Queries: the person by the link (2) and the list (1), however
    many recommendations there are."""
    if not is_host_team(participant):
        return link_not_found(request)
    language = language_for(request, participant)
    rows = list(services.current_recommendations(participant.session))
    counts = dict.fromkeys(Recommendation.Response.values, 0)
    for row in rows:
        if row.response:
            counts[row.response] += 1
    context = {
        **_common(request, participant, language),
        "rows": rows,
        "counts": counts,
        "awaiting": sum(1 for row in rows if not row.response),
    }
    with translation.override(language):
        context["title"] = _("Responses to the recommendations: %(title)s") % {
            "title": participant.session.title
        }
    return token_response(request, "aar/host_responses.html", context, language=language)


def _recommendation_of(participant, pk: int) -> Recommendation | None:
    """A current recommendation of the person's own session, or None (removed ones and
    other sessions' are not theirs to answer)."""
    recommendation = (
        Recommendation.objects.current()
        .filter(session_id=participant.session_id, pk=pk)
        .select_related(
            "given_by__organisation",
            "given_by_organisation",
            "response_owner",
            "commitment__aar__participant",
        )
        .first()
    )
    if recommendation is not None:
        recommendation.session = participant.session
    return recommendation


# The same decorators as ``aar.views.entry`` and ``aar.before_views.before``, for the
# same reasons: the host-team member is authenticated by the 192-bit token in the URL,
# not by a cookie, so there is no ambient authority for a cross-site request to ride and
# a forger would need the token itself. CSRF protection adds nothing here, and requiring
# its cookie would throw away a reason typed on a phone whenever that cookie had expired
# or been blocked. Hence csrf_exempt.
@csrf_exempt
@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET", "POST"])
@personal_link
def host_response(request, participant, recommendation_pk):
    """The host's response to one recommendation, as on the staff page: adopt, adapt or
    not adopted, why, the owner on the host team and a date; an adopted or adapted one
    can become its owner's commitment. Saved by ``response_save`` (all or nothing), which
    also has the peers who gave it told, once, by the worker."""
    if not is_host_team(participant):
        return link_not_found(request)
    recommendation = _recommendation_of(participant, recommendation_pk)
    if recommendation is None:
        return link_not_found(request)
    session = participant.session
    language = language_for(request, participant)
    writable = responses_are_open(session)
    refused = False
    unsaved = ""  # the reason of a refused post, shown so that it is not lost
    with translation.override(language):
        # Built and checked in the page's language: the errors, the help under the
        # commitment box and the reading of a typed date (Buddhist-era year in Thai).
        form = ResponseForm(recommendation=recommendation) if writable else None
        if request.method == "POST" and not writable:
            refused = True
            unsaved = request.POST.get("reason", "").strip()
        elif request.method == "POST":
            form = ResponseForm(request.POST, recommendation=recommendation)
            # Not a signed-in user: their name marks the owner's AAR version that a
            # commitment makes, and the log records the row's number.
            notes = (
                response_form_save(form, responder_name=participant.full_name)
                if form.is_valid()
                else None
            )
            if notes is not None:
                logger.info(
                    "Host response to recommendation %s by participant %s (personal link)",
                    recommendation.pk,
                    participant.pk,
                )
                for note in notes:
                    messages.success(request, note)
                return redirect(_list_url(request, participant.token, f"rec-{recommendation.pk}"))
        has_errors = bool(form is not None and form.is_bound and form.errors)
        title = _("The host's response")
        if has_errors:
            title = _("Error: %(title)s") % {"title": title}
    context = {
        **_common(request, participant, language),
        "title": title,
        "recommendation": recommendation,
        "form": form,
        "refused": refused,
        "unsaved": unsaved,
        "list_url": _list_url(request, participant.token, f"rec-{recommendation.pk}"),
    }
    return token_response(
        request,
        "aar/host_response.html",
        context,
        language=language,
        status=403 if refused else 200,
    )
