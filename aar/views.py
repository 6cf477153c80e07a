"""The participant's pages, reached by personal link: no account, often a phone."""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aar.forms import AARForm, new_submit_key
from aar.models import AAR, AAR_PARTS
from aar.personal_link import (
    LANGUAGES,
    language_for,
    link_not_found,
    personal_link,
    token_response,
)
from aar.services import AlreadyErased, FormKeyUsed, aar_save
from peerassist.ratelimit import ratelimit

logger = logging.getLogger(__name__)
SHARED_PER_PAGE = 10


def _aar_of(participant):
    """The AAR selected with the participant (its session already loaded), or None."""
    try:
        return participant.aar
    except AAR.DoesNotExist:
        return None


def _version_of(aar) -> str:
    """What a rendered form remembers of the AAR it was loaded with."""
    return aar.updated_at.isoformat() if aar else ""


def _conflicts(form) -> dict[str, str]:
    """After a save refused because the AAR changed elsewhere: the saved text of each
    part that differs from what was just posted, to show beside the participant's own."""
    if not form.is_bound or not form.errors:
        return {}
    return form.saved_elsewhere


# The participant is authenticated by the 192-bit token in the URL, not by a cookie:
# there is no ambient authority (no session cookie) for a cross-site request to ride,
# and a forger would need the token itself, which is the credential. So CSRF protection
# adds nothing here, and requiring its cookie would throw away 20 minutes of writing
# whenever that cookie had expired or been blocked. Hence csrf_exempt.
@csrf_exempt
@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET", "POST"])
@personal_link
def entry(request, participant):
    token = participant.token
    session = participant.session
    aar = _aar_of(participant)
    language = language_for(request, participant)
    unsaved_note = False
    refused = False  # a replayed form key: nothing was saved
    failed = False  # the database failed: nothing was saved

    if request.method == "POST" and session.is_closed:
        with translation.override(language):
            messages.error(request, _("This session is closed, so AARs can no longer be changed."))
        return redirect("aar:entry", token=token)

    if request.method == "POST":
        action = request.POST.get("action", "draft")
        switching = action in LANGUAGES
        submitting = action == "submit" or (
            action == "draft" and aar is not None and aar.is_submitted
        )
        if switching:
            language = action
            participant.language = action
            participant.save(update_fields=["language"])
        form = AARForm(
            request.POST,
            instance=aar,
            submitting=submitting and not switching,
            current_version=_version_of(aar),
            token=participant.token,
        )
        if switching and aar is not None and aar.is_submitted:
            # A submitted AAR is only saved whole; show the edits, unsaved, in the new language.
            unsaved_note = True
        elif form.is_valid():
            try:
                saved = aar_save(
                    participant=participant,
                    data=form.cleaned_data,
                    submit=submitting,
                    submit_key=form.cleaned_data["submit_key"],
                )
            except AlreadyErased:
                return link_not_found(request)
            except FormKeyUsed:
                with translation.override(language):
                    form.add_error(None, str(FORM_KEY_USED))
                refused = True
            except (OperationalError, InterfaceError):
                # Locked past the busy timeout, disk full, connection lost: the words
                # go back in the form, with a plain word that nothing was saved yet.
                logger.exception("AAR save failed in the database")
                with translation.override(language):
                    form.add_error(None, str(DATABASE_FAILED))
                failed = True
            else:
                return _saved(request, saved, token=token, switching=switching, language=language)
    else:
        form = AARForm(instance=aar)

    conflicts = _conflicts(form)
    context = {
        "participant": participant,
        "session": session,
        "aar": aar,
        "form": form,
        "read_only": session.is_closed,
        "unsaved_note": unsaved_note,
        "other_language": "en" if language == "th" else "th",
        "server_version": _version_of(aar),
        "submit_key": new_submit_key(participant.token),
        # Each part's field, and the text saved elsewhere when a save was refused.
        "part_fields": [(form[name], conflicts.get(name)) for name in AAR_PARTS],
        "parts": AAR_PARTS,
    }
    with translation.override(language):
        context["title"] = _("My AAR: %(title)s") % {"title": session.title}
        if form.is_bound and form.errors:
            # GOV.UK's pattern: the page title says first that something needs fixing.
            context["title"] = _("Error: %(title)s") % {"title": context["title"]}
    response = token_response(
        request,
        "aar/entry.html",
        context,
        language=language,
        status=503 if failed else 409 if refused or (form.is_bound and form.conflict) else 200,
    )
    if failed:
        response["Retry-After"] = "10"
    return response


def _saved(request, aar, *, token, switching, language):
    """Where a save leads: the same for a first post and its replay."""
    if switching:
        return redirect("aar:entry", token=token)
    with translation.override(language):
        if aar.is_submitted:
            messages.success(request, _("Thank you. Your AAR has been received."))
            return redirect("aar:thanks", token=token)
        messages.success(request, _("Your draft is saved. Come back to this link any time."))
    return redirect("aar:entry", token=token)


DATABASE_FAILED = gettext_lazy(
    "We could not save just now: the database is busy or unavailable. Nothing has been "
    "saved yet, but your text is still here in the boxes below. Please press the button "
    "again in a moment."
)
FORM_KEY_USED = gettext_lazy(
    "This form was sent before, and newer text has been saved since, so nothing was "
    "changed. Your text is still in the boxes below: press the button again to save it."
)


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_GET
@personal_link
def thanks(request, participant):
    token = participant.token
    aar = _aar_of(participant)
    if aar is None or not aar.is_submitted:
        return redirect("aar:entry", token=token)
    language = language_for(request, participant)
    shared = (
        AAR.objects.submitted()
        .shared_with_participants()
        .filter(participant__session=participant.session, participant__removed_at__isnull=True)
        .exclude(participant=participant)
        .select_related("participant__organisation")
        .order_by("submitted_at", "pk")
    )
    context = {
        "participant": participant,
        "session": participant.session,
        "aar": aar,
        "shared": Paginator(shared, SHARED_PER_PAGE).get_page(request.GET.get("page")),
        "edit_url": reverse("aar:entry", args=[token]),
        "other_language": "en" if language == "th" else "th",
    }
    with translation.override(language):
        context["title"] = _("Thank you")
    return token_response(request, "aar/thanks.html", context, language=language)
