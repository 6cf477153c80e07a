"""Before the session, through the personal link (/aar/<token>/before/): what each person
hopes to learn or contribute, and, for the host team, the host's brief."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aar.before_forms import ExpectationForm
from aar.personal_link import LANGUAGES, language_for, personal_link, token_response
from peerassist.ratelimit import ratelimit
from sessions_app.forms import BriefForm
from sessions_app.models import AssistSession, Participant

BRIEF_FIELDS = AssistSession.BRIEF_FIELDS


def before_is_open(session) -> bool:
    """Written until the end of the session's day (Bangkok), and never once it is closed."""
    return not session.is_closed and timezone.localdate() <= session.date


@transaction.atomic
def before_save(*, participant, expectation: str | None, brief: dict | None = None) -> list[str]:
    """Save the person's expectation and, for the host team, the brief: both or neither
    (None: leave it as it is). Only what differs from the saved text is written, so
    ``expectation_at`` says when the person last changed their words. Returns what
    changed: "expectation", "brief"."""
    changed = []
    if expectation is not None and expectation != participant.expectation:
        participant.expectation = expectation
        participant.expectation_at = timezone.now()
        participant.save(update_fields=["expectation", "expectation_at"])
        changed.append("expectation")
    if brief is not None:
        # Compared with the row as it is now, locked: a validated BriefForm has already
        # written the posted values onto the session in memory.
        saved = (
            AssistSession.objects.select_for_update()
            .only(*BRIEF_FIELDS)
            .get(pk=participant.session_id)
        )
        fields = [name for name in BRIEF_FIELDS if getattr(saved, name) != brief[name]]
        if fields:
            for name in fields:
                setattr(saved, name, brief[name])
            saved.save(update_fields=fields)
            changed.append("brief")
    return changed


def _page_url(request, token) -> str:
    url = reverse("aar:before", args=[token])
    if request.GET.get("lang") in LANGUAGES:
        url += f"?lang={request.GET['lang']}"
    return url


def _error_items(forms) -> list[tuple[str, str]]:
    """The page's error summary: (the id of the box, the error), in the page's order."""
    items = []
    for form in forms:
        items += [("", error) for error in form.non_field_errors()]
        for field in form.visible_fields():
            items += [(field.id_for_label, error) for error in field.errors]
    return items


# The same decorators as ``aar.views.entry``, for the same reasons: the participant is
# authenticated by the 192-bit token in the URL, not by a cookie, so there is no ambient
# authority for a cross-site request to ride and a forger would need the token itself.
# CSRF protection adds nothing here, and requiring its cookie would throw away what was
# typed whenever that cookie had expired or been blocked. Hence csrf_exempt.
@csrf_exempt
@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET", "POST"])
@personal_link
def before(request, participant):
    token = participant.token
    session = participant.session
    language = language_for(request, participant)
    writable = before_is_open(session)
    hosting = participant.role == Participant.Role.HOST
    refused = False
    unsaved = []  # (label, text) of a refused post, shown so that it is not lost
    expectation_form = ExpectationForm(initial={"expectation": participant.expectation})
    brief_form = BriefForm(instance=session) if hosting and writable else None

    if request.method == "POST" and not writable:
        refused = True
        fields = {**(BriefForm.base_fields if hosting else {}), **ExpectationForm.base_fields}
        unsaved = [
            (field.label, request.POST[name])
            for name, field in fields.items()
            if request.POST.get(name, "").strip()
        ]
    elif request.method == "POST":
        expectation_form = ExpectationForm(request.POST)
        # A post without the brief's boxes (a page loaded before the person joined the
        # host team) leaves the brief alone rather than emptying it; the same for the
        # expectation's box.
        brief_posted = hosting and any(name in request.POST for name in BRIEF_FIELDS)
        forms = [expectation_form]
        if brief_posted:
            brief_form = BriefForm(request.POST, instance=session)
            forms = [brief_form, expectation_form]
        with translation.override(language):
            # Every form checked, so every problem is shown at once; nothing is saved
            # unless all are valid.
            checked = [form.is_valid() for form in forms]
        if all(checked):
            changed = before_save(
                participant=participant,
                expectation=(
                    expectation_form.cleaned_data["expectation"]
                    if "expectation" in request.POST
                    else None
                ),
                brief=(
                    {name: brief_form.cleaned_data[name] for name in BRIEF_FIELDS}
                    if brief_posted
                    else None
                ),
            )
            with translation.override(language):
                if "brief" in changed:
                    messages.success(request, _("The host's brief is saved."))
                if "expectation" in changed:
                    messages.success(
                        request, _("Thank you. What you hope to learn or contribute is saved.")
                    )
                if not changed:
                    messages.info(request, _("Nothing has changed since you last saved."))
            return redirect(_page_url(request, token))

    forms = [form for form in (brief_form, expectation_form) if form is not None]
    has_errors = any(form.is_bound and form.errors for form in forms)
    context = {
        "participant": participant,
        "session": session,
        "writable": writable,
        "hosting": hosting,
        "brief_form": brief_form,
        "expectation_form": expectation_form,
        "refused": refused,
        "unsaved": unsaved,
        "has_errors": has_errors,
        "entry_url": f"{reverse('aar:entry', args=[token])}?lang={language}",
        "other_language": "en" if language == "th" else "th",
    }
    with translation.override(language):
        context["title"] = _("Before the session: %(title)s") % {"title": session.title}
        if has_errors:
            context["error_items"] = _error_items(forms)
            context["title"] = _("Error: %(title)s") % {"title": context["title"]}
    return token_response(
        request, "aar/before.html", context, language=language, status=403 if refused else 200
    )
