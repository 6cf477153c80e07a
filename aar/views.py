"""The participant's pages, reached by personal link: no account, often a phone."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aar.commitments import NothingToAnswer, checkback_save
from aar.forms import (
    COMMITMENTS_PREFIX,
    CONFLICT_MESSAGE,
    AARForm,
    CheckbackForm,
    commitment_formset,
    new_submit_key,
)
from aar.models import AAR, parts_of, question_set_of
from aar.personal_link import (
    LANGUAGES,
    language_for,
    link_not_found,
    personal_link,
    token_response,
)
from aar.privacy import anonymous_answers, named_parts, own_parts
from aar.recommendations import responses_for_participant
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

    # The questions: those the AAR was written in, or the session's set for a new one.
    parts = parts_of(aar.question_set if aar is not None else question_set_of(session))
    saved_commitments = _commitments_of(aar)
    commitments_elsewhere = None  # the saved commitments, when another tab changed them
    formset = commitment_formset(commitments=saved_commitments, session_date=session.date)

    if request.method == "POST":
        # The language of the page that was posted: its dates were typed in its era.
        posted_language = language
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
            parts=parts,
        )
        # A page from before commitments were on the form posts none: leave them alone.
        commitments_posted = f"{COMMITMENTS_PREFIX}-TOTAL_FORMS" in request.POST
        if commitments_posted:
            formset = commitment_formset(
                request.POST, commitments=saved_commitments, session_date=session.date
            )
        with translation.override(posted_language):
            # Both checked, so that every problem is shown at once; nothing is saved
            # unless both are valid.
            form_valid = form.is_valid()
            formset_valid = formset.is_valid() if commitments_posted else True
        if commitments_posted and formset_valid:
            commitments_elsewhere = _commitments_changed_elsewhere(
                request, formset, saved_commitments, current_version=_version_of(aar)
            )
            if commitments_elsewhere is not None and form_valid:
                form.add_error(None, ValidationError(CONFLICT_MESSAGE, code="conflict"))
                form.conflict = True
                form_valid = False
        if switching and aar is not None and aar.is_submitted:
            # A submitted AAR is only saved whole; show the edits, unsaved, in the new language.
            unsaved_note = True
        elif form_valid and formset_valid:
            try:
                saved = aar_save(
                    participant=participant,
                    data=form.save_data(),
                    submit=submitting,
                    submit_key=form.cleaned_data["submit_key"],
                    commitments=formset.rows() if commitments_posted else None,
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
        form = AARForm(instance=aar, parts=parts, initial=_expected(participant, aar, parts))

    conflicts = _conflicts(form)
    has_errors = bool(form.is_bound and form.errors) or bool(
        formset.is_bound and (formset.non_form_errors() or any(formset.errors))
    )
    context = {
        "participant": participant,
        "session": session,
        "aar": aar,
        "form": form,
        "read_only": session.is_closed,
        # Closed: what they wrote, each part shown without their name marked.
        "my_parts": own_parts(aar) if aar is not None else [],
        "unsaved_note": unsaved_note,
        "other_language": "en" if language == "th" else "th",
        "server_version": _version_of(aar),
        "submit_key": new_submit_key(participant.token),
        # Each part's field, the text saved elsewhere when a save was refused, and its
        # "without my name" box.
        "part_fields": [
            (form[part.key], conflicts.get(part.key), form.anonymous_box(part.key))
            for part in parts
        ],
        "parts": [part.key for part in parts],
        # What the person hoped for before the session, shown beside the first question.
        "expectation": participant.expectation.strip(),
        "expectation_key": parts[0].key,
        "formset": formset,
        "commitments": saved_commitments,
        "commitments_elsewhere": commitments_elsewhere,
        "has_errors": has_errors,
        "checkback_url": f"{reverse('aar:checkback', args=[token])}?lang={language}",
        **_steps_around(participant, language=language),
    }
    with translation.override(language):
        context["title"] = _("My AAR: %(title)s") % {"title": session.title}
        if has_errors:
            # The errors' words are made here, in the page's language.
            context["error_items"] = _error_items(form, formset)
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


def _steps_around(participant, *, language: str = "") -> dict:
    """The Peer Assist's steps around the AAR on a participant's pages: until the day of
    the session, the link to write what they hope for (and, for the host team, the
    brief); from that day, the host's responses to the peers' recommendations (one
    query, none before the session, when there can be none)."""
    today = timezone.localdate()
    session = participant.session
    steps = {"responses": []}
    if today <= session.date:
        query = f"?lang={language}" if language else ""
        steps["before_url"] = reverse("aar:before", args=[participant.token]) + query
    if today >= session.date:
        steps["responses"] = responses_for_participant(participant)
    return steps


def _expected(participant, aar, parts) -> dict:
    """A new AAR's first question ("My goal") starts from what the person wrote before
    the session that they hoped to learn or contribute. Editable; shown beside it too."""
    begun = aar is not None and any(aar.answer(part.key).strip() for part in parts)
    if participant.expectation.strip() and not begun:
        # No AAR, or an empty one (made when a recommendation became their commitment).
        return {parts[0].key: participant.expectation}
    return {}


def _commitments_of(aar) -> list:
    """The AAR's commitments, in order (one query; none without an AAR)."""
    return list(aar.commitments.all()) if aar is not None else []


def _commitments_changed_elsewhere(request, formset, saved, *, current_version):
    """The saved commitments, when the AAR was saved elsewhere after this page was
    loaded and they differ from those just posted (else None): the same test as the
    four parts' (``AARForm.clean``)."""
    if "loaded_version" not in request.POST:
        return None
    if request.POST.get("loaded_version") == current_version:
        return None
    posted = [(row["text"], row["due_date"]) for row in formset.rows()]
    if posted == [(c.text, c.due_date) for c in saved]:
        return None
    return saved


def _error_items(form, formset) -> list[tuple[str, str]]:
    """The page's error summary, in the order of the page: (the id of the box the
    error belongs to, or "", the error). The commitments come after the fourth part."""
    items = [("", error) for error in form.non_field_errors()]
    for field in form.hidden_fields():
        items += [("", error) for error in field.errors]
    for field in form.visible_fields():
        target = field.id_for_label or f"{field.auto_id}_0"  # a radio group: its first
        items += [(target, error) for error in field.errors]
        if field.name == form.part_keys[-1] and formset.is_bound:
            items += _commitment_error_items(formset)
    return items


def _commitment_error_items(formset) -> list[tuple[str, str]]:
    forms = formset.forms
    first = forms[0]["text"].id_for_label if forms else ""
    items = [(first, error) for error in formset.non_form_errors()]
    for number, row in enumerate(forms, 1):
        for name in ("text", "due_date"):
            for error in row[name].errors:
                message = _("Commitment %(number)s: %(error)s") % {
                    "number": number,
                    "error": error,
                }
                items.append((row[name].id_for_label, message))
    return items


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
        .order_by("submitted_at", "pk")
    )
    # Every shared AAR's words without its writer (one query): the answers shown
    # without names are gathered across all of them, never a page at a time, so that
    # which page an answer is on says nothing of whose it is. Its length is the pager's.
    words = list(shared.select_related("question_set").only("answers", "anonymous", "question_set"))
    page = Paginator(words, SHARED_PER_PAGE).get_page(request.GET.get("page"))
    # The page's AARs with their writers (one query), each showing its named parts only.
    named = {
        other.pk: other
        for other in shared.select_related("participant__organisation", "question_set").filter(
            pk__in=[row.pk for row in page]
        )
    }
    cards = []
    for row in page:
        other = named.get(row.pk)
        if other is not None:
            other.named_parts = named_parts(other)
            if other.named_parts:
                cards.append(other)
    context = {
        "participant": participant,
        "session": participant.session,
        "aar": aar,
        "my_parts": own_parts(aar),
        "shared": page,
        "cards": cards,
        "anonymous_questions": anonymous_answers(words),
        "edit_url": reverse("aar:entry", args=[token]),
        "other_language": "en" if language == "th" else "th",
        **_steps_around(participant),
    }
    with translation.override(language):
        context["title"] = _("Thank you")
    return token_response(request, "aar/thanks.html", context, language=language)


# The same decorators as ``entry``, for the same reasons (see there): a check-back comes
# by the same personal link, often weeks later, long after any cookie has gone.
@csrf_exempt
@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET", "POST"])
@personal_link
def checkback(request, participant):
    """How each commitment went. Open also once the session is closed or archived: a
    check-back comes after the session, whatever its state."""
    token = participant.token
    language = language_for(request, participant)
    aar = _aar_of(participant)
    commitments = list(aar.commitments.prefetch_related("answers")) if aar is not None else []
    nothing_answered = False
    failed = False
    if request.method == "POST":
        forms = [CheckbackForm(request.POST, commitment=c) for c in commitments]
        with translation.override(language):
            # Every form checked, not only up to the first invalid one.
            checked = [form.is_valid() for form in forms]
        valid = all(checked)
        if valid:
            # Only this person's commitments have forms, so only they can be answered.
            answers = {
                form.commitment.pk: form.answer() for form in forms if form.answer() is not None
            }
            try:
                changed = checkback_save(participant=participant, answers=answers)
            except NothingToAnswer:
                nothing_answered = True
            except (OperationalError, InterfaceError):
                logger.exception("Check-back save failed in the database")
                failed = True
            else:
                with translation.override(language):
                    if changed:
                        messages.success(request, _("Thank you. Your answers are saved."))
                    else:
                        messages.info(request, _("Nothing has changed since your last answers."))
                url = reverse("aar:checkback", args=[token])
                if request.GET.get("lang") in LANGUAGES:
                    url += f"?lang={request.GET['lang']}"
                return redirect(url)
    else:
        forms = [CheckbackForm(commitment=c) for c in commitments]

    has_errors = nothing_answered or failed or any(form.errors for form in forms)
    context = {
        "participant": participant,
        "session": participant.session,
        "aar": aar,
        "rows": [_checkback_row(form) for form in forms],
        "read_only": participant.session.is_closed,
        "entry_url": f"{reverse('aar:entry', args=[token])}?lang={language}",
        "other_language": "en" if language == "th" else "th",
        "has_errors": has_errors,
    }
    with translation.override(language):
        context["title"] = _("My commitments: %(title)s") % {"title": participant.session.title}
        if has_errors:
            items = []
            if nothing_answered:
                items.append(("", str(NOTHING_ANSWERED)))
            if failed:
                items.append(("", str(DATABASE_FAILED)))
            for form in forms:
                for name in ("status", "outcome"):
                    target = form[name].id_for_label or f"{form[name].auto_id}_0"
                    items += [
                        (target, f"{form.commitment.text[:60]}: {error}")
                        for error in form[name].errors
                    ]
            context["error_items"] = items
            context["title"] = _("Error: %(title)s") % {"title": context["title"]}
    response = token_response(
        request,
        "aar/checkback.html",
        context,
        language=language,
        status=503 if failed else 200,
    )
    if failed:
        response["Retry-After"] = "10"
    return response


def _checkback_row(form) -> dict:
    """A commitment with its form, its latest answer and the ones before it."""
    answers = list(form.commitment.answers.all())  # prefetched, newest first
    return {
        "commitment": form.commitment,
        "form": form,
        "latest": answers[0] if answers else None,
        "earlier": answers[1:],
    }


NOTHING_ANSWERED = gettext_lazy(
    "Nothing was saved: choose how at least one commitment went, then press the button again."
)
